import Crypto
import DulyCore
import DulyImport
import DulyStore
import Foundation
import Hummingbird

/// Stripe's events as payments: `POST /api/v1/payment-events/stripe` takes `payment_intent.succeeded` and
/// `checkout.session.completed` events, signed by Stripe (`Stripe-Signature`), and records the money as the credit
/// of a bank statement would be: matched by the matcher `duly import statement` uses, with the invoice number of the
/// event's `metadata.invoice_number` as its end-to-end id. It authenticates by the signature, not by a token: the
/// organisation is the one whose endpoint secret signed the event (`PUT /api/v1/payment-providers/stripe`).
///
/// A payment is recorded once whatever the number of deliveries: the credit's key is Stripe's payment intent (the
/// event id when there is none), so a redelivery, or the checkout session's event beside its payment intent's,
/// changes nothing. Money for an invoice number Duly does not know is not recorded as a payment: it waits on the
/// unmatched queue (`GET /bank-credits?status=unmatched`, `duly worklist`), where a person matches it.
struct StripeController<Store: ServerStore> {
    let api: API<Store>
    var store: Store { api.store }

    /// How far an event's signing time may be from now, in seconds, both ways (Stripe's libraries use 300).
    static var tolerance: Int64 { 300 }

    /// Routes outside the token-guarded group: Stripe sends no bearer token.
    func add(to router: Router<APIContext>) {
        router.post("api/v1/payment-events/stripe", use: receive)
    }

    /// The owner's route for the endpoint secret, inside the token-guarded group.
    func add(to group: RouterGroup<APIContext>) {
        group.put("payment-providers/stripe", use: setSecret)
    }

    // MARK: - The endpoint secret

    /// Sets the organisation's Stripe endpoint secret (`whsec_…`, from Stripe's dashboard). It is never shown back.
    @Sendable func setSecret(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.owner)
        var request = request
        let buffer = try await request.collectBody(upTo: IdempotentPost<Store>.maximumBody)
        let body = try BodyFields(Array(buffer.readableBytesView), allowed: ["endpoint_secret"])
        guard let secret = try body.string("endpoint_secret"), secret.count >= 8, secret.count <= 500,
            !secret.unicodeScalars.contains(where: { $0.value < 0x21 })
        else {
            throw Problem(
                .unprocessableContent, "the endpoint secret Stripe shows for this endpoint (whsec_…) is required",
                field: "endpoint_secret")
        }
        let setAt = api.clock.timestamp()
        try await store.setPaymentProviderSecret(
            secret, provider: .stripe, organisationID: identity.organisationID, setAt: setAt)
        return .json(
            ["provider": "stripe", "endpoint_secret_set": .bool(true), "set_at": .string(setAt)] as JSONObject)
    }

    // MARK: - Events

    @Sendable func receive(_ request: Request, context: APIContext) async throws -> APIResponse {
        var request = request
        let buffer = try await request.collectBody(upTo: IdempotentPost<Store>.maximumBody)
        let payload = Array(buffer.readableBytesView)
        let now = try Self.seconds(api.clock.timestamp())
        let organisationID = try await signer(of: payload, header: request.headers[.stripeSignature], now: now)
        guard let organisation = try await store.organisation(id: organisationID) else {
            throw Self.refused("the organisation this secret belongs to no longer exists")
        }
        let event = try StripeEvent(payload)
        guard let payment = event.payment else {
            // Stripe stops redelivering on any 2xx: an event Duly has no use for is acknowledged, not refused.
            return .json(
                [
                    "event_id": .string(event.id), "type": .string(event.type), "recorded": .bool(false),
                    "status": "ignored", "reason": .string(event.ignoredBecause ?? "not a payment"),
                ] as JSONObject)
        }
        guard let currency = Currency(code: payment.currency.uppercased()) else {
            throw Problem(.badRequest, "'\(payment.currency)' is not a currency Duly knows", field: "currency")
        }
        let recording = api.recording(organisation)
        let credit = BankCredit(
            amount: Money(minorUnits: payment.amount, currency: currency), bookingDate: recording.date,
            endToEndId: payment.invoiceNumber, remittance: ["Stripe \(payment.objectID)"], bankReference: event.id,
            entryIndex: 1, transactionIndex: 1, line: 1)
        let (records, _) = try await store.matchAndRecord(
            [StatementCredit(key: "stripe/\(payment.key)", statementID: "stripe", account: "stripe", credit: credit)],
            organisationID: organisation.id, context: recording)
        var object: JSONObject = ["event_id": .string(event.id), "type": .string(event.type)]
        guard let record = records.first ?? nil else {
            object.members += [("recorded", .bool(false)), ("status", "already_recorded"), ("reason", .null)]
            return .json(object)
        }
        let matched = record.match.key != nil
        object.members += [
            ("recorded", .bool(matched)), ("status", .string(matched ? "matched" : "unmatched")),
            ("reason", matched ? .null : .string(Self.reason(record, invoiceNumber: payment.invoiceNumber))),
        ]
        return .json(object, status: matched ? .created : .ok)
    }

    // Why money was not recorded as a payment, for the answer (the queue keeps the matcher's own words).
    private static func reason(_ record: StatementCreditRecord, invoiceNumber: String?) -> String {
        guard let invoiceNumber else {
            return "the event has no metadata.invoice_number; the money waits on the unmatched queue"
        }
        if case .unmatched(let reason, _, _) = record.match {
            return "invoice number '\(invoiceNumber)' matched no open invoice (\(reason)); the money waits on the "
                + "unmatched queue"
        }
        return "the money waits on the unmatched queue"
    }

    // MARK: - Signature

    /// The organisation whose endpoint secret signed `payload`: `Stripe-Signature` is `t=UNIX,v1=HEX[,v1=HEX…]`,
    /// each v1 an HMAC-SHA256 of `t.payload` under the secret, and t within the tolerance of now.
    func signer(of payload: [UInt8], header: String?, now: Int64) async throws -> String {
        guard let header else { throw Self.refused("no Stripe-Signature header") }
        var timestamp: Int64?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1].lowercased()) }
        }
        guard let timestamp, !signatures.isEmpty else {
            throw Self.refused("the Stripe-Signature header has no t= and v1= parts")
        }
        guard abs(now - timestamp) <= Self.tolerance else {
            throw Self.refused("the signature was made at \(timestamp), more than \(Self.tolerance) s from now")
        }
        let signed = Array("\(timestamp).".utf8) + payload
        for (organisationID, secret) in try await store.paymentProviderSecrets(provider: .stripe) {
            let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(secret.utf8)))
            let expected = Hex.encode(code)
            // Compared in constant time, so that timing tells nothing of the expected code.
            if signatures.contains(where: { Self.constantTimeEqual($0, expected) }) { return organisationID }
        }
        throw Self.refused("no endpoint secret set in Duly signed this event")
    }

    private static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let (left, right) = (Array(lhs.utf8), Array(rhs.utf8))
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func refused(_ why: String) -> Problem {
        Problem(
            .unauthorized,
            "the Stripe signature does not verify: \(why); set the endpoint's secret with "
                + "PUT /api/v1/payment-providers/stripe",
            field: "Stripe-Signature")
    }

    /// Unix seconds of an RFC 3339 timestamp (the clock's `timestamp`).
    static func seconds(_ timestamp: String) throws -> Int64 {
        Int64(try Date(timestamp, strategy: .iso8601).timeIntervalSince1970)
    }
}

