import DulyImport
import DulyStore
import Foundation
import Testing

@testable import DulyServer

/// Studio is Dutch: INV-100 (EUR 300.00, due 3 March 2026) earns the Dutch statutory rate, the ECB rate (2.15 % in
/// the first half of 2026) plus 8 points, from 4 March.
@Suite struct InterestRouteTests {
    @Test func anInvoicesClaimIsTheWorkingDulyInterestPrints() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .get, "/api/v1/invoices/INV-100/interest", token: server.tokens[.viewer]!)
            #expect(answer.status == .ok)
            #expect(answer["regime"] == "NL")
            #expect(answer["as_of"] == "2026-03-20")
            #expect(answer["from"] == "2026-03-04")
            #expect(answer.json["days"] == .integer(17))
            #expect(answer["rate_percent"] == "10.15")
            // 300.00 x 10.15 % x 17 / 365 = 1.4182..., rounded once.
            #expect(answer["interest"] == "1.42")
            #expect(answer["compensation"] == "40.00")
            #expect(answer["rates_source"] == "built-in table")
        }
    }

    @Test func anAgreedRateAndAnotherLawAreAskedForAsTheCommandsOptions() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .get, "/api/v1/invoices/INV-100/interest?contract_rate=8&regime=DE&as_of=2026-03-13",
                token: server.tokens[.viewer]!)
            #expect(answer.status == .ok)
            #expect(answer["regime"] == "DE")
            #expect(answer.json["contractual"] == .bool(true))
            #expect(answer["rate_percent"] == "8.00")
            #expect(answer.json["days"] == .integer(10))
        }
    }

    @Test func aClaimNeedingARateNotYetKnownIsRefusedSayingWhichRate() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .get, "/api/v1/invoices/INV-100/interest?as_of=2026-08-01", token: server.tokens[.viewer]!)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.isProblem)
            #expect(answer["detail"]?.contains("2026") == true)
        }
    }

    @Test func theRateFileTheServerWasGivenFillsTheMissingHalfYear() async throws {
        let server = try await TestServer.make()
        let file = URL(fileURLWithPath: server.path).deletingLastPathComponent().appendingPathComponent("rates.csv")
        try Data("reference,valid_from,rate_percent\nECB,2026-07-01,2.00\n".utf8).write(to: file)
        let rates = try LoadedRates.load(overlaying: file.path)
        try await server.test(rates: rates) { client in
            let answer = try await client.call(
                .get, "/api/v1/invoices/INV-100/interest?as_of=2026-08-01", token: server.tokens[.viewer]!)
            #expect(answer.status == .ok)
            #expect(answer["rate_percent"] == "10.00")
            #expect(answer["rates_source"] == "built-in table with \(file.path) over it")
        }
    }

    @Test func aCustomersClaimsListEveryLateInvoiceAndWhatCouldNotBeWorkedOut() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let now = try await client.call(.get, "/api/v1/customers/C-100/interest", token: server.tokens[.viewer]!)
            #expect(now.status == .ok)
            guard case .array(let invoices) = now.json["invoices"], case .object(let first)? = invoices.first else {
                Issue.record("no invoices listed")
                return
            }
            #expect(invoices.count == 1)
            #expect(first["invoice"] == "INV-100")
            #expect(first["interest"] == "1.42")
            let later = try await client.call(
                .get, "/api/v1/customers/C-100/interest?as_of=2026-08-01", token: server.tokens[.viewer]!)
            #expect(later.status == .ok)
            #expect(later.json["invoices"] == .array([]))
            guard case .array(let missing) = later.json["not_computed"], case .object(let entry)? = missing.first else {
                Issue.record("nothing listed as not computed")
                return
            }
            #expect(entry["invoice_number"] == "INV-100")
        }
    }

    @Test(arguments: [("as_of=20-03-2026", "as_of"), ("regime=US", "regime"), ("contract_rate=8%", "contract_rate")])
    func aBadParameterIsRefusedNamingIt(_ query: String, _ field: String) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .get, "/api/v1/invoices/INV-100/interest?\(query)", token: server.tokens[.viewer]!)
            #expect(answer.status == .badRequest)
            #expect(answer["field"] == .some(field))
        }
    }

    @Test func anotherOrganisationsInvoiceAndCustomerAnswer404() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let invoice = try await client.call(
                .get, "/api/v1/invoices/INV-900/interest", token: server.tokens[.viewer]!)
            let customer = try await client.call(
                .get, "/api/v1/customers/C-900/interest", token: server.tokens[.viewer]!)
            #expect(invoice.status == .notFound)
            #expect(invoice["detail"] == "no invoice 'INV-900' in this organisation")
            #expect(customer.status == .notFound)
        }
    }
}
