#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One row of a CSV file: its fields as validated UTF-8, and the line each one starts on.
///
/// Columns are 1-based field indexes (the third field is column 3), the way spreadsheets number them; subscripts
/// take 0-based indexes like every Swift collection.
public struct CSVRow: Sendable {
    /// The line the row starts on (1-based).
    public let line: Int
    fileprivate var bytes: [UInt8]
    // ends[i] is one past the last byte of field i in `bytes`; field i starts where field i - 1 ends.
    fileprivate var ends: [Int]
    fileprivate var lines: [Int]

    /// The number of fields.
    public var count: Int { ends.count }

    /// The field at a 0-based index, unquoted and unescaped.
    public subscript(index: Int) -> String {
        withUTF8(field: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Every field, in order.
    public var fields: [String] { (0..<count).map { self[$0] } }

    /// The line the field at a 0-based index starts on (later than `line` after a field with a line break).
    public func line(ofField index: Int) -> Int { lines[index] }

    /// Calls `body` with the field's bytes, already checked to be valid UTF-8, without copying them.
    public func withUTF8<Result, Failure: Error>(
        field index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let start = index == 0 ? 0 : ends[index - 1]
        let end = ends[index]
        let result: Swift.Result<Result, Failure> = bytes.withUnsafeBufferPointer { buffer in
            do throws(Failure) {
                return .success(try body(UnsafeBufferPointer(rebasing: buffer[start..<end])))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// A streaming RFC 4180 reader: header row, quoted fields with `""` escapes and line breaks, LF or CRLF.
///
/// It reads the input in fixed-size chunks (1 MiB by default), so a file of any size is never in memory whole, and
/// scans bytes, not `Character`s. A UTF-8 byte order mark at the start is skipped. Blank lines between rows are
/// skipped. Every row must have as many fields as the header.
///
/// After an error whose `isRowLevel` is true, the reader has consumed that row and `next()` goes on with the next
/// one, so a caller can collect every bad row of a file; after any other error `next()` returns nil.
public final class CSVReader {
    /// The chunk size used unless one is given: large enough that system calls cost nothing, small enough to ignore.
    public static let defaultChunkSize = 1 << 20

    /// The file name errors carry.
    public var fileName: String { scanner.fileName }
    /// The header row's fields.
    public let header: [String]
    /// The line the header is on (1, unless blank lines come first).
    public let headerLine: Int

    private var scanner: CSVScanner

    /// Opens a file and reads its header row.
    /// - Parameters:
    ///   - path: The file to read; errors name it as given.
    ///   - separator: The field separator, an ASCII byte other than `"`, CR and LF (`,` or `;`).
    ///   - chunkSize: How many bytes to read at a time.
    public convenience init(
        path: String, separator: UInt8 = UInt8(ascii: ","), chunkSize: Int = CSVReader.defaultChunkSize
    ) throws(CSVError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw CSVError(file: path, line: 0, column: 0, reason: .cannotOpen(CSVScanner.systemError()))
        }
        try self.init(source: .file(descriptor), fileName: path, separator: separator, chunkSize: chunkSize)
    }

    /// Opens a file that errors name differently (a converted copy of the user's file, named as the user knows it).
    public convenience init(
        path: String, fileName: String, separator: UInt8 = UInt8(ascii: ","),
        chunkSize: Int = CSVReader.defaultChunkSize
    ) throws(CSVError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw CSVError(file: fileName, line: 0, column: 0, reason: .cannotOpen(CSVScanner.systemError()))
        }
        try self.init(source: .file(descriptor), fileName: fileName, separator: separator, chunkSize: chunkSize)
    }

    /// Reads CSV held in memory (tests, uploads); `fileName` is what errors name.
    public convenience init(
        bytes: [UInt8], fileName: String, separator: UInt8 = UInt8(ascii: ","),
        chunkSize: Int = CSVReader.defaultChunkSize
    ) throws(CSVError) {
        try self.init(source: .bytes(bytes, offset: 0), fileName: fileName, separator: separator, chunkSize: chunkSize)
    }

    private init(source: CSVScanner.Source, fileName: String, separator: UInt8, chunkSize: Int) throws(CSVError) {
        precondition(separator < 0x80 && separator != UInt8(ascii: "\"") && separator != 10 && separator != 13)
        var scanner = CSVScanner(source: source, fileName: fileName, separator: separator, chunkSize: chunkSize)
        do throws(CSVError) {
            guard let header = try scanner.next() else {
                throw CSVError(file: fileName, line: 1, column: 1, reason: .missingHeader)
            }
            self.header = header.fields
            self.headerLine = header.line
            scanner.expectedFields = header.count
        } catch {
            scanner.close()
            throw error
        }
        self.scanner = scanner
    }

    deinit { scanner.close() }

    /// The next row, or nil at the end of the input.
    ///
    /// Throws `CSVError` for a malformed row (see `CSVError.isRowLevel` for when reading can go on) and when the
    /// file cannot be read.
    public func next() throws(CSVError) -> CSVRow? {
        try scanner.next()
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(descriptor)
    #elseif canImport(Musl)
        _ = Musl.close(descriptor)
    #elseif canImport(Darwin)
        _ = Darwin.close(descriptor)
    #endif
}

// The state machine. A struct, so the hot loop works on local state rather than on a class's properties (which would
// pay for a dynamic exclusivity check on every access).
private struct CSVScanner {
    enum Source {
        case file(Int32)
        case bytes([UInt8], offset: Int)
        case closed
    }

    enum State {
        case fieldStart
        case unquoted
        case quoted
        // Just read a `"` inside a quoted field: either half of a `""` escape or the closing quote.
        case quoteInQuoted
    }

    let fileName: String
    let separator: UInt8
    var source: Source
    let buffer: UnsafeMutablePointer<UInt8>
    let capacity: Int
    var position = 0
    var available = 0
    var sourceExhausted = false
    var finished = false
    var startOfInput = true
    var expectedFields: Int?

    // Where the scan is.
    var state = State.fieldStart
    var line = 1
    var skipLineFeed = false
    var previousWasCR = false

    // The row being built.
    var bytes: [UInt8] = []
    var ends: [Int] = []
    var lines: [Int] = []
    var rowLine = 1
    var fieldLine = 1
    var quoteLine = 1
    var highBits: UInt8 = 0
    var rowError: CSVError?

    init(source: Source, fileName: String, separator: UInt8, chunkSize: Int) {
        precondition(chunkSize > 0)
        self.source = source
        self.fileName = fileName
        self.separator = separator
        self.capacity = chunkSize
        self.buffer = .allocate(capacity: chunkSize)
        bytes.reserveCapacity(256)
        ends.reserveCapacity(16)
        lines.reserveCapacity(16)
    }

    mutating func close() {
        switch source {
        case .closed: return
        case .file(let descriptor): closeDescriptor(descriptor)
        case .bytes: break
        }
        source = .closed
        buffer.deallocate()
    }

    static func systemError() -> String { String(cString: strerror(errno)) }

    mutating func next() throws(CSVError) -> CSVRow? {
        guard !finished else { return nil }
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        rowLine = line
        fieldLine = line
        highBits = 0
        rowError = nil
        state = .fieldStart
        while true {
            if position == available {
                if sourceExhausted { return try endOfInput() }
                try refill()
                continue
            }
            if scan() { return try completeRow() }
        }
    }

    private mutating func refill() throws(CSVError) {
        position = 0
        available = 0
        switch source {
        case .file(let descriptor):
            while true {
                let count = read(descriptor, buffer, capacity)
                if count >= 0 {
                    available = count
                    break
                }
                if errno == EINTR { continue }
                finished = true
                throw CSVError(file: fileName, line: 0, column: 0, reason: .readFailed(CSVScanner.systemError()))
            }
        case .bytes(let all, let offset):
            let count = min(capacity, all.count - offset)
            if count > 0 {
                all.withUnsafeBufferPointer { source in buffer.update(from: source.baseAddress! + offset, count: count)
                }
            }
            available = count
            source = .bytes(all, offset: offset + count)
        case .closed:
            break
        }
        if available == 0 { sourceExhausted = true }
        if startOfInput {
            startOfInput = false
            if available >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3 }
        }
    }

    // Scans the buffer from `position`; returns true when a row ended (with `position` just past its line break).
    private mutating func scan() -> Bool {
        let quote = UInt8(ascii: "\"")
        let lineFeed: UInt8 = 10
        let carriageReturn: UInt8 = 13
        let separator = self.separator
        let base = buffer
        let end = available
        var index = position
        defer { position = index }
        while index < end {
            if skipLineFeed {
                skipLineFeed = false
                if base[index] == lineFeed {
                    index += 1
                    continue
                }
            }
            switch state {
            case .fieldStart:
                let byte = base[index]
                if byte == quote {
                    state = .quoted
                    quoteLine = line
                    previousWasCR = false
                    index += 1
                } else if ends.isEmpty && (byte == lineFeed || byte == carriageReturn) {
                    // A blank line between rows.
                    index += 1
                    line += 1
                    skipLineFeed = byte == carriageReturn
                    rowLine = line
                    fieldLine = line
                } else {
                    state = .unquoted
                }
            case .unquoted:
                let start = index
                var high: UInt8 = 0
                while index < end {
                    let byte = base[index]
                    if byte == separator || byte == quote || byte == lineFeed || byte == carriageReturn { break }
                    high |= byte
                    index += 1
                }
                highBits |= high
                if index > start {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: index - start))
                }
                guard index < end else { return false }
                let byte = base[index]
                index += 1
                if byte == separator {
                    endField()
                    state = .fieldStart
                } else if byte == quote {
                    note(.strayQuote, line: line)
                    bytes.append(quote)
                } else {
                    endField()
                    endLine(carriageReturn: byte == carriageReturn)
                    return true
                }
            case .quoted:
                let start = index
                var high: UInt8 = 0
                while index < end {
                    let byte = base[index]
                    if byte == quote || byte == lineFeed || byte == carriageReturn { break }
                    high |= byte
                    index += 1
                }
                highBits |= high
                if index > start {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: index - start))
                    previousWasCR = false
                }
                guard index < end else { return false }
                let byte = base[index]
                index += 1
                if byte == quote {
                    state = .quoteInQuoted
                    previousWasCR = false
                } else {
                    // A line break inside the field: part of the value, and a new line for every later location.
                    bytes.append(byte)
                    if byte == carriageReturn || !previousWasCR { line += 1 }
                    previousWasCR = byte == carriageReturn
                }
            case .quoteInQuoted:
                let byte = base[index]
                if byte == quote {
                    bytes.append(quote)
                    state = .quoted
                    index += 1
                } else if byte == separator {
                    endField()
                    state = .fieldStart
                    index += 1
                } else if byte == lineFeed || byte == carriageReturn {
                    index += 1
                    endField()
                    endLine(carriageReturn: byte == carriageReturn)
                    return true
                } else {
                    // Keep the text and go on as if unquoted, so the rest of the row is still read as a row.
                    note(.textAfterClosingQuote, line: line)
                    state = .unquoted
                }
            }
        }
        return false
    }

