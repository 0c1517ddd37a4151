import DulyCore
import DulyStore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DulyServer

@Suite struct StripeRouteTests {
    static func event(
        _ id: String, invoice: String? = "INV-100", amount: Int = 30_000, type: String = "payment_intent.succeeded",
        intent: String = "pi_1"
    ) -> String {
        let metadata = invoice.map { #"{"invoice_number": "\#($0)"}"# } ?? "{}"
        let object =
            type == "payment_intent.succeeded"
            ? #"{"id": "\#(intent)", "object": "payment_intent", "amount_received": \#(amount), "currency": "eur", "metadata": \#(metadata)}"#
            : #"{"id": "cs_1", "object": "checkout.session", "amount_total": \#(amount), "currency": "eur", "payment_status": "paid", "payment_intent": "\#(intent)", "metadata": \#(metadata)}"#
        return #"{"id": "\#(id)", "type": "\#(type)", "data": {"object": \#(object)}}"#
    }

    static func post(
        _ client: any TestClientProtocol, _ body: String, headers: HTTPFields? = nil
    ) async throws -> Answer {
        try await client.call(
            .post, "/api/v1/payment-events/stripe", body: body, headers: headers ?? StripeSigning.header(body))
    }

    static func open(_ server: TestServer) async throws -> [String: Money] {
        let balances = try await server.store.invoices(organisationID: "studio", customerID: "C-100", openOnly: false)
        return Dictionary(uniqueKeysWithValues: balances.map { ($0.invoice.number, $0.open) })
    }

    @Test func aSignedPaymentIntentRecordsOnePaymentOnTheInvoiceItNames() async throws {
        let server = try await TestServer.make()
        try await StripeSigning.configure(server)
        try await server.test { client in
            let answer = try await Self.post(client, Self.event("evt_1"))
            #expect(answer.status == .created)
            #expect(answer["status"] == "matched")
            #expect(answer.json["recorded"] == .bool(true))
        }
        #expect(try await Self.open(server)["INV-100"]?.minorUnits == 0)
    }

    @Test func theSameEventFiveTimesRecordsOnePayment() async throws {
        let server = try await TestServer.make()
        try await StripeSigning.configure(server)
        try await server.test { client in
            var statuses: [String?] = []
            for _ in 1...5 {
                statuses.append(try await Self.post(client, Self.event("evt_1", amount: 10_000))["status"])
            }
            #expect(
                statuses == ["matched", "already_recorded", "already_recorded", "already_recorded", "already_recorded"])
        }
        #expect(try await Self.open(server)["INV-100"]?.minorUnits == 20_000)
    }

    @Test func theCheckoutSessionOfAPaymentAlreadyToldOfRecordsNothingMore() async throws {
        let server = try await TestServer.make()
        try await StripeSigning.configure(server)
        try await server.test { client in
            let intent = try await Self.post(client, Self.event("evt_1", amount: 10_000))
            let session = try await Self.post(
                client, Self.event("evt_2", amount: 10_000, type: "checkout.session.completed"))
            #expect(intent["status"] == "matched")
            #expect(session["status"] == "already_recorded")
        }
        #expect(try await Self.open(server)["INV-100"]?.minorUnits == 20_000)
    }

    @Test func aBadSignatureIsRefusedAndNothingIsWritten() async throws {
        let server = try await TestServer.make()
        try await StripeSigning.configure(server)
        let body = Self.event("evt_1")
        try await server.test { client in
            for headers in [
                StripeSigning.header(body, secret: "whsec_someone_else"), StripeSigning.header(body + " "),
                [:], [.stripeSignature: "v1=abc"],
            ] {
                let answer = try await Self.post(client, body, headers: headers)
                #expect(answer.status == .unauthorized)
                #expect(answer.isProblem)
                #expect(answer["field"] == "Stripe-Signature")
            }
        }
        #expect(try await Self.open(server)["INV-100"]?.minorUnits == 30_000)
        #expect(try await server.store.unmatchedCredits(organisationID: "studio").isEmpty)
    }