extension HTTPFields.Element.Name {
    static let stripeSignature = Self("Stripe-Signature")!
}

/// The parts of a Stripe event Duly reads.
struct StripeEvent {
    /// What a payment event says was paid.
    struct Payment {
        /// The payment intent's id (`pi_…`), else the object's: one payment, whichever event tells of it.
        var key: String
        var objectID: String
        /// In the currency's minor units, as Stripe states amounts.
        var amount: Int
        var currency: String
        var invoiceNumber: String?
    }

    var id: String
    var type: String
    var payment: Payment?
    var ignoredBecause: String?

    init(_ payload: [UInt8]) throws {
        guard let value = try? JSONDecoder().decode(JSONNode.self, from: Data(payload)),
            case .object(let event) = value,
            case .string(let id)? = event["id"], case .string(let type)? = event["type"]
        else { throw Problem(.badRequest, "not a Stripe event: a JSON object with id and type is expected") }
        self.id = id
        self.type = type
        guard type == "payment_intent.succeeded" || type == "checkout.session.completed" else {
            ignoredBecause = "Duly records payment_intent.succeeded and checkout.session.completed events"
            return
        }
        guard case .object(let data)? = event["data"], case .object(let object)? = data["object"],
            case .string(let objectID)? = object["id"], case .string(let currency)? = object["currency"]
        else { throw Problem(.badRequest, "the event has no data.object with an id and a currency", field: "data") }
        let amountField = type == "payment_intent.succeeded" ? "amount_received" : "amount_total"
        guard case .integer(let amount)? = object[amountField], amount > 0 else {
            throw Problem(.badRequest, "data.object.\(amountField) is not a positive amount", field: amountField)
        }
        if type == "checkout.session.completed", object["payment_status"] != .string("paid") {
            // A delayed payment method: the money has not arrived; its payment intent's event will say when.
            ignoredBecause = "the checkout session is not paid yet (payment_status is not 'paid')"
            return
        }
        var invoiceNumber: String?
        if case .object(let metadata)? = object["metadata"], case .string(let number)? = metadata["invoice_number"],
            !number.isEmpty
        {
            invoiceNumber = number
        }
        var key = objectID
        if type == "checkout.session.completed", case .string(let intent)? = object["payment_intent"] { key = intent }
        payment = Payment(
            key: key, objectID: objectID, amount: amount, currency: currency, invoiceNumber: invoiceNumber)
    }
}
