import Foundation
import Logging
import Synchronization

/// The log handler of `duly serve`: one line per event on standard error, in the format of swift-log's
/// `StreamLogHandler` (`2026-06-30T07:00:00+0200 info duly.serve: hb.request.id=… [Hummingbird] Request`).
///
/// Written here rather than using `StreamLogHandler` because of when the metadata is formatted: `StreamLogHandler`
/// formats all of it again each time a key is set, and every request sets three (its id, then the caller's user and
/// organisation) before its one line is written; this handler formats it once, when a line is written, and not at
/// all for a level that is not logged.
public struct ServerLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    private let output: @Sendable (String) -> Void

    /// A handler writing to standard error, for `LoggingSystem.bootstrap`.
    public static func standardError(label: String) -> ServerLogHandler {
        ServerLogHandler(label: label, output: StandardError.write)
    }

    /// A handler giving each line (with its newline) to `output`.
    public init(label: String, output: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.output = output
        self.metadataProvider = LoggingSystem.metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let explicit = event.metadata { all.merge(explicit) { _, new in new } }
        if let error = event.error {
            all["error.message"] = "\(error)"
            all["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var line = Self.timestamp() + " \(event.level) " + label + ":"
        for (key, value) in all.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(value)"
        }
        line += " [\(event.source)] \(event.message)\n"
        output(line)
    }

    /// Local time to the second, as `StreamLogHandler` writes it.
    private static func timestamp() -> String {
        var now = time(nil)
        var local = tm()
        guard localtime_r(&now, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Whole lines to standard error, one writer at a time, so that lines from requests answered at once never interleave.
private enum StandardError {
    static let lock = Mutex(())

    @Sendable static func write(_ line: String) {
        var line = line
        lock.withLock { _ in
            line.withUTF8 { bytes in
                var rest = UnsafeRawBufferPointer(bytes)
                while !rest.isEmpty {
                    let written = Foundation.write(2, rest.baseAddress, rest.count)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return
                    }
                    rest = UnsafeRawBufferPointer(rebasing: rest[written...])
                }
            }
        }
    }
}
