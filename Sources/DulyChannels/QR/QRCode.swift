// Duly writes its own QR encoder: none of the Swift packages this project can resolve encodes QR codes, and a payment
// code on a letter needs only a small part of ISO/IEC 18004: byte mode, error correction level M (the level the EPC
// payment code requires), every version 1 to 40, all eight masks scored by the standard's penalty rules, format and
// version information. Tests decode what it draws with a real reader (zbarimg).
//
// No ECI designator is written: the EPC payment code names its character set on its third line, and banking apps
// read the bytes as they are.

/// A QR code symbol (ISO/IEC 18004, model 2) holding bytes in byte mode at error correction level M.
///
/// The smallest version that holds the bytes is chosen, and the mask with the lowest penalty score. The symbol is a
/// square of `size` × `size` modules; `isDark(row:column:)` reads it, and `svg(moduleSize:label:)` and `pgm(scale:)`
/// (QRCode+Images.swift) draw it with its quiet zone.
public struct QRCode: Hashable, Sendable {
    /// The version, 1 to 40: the symbol has 17 + 4 × version modules a side.
    public let version: Int
    /// The data mask applied, 0 to 7 (ISO/IEC 18004 table 10).
    public let mask: Int
    /// Modules a side, quiet zone not included.
    public var size: Int { Self.size(ofVersion: version) }
    // Row-major, true for a dark module.
    private let modules: [Bool]

    /// Encodes bytes in the smallest version up to `maximumVersion` that holds them.
    ///
    /// - Parameter mask: a mask to use instead of the best scoring one; for tests that pin a symbol's bits.
    /// - Throws: `QRCodeError.tooLong` when the bytes do not fit in `maximumVersion`.
    public init(bytes: some Collection<UInt8>, maximumVersion: Int = 40, mask: Int? = nil) throws(QRCodeError) {
        precondition((1...40).contains(maximumVersion), "QR code versions are 1 to 40")
        precondition(mask.map { (0...7).contains($0) } ?? true, "QR code masks are 0 to 7")
        guard let version = (1...maximumVersion).first(where: { Self.byteCapacity(ofVersion: $0) >= bytes.count })
        else {
            throw .tooLong(
                bytes: bytes.count, maximumVersion: maximumVersion,
                capacity: Self.byteCapacity(ofVersion: maximumVersion))
        }
        var matrix = QRMatrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.drawCodewords(Self.codewords(for: Array(bytes), version: version))
        let candidates = mask.map { [matrix.masked($0)] } ?? (0...7).map { matrix.masked($0) }
        // The first of the lowest scores, so the same bytes always give the same symbol.
        let best = candidates.map(\.penalty).enumerated().min { $0.element < $1.element }!.offset
        self.version = version
        self.mask = mask ?? best
        self.modules = candidates[best].modules
    }

    /// Encodes a text as its UTF-8 bytes, in the smallest version up to `maximumVersion` that holds them.
    public init(text: String, maximumVersion: Int = 40) throws(QRCodeError) {
        try self.init(bytes: Array(text.utf8), maximumVersion: maximumVersion)
    }

    /// Whether the module at a row and column (both counted from 0 at the top left) is dark.
    public func isDark(row: Int, column: Int) -> Bool {
        precondition((0..<size).contains(row) && (0..<size).contains(column), "outside the symbol")
        return modules[row * size + column]
    }

    /// How many bytes a version holds in byte mode at level M.
    public static func byteCapacity(ofVersion version: Int) -> Int {
        (dataCodewords(ofVersion: version) * 8 - 4 - characterCountBits(ofVersion: version)) / 8
    }

    static func size(ofVersion version: Int) -> Int { 17 + 4 * version }

    // MARK: - Codewords

    // The data codewords (mode, count, bytes, terminator, padding) split into blocks, each followed by its error
    // correction codewords, interleaved as section 7.6 lays them out.
    static func codewords(for bytes: [UInt8], version: Int) -> [UInt8] {
        interleave(dataCodewords(for: bytes, version: version), version: version)
    }

    // Byte mode indicator 0100, the count, the bytes, a terminator of up to four zero bits, zero bits to the byte's
    // end, then the pad codewords 0xEC and 0x11 in turn up to the version's data capacity (section 7.4).
    static func dataCodewords(for bytes: [UInt8], version: Int) -> [UInt8] {
        let capacity = dataCodewords(ofVersion: version)
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: characterCountBits(ofVersion: version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        bits.append(0, count: min(4, capacity * 8 - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var data = bits.bytes
        for index in 0..<(capacity - data.count) { data.append(index % 2 == 0 ? 0xEC : 0x11) }
        return data
    }

    // Data split into the version's blocks (the short ones first, each long one a codeword longer), then the first
    // codeword of every block, the second of every block, and so on, then the error correction codewords likewise.
    static func interleave(_ data: [UInt8], version: Int) -> [UInt8] {
        let blockCount = errorCorrectionBlocks[version]
        let eccPerBlock = errorCorrectionCodewordsPerBlock[version]
        let total = rawDataModules(ofVersion: version) / 8
        let shortBlocks = blockCount - total % blockCount
        let shortBlockData = total / blockCount - eccPerBlock
        var dataBlocks: [ArraySlice<UInt8>] = []
        var start = 0
        for block in 0..<blockCount {
            let length = shortBlockData + (block < shortBlocks ? 0 : 1)
            dataBlocks.append(data[start..<start + length])
            start += length
        }
        var result: [UInt8] = []
        result.reserveCapacity(total)
        for index in 0...shortBlockData {
            for block in dataBlocks where index < block.count { result.append(block[block.startIndex + index]) }
        }
        let generator = ReedSolomon(degree: eccPerBlock)
        let eccBlocks = dataBlocks.map { generator.remainder(of: $0) }
        for index in 0..<eccPerBlock {
            for block in eccBlocks { result.append(block[index]) }
        }
        return result
    }

    // Bits in the character count of byte mode: 8 up to version 9, 16 from 10 on (table 3).
    static func characterCountBits(ofVersion version: Int) -> Int { version <= 9 ? 8 : 16 }

    static func dataCodewords(ofVersion version: Int) -> Int {
        rawDataModules(ofVersion: version) / 8 - errorCorrectionBlocks[version]
            * errorCorrectionCodewordsPerBlock[version]
    }

    // Modules left for codewords (data and error correction, remainder bits included) once the function patterns
    // and format and version information are drawn.
    static func rawDataModules(ofVersion version: Int) -> Int {
        var modules = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            modules -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { modules -= 36 }
        }
        return modules
    }

    // Table 9 of ISO/IEC 18004 for level M, indexed by version (index 0 unused).
    static let errorCorrectionCodewordsPerBlock = [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ]
    static let errorCorrectionBlocks = [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29,
        31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ]
}

/// Why bytes cannot become a QR code.
public enum QRCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// More bytes than the largest allowed version holds at level M.
    case tooLong(bytes: Int, maximumVersion: Int, capacity: Int)

    public var description: String {
        switch self {
        case .tooLong(let bytes, let maximumVersion, let capacity):
            return "\(bytes) bytes do not fit in a QR code of version \(maximumVersion) or smaller, which holds "
                + "\(capacity) bytes: shorten the text"
        }
    }
}

// Bits appended most significant first, read back as bytes.
private struct BitBuffer {
    private(set) var count = 0
    private(set) var bytes: [UInt8] = []

    mutating func append(_ value: Int, count length: Int) {
        for bit in stride(from: length - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> bit) & 1 == 1 { bytes[bytes.count - 1] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}
