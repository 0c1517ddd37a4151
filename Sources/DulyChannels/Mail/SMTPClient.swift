// Written by hand on SwiftNIO: no SMTP package is in reach of this build. It speaks what sending reminders needs:
// RFC 5321 (EHLO with HELO fallback, one command at a time, so no PIPELINING is needed), RFC 3207 STARTTLS,
// RFC 8314 implicit TLS, RFC 4954 AUTH PLAIN and LOGIN, RFC 6152 8BITMIME, RFC 6531 SMTPUTF8 (domains always go as
// punycode; only a non-ASCII local part needs the extension).

import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who the server should deliver to and where bounces go: the SMTP envelope, separate from the headers.
public struct SMTPEnvelope: Hashable, Sendable {
    /// `MAIL FROM`: the bounce address; empty for the null reverse path.
    public var sender: String
    /// `RCPT TO`, one per address.
    public var recipients: [String]

    /// An envelope with its bounce address and recipients.
    public init(sender: String, recipients: [String]) {
        self.sender = sender
        self.recipients = recipients
    }

    /// The envelope a message implies: its `From:` address and its `To:` addresses.
    public init(for message: EmailMessage) {
        self.init(sender: message.from.address, recipients: message.to.map(\.address))
    }
}

/// What the server said when it took the message.
public struct SMTPReceipt: Hashable, Sendable {
    /// The reply to the final dot (250), whose text often carries the server's queue id.
    public var reply: SMTPReply
    /// The recipients the server accepted: all of them.
    public var recipients: [String]
    /// Whether the conversation was encrypted (STARTTLS or implicit TLS).
    public var usedTLS: Bool
    /// Whether the message went as `BODY=8BITMIME`.
    public var usedEightBitMIME: Bool
}

/// Sends one message per connection to an SMTP server.
public struct SMTPClient: Sendable {
    /// Where the server is and how to talk to it.
    public var configuration: SMTPConfiguration
    private let group: any EventLoopGroup

    /// A client for the server `configuration` describes, on the shared NIO event loops unless told otherwise.
    public init(
        configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.group = eventLoopGroup
    }

    /// Renders `message` (8bit when the server offers 8BITMIME and the configuration allows it, quoted-printable
    /// otherwise) and sends it; see `send(content:envelope:beforeCommit:)` for the commit contract.
    /// - Parameter envelope: defaults to the message's `From:` and `To:` addresses.
    /// - Throws: `MIMEError` before connecting when the message is unsafe; otherwise as `send(content:…)`.
    public func send(
        _ message: EmailMessage,
        envelope: SMTPEnvelope? = nil,
        beforeCommit: @Sendable () async throws -> Void = {}
    ) async throws -> SMTPReceipt {
        try MIMEWriter.validate(message)
        return try await transact(
            .message(message), envelope: envelope ?? SMTPEnvelope(for: message), {}, beforeCommit)
    }

