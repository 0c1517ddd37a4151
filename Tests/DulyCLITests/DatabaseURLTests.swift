import Foundation
import Testing

/// Every command opens its store through one factory and one command context (issue 13, part 1, "One way in"): a
/// database URL is read, and an organisation found, the same way whichever command asks.
@Suite("Opening the database")
struct DatabaseURLTests {
    @Test func aPostgreSQLServerThatCannotBeReachedIsSaidAtOnceByAnyCommandWithoutThePassword() throws {
        let duly = try DulyProcess()
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        for url in ["postgres://duly:s3cret@127.0.0.1:1/duly", "postgresql://duly:s3cret@127.0.0.1:1/duly"] {
            let refused = try duly.run(["status", "--database", url + "?sslmode=disable"], database: false)
            #expect(refused.status != 0)
            #expect(refused.errors.contains("cannot connect to postgres"))
            #expect(refused.errors.contains("Connection refused"))
            #expect(!refused.errors.contains("s3cret"))
        }
    }

    @Test func aURLOfAnotherKindIsRefusedNamingIt() throws {
        let refused = try DulyProcess().run(["status", "--database", "mysql://localhost/duly"], database: false)
        #expect(refused.status != 0)
        #expect(
            refused.errors.contains(
                "unknown database URL 'mysql://localhost/duly': use sqlite:PATH or postgres://USER@HOST/DATABASE"))
    }

    @Test func aSQLiteURLThatNamesNoFileIsRefused() throws {
        let refused = try DulyProcess().run(["status", "--database", "sqlite:"], database: false)
        #expect(refused.status != 0)
        #expect(refused.errors.contains("the database URL 'sqlite:' names no file"))
    }

    @Test func theURLInTheEnvironmentIsUsedWhenNoneIsGiven() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        let status = try duly.run(
            ["invoices", "--as-of", "2026-03-02"], database: false, environment: ["DULY_DATABASE_URL": duly.databaseURL]
        )
        #expect(status.status == 0, "\(status.errors)")
        #expect(status.output.contains("INV-1"))
    }

    @Test(arguments: [
        ["status"], ["invoices"], ["customers"], ["approvals"], ["worklist"], ["report", "aging"], ["deliver"],
        ["webhooks", "deliver"],
    ])
    func everyCommandRefusesAMissingOrganisationTheSameWay(_ command: [String]) throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        let refused = try duly.run(command + ["--org", "nowhere"])
        #expect(refused.status != 0)
        #expect(
            refused.errors.contains(
                "no organisation 'nowhere' in \(duly.databaseURL): run `duly init --name NAME --currency EUR"))
    }
}
