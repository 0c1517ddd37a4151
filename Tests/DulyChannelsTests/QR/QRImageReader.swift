import Foundation
import Testing

/// What the encoder draws, read back by a real reader: zbarimg (Debian's zbar-tools, installed by .ci/run), and
/// pages drawn by headless Chromium as a printer would. Without either, the tests that use them fail rather than pass
/// vacuously.
enum QRImageReader {
    /// An executable on PATH, or a failure saying what to install.
    static func executable(_ name: String, package: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").map { $0 + "/" + name }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        return try #require(found, "\(name) is not installed: apt-get install \(package) (see .ci/run)")
    }

    static func temporaryFile(_ suffix: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("duly-qr-\(UUID().uuidString)\(suffix)")
    }

    // Runs a tool to its end and returns what it wrote on standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, bytes)
    }

    /// The bytes zbarimg reads from an image. `-Sbinary` hands them over as they are, as a banking app takes them
    /// before reading the payload's character set line: without it zbarimg guesses a character set for bytes over
    /// 127 (Shift JIS for UTF-8 accents) and converts them.
    static func read(imageAt image: URL) throws -> [UInt8] {
        let zbarimg = try executable("zbarimg", package: "zbar-tools")
        let result = try run(
            zbarimg, ["--quiet", "--raw", "--nodbus", "-Sdisable", "-Sqrcode.enable", "-Sbinary", image.path])
        try #require(result.status == 0, "zbarimg found no QR code in the image")
        return Array(result.output)
    }

    /// A PNG of `html` as headless Chromium draws it in a window of `width` × `height` CSS pixels; the caller
    /// removes the file.
    static func screenshot(ofHTML html: String, width: Int = 400, height: Int = 400) throws -> URL {
        let page = temporaryFile(".html")
        defer { try? FileManager.default.removeItem(at: page) }
        let screenshot = temporaryFile(".png")
        try Data(html.utf8).write(to: page)
        let chromium = try executable("chromium", package: "chromium")
        let drawn = try run(
            chromium,
            [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=\(width),\(height)", "--screenshot=\(screenshot.path)", page.absoluteString,
            ])
        try #require(drawn.status == 0, "chromium could not draw the page")
        return screenshot
    }
}
