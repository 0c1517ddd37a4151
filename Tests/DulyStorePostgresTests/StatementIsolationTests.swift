import DulyCore
import DulyStore
import DulyStorePostgres
import Testing

/// Bank statements recorded by several writers at once (docs/ARCHITECTURE.md, "Isolation"): the credit counter's
/// row lock makes each credit recorded once and numbered without gaps or repeats.
@Suite(.enabled(if: TestServer.configured)) struct StatementIsolationTests {
    @Test func theSameStatementImportedTwiceAtOnceRecordsEachCreditOnce() async throws {
        try await Self.withOrganisation { store in
            // Given one statement of twenty credits nobody matched
            let credits = Self.credits("S1", count: 20)

            // When two imports of it run at once
            async let first = store.recordStatementCredits(credits, organisationID: "acme", context: Self.context)
            async let second = store.recordStatementCredits(credits, organisationID: "acme", context: Self.context)
            let summaries = try await [first, second]

            // Then one recorded them all and the other found them recorded
            #expect(summaries.map(\.recorded).sorted() == [0, 20], "\(summaries)")
            #expect(summaries.map(\.alreadyImported).sorted() == [0, 20], "\(summaries)")
            let queue = try await store.unmatchedCredits(organisationID: "acme")
            #expect(queue.map(\.id) == Array(1...20), "numbered 1 to 20 once each")
            #expect(queue.map(\.record.key) == credits.map(\.key), "in the statement's order")
        }
    }

    @Test func twoStatementsImportedAtOnceAreNumberedWithoutGapsOrRepeats() async throws {
        try await Self.withOrganisation { store in
            // Given two statements of fifteen credits each
            let one = Self.credits("S1", count: 15)
            let other = Self.credits("S2", count: 15)

            // When they are imported at once
            async let first = store.recordStatementCredits(one, organisationID: "acme", context: Self.context)
            async let second = store.recordStatementCredits(other, organisationID: "acme", context: Self.context)
            _ = try await [first, second]

            // Then every credit has its own number, 1 to 30, each statement's in its own order
            let queue = try await store.unmatchedCredits(organisationID: "acme")
            #expect(queue.map(\.id) == Array(1...30))
            let keys = queue.map(\.record.key)
            #expect(keys.filter { $0.hasPrefix("S1") } == one.map(\.key))
            #expect(keys.filter { $0.hasPrefix("S2") } == other.map(\.key))
        }
    }

    @Test func ofTwoResolutionsOfOneQueuedCreditAtOnceExactlyOneIsRecorded() async throws {
        try await Self.withOrganisation { store in
            // Given a customer's open invoice and a queued credit of its amount
            let euro = Currency(code: "EUR")!
            _ = try await store.importCustomers(
                [CustomerRecord(customer: Customer(id: "C1", name: "Customer C1"), contacts: [])],
                organisationID: "acme", context: Self.context)
            _ = try await store.importInvoices(
                [
                    Invoice(
                        number: "INV-1", customerID: "C1", issueDate: LocalDate(iso: "2026-03-01")!,
                        dueDate: LocalDate(iso: "2026-03-31")!, total: Money(minorUnits: 10_00, currency: euro))
                ], organisationID: "acme", context: Self.context)
            _ = try await store.recordStatementCredits(
                Self.credits("S1", count: 1), organisationID: "acme", context: Self.context)
            let id = try await store.unmatchedCredits(organisationID: "acme")[0].id

            // When one person matches it to the invoice while another dismisses it
            async let paid = Self.outcome {
                try await store.resolveCredit(
                    id: id, .invoices(["INV-1"]), organisationID: "acme", context: Self.context)
            }
            async let dismissed = Self.outcome {
                try await store.resolveCredit(
                    id: id, .ignore(reason: "a refund"), organisationID: "acme", context: Self.context)
            }
            let outcomes = await [paid, dismissed]

            // Then one of them is recorded, the other refused, and the invoice is paid only if the match won
            let recorded = outcomes.compactMap { try? $0.get() }
            #expect(recorded.count == 1, "\(outcomes)")
            let invoice = try await store.invoices(organisationID: "acme", customerID: "C1", openOnly: false)[0]
            #expect(invoice.paid.minorUnits == (recorded.first?.status == .resolved ? 10_00 : 0))
            #expect(try await store.unmatchedCredits(organisationID: "acme").isEmpty)
        }
    }

    private static func outcome(
        _ body: () async throws -> QueuedCredit
    ) async -> Result<QueuedCredit, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    private static let context = RecordingContext(
        date: LocalDate(iso: "2026-04-10")!, recordedAt: "2026-04-10T09:00:00Z")

    private static func withOrganisation(_ body: @Sendable (PostgresStore) async throws -> Void) async throws {
        try await TestServer.withDatabase { settings in
            try await PostgresStore.using(settings, logger: TestServer.logger) { store in
                try await store.migrate()
                try await store.saveOrganisation(
                    Organisation(
                        id: "acme", name: "Acme", baseCurrency: Currency(code: "EUR")!, country: "NL",
                        timeZone: "Europe/Amsterdam"))
                try await body(store)
            }
        }
    }

    // Credits of one statement that nobody matched (so they pay nothing and need no ledger).
    private static func credits(_ statement: String, count: Int) -> [StatementCreditRecord] {
        (1...count).map { entry in
            StatementCreditRecord(
                key: "\(statement)/\(entry).1", statementID: statement, account: "NL91ABNA0417164300",
                bookingDate: LocalDate(iso: "2026-04-10")!, valueDate: nil,
                amount: Money(minorUnits: 10_00 * entry, currency: Currency(code: "EUR")!), debtorName: "Payer",
                debtorIBAN: nil, reference: nil, endToEndId: nil, remittance: ["entry \(entry)"],
                match: .unmatched(reason: "payer unknown", candidates: [], notes: []))
        }
    }
}
