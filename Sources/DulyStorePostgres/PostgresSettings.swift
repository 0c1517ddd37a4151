import Foundation
import NIOSSL
import PostgresNIO

/// A `postgres://` database URL read once: where the server is, who connects, and how (docs/POSTGRES.md,
/// "Connecting"). `description` never shows the password.
///
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?pool_size=N&statement_timeout=DURATION&sslmode=MODE`, where
/// - `pool_size` is the most connections this process opens (default 10, 1 to 1000);
/// - `statement_timeout` is how long one statement may run before the server cancels it: milliseconds, or with a
///   unit (`500ms`, `30s`, `2min`); default 30 s; `0` for none;
/// - `sslmode` is `disable`, `prefer` (the default, as libpq's), `require` (encrypted, certificate not checked, as
///   libpq's) or `verify-full` (encrypted, certificate and host name checked against the system's roots).
public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var poolSize: Int
    /// In milliseconds; 0 for none.
    public var statementTimeoutMilliseconds: Int
    public var sslMode: SSLMode

    /// Why a URL cannot be used, in one line that names the part at fault and never the password.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Reads a `postgres://` or `postgresql://` URL.
    public init(url text: String) throws {
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
            let url = URLComponents(string: text)
        else {
            throw Problem(
                description: "not a PostgreSQL URL: \(Self.redacted(text)) (expected postgres://USER@HOST/DATABASE)")
        }
        guard let host = url.host, !host.isEmpty else {
            throw Problem(description: "the database URL \(Self.redacted(text)) names no host")
        }
        guard let user = url.user, !user.isEmpty else {
            throw Problem(description: "the database URL \(Self.redacted(text)) names no user (postgres://USER@HOST/…)")
        }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw Problem(description: "the database URL \(Self.redacted(text)) names no database (…/DATABASE)")
        }
        self.host = host
        self.port = url.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = url.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.poolSize = 10
        self.statementTimeoutMilliseconds = 30_000
        self.sslMode = .prefer
        for item in url.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "pool_size":
                guard let size = Int(value), (1...1000).contains(size) else {
                    throw Problem(description: "pool_size=\(value) in the database URL: give a number from 1 to 1000")
                }
                poolSize = size
            case "statement_timeout":
                guard let milliseconds = Self.milliseconds(value) else {
                    throw Problem(
                        description:
                            "statement_timeout=\(value) in the database URL: give milliseconds or a duration such as 30s"
                    )
                }
                statementTimeoutMilliseconds = milliseconds
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    let modes = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw Problem(description: "sslmode=\(value) in the database URL: use one of \(modes)")
                }
                sslMode = mode
            default:
                throw Problem(
                    description:
                        "unknown setting '\(item.name)' in the database URL: Duly reads pool_size, statement_timeout "
                        + "and sslmode")
            }
        }
    }

    /// The URL as it may be logged or printed: the password replaced by `***`.
    public var description: String {
        let credentials = password == nil ? user : "\(user):***"
        return "postgres://\(credentials)@\(host):\(port)/\(database)"
    }

    /// The client's configuration: the pool's size, the statement timeout sent when each connection starts, and TLS.
    public func clientConfiguration() throws -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: try tls())
        configuration.options.maximumConnections = poolSize
        configuration.options.additionalStartupParameters = [
            ("statement_timeout", String(statementTimeoutMilliseconds)),
            ("application_name", "duly"),
        ]
        return configuration
    }

    /// One connection's configuration, for the probe that opening a store makes before it trusts the pool (whose
    /// failures to connect come back late, as a tripped circuit breaker, without their reason).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case .disable: tls = .disable
        case .prefer, .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            let context = try NIOSSLContext(configuration: configuration)
            tls = sslMode == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            tls = .require(try NIOSSLContext(configuration: TLSConfiguration.makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    private func tls() throws -> PostgresClient.Configuration.TLS {
        switch sslMode {
        case .disable:
            return .disable
        case .prefer, .require:
            // As libpq's `prefer` and `require`: encrypted when possible (or always), the certificate not checked.
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            return sslMode == .prefer ? .prefer(configuration) : .require(configuration)
        case .verifyFull:
            return .require(TLSConfiguration.makeClientConfiguration())
        }
    }

    /// `250`, `250ms`, `30s`, `2min`, `1h` as milliseconds; nil when it is none of these.
    static func milliseconds(_ text: String) -> Int? {
        let units: [(suffix: String, factor: Int)] = [("ms", 1), ("min", 60_000), ("s", 1000), ("h", 3_600_000)]
        for unit in units where text.hasSuffix(unit.suffix) {
            guard let number = Int(text.dropLast(unit.suffix.count)), number >= 0 else { return nil }
            return number.multipliedReportingOverflow(by: unit.factor).overflow ? nil : number * unit.factor
        }
        guard let number = Int(text), number >= 0 else { return nil }
        return number
    }

    /// The URL with any password between `:` and `@` replaced, for messages about a URL that could not be read.
    static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://"), let at = text[schemeEnd.upperBound...].lastIndex(of: "@") else {
            return text
        }
        let credentials = text[schemeEnd.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
