import DulyCore
import DulyStore

// SCAFFOLDING, never to reach main: the `DulyStore` requirements not yet written for PostgreSQL, so that the other
// store protocols compile while they are written. Each group is deleted as its methods are written in their own file.
extension PostgresStore: DulyStore {
    static func notYetOnPostgreSQL(_ function: String) -> StoreError {
        StoreError.backend("\(function) is not yet written for PostgreSQL")
    }
}

// MARK: - Group "run": commitments, the collection day's reads and writes, actions (PostgresStore+Run.swift)

extension PostgresStore {
    public func recordDispute(_ dispute: Dispute, organisationID: String, context: RecordingContext) async throws {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func recordPromise(_ promise: PromiseToPay, organisationID: String, context: RecordingContext) async throws {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func recordPlan(_ plan: PaymentPlan, organisationID: String, context: RecordingContext) async throws {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func recordRefusal(
        customerID: String, note: String?, organisationID: String, context: RecordingContext
    ) async throws {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func accountsForRun(organisationID: String, after: String?, limit: Int) async throws -> [Account] {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func commitRun(
        actions: [PlannedAction], cancellations: [Cancellation], reviews: [CustomerReview], organisationID: String,
        context: RecordingContext
    ) async throws -> RunCommitSummary {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func customersToReview(
        organisationID: String, on date: LocalDate, fingerprint: String
    ) async throws -> ReviewSelection {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func accountsForReview(organisationID: String, customerIDs: [String]) async throws -> [ReviewedAccount] {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func finishReviews(organisationID: String, fingerprint: String, on date: LocalDate) async throws {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func updateActionStatus(
        id: Int64, to status: ActionStatus, organisationID: String, context: RecordingContext
    ) async throws {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func actions(organisationID: String, customerID: String?) async throws -> [StoredAction] {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func action(organisationID: String, id: Int64) async throws -> StoredAction? {
        throw Self.notYetOnPostgreSQL(#function)
    }
}
