import Foundation

/// Writes letters to a folder as print-ready HTML, and as PDF too when a converter is installed (headless Chromium
/// or WeasyPrint, looked for at run time); HTML is always kept, so a letter is never lost to a missing tool.
public struct LetterTransport: MessageTransport {
    public let folder: String
    /// Where to look for a converter: the PATH, unless told otherwise (tests hide the converters this way).
    public let searchPath: String
    private let files: FileTransport

    public init(folder: String, searchPath: String? = nil) {
        self.folder = folder
        self.searchPath = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        self.files = FileTransport(folder: folder)
    }

    public func send(_ message: OutgoingMessage, beforeCommit: @Sendable () async throws -> Void) async throws {
        // The PDF is made before the HTML is committed, so a letter counted as sent has both files (or just HTML).
        if let converter = PDFConverter(searchPath: searchPath) {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let pdf = (folder as NSString).appendingPathComponent(
                (message.suggestedFileName as NSString).deletingPathExtension + ".pdf")
            if let bytes = converter.pdf(fromHTML: message.content) {
                FileManager.default.createFile(atPath: pdf, contents: Data(bytes))
            }
        }
        try await files.send(message, beforeCommit: beforeCommit)
    }

    public func completeCommitted(_ message: OutgoingMessage) async throws {
        try await files.completeCommitted(message)
    }

    /// The first HTML-to-PDF converter on the search path.
    public static func converter(searchPath path: String) -> String? { PDFConverter(searchPath: path)?.path }
}

/// Turns print-ready HTML into PDF with the first converter installed: headless Chromium or WeasyPrint, looked for
/// on the search path at run time (Duly ships no PDF engine of its own).
public struct PDFConverter: Sendable {
    /// The converter's executable.
    public let path: String

    /// The first converter on `searchPath` (a PATH-style list), or nil when none is installed.
    public init?(searchPath: String) {
        for name in ["chromium", "chromium-browser", "google-chrome", "weasyprint"] {
            for directory in searchPath.split(separator: ":") {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) {
                    self.path = candidate
                    return
                }
            }
        }
        return nil
    }

    /// The PDF of `html` (a whole document, UTF-8), or nil when the conversion failed.
    public func pdf(fromHTML html: [UInt8]) -> [UInt8]? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duly-pdf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else {
            return nil
        }
        let input = folder.appendingPathComponent("document.html")
        let output = folder.appendingPathComponent("document.pdf")
        guard FileManager.default.createFile(atPath: input.path, contents: Data(html)) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        if path.hasSuffix("weasyprint") {
            process.arguments = [input.path, output.path]
        } else {
            process.arguments = [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                "--print-to-pdf=\(output.path)", "file://\(input.path)",
            ]
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        guard let data = FileManager.default.contents(atPath: output.path), data.starts(with: Array("%PDF".utf8)) else {
            return nil
        }
        return Array(data)
    }
}
