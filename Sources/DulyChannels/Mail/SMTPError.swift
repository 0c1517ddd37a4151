/// Why an SMTP server did not take a message.
///
/// Retry `transient` and `connection` later (`isTransient`). A `permanent` error is the server's final word on the
/// transaction (sender refused, authentication failed, message rejected); `recipientRefused` is the one that blames
/// an address, and with a permanent inner error it is a bounce (docs/DOMAIN.md, E-10).
public enum SMTPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A 4xx reply: code and text (the text starts with the enhanced status code when the server sends one).
    case transient(Int, String)
    /// A 5xx reply (or another unexpected one): code and text.
    case permanent(Int, String)
    /// No conversation: connection refused or reset, TLS failure, timeout, a malformed reply. Retry later.
    case connection(String)
    /// `RCPT TO` for this address was refused with the inner `.transient` or `.permanent` error; the message went
    /// to nobody (Duly sends to all recipients or to none, so a retry cannot duplicate it).
    indirect case recipientRefused(String, SMTPError)
    /// The address has a non-ASCII local part and the server does not offer SMTPUTF8 (RFC 6531): this message cannot
    /// go through this server, so it fails alone and for good.
    case smtpUTF8NotOffered(String)

    /// Whether a later attempt may succeed: 4xx replies and connection failures.
    public var isTransient: Bool {
        switch self {
        case .transient, .connection: return true
        case .permanent, .smtpUTF8NotOffered: return false
        case .recipientRefused(_, let inner): return inner.isTransient
        }
    }

    /// The reply code, if the server replied.
    public var code: Int? {
        switch self {
        case .transient(let code, _), .permanent(let code, _): return code
        case .connection, .smtpUTF8NotOffered: return nil
        case .recipientRefused(_, let inner): return inner.code
        }
    }

    /// The RFC 3463 enhanced status code (`5.1.1`) the server put at the start of its text, if any.
    public var enhancedStatusCode: String? {
        switch self {
        case .transient(let code, let text), .permanent(let code, let text):
            return SMTPReply.enhancedStatusCode(in: text, code: code)
        case .connection, .smtpUTF8NotOffered: return nil
        case .recipientRefused(_, let inner): return inner.enhancedStatusCode
        }
    }

    /// The address the server refused, for `recipientRefused`.
    public var refusedRecipient: String? {
        if case .recipientRefused(let address, _) = self { return address }
        return nil
    }

    public var description: String {
        switch self {
        case .transient(let code, let text): return "temporary SMTP failure: \(code) \(text)"
        case .permanent(let code, let text): return "permanent SMTP failure: \(code) \(text)"
        case .connection(let reason): return "SMTP connection failure: \(reason)"
        case .recipientRefused(let address, let inner): return "\(address) refused: \(inner)"
        case .smtpUTF8NotOffered(let address):
            return "\(address) has non-ASCII characters before the @ and the mail server does not offer SMTPUTF8: "
                + "ask the client for an ASCII address, or send through a server that supports SMTPUTF8"
        }
    }
}
