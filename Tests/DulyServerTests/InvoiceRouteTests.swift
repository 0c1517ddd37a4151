import DulyCore
import DulyStore
import Testing

@testable import DulyServer

@Suite struct InvoiceRouteTests {
    static let newInvoice = """
        {"invoice_number": "INV-200", "customer_id": "C-100", "issue_date": "2026-03-10", "currency": "EUR",
         "total": "450.00", "terms": "net 30"}
        """

    @Test func anInvoiceCreatedShowsItsBalanceAndItsStageToday() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let created = try await client.call(
                .post, "/api/v1/invoices", token: server.tokens[.manager]!, body: Self.newInvoice)
            #expect(created.status == .created)
            #expect(created["due_date"] == "2026-04-09")
            #expect(created["open"] == "450.00")
            #expect(created["stage"] == "pre_due")
            let old = try await client.call(.get, "/api/v1/invoices/INV-100", token: server.tokens[.viewer]!)
            #expect(old["stage"] == "delayed")
            #expect(old["total"] == "300.00")
            #expect(old["currency"] == "EUR")
        }
    }

    @Test func anInvoiceCreatedWithAPaymentLinkShowsItWhenRead() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let body = Self.newInvoice.replacingOccurrences(
                of: #""terms": "net 30""#, with: #""terms": "net 30", "payment_url": "https://pay.example/inv-200""#)
            let created = try await client.call(.post, "/api/v1/invoices", token: server.tokens[.manager]!, body: body)
            #expect(created.status == .created)
            let read = try await client.call(.get, "/api/v1/invoices/INV-200", token: server.tokens[.viewer]!)
            #expect(read["payment_url"] == "https://pay.example/inv-200")
            let without = try await client.call(.get, "/api/v1/invoices/INV-100", token: server.tokens[.viewer]!)
            #expect(without.json["payment_url"] == .null)
        }
    }

    @Test func aPaymentLinkThatIsNotAnAbsoluteURLIsRefusedNamingTheField() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let body = Self.newInvoice.replacingOccurrences(
                of: #""terms": "net 30""#, with: #""terms": "net 30", "payment_url": "javascript:alert(1)""#)
            let answer = try await client.call(.post, "/api/v1/invoices", token: server.tokens[.manager]!, body: body)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "payment_url")
            let missing = try await client.call(.get, "/api/v1/invoices/INV-200", token: server.tokens[.viewer]!)
            #expect(missing.status == .notFound)
        }
    }

    @Test func anAmountSentAsAJSONNumberIsRefused() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/invoices", token: server.tokens[.manager]!,
                body: Self.newInvoice.replacingOccurrences(of: #""450.00""#, with: "450.00"))
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "total")
        }
    }

    @Test func anInvoiceForAnotherOrganisationsCustomerIsRefusedAsForAnUnknownOne() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/invoices", token: server.tokens[.manager]!,
                body: Self.newInvoice.replacingOccurrences(of: "C-100", with: "C-900"))
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "customer_id")
        }
    }

    @Test func anotherInvoiceUnderATakenNumberIsAConflictNamingTheFirstDifference() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .post, "/api/v1/invoices", token: server.tokens[.manager]!,
                body: Self.newInvoice.replacingOccurrences(of: "INV-200", with: "INV-100"))
            #expect(answer.status == .conflict)
            #expect(answer["field"] == "issue_date")
            #expect(answer["detail"]?.contains("INV-100") == true)
        }
    }

    @Test func invoicesAreFilteredByStage() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            _ = try await client.call(.post, "/api/v1/invoices", token: server.tokens[.manager]!, body: Self.newInvoice)
            let delayed = try await client.call(.get, "/api/v1/invoices?stage=delayed", token: server.tokens[.viewer]!)
            #expect(delayed.items.map { $0["invoice_number"] } == [.string("INV-100")])
            let preDue = try await client.call(.get, "/api/v1/invoices?stage=pre_due", token: server.tokens[.viewer]!)
            #expect(preDue.items.map { $0["invoice_number"] } == [.string("INV-200")])
        }
    }

    @Test func aStageThatDoesNotExistIsRefusedNamingTheParameter() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/api/v1/invoices?stage=late", token: server.tokens[.viewer]!)
            #expect(answer.status == .badRequest)
            #expect(answer["field"] == "stage")
        }
    }

    @Test func invoicesAreFilteredByCustomerAndByCollector() async throws {
        let server = try await TestServer.make()
        let context = RecordingContext(date: TestServer.today, recordedAt: "2026-03-20T08:00:00Z")
        _ = try await server.store.importCustomers(
            [CustomerRecord(customer: Customer(id: "C-300", name: "Kept by Bea", collector: "bea"), contacts: [])],
            organisationID: "studio", context: context)
        try await server.test { client in
            _ = try await client.call(
                .post, "/api/v1/invoices", token: server.tokens[.manager]!,
                body: Self.newInvoice.replacingOccurrences(of: "C-100", with: "C-300"))
            let token = server.tokens[.viewer]!
            let bea = try await client.call(.get, "/api/v1/invoices?collector=bea", token: token)
            #expect(bea.items.map { $0["invoice_number"] } == [.string("INV-200")])
            let customer = try await client.call(.get, "/api/v1/invoices?customer_id=C-100", token: token)
            #expect(customer.items.map { $0["invoice_number"] } == [.string("INV-100")])
        }
    }

    @Test func pagesOfInvoicesFollowTheirCursorsToTheEnd() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            for number in 201...204 {
                _ = try await client.call(
                    .post, "/api/v1/invoices", token: server.tokens[.manager]!,
                    body: Self.newInvoice.replacingOccurrences(of: "INV-200", with: "INV-\(number)"))
            }
            var seen: [JSONNode?] = []
            var uri = "/api/v1/invoices?limit=2"
            for _ in 0..<5 {
                let page = try await client.call(.get, uri, token: server.tokens[.viewer]!)
                seen += page.items.map { $0["invoice_number"] }
                guard let cursor = page["next_cursor"] else { break }
                uri = "/api/v1/invoices?limit=2&cursor=\(cursor)"
            }
            #expect(seen == ["INV-100", "INV-201", "INV-202", "INV-203", "INV-204"].map(JSONNode.string))
        }
    }
}