    @Test func aStaleSignatureIsRefusedAndNothingIsWritten() async throws {
        let server = try await TestServer.make()
        try await StripeSigning.configure(server)
        let body = Self.event("evt_1")
        try await server.test { client in
            let stale = try await Self.post(
                client, body, headers: StripeSigning.header(body, at: StripeSigning.now - 301))
            let early = try await Self.post(
                client, body, headers: StripeSigning.header(body, at: StripeSigning.now + 301))
            let within = try await Self.post(
                client, body, headers: StripeSigning.header(body, at: StripeSigning.now - 299))
            #expect(stale.status == .unauthorized)
            #expect(early.status == .unauthorized)
            #expect(within.status == .created)
        }
    }

    @Test func anUnknownInvoiceNumberRecordsNoPaymentAndTheMoneyWaitsOnTheQueue() async throws {
        let server = try await TestServer.make()
        try await StripeSigning.configure(server)
        try await server.test { client in
            let answer = try await Self.post(client, Self.event("evt_1", invoice: "INV-404", amount: 5_000))
            #expect(answer.status == .ok)
            #expect(answer["status"] == "unmatched")
            #expect(answer.json["recorded"] == .bool(false))
            #expect(answer["reason"]?.contains("INV-404") == true)
            // Visible where unmatched bank credits are: the queue a person matches from.
            let queue = try await client.call(
                .get, "/api/v1/bank-credits?status=unmatched", token: server.tokens[.viewer]!)
            #expect(queue.items.map { $0["amount"] } == ["50.00"])
            #expect(queue.items.first?["account"] == "stripe")
        }
        #expect(try await Self.open(server)["INV-100"]?.minorUnits == 30_000)
    }

    @Test func anotherOrganisationsSecretCannotPayThisOrganisationsInvoice() async throws {
        let server = try await TestServer.make()
        try await server.store.setPaymentProviderSecret(
            "whsec_other_secret", provider: .stripe, organisationID: "other", setAt: "2026-03-20T08:00:00Z")
        let body = Self.event("evt_1")
        try await server.test { client in
            let answer = try await Self.post(
                client, body, headers: StripeSigning.header(body, secret: "whsec_other_secret"))
            // Signed by the other organisation: matched against its ledger, where INV-100 is unknown.
            #expect(answer["status"] == "unmatched")
        }
        #expect(try await Self.open(server)["INV-100"]?.minorUnits == 30_000)
    }

    @Test func anEventThatIsNotAPaymentIsAcknowledgedAndIgnored() async throws {
        let server = try await TestServer.make()
        try await StripeSigning.configure(server)
        try await server.test { client in
            let answer = try await Self.post(
                client, #"{"id": "evt_9", "type": "customer.created", "data": {"object": {}}}"#)
            #expect(answer.status == .ok)
            #expect(answer["status"] == "ignored")
        }
    }

    @Test func theOwnerSetsTheSecretAndOnlyTheOwner() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let manager = try await client.call(
                .put, "/api/v1/payment-providers/stripe", token: server.tokens[.manager]!,
                body: #"{"endpoint_secret": "whsec_new_secret"}"#)
            #expect(manager.status == .forbidden)
            let empty = try await client.call(
                .put, "/api/v1/payment-providers/stripe", token: server.tokens[.owner]!,
                body: #"{"endpoint_secret": ""}"#)
            #expect(empty.status == .unprocessableContent)
            #expect(empty["field"] == "endpoint_secret")
            let owner = try await client.call(
                .put, "/api/v1/payment-providers/stripe", token: server.tokens[.owner]!,
                body: #"{"endpoint_secret": "whsec_new_secret"}"#)
            #expect(owner.status == .ok)
            #expect(!String(decoding: owner.body, as: UTF8.self).contains("whsec_new_secret"))
            let body = Self.event("evt_1")
            let paid = try await Self.post(
                client, body, headers: StripeSigning.header(body, secret: "whsec_new_secret"))
            #expect(paid.status == .created)
        }
    }
}
