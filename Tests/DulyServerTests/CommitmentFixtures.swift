import DulyCore
import DulyStore
import Foundation
import HummingbirdTesting

@testable import DulyServer

/// The collector's records the document's examples name, written to the test server as the CLI would write them.
extension TestServer {
    static let euro = Currency(code: "EUR")!
    static var recording: RecordingContext { RecordingContext(date: today, recordedAt: "2026-03-20T08:30:00Z") }

    /// A call about INV-100 planned for today, as a run would write it.
    func plannedCall() async throws {
        let action = PlannedAction(
            customerID: "C-100", date: Self.today, channel: .call, stage: .delayed, stepID: "reminder_call",
            template: "reminder_call", requiresApproval: false, escalatesTo: nil,
            steps: [InvoiceStep(invoiceNumber: "INV-100", stepID: "reminder_call")], status: .planned,
            idempotencyKey: "studio-reminder-call")
        _ = try await store.commitRun(
            actions: [action], cancellations: [], organisationID: "studio", context: Self.recording)
    }

    /// A promise, a proposed plan and an open dispute on INV-100, under the ids of the document's examples.
    func commitments() async throws {
        try await store.recordPromise(
            PromiseToPay(
                id: "PRM-C-100-2026-03-20-1", invoiceNumbers: ["INV-100"],
                amount: Money(minorUnits: 10_000, currency: Self.euro),
                promisedDate: LocalDate(year: 2026, month: 4, day: 1)!, madeOn: Self.today, channel: .call,
                promisedBy: "Ann"),
            organisationID: "studio", context: Self.recording)
        try await store.recordPlan(
            PaymentPlan(
                id: "PLN-C-100-2026-03-20", invoiceNumbers: ["INV-100"],
                instalments: [
                    PaymentPlan.Instalment(
                        dueDate: LocalDate(year: 2026, month: 4, day: 15)!,
                        amount: Money(minorUnits: 30_000, currency: Self.euro))
                ], acceptedOn: nil, proposedBy: .client),
            organisationID: "studio", context: Self.recording)
        try await store.recordDispute(
            Dispute(
                id: "DSP-INV-100-2026-03-20", invoiceNumber: "INV-100", openedOn: Self.today, reasonCode: .pricing,
                reason: "not the rate quoted", amount: Money(minorUnits: 5_000, currency: Self.euro)),
            organisationID: "studio", context: Self.recording)
    }

    /// The public id of studio's first action.
    func firstActionID(_ client: any TestClientProtocol) async throws -> String {
        let list = try await client.call(.get, "/api/v1/actions", token: tokens[.viewer]!)
        guard case .string(let id) = list.items.first?["id"] else { throw Problem(.notFound, "no action") }
        return id
    }

    /// What is open on an invoice, as the store holds it.
    func open(_ number: String, organisationID: String = "studio") async throws -> String? {
        try await store.invoice(organisationID: organisationID, number: number)?.open.decimalString
    }

    /// The kinds of the customer's timeline entries, oldest first.
    func timelineKinds(_ customerID: String = "C-100") async throws -> [String] {
        try await store.timeline(organisationID: "studio", customerID: customerID).map(\.kind)
    }
}
