import DulyStorePostgres
import Testing

/// Reading a `postgres://` URL (docs/POSTGRES.md, "Connecting"): no server needed.
@Suite("PostgreSQL URLs")
struct PostgresSettingsTests {
    @Test func aPlainURLGivesTheServerTheUserAndTheDatabaseWithSafeDefaults() throws {
        let settings = try PostgresSettings(url: "postgres://duly@db.example:6432/collections")
        #expect(settings.host == "db.example")
        #expect(settings.port == 6432)
        #expect(settings.user == "duly")
        #expect(settings.password == nil)
        #expect(settings.database == "collections")
        #expect(settings.poolSize == 10)
        #expect(settings.statementTimeoutMilliseconds == 30_000)
        #expect(settings.sslMode == .prefer)
    }

    @Test func thePortDefaultsToPostgreSQLsOwn() throws {
        #expect(try PostgresSettings(url: "postgresql://duly@localhost/duly").port == 5432)
    }

    @Test func poolSizeStatementTimeoutAndSSLModeComeFromTheURL() throws {
        let settings = try PostgresSettings(
            url: "postgres://duly:s3cret@localhost/duly?pool_size=4&statement_timeout=2min&sslmode=verify-full")
        #expect(settings.poolSize == 4)
        #expect(settings.statementTimeoutMilliseconds == 120_000)
        #expect(settings.sslMode == .verifyFull)
        #expect(try PostgresSettings(url: "postgres://d@h/d?statement_timeout=250").statementTimeoutMilliseconds == 250)
        #expect(
            try PostgresSettings(url: "postgres://d@h/d?statement_timeout=500ms").statementTimeoutMilliseconds == 500)
        #expect(try PostgresSettings(url: "postgres://d@h/d?statement_timeout=0").statementTimeoutMilliseconds == 0)
    }

    @Test func aPercentEncodedPasswordIsDecoded() throws {
        #expect(try PostgresSettings(url: "postgres://duly:p%40ss%2Fw@localhost/duly").password == "p@ss/w")
    }

    @Test func thePasswordIsNeverShown() throws {
        let settings = try PostgresSettings(url: "postgres://duly:s3cret@localhost:5433/duly")
        #expect(settings.description == "postgres://duly:***@localhost:5433/duly")
        #expect(!"\(settings)".contains("s3cret"))
    }

    @Test func aBadSettingIsRefusedNamingItAndWhatToGive() {
        let cases: [(url: String, message: String)] = [
            ("postgres://d@h/d?pool_size=0", "pool_size=0 in the database URL: give a number from 1 to 1000"),
            (
                "postgres://d@h/d?statement_timeout=soon",
                "statement_timeout=soon in the database URL: give milliseconds or a duration such as 30s"
            ),
            (
                "postgres://d@h/d?sslmode=allow",
                "sslmode=allow in the database URL: use one of disable, prefer, require, verify-full"
            ),
            (
                "postgres://d@h/d?poolsize=3",
                "unknown setting 'poolsize' in the database URL: Duly reads pool_size, statement_timeout and sslmode"
            ),
        ]
        for (url, message) in cases {
            #expect(throws: PostgresSettings.Problem(description: message)) { try PostgresSettings(url: url) }
        }
    }

    @Test func aURLWithoutUserHostOrDatabaseIsRefusedAndItsPasswordHidden() {
        #expect(
            throws: PostgresSettings.Problem(
                description: "the database URL postgres://:***@localhost/duly names no user (postgres://USER@HOST/…)")
        ) { try PostgresSettings(url: "postgres://:secret@localhost/duly") }
        #expect(
            throws: PostgresSettings.Problem(
                description: "the database URL postgres://duly:***@localhost names no database (…/DATABASE)")
        ) { try PostgresSettings(url: "postgres://duly:secret@localhost") }
    }
}
