import DulyChannels
import Testing

// The drawings of a symbol: the SVG that goes on letters and the PGM image the reader tests hand to zbarimg.
@Suite("The QR code's SVG and PGM drawings")
struct QRCodeImageTests {
    // The dark modules an SVG path of "M x y h w v1 h-w z" rectangles covers, shifted back by the quiet zone.
    func darkModules(inSVG svg: String) throws -> Set<[Int]> {
        let start = try #require(svg.range(of: " d=\"")).upperBound
        let path = svg[start...].prefix { $0 != "\"" }
        var modules = Set<[Int]>()
        for rectangle in path.split(separator: "z") {
            let numbers = rectangle.split(whereSeparator: { "Mhv- ".contains($0) }).compactMap { Int($0) }
            let (x, y, width) = (numbers[0] - 4, numbers[1] - 4, numbers[2])
            for column in x..<x + width { modules.insert([y, column]) }
        }
        return modules
    }

    @Test func theSVGPathCoversExactlyTheDarkModules() throws {
        let code = try QRCode(text: "https://duly.example/pay/NW-1012")
        let dark = Set(
            (0..<code.size).flatMap { row in
                (0..<code.size).filter { code.isDark(row: row, column: $0) }.map { [row, $0] }
            })
        #expect(try darkModules(inSVG: code.svg()) == dark)
    }

    @Test func theSVGHasAFourModuleQuietZoneAndCrispEdges() throws {
        let svg = try QRCode(text: "Hello").svg(moduleSize: 1)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"29.00mm\" height=\"29.00mm\""))
        #expect(svg.contains("viewBox=\"0 0 29 29\" shape-rendering=\"crispEdges\""), "21 modules and 4 on each side")
        #expect(
            svg.contains("<rect width=\"29\" height=\"29\" fill=\"#fff\"/>"), "the quiet zone is white, not transparent"
        )
        #expect(svg.contains("d=\"M4 4h7v1h-7z"), "the top left finder's top row starts inside the quiet zone")
    }

    @Test func theSVGNeverPrintsSmallerThanTwoCentimetres() throws {
        let code = try QRCode(text: "Hello")
        #expect(code.svg(moduleSize: 0.1).contains("width=\"20.00mm\" height=\"20.00mm\""))
        #expect(code.svg(moduleSize: 0.75).contains("width=\"21.75mm\""))
    }

    @Test func anSVGLabelIsEscapedForScreenReaders() throws {
        let svg = try QRCode(text: "Hello").svg(label: "Pay \"Keller & Partner\"")
        #expect(svg.contains(" role=\"img\" aria-label=\"Pay &quot;Keller &amp; Partner&quot;\">"))
        #expect(!(try QRCode(text: "Hello").svg().contains("aria-label")))
    }

    @Test func thePGMImageIsScaledWithItsQuietZone() throws {
        let code = try QRCode(text: "Hello")
        let image = code.pgm(scale: 3)
        let header = Array("P5\n87 87\n255\n".utf8)
        #expect(Array(image.prefix(header.count)) == header, "(21 + 2 × 4) × 3 pixels a side")
        let pixels = Array(image.dropFirst(header.count))
        #expect(pixels.count == 87 * 87)
        #expect(pixels[0] == 255, "the quiet zone is white")
        #expect(pixels[12 * 87 + 12] == 0 && pixels[14 * 87 + 14] == 0, "the finder's corner module, 3 × 3 pixels")
        #expect(pixels[11 * 87 + 11] == 255 && pixels[12 * 87 + 11] == 255)
    }
}
