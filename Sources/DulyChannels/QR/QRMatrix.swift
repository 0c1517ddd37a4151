// The symbol while it is drawn: its modules and which of them belong to function patterns (finders, separators,
// timing, alignment, format and version information), which neither data nor masks may touch.
struct QRMatrix {
    let version: Int
    let size: Int
    // Row-major, x the column and y the row, as in ISO/IEC 18004's figures.
    private(set) var modules: [Bool]
    private var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        size = QRCode.size(ofVersion: version)
        modules = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
    }

    subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    // MARK: - Function patterns

    mutating func drawFunctionPatterns() {
        for index in 0..<size {
            setFunction(x: 6, y: index, dark: index % 2 == 0)
            setFunction(x: index, y: 6, dark: index % 2 == 0)
        }
        drawFinder(x: 3, y: 3)
        drawFinder(x: size - 4, y: 3)
        drawFinder(x: 3, y: size - 4)
        let centres = Self.alignmentCentres(ofVersion: version)
        for (i, x) in centres.enumerated() {
            for (j, y) in centres.enumerated() {
                // The three corners with finder patterns have no alignment pattern.
                let last = centres.count - 1
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                drawAlignment(x: x, y: y)
            }
        }
        // Reserve the format areas now (mask 0 is a placeholder) so codewords flow around them.
        drawFormatBits(mask: 0)
        drawVersionBits()
    }

    // A 7×7 finder with its light separator, clipped at the symbol's edge.
    private mutating func drawFinder(x: Int, y: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let (column, row) = (x + dx, y + dy)
                guard (0..<size).contains(column), (0..<size).contains(row) else { continue }
                let ring = max(abs(dx), abs(dy))
                setFunction(x: column, y: row, dark: ring != 2 && ring != 4)
            }
        }
    }

    private mutating func drawAlignment(x: Int, y: Int) {
        for dy in -2...2 {
            for dx in -2...2 { setFunction(x: x + dx, y: y + dy, dark: max(abs(dx), abs(dy)) != 1) }
        }
    }

    // The 15 format bits (level M's indicator 00 and the mask, BCH-protected, XOR 101010000010010), twice.
    mutating func drawFormatBits(mask: Int) {
        let bits = Self.formatBits(mask: mask)
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
        // Around the top left finder.
        for index in 0...5 { setFunction(x: 8, y: index, dark: bit(index)) }
        setFunction(x: 8, y: 7, dark: bit(6))
        setFunction(x: 8, y: 8, dark: bit(7))
        setFunction(x: 7, y: 8, dark: bit(8))
        for index in 9..<15 { setFunction(x: 14 - index, y: 8, dark: bit(index)) }
        // Split between the other two finders.
        for index in 0..<8 { setFunction(x: size - 1 - index, y: 8, dark: bit(index)) }
        for index in 8..<15 { setFunction(x: 8, y: size - 15 + index, dark: bit(index)) }
        // The dark module that is always there.
        setFunction(x: 8, y: size - 8, dark: true)
    }

    /// The 15 format information bits of level M with a mask, most significant first (annex C).
    static func formatBits(mask: Int) -> Int {
        let data = mask  // level M's two bits are 00
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return ((data << 10) | remainder) ^ 0x5412
    }

    // From version 7 on: 6 version bits and 12 BCH bits, in two 6×3 blocks beside the top right and bottom left
    // finders (annex D).
    private mutating func drawVersionBits() {
        guard version >= 7 else { return }
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        let bits = version << 12 | remainder
        for index in 0..<18 {
            let dark = (bits >> index) & 1 == 1
            let (a, b) = (size - 11 + index % 3, index / 3)
            setFunction(x: a, y: b, dark: dark)
            setFunction(x: b, y: a, dark: dark)
        }
    }

    /// The centres' coordinates of alignment patterns in a version (annex E), the same on both axes.
    static func alignmentCentres(ofVersion version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        // Evenly spaced from the far edge inwards, with an even step; the first is always 6.
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        let last = QRCode.size(ofVersion: version) - 7
        return [6] + (0..<count - 1).reversed().map { last - $0 * step }
    }

    private mutating func setFunction(x: Int, y: Int, dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    // MARK: - Data

    // Codewords go in two-module-wide columns from the bottom right, zig-zagging up and down, skipping the vertical
    // timing pattern and every function module (section 7.7.3); remainder bits stay light.
    mutating func drawCodewords(_ codewords: [UInt8]) {
        var bitIndex = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !isFunction[y * size + x] && bitIndex < codewords.count * 8 {
                    modules[y * size + x] = (codewords[bitIndex >> 3] >> UInt8(7 - (bitIndex & 7))) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
    }

    /// A copy with a data mask applied to every non-function module and the format bits naming it.
    func masked(_ mask: Int) -> QRMatrix {
        var copy = self
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.maskInverts(mask, x: x, y: y) {
                copy.modules[y * size + x].toggle()
            }
        }
        copy.drawFormatBits(mask: mask)
        return copy
    }

    // Table 10 of ISO/IEC 18004, with i the row and j the column.
    static func maskInverts(_ mask: Int, x j: Int, y i: Int) -> Bool {
        switch mask {
        case 0: return (i + j) % 2 == 0
        case 1: return i % 2 == 0
        case 2: return j % 3 == 0
        case 3: return (i + j) % 3 == 0
        case 4: return (i / 2 + j / 3) % 2 == 0
        case 5: return (i * j) % 2 + (i * j) % 3 == 0
        case 6: return ((i * j) % 2 + (i * j) % 3) % 2 == 0
        default: return ((i + j) % 2 + (i * j) % 3) % 2 == 0
        }
    }
}
