import DulyCore
import DulyStore
import DulyStoreSQLite
import Hummingbird
import Testing

@testable import DulyServer

/// `duly serve` answers a repeated read from memory, and never with data older than the database's.
@Suite struct ReadCacheTests {
    static let context = RecordingContext(date: TestServer.today, recordedAt: "2026-03-20T10:00:00Z")

    @Test func aRepeatedReadIsAnsweredAsTheFirst() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let first = try await client.call(.get, "/api/v1/customers/C-100", token: server.tokens[.viewer]!)
            let second = try await client.call(.get, "/api/v1/customers/C-100", token: server.tokens[.viewer]!)
            #expect(first.status == .ok)
            #expect(second.status == first.status)
            #expect(second.contentType == first.contentType)
            #expect(second.body == first.body)
        }
    }

    @Test func aChangeMadeFromTheCommandLineShowsOnTheNextRead() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let before = try await client.call(.get, "/api/v1/customers/C-100", token: server.tokens[.viewer]!)
            #expect(before["name"] == "Customer C-100")
            // Another process with the same file, as `duly import customers` beside the server.
            let commandLine = try SQLiteStore(path: server.path)
            _ = try await commandLine.importCustomers(
                [
                    CustomerRecord(
                        customer: Customer(id: "C-100", name: "Renamed Ltd", country: "NL", language: "en"),
                        contacts: [Contact(role: .billing, name: "Ann", email: "ann@c-100.example")])
                ],
                organisationID: "studio", context: Self.context)
            let after = try await client.call(.get, "/api/v1/customers/C-100", token: server.tokens[.viewer]!)
            #expect(after["name"] == "Renamed Ltd")
        }
    }

    @Test func aChangeMadeThroughTheAPIShowsOnTheNextRead() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let before = try await client.call(.get, "/api/v1/customers?limit=10", token: server.tokens[.viewer]!)
            #expect(before.items.count == 1)
            let created = try await client.call(
                .post, "/api/v1/customers", token: server.tokens[.manager]!,
                body: #"{"customer_id": "C-101", "name": "Bakery"}"#)
            #expect(created.status == .created)
            let after = try await client.call(.get, "/api/v1/customers?limit=10", token: server.tokens[.viewer]!)
            #expect(after.items.map { $0["customer_id"] } == [.string("C-100"), .string("C-101")])
        }
    }

    @Test func aMemberWhoseRoleWasLoweredIsRefusedAtOnce() async throws {
        let server = try await TestServer.make()
        let token = server.tokens[.manager]!
        try await server.test { client in
            let read = try await client.call(.get, "/api/v1/customers/C-100", token: token)
            #expect(read.status == .ok)
            let commandLine = try SQLiteStore(path: server.path)
            _ = try await commandLine.addMember(
                email: "manager@studio.example", passwordHash: nil, organisationID: "studio", role: .viewer)
            let run = try await client.call(
                .post, "/api/v1/runs", token: token, body: #"{"dry_run": true}"#, key: "lowered-1")
            #expect(run.status == .forbidden)
        }
    }

    @Test func anotherCallerNeverGetsAnAnswerMadeForSomeoneElse() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let own = try await client.call(.get, "/api/v1/customers/C-100", token: server.tokens[.viewer]!)
            #expect(own.status == .ok)
            let foreign = try await client.call(.get, "/api/v1/customers/C-100", token: server.otherToken)
            #expect(foreign.status == .notFound)
        }
    }

    static func answer(_ text: String) -> ReadCache.Answer {
        ReadCache.Answer(status: .ok, headers: [:], body: ByteBuffer(string: text))
    }

    @Test func anAnswerIsServedWhileTheVersionItWasMadeAfterStandsAndForgottenWhenItMoves() {
        let cache = ReadCache()
        #expect(cache.answer("worklist", version: 7) == nil)
        cache.remember(Self.answer("page one"), for: "worklist", version: 7)
        #expect(cache.answer("worklist", version: 7)?.body == ByteBuffer(string: "page one"))
        #expect(cache.answer("worklist", version: 8) == nil)
        #expect(cache.answer("worklist", version: 7) == nil, "what was forgotten does not come back")
    }

    @Test func anAnswerMadeBeforeAnotherRequestSawTheVersionMoveIsNotKept() {
        let cache = ReadCache()
        #expect(cache.answer("worklist", version: 7) == nil)
        // Meanwhile something was committed, and another request saw it.
        #expect(cache.answer("customer", version: 8) == nil)
        cache.remember(Self.answer("page made from version 7"), for: "worklist", version: 7)
        #expect(cache.answer("worklist", version: 8) == nil)
    }

    @Test func anAnswerLargerThanTheLimitIsMadeAfreshEachTime() {
        let cache = ReadCache(largestAnswer: 16)
        #expect(cache.answer("evidence", version: 1) == nil)
        cache.remember(Self.answer(String(repeating: "x", count: 64)), for: "evidence", version: 1)
        #expect(cache.answer("evidence", version: 1) == nil)
    }
}
