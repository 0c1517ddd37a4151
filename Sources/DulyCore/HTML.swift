/// HTML text: the one escaper for everything Duly writes as HTML (letters, evidence indexes, the web screens), so
/// that a customer's name or a note is shown as written and never read as markup.
public enum HTML {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by their character references: safe between tags and inside
    /// a quoted attribute value.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
