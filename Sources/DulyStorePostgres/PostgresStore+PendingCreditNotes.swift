import DulyCore
import DulyStore
import PostgresNIO

// SCAFFOLDING, never to reach main: the credit note's rows, which the ledger helper writes (branch pg-ledger,
// `recordCreditNote`). Deleted when that branch is merged; its own function takes this one's place.
extension PostgresStore {
    static func insertCreditNote(
        _ note: CreditNote, organisationID: String, timeline: inout PostgresTimeline,
        _ connection: PostgresConnection
    ) async throws {
        throw Self.notYetOnPostgreSQL(#function)
    }
}
