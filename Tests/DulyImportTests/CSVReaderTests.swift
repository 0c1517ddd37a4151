import DulyImport
import Testing

@Suite struct CSVReaderTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// What reading a file gave: the header, each row with its line, and each error, in order.
    struct Outcome: Equatable {
        var header: [String] = []
        var rows: [[String]] = []
        var lines: [Int] = []
        var errors: [String] = []
    }

    func read(
        _ bytes: [UInt8], separator: UInt8 = UInt8(ascii: ","), chunkSize: Int = CSVReader.defaultChunkSize
    ) throws -> Outcome {
        let path = try directory.write("input.csv", bytes: bytes)
        let reader = try CSVReader(path: path, separator: separator, chunkSize: chunkSize)
        var outcome = Outcome(header: reader.header)
        while true {
            do {
                guard let row = try reader.next() else { break }
                outcome.rows.append(row.fields)
                outcome.lines.append(row.line)
            } catch {
                outcome.errors.append("\(error.line):\(error.column) \(error.reason)")
                if !error.isRowLevel { break }
            }
        }
        return outcome
    }

    func read(_ text: String, chunkSize: Int = CSVReader.defaultChunkSize) throws -> Outcome {
        try read(Array(text.utf8), chunkSize: chunkSize)
    }

    @Test func plainRowsComeWithTheirLines() throws {
        let outcome = try read("a,b,c\n1,2,3\n4,5,6\n")
        #expect(
            outcome == Outcome(header: ["a", "b", "c"], rows: [["1", "2", "3"], ["4", "5", "6"]], lines: [2, 3]))
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let outcome = try read([0xEF, 0xBB, 0xBF] + Array("id,name\n1,Zürich\n".utf8))
        #expect(outcome.header == ["id", "name"])
        #expect(outcome.rows == [["1", "Zürich"]])
    }

    @Test func crlfLineEndsAreOneLineBreak() throws {
        let outcome = try read("a,b\r\n1,2\r\n\"x\",\"y\"\r\n3,4")
        #expect(outcome.rows == [["1", "2"], ["x", "y"], ["3", "4"]])
        #expect(outcome.lines == [2, 3, 4])
    }

    @Test func quotedFieldsKeepSeparatorsAndDoubledQuotes() throws {
        let outcome = try read("a,b,c\n\"Smith, Jones\",\"he said \"\"pay\"\"\",\"\"\n")
        #expect(outcome.rows == [["Smith, Jones", "he said \"pay\"", ""]])
    }

    @Test func embeddedLineBreaksCountForLaterLines() throws {
        let path = try directory.write("notes.csv", "id,note,n\n1,\"first\nsecond\r\nthird\",x\n2,plain,y\n")
        let reader = try CSVReader(path: path)
        let first = try #require(try reader.next())
        #expect(first.fields == ["1", "first\nsecond\r\nthird", "x"])
        #expect(first.line == 2)
        #expect(first.line(ofField: 2) == 4)
        let second = try #require(try reader.next())
        #expect(second.line == 5)
        #expect(try reader.next() == nil)
    }

    @Test func emptyFieldsAndAMissingFinalLineBreak() throws {
        let outcome = try read("a,b,c\n,,\n1,,3")
        #expect(outcome.rows == [["", "", ""], ["1", "", "3"]])
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let outcome = try read("a,b\n\n1,2\r\n\r\n3,4\n\n")
        #expect(outcome.rows == [["1", "2"], ["3", "4"]])
        #expect(outcome.lines == [3, 5])
    }

    @Test func separatorIsAParameter() throws {
        let outcome = try read(Array("a;b\n\"1;5\";2,5\n".utf8), separator: UInt8(ascii: ";"))
        #expect(outcome.rows == [["1;5", "2,5"]])
    }

    @Test func unterminatedQuoteNamesItsOpeningLineAndEndsTheFile() throws {
        let outcome = try read("a,b\n1,2\n3,\"open\n4,5\n")
        #expect(outcome.rows == [["1", "2"]])
        #expect(outcome.errors == ["3:2 unterminatedQuote"])
    }

    @Test func strayQuoteSpoilsOnlyItsRow() throws {
        let outcome = try read("a,b\n1,x\"y\n2,3\n")
        #expect(outcome.errors == ["2:2 strayQuote"])
        #expect(outcome.rows == [["2", "3"]])
        #expect(outcome.lines == [3])
    }

    @Test func textAfterAClosingQuoteIsAnError() throws {
        let outcome = try read("a,b\n\"x\"y,1\n2,3\n")
        #expect(outcome.errors == ["2:1 textAfterClosingQuote"])
        #expect(outcome.rows == [["2", "3"]])
    }

    @Test func rowsWithTooManyOrTooFewFieldsAreErrors() throws {
        let outcome = try read("a,b,c\n1,2,3,4\n5\n6,7,8\n")
        #expect(
            outcome.errors == [
                "2:4 wrongFieldCount(expected: 3, found: 4)", "3:2 wrongFieldCount(expected: 3, found: 1)",
            ])
        #expect(outcome.rows == [["6", "7", "8"]])
    }

    @Test func invalidUTF8IsReportedAtItsField() throws {
        let outcome = try read(Array("a,b\n1,2\n3,".utf8) + [0xC3, 0x28] + Array("\n4,5\n".utf8))
        #expect(outcome.errors == ["3:2 invalidUTF8"])
        #expect(outcome.rows == [["1", "2"], ["4", "5"]])
    }

    @Test func emptyFileHasNoHeader() throws {
        let path = try directory.write("empty.csv", "")
        #expect(throws: CSVError(file: path, line: 1, column: 1, reason: .missingHeader)) { try CSVReader(path: path) }
    }

    @Test func fileThatCannotBeOpenedIsNamed() throws {
        let path = directory.path + "/missing.csv"
        let error = try #require(throws: CSVError.self) { try CSVReader(path: path) }
        #expect(error.description == "\(path): cannot open: No such file or directory")
    }

    @Test func errorsNameFileLineAndColumn() throws {
        let path = try directory.write("bad.csv", "a,b\n1,\"2\n")
        let reader = try CSVReader(path: path)
        let error = try #require(throws: CSVError.self) { try reader.next() }
        #expect(error.description.hasPrefix("\(path):2:2: "))
    }

    // Every chunk boundary must fall somewhere tricky at least once: inside a BOM-free CRLF, a doubled quote, an
    // embedded line break, a multi-byte character.
    @Test(arguments: [1, 2, 3, 4, 5, 7, 16, 1 << 20])
    func chunkBoundariesDoNotChangeTheResult(chunkSize: Int) throws {
        let text = "id,text,amount\r\n1,\"a \"\"b\"\"\r\nc\",12.50\r\n2,Zürich €,\"\"\r\n\r\n3,\"x,y\",7"
        let outcome = try read(text, chunkSize: chunkSize)
        #expect(outcome.header == ["id", "text", "amount"])
        #expect(outcome.rows == [["1", "a \"b\"\r\nc", "12.50"], ["2", "Zürich €", ""], ["3", "x,y", "7"]])
        #expect(outcome.lines == [2, 4, 6])
        #expect(outcome.errors.isEmpty)
    }
}
