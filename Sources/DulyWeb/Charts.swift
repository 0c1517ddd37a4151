import DulyCore
import Foundation

/// Charts drawn on the server as inline SVG: no script and no chart library in the browser. Each names itself in a
/// `<title>` the SVG is labelled by, scales to the width of its container (a `viewBox`, no fixed size) so that it
/// reads on a phone, and takes its figures as the reports print them: a datum's `value` only places a mark, its
/// `text` is what is read. Every text is escaped here, so a page includes the SVG as it is.
enum Chart {
    /// One mark: what it is about, where it goes, and the figure as printed.
    struct Datum: Equatable {
        var label: String
        /// Where the mark goes; nil where there is no figure (a gap in a line).
        var value: Double?
        var text: String
    }

    /// Places values from zero to the largest one onto a length: a value of `maximum` reaches `length`. Negative
    /// values stay at zero and larger ones at the end; when nothing is above zero, everything sits at zero.
    struct Scale: Equatable {
        var maximum: Double
        var length: Double

        init(maximum: Double, length: Double) {
            self.maximum = maximum > 0 ? maximum : 1
            self.length = length
        }

        func callAsFunction(_ value: Double) -> Double { min(length, max(0, value / maximum * length)) }
    }

    // Narrow, so that on a phone the text stays near the size of the page's own; on a wider screen it grows with
    // the chart up to the stylesheet's limit.
    static let width = 400.0
    static let figureWidth = 170.0
    static let rowHeight = 44.0

    /// Horizontal bars, one row per datum: its label above the bar, and its figure after the bar.
    static func bars(_ data: [Datum], title: String, id: String) -> String {
        let scale = Scale(maximum: data.compactMap(\.value).max() ?? 0, length: width - figureWidth)
        let height = max(rowHeight, rowHeight * Double(data.count))
        var marks = ""
        for (row, datum) in data.enumerated() {
            let top = rowHeight * Double(row)
            let length = scale(datum.value ?? 0)
            marks += text(datum.label, x: 0, y: top + 16, className: "label")
            marks +=
                "<rect class=\"bar\" x=\"0\" y=\"\(number(top + 22))\" width=\"\(number(length))\" height=\"16\"/>"
            marks += text(datum.text, x: length + 6, y: top + 35, className: "figure")
        }
        return frame(title: title, id: id, height: height, marks)
    }

    /// A line through the data from left to right, with a dot and the figure at each point and the label under it;
    /// a datum without a value breaks the line there.
    static func line(_ data: [Datum], title: String, id: String) -> String {
        let (left, right, top, bottom) = (30.0, width - 30, 24.0, 170.0)
        let scale = Scale(maximum: data.compactMap(\.value).max() ?? 0, length: bottom - top)
        let step = data.count > 1 ? (right - left) / Double(data.count - 1) : 0
        func x(_ index: Int) -> Double { data.count > 1 ? left + step * Double(index) : (left + right) / 2 }
        var path = ""
        var pen = false
        var marks =
            "<line class=\"axis\" x1=\"\(number(left))\" y1=\"\(number(bottom))\" x2=\"\(number(right))\" "
            + "y2=\"\(number(bottom))\"/>"
        for (index, datum) in data.enumerated() {
            marks += text(datum.label, x: x(index), y: bottom + 20, className: "label", anchor: "middle")
            guard let value = datum.value else {
                pen = false
                continue
            }
            let y = bottom - scale(value)
            path += (pen ? "L" : "M") + "\(number(x(index))) \(number(y)) "
            pen = true
            marks += "<circle class=\"dot\" cx=\"\(number(x(index)))\" cy=\"\(number(y))\" r=\"4\"/>"
            marks += text(datum.text, x: x(index), y: y - 9, className: "figure", anchor: "middle")
        }
        let line =
            path.isEmpty ? "" : "<path class=\"line\" d=\"\(path.trimmingCharacters(in: .whitespaces))\"/>"
        return frame(title: title, id: id, height: bottom + 30, line + marks)
    }

    // The SVG around the marks, labelled by its title.
    private static func frame(title: String, id: String, height: Double, _ marks: String) -> String {
        let id = HTML.escape(id)
        return "<svg class=\"chart\" viewBox=\"0 0 \(number(width)) \(number(height))\" role=\"img\" "
            + "aria-labelledby=\"\(id)-title\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<title id=\"\(id)-title\">\(HTML.escape(title))</title>\(marks)</svg>"
    }

    private static func text(
        _ content: String, x: Double, y: Double, className: String, anchor: String = "start"
    ) -> String {
        "<text class=\"\(className)\" x=\"\(number(x))\" y=\"\(number(y))\" text-anchor=\"\(anchor)\">"
            + "\(HTML.escape(content))</text>"
    }

    /// A coordinate to a tenth of a pixel, without a trailing `.0`.
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let whole = abs(tenths) / 10
        let fraction = abs(tenths) % 10
        return sign + String(whole) + (fraction == 0 ? "" : ".\(fraction)")
    }
}
