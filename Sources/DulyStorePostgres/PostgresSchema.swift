/// The PostgreSQL schema as append-only migrations, each named as its SQLite counterpart (docs/POSTGRES.md, "The
/// schema"). A migration is never edited once it has shipped; a change is a new one at the end.
enum PostgresSchema {
    /// A named list of statements, applied in one transaction with the others due.
    struct Migration: Sendable {
        let name: String
        let statements: [String]
    }

    /// Every migration, in order.
    static let migrations: [Migration] = [
        // Everything SQLite's migrations v1_schema to v32_worklist built, at once: PostgreSQL came after them.
        Migration(name: "v32_worklist", statements: baseline),
        Migration(name: "v33_portal", statements: v33Portal),
        Migration(name: "v34_pauses_payment_links", statements: v34PausesPaymentLinks),
        Migration(name: "v37_public_numbers", statements: v37PublicNumbers),
        Migration(name: "v38_idempotency_times", statements: v38IdempotencyTimes),
        Migration(name: "v39_work_claims", statements: v39WorkClaims),
        Migration(name: "v40_approval_queue", statements: v40ApprovalQueue),
    ]

    /// The table that records which migrations a database has.
    static let ledgerTable = "duly_migrations"

    /// The advisory lock every migrating process takes first, so that nodes starting at once apply each migration
    /// once: the second waits for the first's transaction, then finds nothing left to do. (A 64-bit key of Duly's
    /// own: "duly" and "migr" in ASCII.)
    static let lockKey: Int64 = 0x6475_6C79_6D69_6772
}
