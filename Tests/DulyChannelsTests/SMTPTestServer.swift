import Foundation
import Synchronization

/// The aiosmtpd server of `Support/smtp_server.py`, run as a child process on a free loopback port.
///
/// Starting fails (and so the test fails, it is not skipped) when python3 or aiosmtpd is missing.
final class SMTPTestServer: @unchecked Sendable {
    /// Why the server could not be started.
    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    /// One message the server accepted: its envelope, the bytes, and Python's reading of them.
    struct Received: Decodable {
        struct Parsed: Decodable {
            struct Part: Decodable {
                var contentType: String
                var charset: String?
                var transferEncoding: String?
                var filename: String?
                var payloadBase64: String
                var text: String?

                var payload: [UInt8] { Array(Data(base64Encoded: payloadBase64)!) }
            }

            var headers: [[String]]
            var contentType: String
            var defects: [String]
            var parts: [Part]

            /// The decoded value of the first header called `name`.
            func header(_ name: String) -> String? {
                headers.first { $0[0].lowercased() == name.lowercased() }?[1]
            }
        }

        var mailFrom: String
        var mailOptions: [String]
        var smtpUtf8: Bool
        var rcptTos: [String]
        var tls: Bool
        var authenticated: Bool
        var authUser: String?
        var parsed: Parsed
        var raw: [UInt8] = []

        enum CodingKeys: String, CodingKey {
            case mailFrom, mailOptions, smtpUtf8, rcptTos, tls, authenticated, authUser, parsed
        }
    }

    let port: Int
    let directory: URL
    let certificatePath: String?
    private let process: Process
    private let input: Pipe
    private let exit: Exit

    private init(port: Int, directory: URL, certificatePath: String?, process: Process, input: Pipe, exit: Exit) {
        self.port = port
        self.directory = directory
        self.certificatePath = certificatePath
        self.process = process
        self.input = input
        self.exit = exit
    }

    /// Starts the server with the script's options (`--starttls`, `--auth user:pass`, …) and waits until it listens.
    static func start(_ options: [String] = []) async throws -> SMTPTestServer {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Support/smtp_server.py")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("duly-smtp-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, directory.path] + options
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        let startup = Startup()
        let exit = Exit()
        output.fileHandleForReading.readabilityHandler = { handle in startup.receive(handle.availableData) }
        process.terminationHandler = { _ in
            startup.receive(Data())
            exit.signal()
        }
        do {
            try process.run()
        } catch {
            throw StartError(description: "cannot run python3 for the SMTP test server: \(error)")
        }
        // Wait for the line announcing the port, or for the process to end. EOF on the pipe is not enough: another
        // child started meanwhile by a test running in parallel may have inherited the pipe's write end.
        let line = await startup.firstLine()
        struct Announcement: Decodable {
            var port: Int
            var cert: String?
        }
        output.fileHandleForReading.readabilityHandler = nil
        guard let announcement = try? JSONDecoder().decode(Announcement.self, from: Data(line)) else {
            process.terminate()
            await exit.wait()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw StartError(
                description: "the SMTP test server did not start (pip install aiosmtpd==1.4.6?): \(stderr)"
            )
        }
        return SMTPTestServer(
            port: announcement.port,
            directory: directory,
            certificatePath: announcement.cert,
            process: process,
            input: input,
            exit: exit
        )
    }

    /// Every message stored so far, in the order received.
    func received() throws -> [Received] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let numbers = names.filter { $0.hasSuffix(".eml") }.compactMap { Int($0.dropLast(4)) }.sorted()
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try numbers.map { number in
            let base = directory.appendingPathComponent(String(number))
            var message = try decoder.decode(
                Received.self,
                from: Data(contentsOf: base.appendingPathExtension("json"))
            )
            message.raw = Array(try Data(contentsOf: base.appendingPathExtension("eml")))
            return message
        }
    }

    /// Stops the server and removes its folder, without blocking a thread of the cooperative pool.
    func stop() async {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        await exit.wait()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a fresh server and stops the server afterwards, whether `body` throws or not.
func withSMTPServer<T>(
    _ options: [String] = [],
    _ body: (SMTPTestServer) async throws -> T
) async throws -> T {
    let server = try await SMTPTestServer.start(options)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Collects the server's standard output until the first line, or until it ends.
private final class Startup: Sendable {
    private struct State {
        var bytes: [UInt8] = []
        var line: [UInt8]?
        var waiter: CheckedContinuation<[UInt8], Never>?
    }

    private let state = Mutex(State())

    func receive(_ data: Data) {
        let resume: (CheckedContinuation<[UInt8], Never>, [UInt8])? = state.withLock { state in
            guard state.line == nil else { return nil }
            state.bytes.append(contentsOf: data)
            if let newline = state.bytes.firstIndex(of: UInt8(ascii: "\n")) {
                state.line = Array(state.bytes[..<newline])
            } else if data.isEmpty {
                state.line = state.bytes
            } else {
                return nil
            }
            defer { state.waiter = nil }
            return state.waiter.map { ($0, state.line!) }
        }
        if let (continuation, line) = resume { continuation.resume(returning: line) }
    }

    func firstLine() async -> [UInt8] {
        await withCheckedContinuation { continuation in
            let line: [UInt8]? = state.withLock { state in
                if let line = state.line { return line }
                state.waiter = continuation
                return nil
            }
            if let line { continuation.resume(returning: line) }
        }
    }
}

/// Signals once the process has exited.
private final class Exit: Sendable {
    private let state = Mutex<(exited: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func signal() {
        let waiters = state.withLock { state in
            state.exited = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.exited { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
