import DulyCore
import DulyStore

/// A broken promise of the `DulyStore` contract: what was expected and what the store did.
public struct ContractViolation: Error, CustomStringConvertible, Sendable {
    /// What went wrong, in words a failing test can print as is.
    public let message: String

    /// Creates a violation with its explanation.
    public init(_ message: String) {
        self.message = message
    }

    /// The explanation.
    public var description: String { message }
}

/// The behaviour every `DulyStore` backend must show, as cases any test framework can run.
///
/// Each case receives a fresh, migrated, empty store, sets up what it needs through the protocol only, and throws a
/// `ContractViolation` when the store misbehaves. SQLite runs them always, PostgreSQL when a server is configured.
public enum StoreContract {
    /// A named case of the contract.
    public typealias Case = (name: String, run: @Sendable (any DulyStore) async throws -> Void)

    /// Every case, by name.
    public static let allCases: [Case] = [
        ("organisationRoundTrip", organisationRoundTrip),
        ("anApprovalDecidedMeanwhileIsNeverJoinedIntoANewOne", anApprovalDecidedMeanwhileIsNeverJoinedIntoANewOne),
        ("customerReimportChangesNothing", customerReimportChangesNothing),
        ("invoiceReimportChangesNothing", invoiceReimportChangesNothing),
        ("paymentReimportChangesNothing", paymentReimportChangesNothing),
        ("invoiceConflictNamesTheFieldAndImportsNothing", invoiceConflictNamesTheFieldAndImportsNothing),
        ("paymentConflictNamesTheFieldAndImportsNothing", paymentConflictNamesTheFieldAndImportsNothing),
        ("unknownCustomerIsRefusedAndNothingImported", unknownCustomerIsRefusedAndNothingImported),
        ("paymentGoesToTheNamedInvoiceFirst", paymentGoesToTheNamedInvoiceFirst),
        ("paymentGoesOldestFirstOtherwise", paymentGoesOldestFirstOtherwise),
        ("partialPaymentLeavesTheRestOpen", partialPaymentLeavesTheRestOpen),
        ("overPaymentLeavesAnUnallocatedCredit", overPaymentLeavesAnUnallocatedCredit),
        ("paymentLeavesOtherCurrenciesUntouched", paymentLeavesOtherCurrenciesUntouched),
        ("customerPostalAddressAndTitleRoundTrip", customerPostalAddressAndTitleRoundTrip),
        ("paymentOutcomeSaysWhereTheMoneyWentAndWhy", paymentOutcomeSaysWhereTheMoneyWentAndWhy),
        ("importRefusalsFindEveryProblemAndWriteNothing", importRefusalsFindEveryProblemAndWriteNothing),
        ("creditNoteReducesTheOpenAmountAndClosesAsCredited", creditNoteReducesTheOpenAmountAndClosesAsCredited),
        ("balancesEqualTheAllocationsAndCreditNotes", balancesEqualTheAllocationsAndCreditNotes),
        ("accountsForRunComeInBatches", accountsForRunComeInBatches),
        ("accountsForRunCarryWhatThePlannerReads", accountsForRunCarryWhatThePlannerReads),
        ("commitRunWritesAnIdempotencyKeyOnce", commitRunWritesAnIdempotencyKeyOnce),
        (
            "actionsAreNumberedPerOrganisationFromOneAndFoundOnlyByTheirOwn",
            actionsAreNumberedPerOrganisationFromOneAndFoundOnlyByTheirOwn
        ),
        ("cancellationTouchesOnlyPendingActions", cancellationTouchesOnlyPendingActions),
        ("actionStatusMovesForwardAndIsRecorded", actionStatusMovesForwardAndIsRecorded),
        ("tornRunLeavesNoPartialState", tornRunLeavesNoPartialState),
        ("tornImportLeavesNoPartialState", tornImportLeavesNoPartialState),
        ("everyTimelineVerifies", everyTimelineVerifies),
        ("organisationsNeverSeeEachOther", organisationsNeverSeeEachOther),
        ("oneActionIsReadByItsIdWithinItsOrganisationOnly", oneActionIsReadByItsIdWithinItsOrganisationOnly),
        ("deleteOrganisationRemovesOnlyThatOrganisation", deleteOrganisationRemovesOnlyThatOrganisation),
        (
            "theCollectionDayLooksOnlyAtAccountsThatChangedOrAreDue",
            theCollectionDayLooksOnlyAtAccountsThatChangedOrAreDue
        ),
        ("anIncrementalRunMissesNothingAFullRunWouldPlan", anIncrementalRunMissesNothingAFullRunWouldPlan),
    ]

    // MARK: - Organisations

    /// Settings come back as saved, replacing them replaces them, and an unknown organisation is refused.
    public static func organisationRoundTrip(_ store: any DulyStore) async throws {
        var organisation = Fixture.organisation("acme")
        try await store.saveOrganisation(organisation)
        try expectEqual(try await store.organisation(id: "acme"), organisation, "saved organisation")
        organisation.name = "Acme Holdings"
        organisation.holidays = [Fixture.day("2026-12-25"), Fixture.day("2026-12-26")]
        organisation.sender = SenderIdentity(
            name: "Acme Accounts", fromAddress: "accounts@acme.example", replyTo: "ar@acme.example",
            signature: "Kind regards,\nAcme Accounts", paymentInstructions: "IBAN NL91 ABNA 0417 1643 00",
            postalAddress: ["Keizersgracht 1", "1015 AA Amsterdam"])
        try await store.saveOrganisation(organisation)
        try expectEqual(try await store.organisation(id: "acme"), organisation, "organisation with a sender")
        // The team's language, the phone clients may call, and how to pay in the clients' languages.
        organisation.language = "fr"
        organisation.sender?.phone = "+31 20 123 4567"
        organisation.sender?.translatedPaymentInstructions = [
            "de": "Bitte überweisen Sie auf IBAN NL91 ABNA 0417 1643 00", "en": "Pay to IBAN NL91 ABNA 0417 1643 00",
        ]
        try await store.saveOrganisation(organisation)
        try expectEqual(try await store.organisation(id: "acme"), organisation, "organisation with sender details")
        organisation.language = Organisation.defaultLanguage(country: organisation.country)
        organisation.sender?.phone = nil
        organisation.sender?.translatedPaymentInstructions = [:]
        organisation.sender = nil
        try await store.saveOrganisation(organisation)
        try expectEqual(try await store.organisation(id: "acme"), organisation, "replaced organisation")
        try expectEqual(try await store.organisation(id: "nobody"), nil, "unknown organisation")
        try await expectError(.organisationNotFound("nobody"), "importing into an unknown organisation") {
            _ = try await store.importCustomers(
                [Fixture.customer("C1")], organisationID: "nobody", context: Fixture.on("2026-03-02"))
        }
    }

    // MARK: - Imports

    /// Importing the same customers again changes nothing; a changed customer is updated and recorded.
    public static func customerReimportChangesNothing(_ store: any DulyStore) async throws {
        try await Fixture.seed(store, "acme")
        let records = [Fixture.customer("C1"), Fixture.customer("C2", contacts: 2)]
        let first = try await store.importCustomers(records, organisationID: "acme", context: Fixture.on("2026-03-02"))
        try expectEqual(first, ImportSummary(inserted: 2), "first import")
        let entries = try await store.timeline(organisationID: "acme", customerID: "C2").count
        let second = try await store.importCustomers(records, organisationID: "acme", context: Fixture.on("2026-03-03"))
        try expectEqual(second, ImportSummary(unchanged: 2), "identical re-import")
        try expectEqual(
            try await store.timeline(organisationID: "acme", customerID: "C2").count, entries,
            "timeline entries after an identical re-import")
        var changed = records[1]
        changed.customer.name = "Renamed Ltd"
        changed.contacts.removeLast()
        let third = try await store.importCustomers(
            [records[0], changed], organisationID: "acme", context: Fixture.on("2026-03-04"))
        try expectEqual(third, ImportSummary(updated: 1, unchanged: 1), "import with one customer changed")
        try expectEqual(
            try await store.customers(organisationID: "acme").map(\.name), ["Customer C1", "Renamed Ltd"],
            "customers after the update")
        try expectEqual(
            try await store.customer(organisationID: "acme", customerID: "C2"), changed, "one customer by reference")
        try expect(
            try await store.customer(organisationID: "acme", customerID: "C9") == nil, "an unknown reference is nil")
        try expect(
            try await store.customer(organisationID: "other", customerID: "C2") == nil,
            "another organisation's customer is not found")
        let last = try await store.timeline(organisationID: "acme", customerID: "C2").last
        try expectEqual(last?.timelineKind, .customerUpdated, "the update's timeline entry")
        let accounts = try await store.accountsForRun(organisationID: "acme", after: nil, limit: 10)
        try expect(accounts.isEmpty, "customers without invoices or actions are not run")
        try await verifyTimelines(store, "acme")
    }

