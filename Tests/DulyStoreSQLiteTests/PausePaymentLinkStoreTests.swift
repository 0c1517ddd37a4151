import DulyCore
import DulyStore
import Testing

@testable import DulyStoreSQLite

/// Payment links on invoices and pauses of the chase, as the SQLite store keeps them.
@Suite struct PausePaymentLinkStoreTests {
    static let euro = Currency(code: "EUR")!
    static let day = LocalDate(iso: "2026-03-02")!
    static let context = RecordingContext(date: day, recordedAt: "2026-03-02T08:00:00Z")
    static let link = "https://pay.example/inv-1?ref=RF47INV1"

    static func ledger(_ store: SQLiteStore, paymentURL: String? = link) async throws {
        try await store.saveOrganisation(
            Organisation(id: "acme", name: "Acme", baseCurrency: euro, country: "NL", timeZone: "Europe/Amsterdam"))
        _ = try await store.importCustomers(
            [CustomerRecord(customer: Customer(id: "C1", name: "Brightwave"), contacts: [])], organisationID: "acme",
            context: context)
        _ = try await store.importInvoices(
            [invoice(paymentURL: paymentURL)], organisationID: "acme", context: context)
    }

    static func invoice(paymentURL: String?) -> Invoice {
        Invoice(
            number: "INV-1", customerID: "C1", issueDate: day.adding(days: -40), dueDate: day.adding(days: -10),
            total: Money(minorUnits: 120_00, currency: euro), paymentURL: paymentURL)
    }

    @Test func anInvoicesPaymentLinkIsKeptAndReadBackEverywhere() async throws {
        try await TemporaryStore.with { store, _ in
            try await Self.ledger(store)
            #expect(try await store.invoice(organisationID: "acme", number: "INV-1")?.invoice.paymentURL == Self.link)
            let account = try await store.account(organisationID: "acme", customerID: "C1")
            #expect(account?.invoices.first?.invoice.paymentURL == Self.link)
        }
    }

    @Test func theSameInvoiceWithAnotherPaymentLinkIsAConflictNamingIt() async throws {
        try await TemporaryStore.with { store, _ in
            try await Self.ledger(store)
            await #expect(throws: StoreError.conflict(kind: "invoice", key: "INV-1", field: "payment_url")) {
                _ = try await store.importInvoices(
                    [Self.invoice(paymentURL: "https://pay.example/other")], organisationID: "acme",
                    context: Self.context)
            }
        }
    }

    @Test func aStoreWriteRefusesAPaymentLinkThatIsNotAnAbsoluteURL() async throws {
        try await TemporaryStore.with { store, _ in
            try await Self.ledger(store, paymentURL: nil)
            var bad = Self.invoice(paymentURL: "pay.example/2")
            bad.number = "INV-2"
            await #expect(throws: (any Error).self) {
                _ = try await store.importInvoices([bad], organisationID: "acme", context: Self.context)
            }
            #expect(try await store.invoice(organisationID: "acme", number: "INV-2") == nil)
        }
    }

    @Test func aPauseIsOnTheAccountAndTheTimelineUntilItIsEnded() async throws {
        try await TemporaryStore.with { store, _ in
            try await Self.ledger(store)
            let pause = try await store.pauseChase(
                customerID: "C1", until: Self.day.adding(days: 4), reason: "paid on Friday", by: "mia",
                organisationID: "acme", context: Self.context)
            #expect(try await store.account(organisationID: "acme", customerID: "C1")?.pause == pause)
            #expect(try await store.pause(customerID: "C1", organisationID: "acme") == pause)
            let ended = try await store.endPause(
                customerID: "C1", by: "mia", organisationID: "acme", context: Self.context)
            #expect(ended == pause)
            #expect(try await store.account(organisationID: "acme", customerID: "C1")?.pause == nil)
            let kinds = try await store.timeline(organisationID: "acme", customerID: "C1").map(\.kind)
            #expect(kinds.suffix(2) == ["chase_paused", "chase_pause_ended"])
        }
    }

    @Test func settingTheSamePauseTwiceRecordsItOnce() async throws {
        try await TemporaryStore.with { store, _ in
            try await Self.ledger(store)
            for _ in 0..<2 {
                try await store.pauseChase(
                    customerID: "C1", until: Self.day.adding(days: 4), reason: "r", by: "mia", organisationID: "acme",
                    context: Self.context)
            }
            let kinds = try await store.timeline(organisationID: "acme", customerID: "C1").map(\.kind)
            #expect(kinds.filter { $0 == "chase_paused" }.count == 1)
        }
    }

    @Test func theClientsWordThatTheyHavePaidPausesForThePlaybooksDaysAsTheirs() async throws {
        try await TemporaryStore.with { store, _ in
            try await Self.ledger(store)
            let pause = try await store.recordPaidClaim(
                customerID: "C1", claimedBy: "Ann", note: "sent on Friday", playbook: .standard,
                organisationID: "acme", context: Self.context)
            #expect(pause.until == Self.day.adding(days: 5) && pause.byClient)
            let entry = try #require(try await store.timeline(organisationID: "acme", customerID: "C1").last)
            #expect(entry.kind == "chase_paused")
            #expect(entry.summary.contains("at the request of the client (Ann)"))
        }
    }

    @Test func anUnknownCustomerCannotBePaused() async throws {
        try await TemporaryStore.with { store, _ in
            try await Self.ledger(store)
            await #expect(throws: StoreError.customerNotFound("C9")) {
                try await store.pauseChase(
                    customerID: "C9", until: Self.day, reason: "r", by: "mia", organisationID: "acme",
                    context: Self.context)
            }
        }
    }

    @Test func aPauseIsAnnouncedToItsSubscribers() async throws {
        try await TemporaryStore.with { store, _ in
            try await Self.ledger(store)
            _ = try await store.addWebhookSubscriber(
                url: "https://hooks.example/duly", events: [.customerPaused, .customerPauseEnded],
                secret: "whsec_0123456789abcdef",
                organisationID: "acme", createdAt: "2026-03-02T08:00:00Z")
            try await store.pauseChase(
                customerID: "C1", until: Self.day.adding(days: 4), reason: "r", by: "mia", organisationID: "acme",
                context: Self.context)
            _ = try await store.endPause(customerID: "C1", by: "mia", organisationID: "acme", context: Self.context)
            let events = try await store.webhookEvents(organisationID: "acme", limit: 10)
            #expect(events.map(\.type) == [.customerPauseEnded, .customerPaused])
            #expect(events.last?.data.contains("2026-03-06") == true, "\(events.last?.data ?? "")")
        }
    }
}
