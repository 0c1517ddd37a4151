import DulyCore
import DulyStore

// SCAFFOLDING, never to reach main: the `DulyStore` requirements not yet written for PostgreSQL, so that the other
// store protocols compile while they are written. Each group is deleted as its methods are written in their own file.
extension PostgresStore: DulyStore {
    static func notYetOnPostgreSQL(_ function: String) -> StoreError {
        StoreError.backend("\(function) is not yet written for PostgreSQL")
    }
}

// MARK: - Group "ledger": imports, credit notes and the ledger's reads (PostgresStore+Ledger.swift)

extension PostgresStore {
    public func importCustomers(
        _ records: [CustomerRecord], organisationID: String, context: RecordingContext
    ) async throws -> ImportSummary {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func importInvoices(
        _ invoices: [Invoice], organisationID: String, context: RecordingContext
    ) async throws -> ImportSummary {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func importPayments(
        _ payments: [Payment], organisationID: String, context: RecordingContext
    ) async throws -> ImportSummary {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func importRefusals(invoices: [Invoice], organisationID: String) async throws -> [ImportRefusal] {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func importRefusals(payments: [Payment], organisationID: String) async throws -> [ImportRefusal] {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func recordCreditNote(_ note: CreditNote, organisationID: String, context: RecordingContext) async throws {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func invoices(organisationID: String, customerID: String?, openOnly: Bool) async throws -> [InvoiceBalance] {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func customers(organisationID: String) async throws -> [Customer] {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func customer(organisationID: String, customerID: String) async throws -> CustomerRecord? {
        throw Self.notYetOnPostgreSQL(#function)
    }

    public func timeline(organisationID: String, customerID: String) async throws -> [TimelineEntry] {
        throw Self.notYetOnPostgreSQL(#function)
    }
}