    /// Sends a message already written out as RFC 5322 bytes (by `MIMEWriter.render`, say).
    ///
    /// **Ready hook.** `beforeTransaction` is awaited once the server has shown it can take the message (greeted,
    /// encrypted and authenticated as configured, every extension the message needs offered) and before the
    /// transaction starts (`MAIL FROM`). A failure before it is a failure of the server or its configuration, not
    /// of this message: the caller can record its intent there and leave nothing recorded when the server cannot
    /// be used at all. If it throws, nothing of the message is sent and `send` rethrows the caller's error unchanged.
    ///
    /// **Commit contract.** The message becomes irrevocable when the server receives the terminating `CRLF.CRLF`
    /// of DATA. `beforeCommit` is awaited after every byte of the message has been written and before that
    /// terminator is written, so the caller can record "about to commit" durably at the last moment:
    /// - if `beforeCommit` throws, the terminator is never sent: the connection is closed mid-DATA, the server
    ///   discards the partial message, and `send` rethrows the caller's error unchanged;
    /// - if the process dies before `beforeCommit` returns, the server never saw the terminator and has nothing;
    /// - if it dies (or the connection fails) after `beforeCommit` returned, the message may or may not have been
    ///   accepted: only this window is uncertain, and the caller's record says the message is in it.
    /// `beforeCommit` is not called when the transaction fails earlier (refused recipient, TLS failure, …).
    ///
    /// Lines are dot-stuffed and bare CR or LF become CRLF. A message with 8-bit bytes is sent as `BODY=8BITMIME`
    /// and refused when the server does not offer it. Every recipient must be accepted; if one is refused the
    /// transaction is reset and nobody receives the message, so retrying cannot send a copy twice.
    /// - Throws: `SMTPError` for refusals and connection failures, `SMTPConfigurationError` when the server cannot
    ///   be used as configured (unknown host, nothing listening on the port, TLS refused, no STARTTLS when required,
    ///   credentials refused), or whatever `beforeTransaction` or `beforeCommit` threw.
    public func send(
        content: [UInt8],
        envelope: SMTPEnvelope,
        beforeTransaction: @Sendable () async throws -> Void = {},
        beforeCommit: @Sendable () async throws -> Void = {}
    ) async throws -> SMTPReceipt {
        try await transact(.raw(content), envelope: envelope, beforeTransaction, beforeCommit)
    }

    // MARK: - The transaction

    private enum Content {
        case message(EmailMessage)
        case raw([UInt8])
    }

    /// Carries the caller's error out of a hook so it is rethrown as is, not mistaken for a network error.
    private struct HookFailed: Error {
        var underlying: any Error
    }