    /// One decision per customer and step: a new approval that takes over a waiting one is written only while that
    /// one still waits. If a manager approved it between the run's read and its write, the approval stands and the
    /// new one is not written, so its invoice is never covered (and sent) twice.
    public static func anApprovalDecidedMeanwhileIsNeverJoinedIntoANewOne(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        var waiting = Fixture.action("C1", invoices: ["INV-1"], key: "handover-1", channel: .letter)
        waiting.requiresApproval = true
        waiting.status = .awaitingApproval
        _ = try await store.commitRun(
            actions: [waiting], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-10"))
        let first = try await store.actions(organisationID: "acme", customerID: "C1")[0].id
        // The run has read it as waiting; then the manager approves it.
        try await store.updateActionStatus(
            id: first, to: .approved, organisationID: "acme", context: Fixture.on("2026-04-11"))
        var joined = Fixture.action("C1", invoices: ["INV-1", "INV-2"], key: "handover-2", channel: .letter)
        joined.requiresApproval = true
        joined.status = .awaitingApproval
        joined.replaces = [first]
        let summary = try await store.commitRun(
            actions: [joined], cancellations: [Cancellation(actionID: first, reason: "joined")],
            organisationID: "acme", context: Fixture.on("2026-04-11"))
        try expectEqual(summary.planned, 0, "a new approval over one decided meanwhile")
        try expectEqual(summary.cancelled, 0, "cancellations of the approval decided meanwhile")
        let stored = try await store.actions(organisationID: "acme", customerID: "C1")
        try expectEqual(stored.map(\.action.status), [.approved], "the actions after the run")

        // While it still waits, the new approval takes it over.
        var second = Fixture.action("C1", invoices: ["INV-3"], key: "handover-3", channel: .letter)
        second.requiresApproval = true
        second.status = .awaitingApproval
        _ = try await store.commitRun(
            actions: [second], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-12"))
        let secondID = try await store.actions(organisationID: "acme", customerID: "C1").last!.id
        var takeover = Fixture.action("C1", invoices: ["INV-2", "INV-3"], key: "handover-4", channel: .letter)
        takeover.requiresApproval = true
        takeover.status = .awaitingApproval
        takeover.replaces = [secondID]
        let taken = try await store.commitRun(
            actions: [takeover], cancellations: [Cancellation(actionID: secondID, reason: "joined")],
            organisationID: "acme", context: Fixture.on("2026-04-13"))
        try expectEqual(taken.planned, 1, "a new approval over one still waiting")
        try expectEqual(taken.cancelled, 1, "the approval taken over")
    }

    /// Importing the same invoices again changes nothing, and adds no timeline entry.
    public static func invoiceReimportChangesNothing(_ store: any DulyStore) async throws {
        try await Fixture.seed(store, "acme", customers: ["C1", "C2"])
        let invoices = [
            Fixture.invoice("INV-1", "C1", due: "2026-03-31", total: 100_00),
            Fixture.invoice("INV-2", "C1", due: "2026-04-30", total: 250_00, terms: .net(days: 30), po: "PO-7"),
            Fixture.invoice("INV-3", "C2", due: "2026-04-15", total: 75_50),
        ]
        let first = try await store.importInvoices(invoices, organisationID: "acme", context: Fixture.on("2026-03-02"))
        try expectEqual(first, ImportSummary(inserted: 3), "first import")
        let before = try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false)
        let entries = try await store.timeline(organisationID: "acme", customerID: "C1").count
        let second = try await store.importInvoices(invoices, organisationID: "acme", context: Fixture.on("2026-03-03"))
        try expectEqual(second, ImportSummary(unchanged: 3), "identical re-import")
        try expectEqual(
            try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false), before,
            "invoices after the re-import")
        // As imported, plus the RF reference the store issued for each (derived from its number here).
        try expectEqual(
            before.map(\.invoice),
            invoices.map {
                var issued = $0
                issued.paymentReference = CreditorReference.forInvoice(number: $0.number)
                return issued
            }, "invoices as imported, by customer and due date")
        try expectEqual(
            try await store.timeline(organisationID: "acme", customerID: "C1").count, entries,
            "timeline entries after the re-import")
        try await verifyTimelines(store, "acme")
    }

    /// Importing the same payments again changes nothing: no second allocation, no timeline entry.
    public static func paymentReimportChangesNothing(_ store: any DulyStore) async throws {
        try await Fixture.seed(store, "acme", customers: ["C1"])
        _ = try await store.importInvoices(
            [Fixture.invoice("INV-1", "C1", due: "2026-03-31", total: 100_00)], organisationID: "acme",
            context: Fixture.on("2026-03-02"))
        let payments = [
            Fixture.payment("P1", "C1", amount: 30_00, reference: "first"),
            Fixture.payment("P2", "C1", amount: 20_00, invoice: "INV-1"),
        ]
        let first = try await store.importPayments(payments, organisationID: "acme", context: Fixture.on("2026-03-10"))
        try expectEqual(
            ImportSummary(inserted: first.inserted, updated: first.updated, unchanged: first.unchanged),
            ImportSummary(inserted: 2), "first import")
        let entries = try await store.timeline(organisationID: "acme", customerID: "C1").count
        let second = try await store.importPayments(payments, organisationID: "acme", context: Fixture.on("2026-03-11"))
        try expectEqual(second, ImportSummary(unchanged: 2), "identical re-import")
        let balance = try await Fixture.balance(store, "acme", "INV-1")
        try expectEqual(balance.paid.minorUnits, 50_00, "paid on INV-1 after the re-import")
        try expectEqual(
            try await store.timeline(organisationID: "acme", customerID: "C1").count, entries,
            "timeline entries after the re-import")
        try await verifyTimelines(store, "acme")
    }

