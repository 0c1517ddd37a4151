import DulyCore

/// A message ready to leave: its bytes exactly as they will be handed over, and where they go.
public struct OutgoingMessage: Sendable {
    public var actionID: Int64
    public var customerID: String
    public var channel: Channel
    /// The Message-ID (with angle brackets), also the outbox's idempotency key for this action.
    public var messageID: String
    /// Envelope sender (bounces come back here).
    public var sender: String
    public var recipients: [String]
    /// An RFC 5322 message for email; an HTML (or PDF) document for a letter.
    public var content: [UInt8]
    /// A file name that says what it is (`2026-03-09-C001-42.eml`), for transports that write files.
    public var suggestedFileName: String

    public init(
        actionID: Int64, customerID: String, channel: Channel, messageID: String, sender: String, recipients: [String],
        content: [UInt8], suggestedFileName: String
    ) {
        self.actionID = actionID
        self.customerID = customerID
        self.channel = channel
        self.messageID = messageID
        self.sender = sender
        self.recipients = recipients
        self.content = content
        self.suggestedFileName = suggestedFileName
    }
}

/// Why a transport could not hand a message over.
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Try again later: a 4xx reply, a dropped connection, a timeout.
    case temporary(String)
    /// Never try again: a 5xx reply; `bouncedAddress` is the recipient the server refused, if it said which.
    case permanent(String, bouncedAddress: String?)
    /// No message can go this way until a person changes the configuration (no STARTTLS where it is required,
    /// credentials refused, an unknown host, nothing listening on the port, a certificate refused): the reason says
    /// what to change. Thrown before `whenReady`, so the message is as it was; the deliverer stops its run.
    case configuration(String)

    public var description: String {
        switch self {
        case .temporary(let reason): return reason
        case .permanent(let reason, _): return reason
        case .configuration(let reason): return reason
        }
    }
}

/// Hands messages over: to an SMTP server, to a folder of `.eml` files, to a printer's inbox.
public protocol MessageTransport: Sendable {
    /// Sends one message.
    ///
    /// `beforeCommit` must be called after everything but the step that makes the message irrevocable (the final
    /// `CRLF.CRLF` of SMTP's DATA, the rename of a written file), and if it throws, that step must not happen: the
    /// deliverer records "committed" there, so that a crash on either side of it is recovered without sending twice.
    func send(_ message: OutgoingMessage, beforeCommit: @Sendable () async throws -> Void) async throws

    /// Sends one message as `send(_:beforeCommit:)` does, awaiting `whenReady` first: once the transport knows it
    /// can take the message (for SMTP: connected, encrypted and authenticated) and before any of the message leaves.
    /// A `TransportError.configuration` is thrown before `whenReady` or not at all, so a caller that records its
    /// intent in `whenReady` has recorded nothing when the transport cannot be used.
    func send(
        _ message: OutgoingMessage, whenReady: @Sendable () async throws -> Void,
        beforeCommit: @Sendable () async throws -> Void
    ) async throws

    /// Finishes a message that a crash left after `beforeCommit` (for a file: moves it into place).
    func completeCommitted(_ message: OutgoingMessage) async throws
}

extension MessageTransport {
    /// Ready as soon as asked: a transport with nothing to check before it sends.
    public func send(
        _ message: OutgoingMessage, whenReady: @Sendable () async throws -> Void,
        beforeCommit: @Sendable () async throws -> Void
    ) async throws {
        try await whenReady()
        try await send(message, beforeCommit: beforeCommit)
    }

    /// Finishes a message a crash left committed but perhaps not quite handed over; nothing to do by default (an
    /// SMTP server either took it or never will).
    public func completeCommitted(_ message: OutgoingMessage) async throws {}
}
