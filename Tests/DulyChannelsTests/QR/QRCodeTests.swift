import Testing

@testable import DulyChannels

// The symbol's fixed parts, pinned against ISO/IEC 18004 without a reader: finder, timing and alignment patterns,
// format and version information, capacities and the standard's worked Reed-Solomon example.
@Suite("The QR code encoder's symbol")
struct QRCodeTests {
    // The 15 format bits along row 8 from the left, then up column 8 (the copy beside the top left finder).
    func formatBits(_ code: QRCode) -> String {
        let cells = [0, 1, 2, 3, 4, 5, 7, 8].map { (8, $0) } + [7, 5, 4, 3, 2, 1, 0].map { ($0, 8) }
        return cells.map { code.isDark(row: $0.0, column: $0.1) ? "1" : "0" }.joined()
    }

    // The second copy: column 8 from the bottom up, then row 8 from size - 8 to the right edge.
    func secondFormatBits(_ code: QRCode) -> String {
        let size = code.size
        let cells = (0..<7).map { (size - 1 - $0, 8) } + (0..<8).map { (8, size - 8 + $0) }
        return cells.map { code.isDark(row: $0.0, column: $0.1) ? "1" : "0" }.joined()
    }

    func finderIsDrawn(_ code: QRCode, top: Int, left: Int) -> Bool {
        (0..<7).allSatisfy { row in
            (0..<7).allSatisfy { column in
                let ring = max(abs(row - 3), abs(column - 3))
                return code.isDark(row: top + row, column: left + column) == (ring != 2)
            }
        }
    }

    @Test func aShortTextIsAVersionOneSymbolOf21Modules() throws {
        let code = try QRCode(text: "Hello")
        #expect(code.version == 1)
        #expect(code.size == 21)
    }

    @Test func finderPatternsSitInThreeCornersWithLightSeparators() throws {
        let code = try QRCode(text: "Hello")
        #expect(finderIsDrawn(code, top: 0, left: 0))
        #expect(finderIsDrawn(code, top: 0, left: 14))
        #expect(finderIsDrawn(code, top: 14, left: 0))
        #expect((0..<8).allSatisfy { !code.isDark(row: 7, column: $0) && !code.isDark(row: $0, column: 7) })
        #expect((13..<21).allSatisfy { !code.isDark(row: 7, column: $0) })
    }

    @Test func timingPatternsAlternateBetweenTheFinders() throws {
        let code = try QRCode(text: "A longer text for a larger symbol")
        for index in 8..<(code.size - 8) {
            #expect(code.isDark(row: 6, column: index) == (index % 2 == 0))
            #expect(code.isDark(row: index, column: 6) == (index % 2 == 0))
        }
    }

    @Test(arguments: [
        (0, "101010000010010"), (1, "101000100100101"), (2, "101111001111100"), (3, "101101101001011"),
        (4, "100010111111001"), (5, "100000011001110"), (6, "100111110010111"), (7, "100101010100000"),
    ])
    func formatBitsAreTheStandardsForLevelMAndTheMask(mask: Int, bits: String) throws {
        let code = try QRCode(bytes: Array("Hello".utf8), mask: mask)
        #expect(code.mask == mask)
        #expect(formatBits(code) == bits)
        #expect(secondFormatBits(code) == bits)
    }

    @Test func theDarkModuleBesideTheBottomLeftFinderIsAlwaysDark() throws {
        for mask in 0...7 {
            let code = try QRCode(bytes: Array("Hello".utf8), mask: mask)
            #expect(code.isDark(row: code.size - 8, column: 8))
        }
    }

    @Test func versionSevenCarriesItsVersionBitsBesideTwoFinders() throws {
        let code = try QRCode(bytes: Array(repeating: UInt8(ascii: "a"), count: 110))
        #expect(code.version == 7)
        // Annex D: 000111110010010100 for version 7, least significant bit first in a 6×3 block.
        let bits = 0b000111110010010100
        for index in 0..<18 {
            let dark = (bits >> index) & 1 == 1
            #expect(code.isDark(row: index / 3, column: code.size - 11 + index % 3) == dark)
            #expect(code.isDark(row: code.size - 11 + index % 3, column: index / 3) == dark)
        }
    }

    @Test func alignmentPatternsSitWhereAnnexEPutsThem() throws {
        #expect(QRMatrix.alignmentCentres(ofVersion: 1) == [])
        #expect(QRMatrix.alignmentCentres(ofVersion: 2) == [6, 18])
        #expect(QRMatrix.alignmentCentres(ofVersion: 7) == [6, 22, 38])
        #expect(QRMatrix.alignmentCentres(ofVersion: 13) == [6, 34, 62])
        #expect(QRMatrix.alignmentCentres(ofVersion: 32) == [6, 34, 60, 86, 112, 138])
        let code = try QRCode(bytes: Array(repeating: UInt8(ascii: "a"), count: 110))
        for row in 20...24 {
            for column in 20...24 {
                let ring = max(abs(row - 22), abs(column - 22))
                #expect(code.isDark(row: row, column: column) == (ring != 1))
            }
        }
    }

