import DulyCore

// Drawings of a symbol with its quiet zone: SVG to place inline on letters, PGM for tests to hand to a reader.
extension QRCode {
    /// Light modules a reader needs around the symbol on every side (ISO/IEC 18004 section 6.3.8).
    public static let quietZone = 4

    /// The smallest side, quiet zone included, that `svg(moduleSize:label:)` prints at: 2 cm, as the EPC guidelines
    /// (EPC069-12) advise for a payment code on paper.
    public static let smallestPrintedSideMillimetres = 20.0

    /// The symbol as an inline SVG element (no XML declaration) with its quiet zone, one path of dark modules on a
    /// white square, `shape-rendering="crispEdges"` so no module is blurred, its width and height in millimetres.
    ///
    /// - Parameters:
    ///   - moduleSize: millimetres per module; when the symbol would print smaller than
    ///     `smallestPrintedSideMillimetres` the modules are made larger.
    ///   - label: what a screen reader says for the image (`role="img"` and `aria-label`); none when nil.
    public func svg(moduleSize: Double = 0.5, label: String? = nil) -> String {
        let side = size + 2 * Self.quietZone
        let millimetres = max(moduleSize * Double(side), Self.smallestPrintedSideMillimetres)
        let printed = Self.hundredths(millimetres) + "mm"
        var path = ""
        for row in 0..<size {
            var column = 0
            while column < size {
                guard isDark(row: row, column: column) else {
                    column += 1
                    continue
                }
                var end = column + 1
                while end < size && isDark(row: row, column: end) { end += 1 }
                // One rectangle per horizontal run of dark modules keeps the path short.
                let (x, y, width) = (column + Self.quietZone, row + Self.quietZone, end - column)
                path += "M\(x) \(y)h\(width)v1h-\(width)z"
                column = end
            }
        }
        let accessible = label.map { " role=\"img\" aria-label=\"\(HTML.escape($0))\"" } ?? ""
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(printed)\" height=\"\(printed)\" "
            + "viewBox=\"0 0 \(side) \(side)\" shape-rendering=\"crispEdges\"\(accessible)>"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    /// The symbol as a binary PGM image (P5, 8-bit grey, black on white) with its quiet zone, `scale` pixels a
    /// module: the simplest file a barcode reader accepts.
    public func pgm(scale: Int = 4) -> [UInt8] {
        precondition(scale >= 1, "a module is at least one pixel")
        let side = (size + 2 * Self.quietZone) * scale
        var image = Array("P5\n\(side) \(side)\n255\n".utf8)
        image.reserveCapacity(image.count + side * side)
        for pixelRow in 0..<side {
            let row = pixelRow / scale - Self.quietZone
            for pixelColumn in 0..<side {
                let column = pixelColumn / scale - Self.quietZone
                let inside = (0..<size).contains(row) && (0..<size).contains(column)
                image.append(inside && isDark(row: row, column: column) ? 0 : 255)
            }
        }
        return image
    }

    // A length to two decimals without floating point formatting: 20.5 gives "20.50".
    private static func hundredths(_ value: Double) -> String {
        let cents = Int((value * 100).rounded(.up))
        let fraction = cents % 100
        return "\(cents / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