    /// An invoice number present with other data is a conflict naming the field, and the batch imports nothing.
    public static func invoiceConflictNamesTheFieldAndImportsNothing(_ store: any DulyStore) async throws {
        try await Fixture.seed(store, "acme", customers: ["C1"])
        let original = Fixture.invoice("INV-1", "C1", due: "2026-03-31", total: 100_00)
        _ = try await store.importInvoices([original], organisationID: "acme", context: Fixture.on("2026-03-02"))
        let before = try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false)
        let entries = try await store.timeline(organisationID: "acme", customerID: "C1").count
        var changedDue = original
        changedDue.dueDate = Fixture.day("2026-04-30")
        var changedTotal = original
        changedTotal.total = Fixture.eur(100_01)
        for (changed, field) in [(changedDue, "due_date"), (changedTotal, "total")] {
            try await expectError(
                .conflict(kind: "invoice", key: "INV-1", field: field), "re-importing INV-1 with another \(field)"
            ) {
                _ = try await store.importInvoices(
                    [Fixture.invoice("INV-2", "C1", due: "2026-04-15", total: 10_00), changed], organisationID: "acme",
                    context: Fixture.on("2026-03-03"))
            }
        }
        try expectEqual(
            try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false), before,
            "invoices after the refused batch")
        try expectEqual(
            try await store.timeline(organisationID: "acme", customerID: "C1").count, entries,
            "timeline entries after the refused batch")
    }

    /// A payment id present with other data is a conflict naming the field; nothing of the batch is allocated.
    public static func paymentConflictNamesTheFieldAndImportsNothing(_ store: any DulyStore) async throws {
        try await Fixture.seed(store, "acme", customers: ["C1"])
        _ = try await store.importInvoices(
            [Fixture.invoice("INV-1", "C1", due: "2026-03-31", total: 100_00)], organisationID: "acme",
            context: Fixture.on("2026-03-02"))
        _ = try await store.importPayments(
            [Fixture.payment("P1", "C1", amount: 10_00)], organisationID: "acme", context: Fixture.on("2026-03-10"))
        try await expectError(.conflict(kind: "payment", key: "P1", field: "amount"), "P1 with another amount") {
            _ = try await store.importPayments(
                [Fixture.payment("P2", "C1", amount: 40_00), Fixture.payment("P1", "C1", amount: 11_00)],
                organisationID: "acme", context: Fixture.on("2026-03-11"))
        }
        try expectEqual(try await Fixture.balance(store, "acme", "INV-1").paid.minorUnits, 10_00, "paid on INV-1")
        try await verifyTimelines(store, "acme")
    }

    /// Invoices or payments for a customer the organisation does not have are refused, whole batch.
    public static func unknownCustomerIsRefusedAndNothingImported(_ store: any DulyStore) async throws {
        try await Fixture.seed(store, "acme", customers: ["C1"])
        try await expectError(.customerNotFound("C404"), "an invoice for an unknown customer") {
            _ = try await store.importInvoices(
                [
                    Fixture.invoice("INV-1", "C1", due: "2026-03-31", total: 100_00),
                    Fixture.invoice("INV-2", "C404", due: "2026-03-31", total: 100_00),
                ], organisationID: "acme", context: Fixture.on("2026-03-02"))
        }
        try expectEqual(
            try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false).count, 0,
            "invoices after the refused batch")
        _ = try await store.importInvoices(
            [Fixture.invoice("INV-1", "C1", due: "2026-03-31", total: 100_00)], organisationID: "acme",
            context: Fixture.on("2026-03-02"))
        try await expectError(.customerNotFound("C404"), "a payment from an unknown customer") {
            _ = try await store.importPayments(
                [Fixture.payment("P1", "C1", amount: 10_00), Fixture.payment("P2", "C404", amount: 10_00)],
                organisationID: "acme", context: Fixture.on("2026-03-10"))
        }
        try expectEqual(try await Fixture.balance(store, "acme", "INV-1").paid.minorUnits, 0, "paid on INV-1")
        try await verifyTimelines(store, "acme")
    }

    // MARK: - Allocation

    /// A payment naming an invoice pays it first, even when an older one is open.
    public static func paymentGoesToTheNamedInvoiceFirst(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        _ = try await store.importPayments(
            [Fixture.payment("P1", "C1", amount: 120_00, invoice: "INV-3")], organisationID: "acme",
            context: Fixture.on("2026-04-10"))
        try await expectPaid(store, ["INV-1": 20_00, "INV-2": 0, "INV-3": 100_00], "after a payment naming INV-3")
    }

    /// A payment naming no invoice goes to the earliest due date first, then the next.
    public static func paymentGoesOldestFirstOtherwise(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        _ = try await store.importPayments(
            [Fixture.payment("P1", "C1", amount: 130_00, invoice: "NOT-AN-INVOICE")], organisationID: "acme",
            context: Fixture.on("2026-04-10"))
        try await expectPaid(store, ["INV-1": 100_00, "INV-2": 30_00, "INV-3": 0], "after an unnamed payment")
        // The next payment sees what the first already covered.
        _ = try await store.importPayments(
            [Fixture.payment("P2", "C1", amount: 50_00)], organisationID: "acme", context: Fixture.on("2026-04-11"))
        try await expectPaid(store, ["INV-1": 100_00, "INV-2": 50_00, "INV-3": 30_00], "after a second payment")
    }

    /// Part of an invoice paid leaves the rest open.
    public static func partialPaymentLeavesTheRestOpen(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        _ = try await store.importPayments(
            [Fixture.payment("P1", "C1", amount: 40_00, invoice: "INV-1")], organisationID: "acme",
            context: Fixture.on("2026-04-10"))
        let balance = try await Fixture.balance(store, "acme", "INV-1")
        try expectEqual(balance.open.minorUnits, 60_00, "open on INV-1")
        try expect(!balance.isClosed, "INV-1 is still open")
        let open = try await store.invoices(organisationID: "acme", customerID: "C1", openOnly: true)
        try expectEqual(open.map(\.invoice.number), ["INV-1", "INV-2", "INV-3", "INV-GBP"], "open invoices")
    }

    /// More than everything owed closes every invoice and leaves the rest as a credit on the timeline.
    public static func overPaymentLeavesAnUnallocatedCredit(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        _ = try await store.importPayments(
            [Fixture.payment("P1", "C1", amount: 400_00)], organisationID: "acme", context: Fixture.on("2026-04-10"))
        try await expectPaid(store, ["INV-1": 100_00, "INV-2": 50_00, "INV-3": 100_00], "after an over-payment")
        let open = try await store.invoices(organisationID: "acme", customerID: "C1", openOnly: true)
        try expect(open.allSatisfy { $0.invoice.currency != Fixture.euro }, "no EUR invoice is left open")
        let entry = try await store.timeline(organisationID: "acme", customerID: "C1").last
        try expectEqual(entry?.timelineKind, .paymentRecorded, "the payment's timeline entry")
        try expectEqual(entry?.details["unallocated"], "150.00", "the unallocated rest on the timeline")
        try await verifyTimelines(store, "acme")
    }

    /// A payment in one currency never touches invoices in another.
    public static func paymentLeavesOtherCurrenciesUntouched(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        _ = try await store.importPayments(
            [Fixture.payment("P1", "C1", amount: 500_00, invoice: "INV-GBP")], organisationID: "acme",
            context: Fixture.on("2026-04-10"))
        try await expectPaid(store, ["INV-GBP": 0], "the GBP invoice after a EUR payment naming it")
        _ = try await store.importPayments(
            [Fixture.payment("P2", "C1", amount: 60_00, currency: Fixture.pound)], organisationID: "acme",
            context: Fixture.on("2026-04-11"))
        try await expectPaid(
            store, ["INV-1": 100_00, "INV-2": 50_00, "INV-3": 100_00, "INV-GBP": 60_00], "after a GBP payment")
    }

    /// A customer's postal address and title come back as imported, wherever customers are read; re-importing them
    /// changes nothing, and a changed address is an update.
    public static func customerPostalAddressAndTitleRoundTrip(_ store: any DulyStore) async throws {
        try await Fixture.seed(store, "acme")
        var record = Fixture.customer("C1")
        record.customer.address = PostalAddress(
            line1: "1 High Street", line2: "Floor 2", postalCode: "SW1A 1AA", city: "London", region: "Greater London")
        record.customer.title = "Dr."
        let plain = Fixture.customer("C2")
        let first = try await store.importCustomers(
            [record, plain], organisationID: "acme", context: Fixture.on("2026-03-02"))
        try expectEqual(first, ImportSummary(inserted: 2), "first import")
        try expectEqual(
            try await store.customers(organisationID: "acme"), [record.customer, plain.customer],
            "customers with and without an address")
        let again = try await store.importCustomers(
            [record, plain], organisationID: "acme", context: Fixture.on("2026-03-03"))
        try expectEqual(again, ImportSummary(unchanged: 2), "identical re-import")
        _ = try await store.importInvoices(
            [Fixture.invoice("INV-1", "C1", due: "2026-03-31", total: 100_00)], organisationID: "acme",
            context: Fixture.on("2026-03-03"))
        let accounts = try await store.accountsForRun(organisationID: "acme", after: nil, limit: 10)
        try expectEqual(accounts.map(\.customer), [record.customer], "the account the collection day reads")
        record.customer.address?.line2 = nil
        record.customer.title = nil
        let moved = try await store.importCustomers([record], organisationID: "acme", context: Fixture.on("2026-03-04"))
        try expectEqual(moved, ImportSummary(updated: 1), "import with the address changed")
        try expectEqual(
            try await store.customers(organisationID: "acme").first, record.customer, "the changed address")
        try await verifyTimelines(store, "acme")
    }

    /// Each new payment's outcome says what went to which invoice, what was left as credit, and why.
    public static func paymentOutcomeSaysWhereTheMoneyWentAndWhy(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        let pounds = Money(minorUnits: 600_00, currency: Fixture.pound)
        let summary = try await store.importPayments(
            [
                Fixture.payment("P1", "C1", amount: 600_00, currency: Fixture.pound, invoice: "INV-1"),
                Fixture.payment("P2", "C1", amount: 100_00, invoice: "INV-1"),
                Fixture.payment("P3", "C1", amount: 20_00, invoice: "INV-1"),
            ], organisationID: "acme", context: Fixture.on("2026-04-10"))
        let day = Fixture.day("2026-04-10")
        try expectEqual(
            summary.payments,
            [
                PaymentOutcome(
                    payment: Fixture.payment("P1", "C1", amount: 600_00, currency: Fixture.pound, invoice: "INV-1"),
                    allocations: [
                        Allocation(
                            paymentID: "P1", invoiceNumber: "INV-GBP",
                            amount: Money(minorUnits: 500_00, currency: Fixture.pound), date: day)
                    ],
                    credit: Money(minorUnits: pounds.minorUnits - 500_00, currency: Fixture.pound),
                    notes: [.currencyDiffers(invoiceNumber: "INV-1", invoiceCurrency: Fixture.euro), .moreThanOpen]),
                PaymentOutcome(
                    payment: Fixture.payment("P2", "C1", amount: 100_00, invoice: "INV-1"),
                    allocations: [
                        Allocation(paymentID: "P2", invoiceNumber: "INV-1", amount: Fixture.eur(100_00), date: day)
                    ],
                    credit: Fixture.eur(0), notes: []),
                PaymentOutcome(
                    payment: Fixture.payment("P3", "C1", amount: 20_00, invoice: "INV-1"),
                    allocations: [
                        Allocation(paymentID: "P3", invoiceNumber: "INV-2", amount: Fixture.eur(20_00), date: day)
                    ],
                    credit: Fixture.eur(0), notes: [.namedInvoiceClosed("INV-1")]),
            ], "the outcome of each payment, in the order given")
        let again = try await store.importPayments(
            [Fixture.payment("P2", "C1", amount: 100_00, invoice: "INV-1")], organisationID: "acme",
            context: Fixture.on("2026-04-11"))
        try expectEqual(again.payments, [], "a payment imported before has no new outcome")
    }

    /// Before an import, the store names every record it would refuse, with the field at fault, and writes nothing.
    public static func importRefusalsFindEveryProblemAndWriteNothing(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        _ = try await store.importCustomers(
            [Fixture.customer("C2")], organisationID: "acme", context: Fixture.on("2026-03-02"))
        _ = try await store.importInvoices(
            [Fixture.invoice("INV-C2", "C2", due: "2026-04-30", total: 10_00)], organisationID: "acme",
            context: Fixture.on("2026-03-02"))
        var changed = Fixture.invoice("INV-2", "C1", due: "2026-04-15", total: 50_00)
        changed.total = Fixture.eur(55_00)
        let invoiceRefusals = try await store.importRefusals(
            invoices: [
                Fixture.invoice("INV-9", "C1", due: "2026-05-31", total: 10_00),
                Fixture.invoice("INV-10", "C9", due: "2026-05-31", total: 10_00),
                changed,
                Fixture.invoice("INV-11", "C8", due: "2026-05-31", total: 10_00),
            ], organisationID: "acme")
        try expectEqual(
            invoiceRefusals.map { "\($0.index) \($0.kind.rawValue) \($0.field)" },
            [
                "1 unknown customer customer_id", "2 already imported with other values total",
                "3 unknown customer customer_id",
            ],
            "the invoices refused")
        let paymentRefusals = try await store.importRefusals(
            payments: [
                Fixture.payment("P1", "C1", amount: 10_00, invoice: "INV-1"),
                Fixture.payment("P2", "C9", amount: 10_00),
                Fixture.payment("P3", "C1", amount: 10_00, invoice: "INV-99"),
                Fixture.payment("P4", "C1", amount: 10_00, invoice: "INV-C2"),
            ], organisationID: "acme")
        try expectEqual(
            paymentRefusals.map { "\($0.index) \($0.kind.rawValue) \($0.field)" },
            ["1 unknown customer customer_id", "2 unknown invoice invoice_number", "3 unknown invoice invoice_number"],
            "the payments refused")
        try expectEqual(
            try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false).count, 5,
            "invoices after the checks")
        try await expectPaid(store, ["INV-1": 0], "INV-1 after the checks")
    }

    /// A credit note reduces what is open; one that covers the rest closes the invoice as credited.
    public static func creditNoteReducesTheOpenAmountAndClosesAsCredited(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        let first = CreditNote(
            id: "CN-1", invoiceNumber: "INV-1", date: Fixture.day("2026-04-01"), amount: Fixture.eur(30_00))
        try await store.recordCreditNote(first, organisationID: "acme", context: Fixture.on("2026-04-01"))
        try await store.recordCreditNote(first, organisationID: "acme", context: Fixture.on("2026-04-02"))
        var balance = try await Fixture.balance(store, "acme", "INV-1")
        try expectEqual(balance.credited.minorUnits, 30_00, "credited on INV-1 (recorded twice, counted once)")
        try expectEqual(balance.open.minorUnits, 70_00, "open on INV-1")
        let second = CreditNote(
            id: "CN-2", invoiceNumber: "INV-1", date: Fixture.day("2026-04-03"), amount: Fixture.eur(70_00))
        try await store.recordCreditNote(second, organisationID: "acme", context: Fixture.on("2026-04-03"))
        balance = try await Fixture.balance(store, "acme", "INV-1")
        try expect(balance.isClosed, "INV-1 is closed")
        try expectEqual(balance.endState, .credited, "INV-1's end state")
        let open = try await store.invoices(organisationID: "acme", customerID: "C1", openOnly: true)
        try expect(!open.contains { $0.invoice.number == "INV-1" }, "INV-1 is not listed as open")
        try await expectError(.invoiceNotFound("INV-404"), "a credit note on an unknown invoice") {
            try await store.recordCreditNote(
                CreditNote(
                    id: "CN-3", invoiceNumber: "INV-404", date: Fixture.day("2026-04-03"), amount: Fixture.eur(1)),
                organisationID: "acme", context: Fixture.on("2026-04-03"))
        }
        let entry = try await store.timeline(organisationID: "acme", customerID: "C1").last
        try expectEqual(entry?.timelineKind, .creditNoteRecorded, "the credit note's timeline entry")
        try await verifyTimelines(store, "acme")
    }

    /// Balances the store reports equal what `Allocator` and the credit notes give, computed here independently.
    public static func balancesEqualTheAllocationsAndCreditNotes(_ store: any DulyStore) async throws {
        try await Fixture.seed(store, "acme", customers: ["C1", "C2", "C3"])
        var invoices: [Invoice] = []
        for index in 0..<12 {
            invoices.append(
                Fixture.invoice(
                    "INV-\(index)", "C\(index % 3 + 1)", due: "2026-0\(index % 6 + 1)-1\(index % 9)",
                    total: 10_00 + index * 7_13))
        }
        _ = try await store.importInvoices(invoices, organisationID: "acme", context: Fixture.on("2026-01-01"))
        let credit = CreditNote(
            id: "CN-1", invoiceNumber: "INV-4", date: Fixture.day("2026-02-01"), amount: Fixture.eur(5_00))
        try await store.recordCreditNote(credit, organisationID: "acme", context: Fixture.on("2026-02-01"))
        var payments: [Payment] = []
        for index in 0..<20 {
            payments.append(
                Fixture.payment(
                    "P\(index)", "C\(index % 3 + 1)", amount: 3_00 + index * 4_99,
                    invoice: index % 4 == 0 ? "INV-\(11 - index % 12)" : nil))
        }
        // Two imports, so that the second allocates against balances the first left.
        _ = try await store.importPayments(
            Array(payments[..<9]), organisationID: "acme", context: Fixture.on("2026-03-01"))
        _ = try await store.importPayments(
            Array(payments[9...]), organisationID: "acme", context: Fixture.on("2026-03-02"))

        var model = invoices.map { InvoiceBalance(invoice: $0) }
        model[4].credited = Fixture.eur(5_00)
        for payment in payments {
            for allocation in Allocator.allocate(payment, to: model).allocations {
                let index = model.firstIndex { $0.invoice.number == allocation.invoiceNumber }!
                model[index].paid = model[index].paid + allocation.amount
            }
        }
        let stored = try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false)
        for expected in model {
            let actual = stored.first { $0.invoice.number == expected.invoice.number }
            try expectEqual(actual?.paid, expected.paid, "paid on \(expected.invoice.number)")
            try expectEqual(actual?.credited, expected.credited, "credited on \(expected.invoice.number)")
        }
        try await verifyTimelines(store, "acme")
    }

    // MARK: - The collection day

    /// Batches follow customer ids after `after`, at most `limit` each, and skip paid-up customers without actions.
    public static func accountsForRunComeInBatches(_ store: any DulyStore) async throws {
        let ids = ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
        try await Fixture.seed(store, "acme", customers: ids)
        _ = try await store.importInvoices(
            ids.map { Fixture.invoice("INV-\($0)", $0, due: "2026-03-31", total: 100_00) }, organisationID: "acme",
            context: Fixture.on("2026-03-02"))
        // C3 pays up and has no action: it is not run. C5 pays up but a pending action still covers its invoice.
        let action = Fixture.action("C5", invoices: ["INV-C5"], key: "k-C5")
        _ = try await store.commitRun(
            actions: [action], cancellations: [], organisationID: "acme", context: Fixture.on("2026-03-20"))
        _ = try await store.importPayments(
            [Fixture.payment("P3", "C3", amount: 100_00), Fixture.payment("P5", "C5", amount: 100_00)],
            organisationID: "acme", context: Fixture.on("2026-03-21"))
        var seen: [String] = []
        var after: String?
        var batches = 0
        while true {
            let batch = try await store.accountsForRun(organisationID: "acme", after: after, limit: 2)
            guard let last = batch.last else { break }
            try expect(batch.count <= 2, "a batch holds at most the limit")
            seen += batch.map(\.customer.id)
            after = last.customer.id
            batches += 1
            try expect(batches < 10, "batches end")
        }
        try expectEqual(seen, ["C1", "C2", "C4", "C5", "C6", "C7"], "customers run, in order, each once")
        try expectEqual(batches, 3, "batches of two")
        let fromC4 = try await store.accountsForRun(organisationID: "acme", after: "C4", limit: 100)
        try expectEqual(fromC4.map(\.customer.id), ["C5", "C6", "C7"], "accounts after C4")
        let c5 = fromC4[0]
        try expectEqual(c5.invoices.map(\.invoice.number), ["INV-C5"], "C5's closed invoice a pending action covers")
        try expect(c5.invoices[0].isClosed, "C5's invoice is closed")
    }

    /// An account carries its customer, contacts, balances, action history, disputes, promises, plans and receipts.
    public static func accountsForRunCarryWhatThePlannerReads(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        let record = Fixture.customer("C1", contacts: 2)
        _ = try await store.importCustomers([record], organisationID: "acme", context: Fixture.on("2026-04-01"))
        let sent = Fixture.action("C1", invoices: ["INV-1", "INV-2"], key: "k-1", date: "2026-04-02")
        let pending = Fixture.action("C1", invoices: ["INV-1"], key: "k-2", date: "2026-04-09", escalatesTo: .manager)
        let summary = try await store.commitRun(
            actions: [sent, pending], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-02"))
        try expectEqual(summary, RunCommitSummary(planned: 2), "actions written")
        let ids = try await store.actions(organisationID: "acme", customerID: "C1").map(\.id)
        try await store.updateActionStatus(
            id: ids[0], to: .sent, organisationID: "acme", context: Fixture.on("2026-04-02"))
        let dispute = Dispute(
            id: "D1", invoiceNumber: "INV-3", openedOn: Fixture.day("2026-04-03"), reason: "not delivered")
        try await store.recordDispute(dispute, organisationID: "acme", context: Fixture.on("2026-04-03"))
        let promise = PromiseToPay(
            id: "PR1", invoiceNumbers: ["INV-1"], amount: Fixture.eur(60_00), promisedDate: Fixture.day("2026-04-20"),
            madeOn: Fixture.day("2026-04-04"))
        try await store.recordPromise(promise, organisationID: "acme", context: Fixture.on("2026-04-04"))
        let plan = PaymentPlan(
            id: "PL1", invoiceNumbers: ["INV-2"],
            instalments: [
                .init(dueDate: Fixture.day("2026-05-01"), amount: Fixture.eur(25_00)),
                .init(dueDate: Fixture.day("2026-06-01"), amount: Fixture.eur(25_00)),
            ], acceptedOn: Fixture.day("2026-04-05"))
        try await store.recordPlan(plan, organisationID: "acme", context: Fixture.on("2026-04-05"))
        _ = try await store.importPayments(
            [Fixture.payment("P1", "C1", amount: 60_00, date: "2026-04-18", invoice: "INV-1")], organisationID: "acme",
            context: Fixture.on("2026-04-18"))

        let account = try await store.accountsForRun(organisationID: "acme", after: nil, limit: 10).first
        guard let account else { throw ContractViolation("C1 is not run although it owes money") }
        try expectEqual(account.customer, record.customer, "the customer")
        try expectEqual(account.contacts, record.contacts, "the contacts, in order")
        try expectEqual(
            account.invoices.map(\.invoice.number), ["INV-1", "INV-2", "INV-3", "INV-GBP"], "open invoices by due date")
        try expectEqual(account.invoices[0].paid.minorUnits, 60_00, "paid on INV-1")
        try expectEqual(account.history.map(\.status), [.sent, .planned], "history, oldest first")
        try expectEqual(
            account.history[0].steps,
            [
                InvoiceStep(invoiceNumber: "INV-1", stepID: "reminder"),
                InvoiceStep(invoiceNumber: "INV-2", stepID: "reminder"),
            ],
            "the first action's steps")
        try expectEqual(account.history[1].escalatesTo, .manager, "the second action's escalation")
        try expectEqual(account.disputes, [dispute], "disputes")
        try expectEqual(account.promises, [promise], "promises")
        try expectEqual(account.plans, [plan], "plans")
        try expectEqual(
            account.receipts,
            [Receipt(invoiceNumber: "INV-1", date: Fixture.day("2026-04-18"), amount: Fixture.eur(60_00))],
            "receipts on the invoices promises and plans cover")
        let resolved = Dispute(
            id: "D1", invoiceNumber: "INV-3", openedOn: Fixture.day("2026-04-03"), reason: "not delivered",
            resolvedOn: Fixture.day("2026-04-25"))
        try await store.recordDispute(resolved, organisationID: "acme", context: Fixture.on("2026-04-25"))
        let again = try await store.accountsForRun(organisationID: "acme", after: nil, limit: 10)
        try expectEqual(again.first?.disputes, [resolved], "the dispute, resolved")
        try await verifyTimelines(store, "acme")
    }

    /// Committing the same actions twice writes them once, with one timeline entry each.
    public static func commitRunWritesAnIdempotencyKeyOnce(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        let actions = [
            Fixture.action("C1", invoices: ["INV-1"], key: "k-1"),
            Fixture.action("C1", invoices: ["INV-2", "INV-3"], key: "k-2", channel: .letter),
        ]
        let first = try await store.commitRun(
            actions: actions, cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-10"))
        try expectEqual(first, RunCommitSummary(planned: 2), "first commit")
        let entries = try await store.timeline(organisationID: "acme", customerID: "C1").count
        let second = try await store.commitRun(
            actions: actions, cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-10"))
        try expectEqual(second, RunCommitSummary(), "second commit of the same keys")
        let stored = try await store.actions(organisationID: "acme", customerID: nil)
        try expectEqual(stored.map(\.action), actions, "actions as planned, written once")
        try expectEqual(
            try await store.timeline(organisationID: "acme", customerID: "C1").count, entries,
            "timeline entries after the second commit")
        try await verifyTimelines(store, "acme")
    }

    /// Each organisation numbers its actions from 1 (`act_1`), runs of two organisations interleaved do not share a
    /// sequence, a key committed again takes no number, and another organisation's number finds nothing.
    public static func actionsAreNumberedPerOrganisationFromOneAndFoundOnlyByTheirOwn(
        _ store: any DulyStore
    ) async throws {
        // Given two organisations with the same ledger, whose runs interleave
        try await Fixture.ledger(store, "acme")
        try await Fixture.ledger(store, "beta")
        func commit(_ organisationID: String, _ key: String, _ invoice: String) async throws {
            _ = try await store.commitRun(
                actions: [Fixture.action("C1", invoices: [invoice], key: key)], cancellations: [],
                organisationID: organisationID, context: Fixture.on("2026-04-10"))
        }
        try await commit("acme", "k-1", "INV-1")
        try await commit("beta", "k-1", "INV-1")
        try await commit("acme", "k-1", "INV-1")
        try await commit("acme", "k-2", "INV-2")
        // Then each counts its own, without gaps
        try expectEqual(try await store.actions(organisationID: "acme", customerID: nil).map(\.id), [1, 2], "acme's")
        try expectEqual(try await store.actions(organisationID: "beta", customerID: nil).map(\.id), [1], "beta's")
        // And a number is looked up in its organisation only
        try expectEqual(
            try await store.action(organisationID: "acme", id: 2)?.action.idempotencyKey, "k-2", "acme's act_2")
        try check(try await store.action(organisationID: "beta", id: 2) == nil, "beta has no act_2")
    }

    /// Cancelling withdraws pending actions and leaves those already carried out alone.
    public static func cancellationTouchesOnlyPendingActions(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        _ = try await store.commitRun(
            actions: [
                Fixture.action("C1", invoices: ["INV-1"], key: "k-1"),
                Fixture.action("C1", invoices: ["INV-2"], key: "k-2"),
            ], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-10"))
        let ids = try await store.actions(organisationID: "acme", customerID: "C1").map(\.id)
        try await store.updateActionStatus(
            id: ids[1], to: .sent, organisationID: "acme", context: Fixture.on("2026-04-10"))
        let summary = try await store.commitRun(
            actions: [], cancellations: ids.map { Cancellation(actionID: $0, reason: "paid") }, organisationID: "acme",
            context: Fixture.on("2026-04-11"))
        try expectEqual(summary, RunCommitSummary(cancelled: 1), "cancellations applied")
        let statuses = try await store.actions(organisationID: "acme", customerID: "C1").map(\.action.status)
        try expectEqual(statuses, [.cancelled, .sent], "statuses after cancelling both")
        let again = try await store.commitRun(
            actions: [], cancellations: [Cancellation(actionID: ids[0], reason: "paid")], organisationID: "acme",
            context: Fixture.on("2026-04-12"))
        try expectEqual(again, RunCommitSummary(), "cancelling a cancelled action")
        let kinds = try await store.timeline(organisationID: "acme", customerID: "C1").map(\.kind)
        try expectEqual(kinds.filter { $0 == "action_cancelled" }.count, 1, "cancellations on the timeline")
        try await verifyTimelines(store, "acme")
    }

    /// An action moves forward through its life, each move on the timeline; it never moves back.
    public static func actionStatusMovesForwardAndIsRecorded(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        var action = Fixture.action("C1", invoices: ["INV-1"], key: "k-1", escalatesTo: .manager)
        action.requiresApproval = true
        action.status = .awaitingApproval
        _ = try await store.commitRun(
            actions: [action], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-10"))
        let id = try await store.actions(organisationID: "acme", customerID: "C1")[0].id
        try await store.updateActionStatus(
            id: id, to: .approved, organisationID: "acme", context: Fixture.on("2026-04-11"))
        try await store.updateActionStatus(id: id, to: .sent, organisationID: "acme", context: Fixture.on("2026-04-11"))
        // Recording the same status again (a deliverer's retry) changes nothing.
        try await store.updateActionStatus(id: id, to: .sent, organisationID: "acme", context: Fixture.on("2026-04-11"))
        try expectEqual(
            try await store.actions(organisationID: "acme", customerID: "C1").map(\.action.status), [.sent],
            "status after approval and sending")
        let kinds = try await store.timeline(organisationID: "acme", customerID: "C1").suffix(3).map(\.kind)
        try expectEqual(
            kinds, ["action_awaiting_approval", "action_approved", "action_sent"], "the action's life on the timeline")
        try await expectInvalid("moving a sent action back") {
            try await store.updateActionStatus(
                id: id, to: .approved, organisationID: "acme", context: Fixture.on("2026-04-12"))
        }
        try await expectError(.actionNotFound(id + 1000), "an unknown action") {
            try await store.updateActionStatus(
                id: id + 1000, to: .sent, organisationID: "acme", context: Fixture.on("2026-04-12"))
        }
        try await verifyTimelines(store, "acme")
    }

    // MARK: - Units of work

    /// A run batch that fails half-way writes nothing: no action, no cancellation, no timeline entry. An action for
    /// an unknown customer or invoice, or naming one invoice twice (an invoice climbs one step per action), is refused.
    public static func tornRunLeavesNoPartialState(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        _ = try await store.commitRun(
            actions: [Fixture.action("C1", invoices: ["INV-1"], key: "k-1")], cancellations: [], organisationID: "acme",
            context: Fixture.on("2026-04-09"))
        let before = try await store.actions(organisationID: "acme", customerID: nil)
        let entries = try await store.timeline(organisationID: "acme", customerID: "C1").count
        try await expectError(.customerNotFound("C404"), "an action for an unknown customer") {
            _ = try await store.commitRun(
                actions: [
                    Fixture.action("C1", invoices: ["INV-2"], key: "k-2"),
                    Fixture.action("C404", invoices: ["INV-3"], key: "k-3"),
                ], cancellations: [Cancellation(actionID: before[0].id, reason: "paid")], organisationID: "acme",
                context: Fixture.on("2026-04-10"))
        }
        try await expectInvalid("an action naming one invoice twice") {
            _ = try await store.commitRun(
                actions: [
                    Fixture.action("C1", invoices: ["INV-2"], key: "k-2"),
                    Fixture.action("C1", invoices: ["INV-3", "INV-3"], key: "k-3"),
                ], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-10"))
        }
        try await expectError(.invoiceNotFound("INV-404"), "an action for an unknown invoice") {
            _ = try await store.commitRun(
                actions: [
                    Fixture.action("C1", invoices: ["INV-2"], key: "k-2"),
                    Fixture.action("C1", invoices: ["INV-3", "INV-404"], key: "k-3"),
                ], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-10"))
        }
        try await expectError(.actionNotFound(before[0].id + 1000), "cancelling an unknown action") {
            _ = try await store.commitRun(
                actions: [Fixture.action("C1", invoices: ["INV-2"], key: "k-2")],
                cancellations: [Cancellation(actionID: before[0].id + 1000, reason: "paid")], organisationID: "acme",
                context: Fixture.on("2026-04-10"))
        }
        try expectEqual(
            try await store.actions(organisationID: "acme", customerID: nil), before, "actions after the torn batches")
        try expectEqual(
            try await store.timeline(organisationID: "acme", customerID: "C1").count, entries,
            "timeline entries after the torn batches")
        try await verifyTimelines(store, "acme")
    }

    /// An import whose last row fails writes none of its rows, allocations or timeline entries.
    public static func tornImportLeavesNoPartialState(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        let before = try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false)
        let entries = try await store.timeline(organisationID: "acme", customerID: "C1").count
        var conflicting = before[0].invoice
        conflicting.poNumber = "PO-CHANGED"
        try await expectError(
            .conflict(kind: "invoice", key: conflicting.number, field: "po_number"), "a last row that conflicts"
        ) {
            _ = try await store.importInvoices(
                [Fixture.invoice("INV-9", "C1", due: "2026-06-30", total: 9_00), conflicting], organisationID: "acme",
                context: Fixture.on("2026-04-10"))
        }
        try await expectError(
            .conflict(kind: "payment", key: "P1", field: "date"), "a payment repeated with another date"
        ) {
            _ = try await store.importPayments(
                [
                    Fixture.payment("P1", "C1", amount: 10_00), Fixture.payment("P2", "C1", amount: 20_00),
                    Fixture.payment("P1", "C1", amount: 10_00, date: "2026-04-11"),
                ], organisationID: "acme", context: Fixture.on("2026-04-10"))
        }
        try expectEqual(
            try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false), before,
            "invoices and balances after the torn imports")
        try expectEqual(
            try await store.timeline(organisationID: "acme", customerID: "C1").count, entries,
            "timeline entries after the torn imports")
        try await verifyTimelines(store, "acme")
    }

    /// After every kind of change, every account's chain verifies, and an import adds one entry per customer.
    public static func everyTimelineVerifies(_ store: any DulyStore) async throws {
        try await Fixture.ledger(store)
        _ = try await store.importCustomers(
            [Fixture.customer("C2")], organisationID: "acme", context: Fixture.on("2026-04-01"))
        _ = try await store.importInvoices(
            [
                Fixture.invoice("INV-10", "C1", due: "2026-05-31", total: 10_00),
                Fixture.invoice("INV-20", "C2", due: "2026-05-31", total: 20_00),
                Fixture.invoice("INV-11", "C1", due: "2026-06-30", total: 11_00),
            ], organisationID: "acme", context: Fixture.on("2026-04-02"))
        let c1 = try await store.timeline(organisationID: "acme", customerID: "C1")
        let added = c1.last
        try expectEqual(added?.timelineKind, .invoicesAdded, "the import's entry")
        try expectEqual(added?.details["invoices"], "INV-10,INV-11", "one entry per customer listing its invoices")
        try expectEqual(c1.filter { $0.date == Fixture.day("2026-04-02") }.count, 1, "entries for C1's second import")
        _ = try await store.importPayments(
            [Fixture.payment("P1", "C1", amount: 10_00), Fixture.payment("P2", "C2", amount: 5_00)],
            organisationID: "acme", context: Fixture.on("2026-04-03"))
        try await store.recordCreditNote(
            CreditNote(id: "CN-1", invoiceNumber: "INV-20", date: Fixture.day("2026-04-04"), amount: Fixture.eur(1_00)),
            organisationID: "acme", context: Fixture.on("2026-04-04"))
        _ = try await store.commitRun(
            actions: [Fixture.action("C2", invoices: ["INV-20"], key: "k-20")], cancellations: [],
            organisationID: "acme", context: Fixture.on("2026-04-05"))
        let entries = try await store.timeline(organisationID: "acme", customerID: "C2")
        try expectEqual(
            entries.map(\.kind),
            ["customer_added", "invoices_added", "payment_recorded", "credit_note_recorded", "action_planned"],
            "C2's timeline")
        try expectEqual(entries.map(\.sequence), Array(1...5), "C2's sequence numbers")
        try expectEqual(entries[2].recordedAt, "2026-04-03T09:00:00Z", "recorded-at as the caller gave it")
        try await verifyTimelines(store, "acme")
    }

    // MARK: - Organisations apart

    /// Two organisations with the same customer id and invoice number never see each other's records.
    public static func organisationsNeverSeeEachOther(_ store: any DulyStore) async throws {
        for id in ["acme", "globex"] {
            try await Fixture.seed(store, id, customers: ["C1"])
            _ = try await store.importInvoices(
                [Fixture.invoice("INV-1", "C1", due: "2026-03-31", total: id == "acme" ? 100_00 : 200_00)],
                organisationID: id, context: Fixture.on("2026-03-02"))
        }
        _ = try await store.importPayments(
            [Fixture.payment("P1", "C1", amount: 100_00)], organisationID: "acme", context: Fixture.on("2026-03-10"))
        _ = try await store.commitRun(
            actions: [
                Fixture.action("C1", invoices: ["INV-1"], key: "same-key"),
                Fixture.action("C1", invoices: ["INV-1"], key: "globex-only", channel: .letter),
            ], cancellations: [], organisationID: "globex", context: Fixture.on("2026-03-10"))
        // The same idempotency key in another organisation is another action.
        let acmeRun = try await store.commitRun(
            actions: [Fixture.action("C1", invoices: ["INV-1"], key: "same-key")], cancellations: [],
            organisationID: "acme", context: Fixture.on("2026-03-10"))
        try expectEqual(acmeRun, RunCommitSummary(planned: 1), "the same key in another organisation")
        let acme = try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false)
        let globex = try await store.invoices(organisationID: "globex", customerID: nil, openOnly: false)
        try expectEqual(acme.map(\.invoice.total.minorUnits), [100_00], "acme's invoice")
        try expectEqual(acme.map(\.paid.minorUnits), [100_00], "acme's payment")
        try expectEqual(globex.map(\.invoice.total.minorUnits), [200_00], "globex's invoice")
        try expectEqual(globex.map(\.paid.minorUnits), [0], "globex's invoice is untouched by acme's payment")
        // Each organisation numbers its own actions: globex's second has a number acme has not given.
        let globexAction = try await store.actions(organisationID: "globex", customerID: nil)
        try expectEqual(globexAction.map(\.id), [1, 2], "globex's actions")
        try await expectError(.actionNotFound(2), "acme moving act_2, which only globex has") {
            try await store.updateActionStatus(
                id: globexAction[1].id, to: .sent, organisationID: "acme", context: Fixture.on("2026-03-11"))
        }
        try await expectError(.actionNotFound(2), "acme cancelling act_2, which only globex has") {
            _ = try await store.commitRun(
                actions: [], cancellations: [Cancellation(actionID: globexAction[1].id, reason: "x")],
                organisationID: "acme", context: Fixture.on("2026-03-11"))
        }
        try expectEqual(
            try await store.action(organisationID: "globex", id: 2)?.action.status, .planned,
            "globex's act_2 is untouched")
        let acmeTimeline = try await store.timeline(organisationID: "acme", customerID: "C1")
        try expect(
            acmeTimeline.contains { $0.timelineKind == .paymentRecorded }, "acme's timeline has acme's payment")
        let globexTimeline = try await store.timeline(organisationID: "globex", customerID: "C1")
        try expect(!globexTimeline.contains { $0.timelineKind == .paymentRecorded }, "globex's timeline has no payment")
        let acmeAccounts = try await store.accountsForRun(organisationID: "acme", after: nil, limit: 10)
        try expectEqual(acmeAccounts.first?.history.count, 1, "acme's account sees only acme's action")
        try expectEqual(
            acmeAccounts.first?.invoices.map(\.invoice.total.minorUnits), [100_00], "acme's account's invoice")
        try await verifyTimelines(store, "acme")
        try await verifyTimelines(store, "globex")
    }

    /// An action read by id is the one the organisation's listing holds, with its invoices' steps, offer and window
    /// in order; a number only another organisation has given, and one nobody has, read as nothing, and a number
    /// both have given reads the caller's own.
    public static func oneActionIsReadByItsIdWithinItsOrganisationOnly(_ store: any DulyStore) async throws {
        for id in ["acme", "globex"] { try await Fixture.ledger(store, id) }
        var letter = Fixture.action("C1", invoices: ["INV-3", "INV-1"], key: "k-letter", channel: .letter)
        letter.offer = SettlementOffer(
            amount: Fixture.eur(180_00), deadline: Fixture.day("2026-04-24"), shareBasisPoints: 9000)
        _ = try await store.commitRun(
            actions: [Fixture.action("C1", invoices: ["INV-2"], key: "k-email"), letter], cancellations: [],
            organisationID: "acme", context: Fixture.on("2026-04-10"))
        _ = try await store.commitRun(
            actions: ["k-globex-1", "k-globex-2", "k-globex-3"].map {
                Fixture.action("C1", invoices: ["INV-1"], key: $0)
            },
            cancellations: [], organisationID: "globex", context: Fixture.on("2026-04-10"))
        let listed = try await store.actions(organisationID: "acme", customerID: nil)
        try expectEqual(listed.count, 2, "acme's actions")
        for stored in listed {
            try expectEqual(
                try await store.action(organisationID: "acme", id: stored.id), stored, "action \(stored.id)")
        }
        let read = try await store.action(organisationID: "acme", id: listed[1].id)
        try expectEqual(read?.action.invoiceNumbers, ["INV-3", "INV-1"], "the letter's invoices, in order")
        try expectEqual(read?.action.offer?.amount, Fixture.eur(180_00), "the letter's offer")
        let globex = try await store.actions(organisationID: "globex", customerID: nil)
        try expectEqual(globex.count, 3, "globex's actions")
        try expectEqual(
            try await store.action(organisationID: "acme", id: globex[2].id), nil, "globex's act_3 from acme")
        try expectEqual(try await store.action(organisationID: "globex", id: globex[2].id), globex[2], "globex's own")
        try expectEqual(
            try await store.action(organisationID: "acme", id: globex[0].id)?.action.idempotencyKey, "k-email",
            "act_1 read by acme is acme's")
        try expectEqual(try await store.action(organisationID: "acme", id: 987_654), nil, "an id nobody has")
    }

    /// Deleting an organisation removes everything it owns, timeline included, and nothing of another's.
    public static func deleteOrganisationRemovesOnlyThatOrganisation(_ store: any DulyStore) async throws {
        for id in ["acme", "globex"] {
            try await Fixture.ledger(store, id)
            _ = try await store.commitRun(
                actions: [Fixture.action("C1", invoices: ["INV-1"], key: "k-1")], cancellations: [], organisationID: id,
                context: Fixture.on("2026-04-10"))
        }
        let globexBefore = try await store.timeline(organisationID: "globex", customerID: "C1")
        try await store.deleteOrganisation(id: "acme")
        try expectEqual(try await store.organisation(id: "acme"), nil, "acme after deletion")
        try expectEqual(try await store.customers(organisationID: "acme"), [], "acme's customers")
        try expectEqual(
            try await store.invoices(organisationID: "acme", customerID: nil, openOnly: false).count, 0,
            "acme's invoices")
        try expectEqual(try await store.actions(organisationID: "acme", customerID: nil).count, 0, "acme's actions")
        try expectEqual(try await store.timeline(organisationID: "acme", customerID: "C1").count, 0, "acme's timeline")
        try expect(try await store.organisation(id: "globex") != nil, "globex survives")
        try expectEqual(
            try await store.timeline(organisationID: "globex", customerID: "C1"), globexBefore, "globex's timeline")
        try expectEqual(try await store.actions(organisationID: "globex", customerID: nil).count, 1, "globex's actions")
        // The organisation can be created afresh, its chains starting again from the first entry.
        try await Fixture.seed(store, "acme", customers: ["C1"])
        try expectEqual(
            try await store.timeline(organisationID: "acme", customerID: "C1").map(\.sequence), [1], "acme's new chain")
        try await verifyTimelines(store, "acme")
        try await verifyTimelines(store, "globex")
    }

    // MARK: - Checks

    /// Verifies the chain of every customer of an organisation.
    public static func verifyTimelines(_ store: any DulyStore, _ organisationID: String) async throws {
        for customer in try await store.customers(organisationID: organisationID) {
            let entries = try await store.timeline(organisationID: organisationID, customerID: customer.id)
            guard case .valid = TimelineVerifier.verify(entries) else {
                throw ContractViolation(
                    "\(organisationID)/\(customer.id)'s timeline does not verify: \(TimelineVerifier.verify(entries))")
            }
            try expect(!entries.isEmpty, "\(organisationID)/\(customer.id) has a timeline")
        }
    }

    static func expect(_ condition: Bool, _ what: String) throws {
        guard condition else { throw ContractViolation("expected: \(what)") }
    }

    static func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ what: String) throws {
        guard actual == expected else {
            throw ContractViolation("\(what): expected \(expected), got \(actual)")
        }
    }

    private static func expectError(
        _ expected: StoreError, _ what: String, _ body: () async throws -> Void
    ) async throws {
        do {
            try await body()
        } catch let error as StoreError {
            try expectEqual(error, expected, what)
            return
        }
        throw ContractViolation("\(what): expected \(expected) to be thrown, nothing was")
    }

    private static func expectPaid(_ store: any DulyStore, _ expected: [String: Int], _ what: String) async throws {
        for (number, paid) in expected.sorted(by: { $0.key < $1.key }) {
            try expectEqual(
                try await Fixture.balance(store, "acme", number).paid.minorUnits, paid, "paid on \(number) \(what)")
        }
    }
}

/// Builders for the contract's data: small, readable, with dates chosen rather than read from a clock.
enum Fixture {
    static let euro = Currency(code: "EUR")!
    static let pound = Currency(code: "GBP")!

    static func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    static func eur(_ minorUnits: Int) -> Money { Money(minorUnits: minorUnits, currency: euro) }

    static func on(_ date: String) -> RecordingContext {
        RecordingContext(date: day(date), recordedAt: "\(date)T09:00:00Z")
    }

    static func organisation(_ id: String) -> Organisation {
        Organisation(
            id: id, name: "Org \(id)", baseCurrency: euro, country: "NL", timeZone: "Europe/Amsterdam",
            holidays: [day("2026-04-27")])
    }

    static func customer(_ id: String, contacts: Int = 1) -> CustomerRecord {
        let customer = Customer(
            id: id, name: "Customer \(id)", country: "NL", language: "nl", timeZone: "Europe/Amsterdam",
            collector: "sam", tags: ["key", "retail"], optedOut: [.sms])
        var people = [
            Contact(role: .billing, name: "Billing \(id)", email: "billing@\(id).example", preferredChannel: .email)
        ]
        if contacts > 1 {
            people.append(
                Contact(
                    role: .senior, name: "Boss \(id)", email: "boss@\(id).example", phone: "+31 20 000 0000",
                    emailBouncing: true, optedOut: [.call, .letter]))
        }
        return CustomerRecord(customer: customer, contacts: people)
    }

    static func invoice(
        _ number: String, _ customerID: String, due: String, total: Int, currency: Currency = euro,
        terms: PaymentTerms? = nil, po: String? = nil
    ) -> Invoice {
        let dueDate = day(due)
        return Invoice(
            number: number, customerID: customerID, issueDate: dueDate.adding(days: -30), dueDate: dueDate,
            total: Money(minorUnits: total, currency: currency), terms: terms, poNumber: po)
    }

    static func payment(
        _ id: String, _ customerID: String, amount: Int, currency: Currency = euro, date: String = "2026-04-10",
        reference: String? = nil, invoice: String? = nil
    ) -> Payment {
        Payment(
            id: id, customerID: customerID, date: day(date), amount: Money(minorUnits: amount, currency: currency),
            reference: reference, invoiceNumber: invoice)
    }

    static func action(
        _ customerID: String, invoices: [String], key: String, date: String = "2026-04-10",
        channel: Channel = .email, escalatesTo: EscalationTarget? = nil
    ) -> PlannedAction {
        PlannedAction(
            customerID: customerID, date: day(date), channel: channel, stage: .delayed, stepID: "reminder",
            template: "reminder", requiresApproval: false, escalatesTo: escalatesTo,
            steps: invoices.map { InvoiceStep(invoiceNumber: $0, stepID: "reminder") }, status: .planned,
            // Emails carry business hours and letters none, so round trips cover both.
            window: channel == .email ? DeliveryWindow(timeZone: "Europe/Amsterdam", startHour: 9, endHour: 17) : nil,
            idempotencyKey: key)
    }

    /// An organisation with customers (and their first timeline entries).
    static func seed(_ store: any DulyStore, _ organisationID: String, customers: [String] = []) async throws {
        try await store.saveOrganisation(organisation(organisationID))
        if !customers.isEmpty {
            _ = try await store.importCustomers(
                customers.map { customer($0) }, organisationID: organisationID, context: on("2026-03-01"))
        }
    }

    /// C1 owes INV-1 (EUR 100, due first), INV-2 (EUR 50), INV-3 (EUR 100, due last) and INV-GBP (GBP 500).
    static func ledger(_ store: any DulyStore, _ organisationID: String = "acme") async throws {
        try await seed(store, organisationID, customers: ["C1"])
        _ = try await store.importInvoices(
            [
                invoice("INV-3", "C1", due: "2026-04-30", total: 100_00, terms: .net(days: 30)),
                invoice("INV-1", "C1", due: "2026-03-31", total: 100_00, po: "PO-1"),
                invoice("INV-2", "C1", due: "2026-04-15", total: 50_00),
                invoice("INV-GBP", "C1", due: "2026-05-15", total: 500_00, currency: pound),
            ], organisationID: organisationID, context: on("2026-03-02"))
    }

    /// One invoice's balance, or a violation when the store lost it.
    static func balance(
        _ store: any DulyStore, _ organisationID: String, _ number: String
    ) async throws
        -> InvoiceBalance
    {
        let all = try await store.invoices(organisationID: organisationID, customerID: nil, openOnly: false)
        guard let balance = all.first(where: { $0.invoice.number == number }) else {
            throw ContractViolation("invoice \(number) is missing")
        }
        return balance
    }
}
