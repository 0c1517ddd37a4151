/// Why a CSV file could not be read, and where: the file, the 1-based line and the 1-based field index.
public struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Hashable, Sendable {
        /// The file could not be opened; carries the system's reason.
        case cannotOpen(String)
        /// Reading failed part-way; carries the system's reason.
        case readFailed(String)
        /// The file is empty: not even a header row.
        case missingHeader
        /// A quoted field runs to the end of the file; the location is its opening quote.
        case unterminatedQuote
        /// A `"` inside a field that does not start with one.
        case strayQuote
        /// Something other than a separator or a line break after a field's closing quote.
        case textAfterClosingQuote
        /// The field's bytes are not valid UTF-8.
        case invalidUTF8
        /// A row has more or fewer fields than the header.
        case wrongFieldCount(expected: Int, found: Int)
    }

    /// The file name as given to the reader.
    public var file: String
    /// 1-based line; 0 when the error concerns the whole file (it cannot be opened or read).
    public var line: Int
    /// 1-based field index within the row; 0 when the error concerns the whole file.
    public var column: Int
    /// What went wrong.
    public var reason: Reason

    /// Creates an error at a location.
    public init(file: String, line: Int, column: Int, reason: Reason) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// Whether the reader can go on with the next row after this error.
    public var isRowLevel: Bool {
        switch reason {
        case .strayQuote, .textAfterClosingQuote, .invalidUTF8, .wrongFieldCount: return true
        case .cannotOpen, .readFailed, .missingHeader, .unterminatedQuote: return false
        }
    }

    /// The error without its location.
    public var message: String {
        switch reason {
        case .cannotOpen(let why): return "cannot open: \(why)"
        case .readFailed(let why): return "cannot read: \(why)"
        case .missingHeader: return "the file is empty; expected a header row"
        case .unterminatedQuote: return "this quoted field is never closed (a '\"' is missing)"
        case .strayQuote:
            return "a '\"' inside an unquoted field; quote the whole field and double the quote (\"a \"\"b\"\" c\")"
        case .textAfterClosingQuote:
            return "text after the closing '\"' of a quoted field; double a quote inside a quoted field (\"\")"
        case .invalidUTF8: return "not valid UTF-8; save the file as UTF-8"
        case .wrongFieldCount(let expected, let found):
            return "the row has \(found) field\(found == 1 ? "" : "s"), the header \(expected)"
        }
    }

    /// `file:line:column: message`, or `file: message` when the error concerns the whole file.
    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}