    @Test(arguments: [(1, 14), (2, 26), (5, 84), (9, 180), (10, 213), (13, 331), (27, 1_125), (40, 2_331)])
    func byteCapacitiesAtLevelMAreTheStandards(version: Int, bytes: Int) {
        #expect(QRCode.byteCapacity(ofVersion: version) == bytes)
    }

    @Test func theSmallestVersionThatHoldsTheBytesIsChosen() throws {
        #expect(try QRCode(bytes: [UInt8](repeating: 0x41, count: 14)).version == 1)
        #expect(try QRCode(bytes: [UInt8](repeating: 0x41, count: 15)).version == 2)
        #expect(try QRCode(bytes: [UInt8](repeating: 0x41, count: 331)).version == 13)
    }

    @Test func bytesBeyondTheLargestAllowedVersionAreRefused() {
        #expect(throws: QRCodeError.tooLong(bytes: 332, maximumVersion: 13, capacity: 331)) {
            try QRCode(bytes: [UInt8](repeating: 0x41, count: 332), maximumVersion: 13)
        }
        #expect(
            String(describing: QRCodeError.tooLong(bytes: 332, maximumVersion: 13, capacity: 331))
                == "332 bytes do not fit in a QR code of version 13 or smaller, which holds 331 bytes: shorten the text"
        )
    }

    @Test func reedSolomonGivesTheStandardsWorkedExample() {
        // ISO/IEC 18004 annex I: "01234567" as 1-M, its 16 data codewords and 10 error correction codewords.
        let data: [UInt8] = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
        ]
        #expect(
            ReedSolomon(degree: 10).remainder(of: data) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test func dataIsFollowedByATerminatorAndAlternatingPadCodewords() {
        let codewords = QRCode.codewords(for: Array("Hello".utf8), version: 1)
        // Mode 0100, count 00000101, the five bytes, terminator 0000; then EC 11 … to the 16 data codewords.
        #expect(
            Array(codewords.prefix(16)) == [
                0x40, 0x54, 0x86, 0x56, 0xC6, 0xC6, 0xF0, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC,
            ])
        #expect(codewords.count == 26)
    }

    @Test func twoEqualBlocksAreInterleavedCodewordByCodeword() {
        // Version 5-M: two blocks of 43 data codewords and 24 error correction codewords each (table 9).
        let data = QRCode.dataCodewords(for: (0..<84).map { UInt8($0) }, version: 5)
        let codewords = QRCode.interleave(data, version: 5)
        #expect(data.count == 86)
        #expect(codewords.count == 134)
        #expect(Array(codewords.prefix(4)) == [data[0], data[43], data[1], data[44]])
        let firstBlockECC = ReedSolomon(degree: 24).remainder(of: data[0..<43])
        let secondBlockECC = ReedSolomon(degree: 24).remainder(of: data[43..<86])
        #expect(
            Array(codewords[86..<90]) == [firstBlockECC[0], secondBlockECC[0], firstBlockECC[1], secondBlockECC[1]])
    }

    @Test func theLongerBlocksLastCodewordComesAfterEveryOtherDataCodeword() {
        // Version 13-M: eight blocks of 37 data codewords, then one of 38 (table 9).
        let data = QRCode.dataCodewords(for: (0..<255).map { UInt8($0) } + (0..<76).map { UInt8($0) }, version: 13)
        let codewords = QRCode.interleave(data, version: 13)
        #expect(data.count == 334)
        #expect(codewords.count == 532)
        #expect(Array(codewords.prefix(9)) == stride(from: 0, through: 296, by: 37).map { data[$0] })
        #expect(codewords[333] == data[333])
    }

    @Test func theBestScoringMaskIsChosenAndTheSameBytesGiveTheSameSymbol() throws {
        let bytes = Array("BCD\n002\n1\nSCT\n\nNorthwind\nNL91ABNA0417164300\nEUR1".utf8)
        let chosen = try QRCode(bytes: bytes)
        let penalties = (0...7).map { mask in
            var matrix = QRMatrix(version: chosen.version)
            matrix.drawFunctionPatterns()
            matrix.drawCodewords(QRCode.codewords(for: bytes, version: chosen.version))
            return matrix.masked(mask).penalty
        }
        #expect(penalties[chosen.mask] == penalties.min())
        #expect(try QRCode(bytes: bytes) == chosen)
    }
}