    private mutating func endField() {
        ends.append(bytes.count)
        lines.append(fieldLine)
        fieldLine = line
    }

    private mutating func endLine(carriageReturn: Bool) {
        line += 1
        skipLineFeed = carriageReturn
        state = .fieldStart
    }

    private mutating func note(_ reason: CSVError.Reason, line: Int) {
        if rowError == nil { rowError = CSVError(file: fileName, line: line, column: ends.count + 1, reason: reason) }
    }

    private mutating func endOfInput() throws(CSVError) -> CSVRow? {
        switch state {
        case .quoted:
            finished = true
            throw CSVError(file: fileName, line: quoteLine, column: ends.count + 1, reason: .unterminatedQuote)
        case .fieldStart where ends.isEmpty:
            finished = true
            return nil
        case .fieldStart, .unquoted, .quoteInQuoted:
            // The last row has no line break after it.
            endField()
            state = .fieldStart
            return try completeRow()
        }
    }

    private func completeRow() throws(CSVError) -> CSVRow {
        if let rowError { throw rowError }
        let row = CSVRow(line: rowLine, bytes: bytes, ends: ends, lines: lines)
        if highBits >= 0x80 {
            for index in 0..<ends.count {
                let valid = row.withUTF8(field: index) { String(validating: $0, as: UTF8.self) != nil }
                guard valid else {
                    throw CSVError(file: fileName, line: lines[index], column: index + 1, reason: .invalidUTF8)
                }
            }
        }
        if let expected = expectedFields, ends.count != expected {
            // Too many: point at the first extra field. Too few: at the first missing one, after the last field.
            let tooMany = ends.count > expected
            throw CSVError(
                file: fileName, line: tooMany ? lines[expected] : lines[ends.count - 1],
                column: tooMany ? expected + 1 : ends.count + 1,
                reason: .wrongFieldCount(expected: expected, found: ends.count))
        }
        return row
    }
}

extension CSVRow {
    /// A row built from values already read (a mapped import's fields, converted to Duly's format), each with the
    /// line its source field starts on.
    init(line: Int, fields: [[UInt8]], lines: [Int]) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for field in fields {
            bytes += field
            ends.append(bytes.count)
        }
        self.init(line: line, bytes: bytes, ends: ends, lines: lines)
    }
}
