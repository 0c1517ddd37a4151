import DulyCore
import DulyStore
import Testing

@testable import DulyServer

@Suite struct TimelineRouteTests {
    @Test func theTimelineIsPagedInChainOrderWithACursorToTheLastPage() async throws {
        let server = try await TestServer.make()
        let token = server.tokens[.viewer]!
        try await server.test { client in
            let all = try await client.call(.get, "/api/v1/customers/C-100/timeline", token: token)
            #expect(all.status == .ok)
            let sequences = all.items.map { $0["sequence"] }
            #expect(sequences.count >= 2)
            #expect(sequences == (1...sequences.count).map { .integer($0) })
            let first = try await client.call(.get, "/api/v1/customers/C-100/timeline?limit=1", token: token)
            #expect(first.items.map { $0["sequence"] } == [.integer(1)])
            let cursor = try #require(first["next_cursor"])
            let second = try await client.call(
                .get, "/api/v1/customers/C-100/timeline?limit=1&cursor=\(cursor)", token: token)
            #expect(second.items.map { $0["sequence"] } == [.integer(2)])
            #expect(second.items.first?["previous_hash"] == first.items.first?["hash"])
        }
    }

    @Test func anEntryAboutAnActionNamesItByTheAPIsActionID() async throws {
        let server = try await TestServer.make()
        try await server.escalationAwaitingApproval()
        let token = server.tokens[.viewer]!
        try await server.test { client in
            let actions = try await client.call(.get, "/api/v1/actions", token: token)
            let actionID = try #require(actions.items.first?["id"])
            let timeline = try await client.call(.get, "/api/v1/customers/C-100/timeline", token: token)
            let about = timeline.items.filter { $0["action_id"] != .null }
            #expect(!about.isEmpty)
            #expect(about.allSatisfy { $0["action_id"] == actionID })
            // Each entry in words, as `duly timeline` words it: actions by what they were, not by row number.
            let sentences = TimelineNarrative.sentences(
                try await server.store.timeline(organisationID: "studio", customerID: "C-100"))
            for item in timeline.items {
                guard case .integer(let sequence) = item["sequence"] else { continue }
                #expect(item["sentence"] == sentences[sequence].map(JSONNode.string))
            }
        }
    }

    @Test func anIntactChainIsReportedWithItsLengthAndLastHash() async throws {
        let server = try await TestServer.make()
        let token = server.tokens[.viewer]!
        try await server.test { client in
            let timeline = try await client.call(.get, "/api/v1/customers/C-100/timeline", token: token)
            let answer = try await client.call(.get, "/api/v1/customers/C-100/timeline/verification", token: token)
            #expect(answer.status == .ok)
            #expect(answer["status"] == "intact")
            #expect(answer.json["entries"] == .integer(timeline.items.count))
            #expect(answer.json["last_hash"] == timeline.items.last?["hash"])
            #expect(answer.json["first_bad_entry"] == .null)
        }
    }

    @Test func anAlteredEntryIsNamedAsWhereTheChainBreaks() async throws {
        let server = try await TestServer.make()
        // Given an entry changed behind the store's back (its append-only trigger dropped first)
        try await server.alterTimelineEntry(2)
        try await server.test { client in
            // When the chain is checked
            let answer = try await client.call(
                .get, "/api/v1/customers/C-100/timeline/verification", token: server.tokens[.viewer]!)
            // Then the answer names the entry and why, as `duly timeline --verify` does
            #expect(answer.status == .ok)
            #expect(answer["status"] == "broken")
            #expect(answer.json["first_bad_entry"] == .integer(2))
            #expect(answer["reason"] == "its content does not match its hash: it was altered")
        }
    }

    @Test func anotherOrganisationsCustomerHasNoTimelineHere() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            for path in ["timeline", "timeline/verification"] {
                let answer = try await client.call(
                    .get, "/api/v1/customers/C-900/\(path)", token: server.tokens[.viewer]!)
                #expect(answer.status == .notFound)
                #expect(answer["detail"] == "no customer 'C-900' in this organisation")
            }
        }
    }

    @Test func aCursorTheTimelineDidNotGiveIsRefusedNamingIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .get, "/api/v1/customers/C-100/timeline?cursor=abc", token: server.tokens[.viewer]!)
            #expect(answer.status == .badRequest)
            #expect(answer["field"] == "cursor")
        }
    }
}
