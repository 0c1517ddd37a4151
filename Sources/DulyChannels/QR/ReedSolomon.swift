// Reed-Solomon error correction over GF(2^8) with the QR code's field polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D)
// and generator roots 2^0 … 2^(n-1), as ISO/IEC 18004 section 7.5.2 defines them.
struct ReedSolomon {
    /// The generator polynomial's coefficients, highest degree first, the leading 1 left out.
    let divisor: [UInt8]

    /// A generator for `degree` error correction codewords.
    init(degree: Int) {
        precondition((1...255).contains(degree), "a Reed-Solomon degree is 1 to 255")
        // Start from the monomial 1 and multiply by (x - 2^i) for each i.
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                coefficients[index] = Self.multiply(coefficients[index], root)
                if index + 1 < degree { coefficients[index] ^= coefficients[index + 1] }
            }
            root = Self.multiply(root, 0x02)
        }
        divisor = coefficients
    }

    /// The error correction codewords for a block of data codewords: the remainder of data·x^degree ÷ generator.
    func remainder(of data: some Sequence<UInt8>) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in result.indices { result[index] ^= Self.multiply(divisor[index], factor) }
        }
        return result
    }

    /// The product of two field elements, by shift and add with reduction modulo 0x11D (no tables to get wrong).
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var product: UInt16 = 0
        for bit in stride(from: 7, through: 0, by: -1) {
            product = (product << 1) ^ ((product >> 7) * 0x11D)
            product ^= UInt16((y >> UInt8(bit)) & 1) * UInt16(x)
        }
        return UInt8(truncatingIfNeeded: product)
    }
}
