import ArgumentParser
import DulyServer
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `duly serve`: the HTTP API, until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (README, \"Serving the API\") until stopped with SIGTERM or Ctrl-C.",
        discussion: """
            Listens on --host and --port and prints the address once it accepts connections. GET /health says the \
            process is up, GET /ready that the database answers with the schema this build knows; the API is under \
            /api/v1, described by /api/v1/openapi.json, and takes tokens from `duly token create`. On SIGTERM or \
            SIGINT it stops taking connections, finishes the requests under way, and exits 0.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on; 0 takes a free one (printed on start).") var port = 8080

    func run() async throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port (0 to 65535)") }
        // Logs (one line per request, with its request id) go to standard error; standard output carries only the
        // address line, for scripts.
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let store = try await global.openStore()
        var logger = Logger(label: "duly.serve")
        logger.logLevel = .info
        let clock = ServerClock(
            today: { SystemClock.today(inTimeZone: $0) }, timestamp: { SystemClock.timestamp() })
        let host = self.host
        let app = try await buildApplication(
            store: store, clock: clock, address: ServerAddress(host: host, port: port), logger: logger
        ) { port in
            // Scripts and tests read this line to learn the port (with --port 0) and that the server is up.
            let line = "Serving the Duly API on http://\(host):\(port)/ (document: /api/v1/openapi.json)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
