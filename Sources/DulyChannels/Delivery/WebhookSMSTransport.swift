import Crypto
import DulyCore
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends text messages through any SMS gateway that accepts a webhook: a JSON POST, signed with HMAC-SHA256.
///
/// The body is `{"message_id", "to", "text", "customer_id", "action_id"}`; the header `Duly-Signature` carries
/// `t=TIMESTAMP,v1=HEX` where HEX is HMAC-SHA256 with the shared secret over `TIMESTAMP.BODY`, so the gateway can
/// check both origin and freshness. 2xx is sent; 4xx other than 408/429 is permanent; anything else is temporary.
/// Off unless configured (`DULY_SMS_WEBHOOK_URL` and `DULY_SMS_WEBHOOK_SECRET`).
public struct WebhookSMSTransport: MessageTransport {
    public let url: URL
    let secret: SymmetricKey
    /// Unix seconds for the signature; injected so that tests (and simulations) choose the time.
    let timestamp: @Sendable () -> Int64

    public init(url: URL, secret: String, timestamp: @escaping @Sendable () -> Int64) {
        self.url = url
        self.secret = SymmetricKey(data: Array(secret.utf8))
        self.timestamp = timestamp
    }

    /// The JSON body for a text message.
    public static func body(for message: OutgoingMessage) throws -> Data {
        let payload: [String: String] = [
            "message_id": message.messageID, "to": message.recipients.joined(separator: ","),
            "text": String(decoding: message.content, as: UTF8.self), "customer_id": message.customerID,
            "action_id": String(message.actionID),
        ]
        return try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
    }

    /// `t=TIMESTAMP,v1=HEX`: HMAC-SHA256 over `TIMESTAMP.BODY`.
    public func signature(body: Data, at time: Int64) -> String {
        var signed = Data("\(time).".utf8)
        signed.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: secret)
        return "t=\(time),v1=" + Hex.encode(mac)
    }

    public func send(_ message: OutgoingMessage, beforeCommit: @Sendable () async throws -> Void) async throws {
        let body = try WebhookSMSTransport.body(for: message)
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(signature(body: body, at: timestamp()), forHTTPHeaderField: "Duly-Signature")
        request.setValue(message.messageID, forHTTPHeaderField: "Idempotency-Key")
        let response: URLResponse
        do {
            (_, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw TransportError.temporary("SMS gateway unreachable: \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        switch status {
        case 200..<300:
            // HTTP has no commit point the sender controls, but the gateway de-duplicates on the Idempotency-Key:
            // so "committed" is recorded once the gateway has said yes, and a crash before that sends the same key
            // again, which the gateway recognises.
            try await beforeCommit()
        case 408, 429: throw TransportError.temporary("SMS gateway answered \(status)")
        case 400..<500:
            throw TransportError.permanent("SMS gateway refused the message (\(status))", bouncedAddress: nil)
        default: throw TransportError.temporary("SMS gateway answered \(status)")
        }
    }
}
