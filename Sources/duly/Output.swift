import DulyCore
import Foundation

/// JSON for scripts: compact, keys sorted, one object per line for lists.
enum JSONOutput {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Prints one value as one line of JSON.
    static func printLine(_ value: some Encodable) throws {
        let data = try encoder.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }
}

/// A plain text table with aligned columns, for people.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    /// Columns aligned to the right (amounts, counts).
    var rightAligned: Set<Int> = []

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return rightAligned.contains(index) ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(headers), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line))
            .joined(separator: "\n")
    }
}

/// A progress line on standard error, drawn only when it is a terminal and at most a few times a second.
final class Progress {
    private let label: String
    private let enabled: Bool
    private var lastDrawn = Date.distantPast

    init(label: String) {
        self.label = label
        self.enabled = standardErrorIsTerminal
    }

    func update(_ done: Int, of total: Int? = nil, unit: String) {
        guard enabled, Date().timeIntervalSince(lastDrawn) > 0.1 else { return }
        lastDrawn = Date()
        if let total, total > 0 {
            let width = 30
            let filled = min(width, done * width / total)
            let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            writeStandardError("\r\(label) [\(bar)] \(done * 100 / total)% \(done)/\(total) \(unit)")
        } else {
            writeStandardError("\r\(label) \(done) \(unit)…")
        }
    }

    func finish() {
        guard enabled else { return }
        writeStandardError("\r\u{1B}[2K")
    }
}

extension InvoiceState {
    /// How a person reads the state.
    var label: String { rawValue.split(separator: "_").joined(separator: " ") }
}
