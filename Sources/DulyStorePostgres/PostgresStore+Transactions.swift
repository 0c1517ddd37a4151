import DulyCore
import DulyStore
import Logging
import PostgresNIO

// How every store method reaches the database: one transaction per unit of work, failures as `StoreError`.
extension PostgresStore {
    /// Runs `body` in one read-write transaction (READ COMMITTED, PostgreSQL's default: each write takes the locks the
    /// store contract names for it), translating failures into `StoreError`. The store's own refusals thrown inside
    /// roll it back and come out as themselves.
    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Runs `body` on one consistent snapshot (a read-only REPEATABLE READ transaction), so that a read made of
    /// several queries never sees half of a write.
    func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
                return try await body(connection)
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Refuses a unit of work for an organisation that does not exist.
    func requireOrganisation(_ id: String, _ connection: PostgresConnection) async throws {
        // Read whole (`row`): a row sequence left half read is cancelled on the server, which can strike the
        // transaction's next statement.
        guard try await connection.row("SELECT 1 FROM organisations WHERE org_id = \(id)", logger: logger) != nil else {
            throw StoreError.organisationNotFound(id)
        }
    }
}

extension PostgresConnection {
    /// Every row a query returns, each readable by column name.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await self.query(query, logger: logger) { rows.append(row.makeRandomAccess()) }
        return rows
    }

    /// The first row a query returns, if any.
    func row(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRandomAccessRow? {
        try await rows(query, logger: logger).first
    }

    /// Runs a statement that returns no rows (or whose rows do not matter).
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }

    /// Takes the transaction-scoped advisory locks that serialise writes to one customer's timeline (docs/POSTGRES.md,
    /// "Isolation"): the organisation's lock shared, then the customer's exclusive, both held to the commit, so two
    /// writes that read a chain's head and append after it never interleave, while writes to other customers go on.
    func lockCustomer(organisationID: String, customerID: String, logger: Logger) async throws {
        try await execute(
            """
            SELECT pg_advisory_xact_lock_shared(hashtextextended(\(organisationID), 0)),
                pg_advisory_xact_lock(hashtextextended(\(organisationID + "\u{1F}" + customerID), 0))
            """, logger: logger)
    }

    /// `lockCustomer` for a batch of customers in one round trip, in id order, so that two batches that share customers
    /// never wait for each other in a cycle: for a run's batch, which several nodes write at once.
    func lockCustomers(organisationID: String, customerIDs: [String], logger: Logger) async throws {
        try await execute(
            "SELECT pg_advisory_xact_lock_shared(hashtextextended(\(organisationID), 0))", logger: logger)
        try await execute(
            """
            SELECT pg_advisory_xact_lock(hashtextextended(\(organisationID) || E'\\x1F' || c, 0))
            FROM (SELECT DISTINCT c FROM unnest(\(customerIDs)::text[]) c ORDER BY c) ordered
            """, logger: logger)
    }

    /// Takes the organisation's advisory lock exclusively, held to the commit: for a bulk write (an import, a run's
    /// batch) that appends to many customers' timelines, where a lock per customer would exhaust the server's lock
    /// table. It waits for every `lockCustomer` holder of the organisation, and they for it.
    func lockOrganisation(_ organisationID: String, logger: Logger) async throws {
        try await execute("SELECT pg_advisory_xact_lock(hashtextextended(\(organisationID), 0))", logger: logger)
    }
}
