import DulyCore
import DulyStore
import Testing

@testable import DulyStoreSQLite

@Suite("Whether anything was committed")
struct ChangeVersionTests {
    let acme = Organisation(
        id: "acme", name: "Acme", baseCurrency: Currency(code: "EUR")!, country: "NL", timeZone: "Europe/Amsterdam")

    @Test func theVersionStaysWhileNothingIsWritten() async throws {
        try await TemporaryStore.with { store, _ in
            let first = try await store.changeVersion()
            _ = try await store.organisation(id: "acme")
            #expect(try await store.changeVersion() == first)
        }
    }

    @Test func aWriteThroughTheStoreMovesTheVersion() async throws {
        try await TemporaryStore.with { store, _ in
            let before = try await store.changeVersion()
            try await store.saveOrganisation(acme)
            #expect(try await store.changeVersion() != before)
        }
    }

    @Test func aWriteByAnotherConnectionMovesTheVersion() async throws {
        try await TemporaryStore.with { store, temporary in
            let before = try await store.changeVersion()
            // Another process with the same file (the command line beside the server) writes.
            let other = try SQLiteStore(path: temporary.path)
            try await other.saveOrganisation(acme)
            #expect(try await store.changeVersion() != before)
        }
    }
}
