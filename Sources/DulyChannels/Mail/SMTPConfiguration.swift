import NIOSSL

/// Where and how `SMTPClient` reaches the mail server.
public struct SMTPConfiguration: Sendable {
    /// How the connection is protected.
    public enum Security: String, Sendable, Equatable {
        /// `smtp://…?starttls=required`: upgrade with STARTTLS (RFC 3207) or refuse to send.
        case startTLSRequired
        /// `smtp://…?starttls=opportunistic`: upgrade when offered, else send in the clear (never with credentials).
        case startTLSOpportunistic
        /// `smtp://…?starttls=never`: plain text throughout; only for loopback and trusted relays.
        case plaintext
        /// `smtps://`: TLS from the first byte (RFC 8314).
        case implicitTLS
    }

    /// An AUTH mechanism Duly can use (RFC 4954).
    public enum AuthMechanism: String, Sendable, Equatable {
        case plain = "PLAIN"
        case login = "LOGIN"
    }

    /// The server's host name or IP address.
    public var host: String
    /// The server's port: 587 for `smtp://`, 465 for `smtps://` unless the URL says otherwise.
    public var port: Int
    /// STARTTLS, implicit TLS or none.
    public var security: Security
    /// The user name for AUTH; no AUTH without it.
    public var username: String?
    /// The password for AUTH.
    public var password: String?
    /// The mechanisms to try, in order of preference, among those the server offers.
    public var authMechanisms: [AuthMechanism] = [.plain, .login]
    /// The name Duly gives itself in EHLO (`?ehlo=mail.acme.example`).
    public var ehloName: String = "localhost"
    /// Send non-ASCII text as 8bit (BODY=8BITMIME) when the server offers it, instead of quoted-printable.
    public var useEightBitMIME: Bool = true
    /// How long to wait for the TCP connection.
    public var connectTimeout: Duration = .seconds(15)
    /// How long to wait for each reply, except the one after the message.
    public var replyTimeout: Duration = .seconds(60)
    /// How long to wait for the reply after the message's final dot (RFC 5321 §4.5.3.2.6 suggests 10 minutes).
    public var commitTimeout: Duration = .seconds(600)
    /// TLS settings for STARTTLS and `smtps://`: trust roots, `certificateVerification` (tests use `.none`).
    public var tls: TLSConfiguration = .makeClientConfiguration()

    /// A configuration spelled out.
    public init(
        host: String,
        port: Int,
        security: Security,
        username: String? = nil,
        password: String? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
    }

    /// Parses `smtp://user:pass@host:port?starttls=required|opportunistic|never` or `smtps://user:pass@host:port`.
    ///
    /// User and password are percent-decoded (write `@` as `%40`). Without `starttls`, `smtp://` requires it, so a
    /// password never travels in the clear by accident. `ehlo=NAME` sets the EHLO name. Unknown parameters are
    /// refused so a typo does not silently weaken security.
    /// - Throws: `SMTPConfigurationError.invalidURL` saying what is wrong.
    public init(url: String) throws {
        func invalid(_ reason: String) -> SMTPConfigurationError { .invalidURL(reason) }
        let implicitTLS: Bool
        var rest: Substring
        if url.lowercased().hasPrefix("smtp://") {
            implicitTLS = false
            rest = url.dropFirst("smtp://".count)
        } else if url.lowercased().hasPrefix("smtps://") {
            implicitTLS = true
            rest = url.dropFirst("smtps://".count)
        } else {
            throw invalid("the URL must start with smtp:// or smtps://")
        }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...].allSatisfy({ $0 == "/" }) else { throw invalid("an SMTP URL has no path") }
            rest = rest[..<slash]
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                username = try Self.percentDecoded(userInfo[..<colon], what: "user name")
                password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...], what: "password")
            } else {
                username = try Self.percentDecoded(userInfo, what: "user name")
            }
            if username == "" { throw invalid("the user name is empty") }
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid("an IPv6 address lacks its closing ]") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw invalid("unexpected text after the host")
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "%" || $0 == "/" }) else {
            throw invalid("the host is missing or malformed")
        }
        var port = implicitTLS ? 465 : 587
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw invalid("the port \(portText.debugDescription) is not a number from 1 to 65535")
            }
            port = value
        }
        var security: Security = implicitTLS ? .implicitTLS : .startTLSRequired
        var ehloName: String?
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].lowercased()
            let value = parts.count > 1 ? try Self.percentDecoded(parts[1], what: key) : ""
            switch key {
            case "starttls":
                guard !implicitTLS else {
                    throw invalid("starttls does not apply to smtps://, which is TLS throughout")
                }
                switch value.lowercased() {
                case "required": security = .startTLSRequired
                case "opportunistic": security = .startTLSOpportunistic
                case "never": security = .plaintext
                default:
                    throw invalid("starttls must be required, opportunistic or never, not \(value.debugDescription)")
                }
            case "ehlo":
                guard !value.isEmpty,
                    value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.[]:".contains($0)) })
                else { throw invalid("ehlo must be a host name") }
                ehloName = value
            default:
                throw invalid("unknown parameter \(key.debugDescription); known: starttls, ehlo")
            }
        }
        self.init(host: String(host), port: port, security: security, username: username, password: password)
        if let ehloName { self.ehloName = ehloName }
    }

    private static func percentDecoded(_ text: Substring, what: String) throws -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw SMTPConfigurationError.invalidURL("the \(what) has a % not followed by two hex digits")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw SMTPConfigurationError.invalidURL("the \(what) is not UTF-8 once percent-decoded")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}

