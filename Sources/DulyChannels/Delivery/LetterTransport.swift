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
        if let converter = LetterTransport.converter(searchPath: searchPath) {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let html = FileManager.default.temporaryDirectory
                .appendingPathComponent("duly-letter-\(UUID().uuidString).html")
            let pdf = (folder as NSString).appendingPathComponent(
                (message.suggestedFileName as NSString).deletingPathExtension + ".pdf")
            if FileManager.default.createFile(atPath: html.path, contents: Data(message.content)) {
                LetterTransport.convert(html: html.path, pdf: pdf, with: converter)
                try? FileManager.default.removeItem(at: html)
            }
        }
        try await files.send(message, beforeCommit: beforeCommit)
    }

    public func completeCommitted(_ message: OutgoingMessage) async throws {
        try await files.completeCommitted(message)
    }

    /// The first HTML-to-PDF converter on the search path.
    public static func converter(searchPath path: String) -> String? {
        for name in ["chromium", "chromium-browser", "google-chrome", "weasyprint"] {
            for directory in path.split(separator: ":") {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    // Best effort: a failed conversion leaves the HTML letter, which prints the same.
    private static func convert(html: String, pdf: String, with converter: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: converter)
        if converter.hasSuffix("weasyprint") {
            process.arguments = [html, pdf]
        } else {
            process.arguments = [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--print-to-pdf=\(pdf)",
                "file://\(html)",
            ]
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return }
        process.waitUntilExit()
    }
}
