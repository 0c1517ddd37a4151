/// One thing wrong with an imported file, located so the user can go straight to it.
public struct ImportIssue: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file, as the user named it.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column: the field index in a CSV row, the character position in YAML.
    public var column: Int
    /// The CSV column or YAML key at fault (`issue_date`, `offset_days`), when there is one.
    public var field: String?
    /// What is wrong and, where it helps, what would be right.
    public var message: String

    /// Creates an issue at a location.
    public init(file: String, line: Int, column: Int, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `file:line:column: field: message` (without `field: ` when there is none), the form compilers use.
    public var description: String {
        "\(file):\(line):\(column): " + (field.map { "\($0): " } ?? "") + message
    }
}