    private func transact(
        _ content: Content,
        envelope: SMTPEnvelope,
        _ beforeTransaction: @Sendable () async throws -> Void,
        _ beforeCommit: @Sendable () async throws -> Void
    ) async throws -> SMTPReceipt {
        guard !envelope.recipients.isEmpty else { throw MIMEError.noRecipients }
        // On the wire: domains in punycode; a non-ASCII local part only over SMTPUTF8.
        var wire = envelope
        if !envelope.sender.isEmpty {
            wire.sender = try MIMEWriter.validateAddress(envelope.sender, field: "envelope sender")
        }
        wire.recipients = try envelope.recipients.map {
            try MIMEWriter.validateAddress($0, field: "envelope recipient")
        }
        let envelope = wire
        do {
            let channel = try await connect()
            return try await channel.executeThenClose { inbound, outbound in
                var session = Session(
                    configuration: configuration,
                    channel: channel.channel,
                    replies: inbound.makeAsyncIterator(),
                    outbound: outbound
                )
                do {
                    return try await session.run(
                        content, envelope: envelope, beforeTransaction: beforeTransaction, beforeCommit: beforeCommit)
                } catch let error as SMTPError {
                    // Say goodbye when the server is still talking; the message is not committed.
                    if case .connection = error {} else { await session.quitQuietly() }
                    throw error
                } catch let error as SMTPConfigurationError {
                    await session.quitQuietly()
                    throw error
                }
            }
        } catch let failure as HookFailed {
            throw failure.underlying
        } catch let error as SMTPError {
            throw error
        } catch let error as SMTPConfigurationError {
            throw error
        } catch let error as MIMEError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw classify(error)
        }
    }

    private func connect() async throws -> NIOAsyncChannel<SMTPReply, ByteBuffer> {
        let sslContext =
            configuration.security == .implicitTLS ? try NIOSSLContext(configuration: configuration.tls) : nil
        let serverName = Self.serverName(configuration.host)
        return try await ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(tls)
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// The name for SNI and certificate checks; none for an IP address, which SNI does not carry.
    static func serverName(_ host: String) -> String? {
        let isIPv4 = host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
        return isIPv4 || host.contains(":") ? nil : host
    }

    /// What a failure below SMTP means. No such host, nothing listening on the port, or a TLS handshake refused is
    /// the configuration's (a person changes the URL or the trust roots); a timeout, a reset or a connection dropped
    /// mid-conversation is the network's, and a later attempt may succeed.
    private func classify(_ error: any Error) -> any Error {
        let host = configuration.host
        let port = configuration.port
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return SMTPConfigurationError.unknownHost(host)
            }
            // Refused on every address the name has, or refused on one and the others unusable from this machine
            // (`localhost` on ::1 without IPv6): nothing listens where the URL points.
            let codes = error.connectionErrors.map { ($0.error as? IOError)?.errnoCode }
            let unusable: Set<CInt> = [EADDRNOTAVAIL, EAFNOSUPPORT, ENETUNREACH]
            if codes.contains(ECONNREFUSED), codes.allSatisfy({ $0 == ECONNREFUSED || unusable.contains($0 ?? 0) }) {
                return SMTPConfigurationError.connectionRefused(host: host, port: port)
            }
            let reasons = error.connectionErrors.map { "\($0.target): \($0.error)" }
            return SMTPError.connection("cannot connect to \(host):\(port): " + reasons.joined(separator: "; "))
        }
        if let error = error as? ChannelError, case .connectTimeout(let amount) = error {
            return SMTPError.connection("connecting timed out after \(amount.nanoseconds / 1_000_000) ms")
        }
        if let error = error as? NIOSSLError {
            switch error {
            case .uncleanShutdown, .readInInvalidTLSState, .writeDuringTLSShutdown, .shutdownFailed:
                // The encrypted connection was working and then went: the network's, not the certificate's.
                return SMTPError.connection("TLS failed: \(error)")
            default:
                return SMTPConfigurationError.tlsRefused(host: host, port: port, reason: "\(error)")
            }
        }
        if error is NIOSSLExtraError || error is BoringSSLError {
            return SMTPConfigurationError.tlsRefused(host: host, port: port, reason: "\(error)")
        }
        return SMTPError.connection(String(describing: error))
    }

    // MARK: - Session

    /// One connection's conversation, one command and one reply at a time.
    private struct Session {
        let configuration: SMTPConfiguration
        let channel: any Channel
        var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var extensions: [String: [String]] = [:]
        var usedTLS = false

        init(
            configuration: SMTPConfiguration,
            channel: any Channel,
            replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator,
            outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        ) {
            self.configuration = configuration
            self.channel = channel
            self.replies = replies
            self.outbound = outbound
            self.usedTLS = configuration.security == .implicitTLS
        }

        mutating func run(
            _ content: Content,
            envelope: SMTPEnvelope,
            beforeTransaction: @Sendable () async throws -> Void,
            beforeCommit: @Sendable () async throws -> Void
        ) async throws -> SMTPReceipt {
            let greeting = try await reply(waitingFor: "the greeting")
            // RFC 5321 §3.1: a 554 greeting means this server will not talk to us at all; a 421 is for now only.
            if greeting.code >= 500 { throw refusal(greeting) }
            try expect(greeting, 220)
            try await hello()
            try await startTLSIfAsked()
            try await authenticateIfAsked()

            let offersEightBit = extensions["8BITMIME"] != nil
            let bytes: [UInt8]
            switch content {
            case .message(let message):
                bytes = try MIMEWriter.render(message, allowEightBit: offersEightBit && configuration.useEightBitMIME)
            case .raw(let raw):
                bytes = raw
            }
            let eightBit = bytes.contains { $0 >= 0x80 }

            // RFC 6531: an address with a non-ASCII local part travels only when the server offers SMTPUTF8; then
            // the UTF-8 headers (RFC 6532) travel with it.
            let international = ([envelope.sender] + envelope.recipients).first { address in
                address.utf8.contains { $0 >= 0x80 }
            }
            if let international, extensions["SMTPUTF8"] == nil {
                throw SMTPError.smtpUTF8NotOffered(international)
            }
            if eightBit && !offersEightBit { throw SMTPConfigurationError.eightBitNotSupported }
            // The server can take this message: from here on, a failure is the transaction's.
            do {
                try await beforeTransaction()
            } catch {
                throw HookFailed(underlying: error)
            }
            let parameters = (eightBit ? " BODY=8BITMIME" : "") + (international != nil ? " SMTPUTF8" : "")
            try expect(await command("MAIL FROM:<\(envelope.sender)>" + parameters), 250)
            for recipient in envelope.recipients {
                let reply = try await command("RCPT TO:<\(recipient)>")
                guard reply.code == 250 || reply.code == 251 else {
                    throw SMTPError.recipientRefused(recipient, reply.error)
                }
            }
            try expect(await command("DATA"), 354)
            try await writeDotStuffed(bytes)
            do {
                try await beforeCommit()
            } catch {
                throw HookFailed(underlying: error)
            }
            try await write(ByteBuffer(string: ".\r\n"))
            let accepted = try await reply(waitingFor: "the reply to the message", timeout: configuration.commitTimeout)
            try expect(accepted, 250)
            // The message is the server's now: nothing after this point may fail the send.
            _ = try? await command("QUIT")
            return SMTPReceipt(
                reply: accepted,
                recipients: envelope.recipients,
                usedTLS: usedTLS,
                usedEightBitMIME: eightBit
            )
        }

        mutating func quitQuietly() async {
            try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
        }

        // MARK: Steps

        private mutating func hello() async throws {
            let reply = try await command("EHLO \(configuration.ehloName)")
            if reply.code == 250 {
                extensions = [:]
                for line in reply.lines.dropFirst() {
                    let words = line.split(separator: " ").map(String.init)
                    if let keyword = words.first { extensions[keyword.uppercased()] = Array(words.dropFirst()) }
                }
            } else if reply.code >= 500 {
                // A server from before RFC 1869: no extensions, so no STARTTLS, AUTH or 8BITMIME.
                let helo = try await command("HELO \(configuration.ehloName)")
                if helo.code >= 500 { throw refusal(helo) }
                try expect(helo, 250)
                extensions = [:]
            } else {
                throw reply.error
            }
        }

        private mutating func startTLSIfAsked() async throws {
            let security = configuration.security
            guard security == .startTLSRequired || security == .startTLSOpportunistic else { return }
            guard extensions["STARTTLS"] != nil else {
                if security == .startTLSRequired {
                    throw SMTPConfigurationError.startTLSNotOffered(host: configuration.host, port: configuration.port)
                }
                return
            }
            let reply = try await command("STARTTLS")
            guard reply.code == 220 else {
                guard security == .startTLSRequired else { return }
                // 454 is "not now" (RFC 3207 §4); a 5xx is the server's final word on STARTTLS.
                if reply.code >= 500 {
                    throw SMTPConfigurationError.startTLSNotOffered(host: configuration.host, port: configuration.port)
                }
                throw reply.error
            }
            let context = try NIOSSLContext(configuration: configuration.tls)
            let serverName = SMTPClient.serverName(configuration.host)
            let channel = self.channel
            // The handler goes first in the pipeline, under the reply decoder, so every later byte is encrypted.
            try await channel.eventLoop.submit {
                let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
            usedTLS = true
            // RFC 3207 §4.2: forget what was learnt before TLS and ask again.
            try await hello()
        }

        private mutating func authenticateIfAsked() async throws {
            guard let username = configuration.username else { return }
            guard usedTLS || configuration.security == .plaintext else {
                throw SMTPConfigurationError.authenticationNeedsTLS(host: configuration.host, port: configuration.port)
            }
            let offered = (extensions["AUTH"] ?? []).map { $0.uppercased() }
            guard !offered.isEmpty else { return }  // A relay that trusts the connection: nothing to do.
            guard let mechanism = configuration.authMechanisms.first(where: { offered.contains($0.rawValue) }) else {
                throw SMTPConfigurationError.noSupportedAuthMechanism(
                    host: configuration.host, port: configuration.port, offered: offered)
            }
            let password = configuration.password ?? ""
            switch mechanism {
            case .plain:
                let token = base64String([0] + Array(username.utf8) + [0] + Array(password.utf8))
                try expectAuthentication(await command("AUTH PLAIN \(token)", shown: "AUTH PLAIN ****"), 235)
            case .login:
                try expectAuthentication(await command("AUTH LOGIN"), 334)
                try expectAuthentication(await command(base64String(Array(username.utf8)), shown: "the user name"), 334)
                try expectAuthentication(await command(base64String(Array(password.utf8)), shown: "the password"), 235)
            }
        }

        /// A 5xx to AUTH refuses the credentials for every message (RFC 4954 §6: 535, 534, 504); a 4xx (454) is a
        /// passing failure.
        private func expectAuthentication(_ reply: SMTPReply, _ code: Int) throws {
            guard reply.code != code else { return }
            if reply.code >= 500 {
                throw SMTPConfigurationError.authenticationRefused(
                    host: configuration.host, port: configuration.port, reply: reply.oneLine)
            }
            throw reply.error
        }

        /// The server refuses the conversation itself (its greeting, or HELO): no message can go through it.
        private func refusal(_ reply: SMTPReply) -> SMTPConfigurationError {
            .serverRefused(host: configuration.host, port: configuration.port, reply: reply.oneLine)
        }

        /// Writes the message with a dot doubled at the start of each line, CRLF line endings throughout, and a
        /// final CRLF if the message lacks one; the terminating dot is left to the caller.
        private mutating func writeDotStuffed(_ bytes: [UInt8]) async throws {
            let chunkSize = 64 * 1024
            var buffer = channel.allocator.buffer(capacity: min(bytes.count + 1024, chunkSize + 16))
            var atLineStart = true
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == 13 || byte == 10 {
                    if byte == 13 && index < bytes.count && bytes[index] == 10 { index += 1 }
                    buffer.writeBytes([13, 10])
                    atLineStart = true
                } else {
                    if atLineStart && byte == UInt8(ascii: ".") { buffer.writeInteger(UInt8(ascii: ".")) }
                    buffer.writeInteger(byte)
                    atLineStart = false
                }
                if buffer.readableBytes >= chunkSize {
                    try await write(buffer)
                    buffer = channel.allocator.buffer(capacity: chunkSize + 16)
                }
            }
            if !atLineStart { buffer.writeBytes([13, 10]) }
            if buffer.readableBytes > 0 { try await write(buffer) }
        }

        // MARK: Commands and replies

        private mutating func command(_ line: String, shown: String? = nil) async throws -> SMTPReply {
            try await write(ByteBuffer(string: line + "\r\n"))
            return try await reply(waitingFor: "the reply to \(shown ?? line)")
        }

        /// Writes bytes; when the connection has died, throws why it died (a TLS alert, a reset) rather than the
        /// bare "I/O on closed channel" the write reports.
        private mutating func write(_ buffer: ByteBuffer) async throws {
            do {
                try await outbound.write(buffer)
            } catch {
                _ = try await reply(waitingFor: "the server after a failed write")
                throw error
            }
        }

        private func expect(_ reply: SMTPReply, _ code: Int) throws {
            guard reply.code == code else { throw reply.error }
        }

        /// The next reply, or `SMTPError.connection` when none comes within the timeout or the connection ends.
        private mutating func reply(waitingFor what: String, timeout: Duration? = nil) async throws -> SMTPReply {
            let timeout = timeout ?? configuration.replyTimeout
            let timedOut = TimeoutFlag()
            let channel = self.channel
            // Closing the channel ends the reply stream, which wakes the read below.
            let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                timedOut.fire()
                channel.close(promise: nil)
            }
            defer { timer.cancel() }
            let reply: SMTPReply?
            do {
                reply = try await replies.next()
            } catch {
                if timedOut.fired { throw SMTPError.connection("timed out waiting for \(what)") }
                throw error
            }
            guard let reply else {
                if timedOut.fired { throw SMTPError.connection("timed out waiting for \(what)") }
                throw SMTPError.connection("the server closed the connection while Duly waited for \(what)")
            }
            return reply
        }
    }
}

private final class TimeoutFlag: Sendable {
    private let state = Atomic<Bool>(false)

    var fired: Bool { state.load(ordering: .acquiring) }

    func fire() { state.store(true, ordering: .releasing) }
}

private func base64String(_ bytes: [UInt8]) -> String {
    String(decoding: MIMEWriter.base64(bytes), as: UTF8.self)
}
