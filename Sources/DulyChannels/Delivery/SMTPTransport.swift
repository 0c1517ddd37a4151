/// Sends email through an SMTP server, keeping the outbox's commit contract (see `SMTPClient.send(content:…)`).
public struct SMTPTransport: MessageTransport {
    public let client: SMTPClient

    public init(client: SMTPClient) {
        self.client = client
    }

    public func send(_ message: OutgoingMessage, beforeCommit: @Sendable () async throws -> Void) async throws {
        try await send(message, whenReady: {}, beforeCommit: beforeCommit)
    }

    /// `whenReady` runs once the server has greeted, encrypted and authenticated as configured: a configuration
    /// error always comes before it.
    public func send(
        _ message: OutgoingMessage, whenReady: @Sendable () async throws -> Void,
        beforeCommit: @Sendable () async throws -> Void
    ) async throws {
        do {
            _ = try await client.send(
                content: message.content,
                envelope: SMTPEnvelope(sender: message.sender, recipients: message.recipients),
                beforeTransaction: whenReady,
                beforeCommit: beforeCommit)
        } catch let error as SMTPError {
            // 4xx and broken connections come back later; a 5xx is final, and one that names a recipient is a bounce.
            if error.isTransient { throw TransportError.temporary(error.description) }
            throw TransportError.permanent(error.description, bouncedAddress: error.refusedRecipient)
        } catch let error as MIMEError {
            // This message's own address or header is unusable: it fails alone, the others go on.
            throw TransportError.permanent(error.description, bouncedAddress: nil)
        } catch let error as SMTPConfigurationError {
            // The server cannot be used as configured (no STARTTLS, credentials refused, wrong host or port): no
            // message can go until a person changes the configuration, so none is charged an attempt.
            throw TransportError.configuration(error.description)
        }
    }
}