/// The configuration does not fit the URL's syntax or what the server can do; a person has to change it.
///
/// Unlike an `SMTPError`, none of these depends on the message: no message can go through this server as configured,
/// so a delivery run stops at the first one instead of counting an attempt against every message. Each description is
/// one line that names the server and says what to change.
public enum SMTPConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The mail URL is malformed.
    case invalidURL(String)
    /// STARTTLS is required but the server does not offer it (or refused it for good).
    case startTLSNotOffered(host: String, port: Int)
    /// Credentials are configured but the connection is not encrypted; Duly will not send a password in the clear.
    case authenticationNeedsTLS(host: String, port: Int)
    /// Credentials are configured but the server offers none of the mechanisms Duly may use.
    case noSupportedAuthMechanism(host: String, port: Int, offered: [String])
    /// The server refused the user name and password: its 5xx reply to AUTH, code and text.
    case authenticationRefused(host: String, port: Int, reply: String)
    /// The host name does not resolve to any address.
    case unknownHost(String)
    /// The host answers, but nothing accepts connections on the port.
    case connectionRefused(host: String, port: Int)
    /// The TLS handshake failed: the certificate is not trusted or names another host, or the port does not speak
    /// TLS.
    case tlsRefused(host: String, port: Int, reason: String)
    /// The server will not talk to Duly at all: a 5xx greeting, or EHLO and HELO both refused (code and text).
    case serverRefused(host: String, port: Int, reply: String)
    /// The message has 8-bit bytes but the server does not offer 8BITMIME.
    case eightBitNotSupported

    public var description: String {
        switch self {
        case .invalidURL(let reason): return "invalid mail URL: \(reason)"
        case .startTLSNotOffered(let host, let port):
            return "\(host):\(port) does not offer STARTTLS: use smtps:// on port 465, or ?starttls=opportunistic "
                + "if you accept plain text"
        case .authenticationNeedsTLS(let host, let port):
            return "\(host):\(port) did not encrypt the connection, and Duly never sends a password in the clear: "
                + "use smtps:// on port 465, or ?starttls=required on a server that offers STARTTLS"
        case .noSupportedAuthMechanism(let host, let port, let offered):
            return "\(host):\(port) offers AUTH \(offered.joined(separator: " ")) and Duly speaks PLAIN and LOGIN: "
                + "ask the mail provider for PLAIN or LOGIN over TLS"
        case .authenticationRefused(let host, let port, let reply):
            return "\(host):\(port) refused the user name and password (\(reply)): check them in the mail URL "
                + "(write @ as %40 and : as %3A)"
        case .unknownHost(let host):
            return "cannot find the mail server \(host): the name does not resolve; check the host name in the mail URL"
        case .connectionRefused(let host, let port):
            return "nothing accepts connections on \(host):\(port): check the host and port in the mail URL "
                + "(587 for smtp://, 465 for smtps://) and that the mail server is running"
        case .tlsRefused(let host, let port, let reason):
            return "TLS with \(host):\(port) failed (\(reason)): check that the server's certificate is valid for "
                + "\(host) and that the port speaks TLS (smtps:// on 465, smtp:// with STARTTLS on 587)"
        case .serverRefused(let host, let port, let reply):
            return "\(host):\(port) refuses to talk to Duly (\(reply)): ask the mail provider to accept mail from "
                + "this machine, or send through another server"
        case .eightBitNotSupported:
            return "the message has 8-bit content but the server does not offer 8BITMIME: send it quoted-printable"
        }
    }
}
