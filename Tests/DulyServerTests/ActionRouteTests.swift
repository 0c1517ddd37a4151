import DulyCore
import DulyStore
import HummingbirdTesting
import Testing

@testable import DulyServer

@Suite struct ActionRouteTests {
    @Test func anActionARunPlannedIsListedAndReadByItsPublicID() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            _ = try await client.call(.post, "/api/v1/runs", token: server.tokens[.manager]!, body: "{}")
            let list = try await client.call(.get, "/api/v1/actions?customer_id=C-100", token: server.tokens[.viewer]!)
            let action = try #require(list.items.first)
            #expect(action["customer_id"] == "C-100")
            #expect(action["invoice_numbers"] == .array(["INV-100"]))
            guard case .string(let id) = action["id"] else {
                Issue.record("no id")
                return
            }
            #expect(id.hasPrefix("act_"))
            let read = try await client.call(.get, "/api/v1/actions/\(id)", token: server.tokens[.viewer]!)
            #expect(read.status == .ok)
            #expect(read.json == action)
        }
    }

    @Test func anIdThatIsNotAnActionsAnswers404() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/api/v1/actions/57", token: server.tokens[.viewer]!)
            #expect(answer.status == .notFound)
            #expect(answer.isProblem)
        }
    }

    @Test func actionsAreNamedByTheOrganisationsOwnNumbers() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            _ = try await client.call(.post, "/api/v1/runs", token: server.tokens[.manager]!, body: "{}")
            let list = try await client.call(.get, "/api/v1/actions", token: server.tokens[.viewer]!)
            let ids = list.items.compactMap { item -> String? in
                guard case .string(let id) = item["id"] else { return nil }
                return id
            }
            #expect(!ids.isEmpty)
            #expect(ids == (1...ids.count).map { "act_\($0)" })
        }
    }

    @Test func anIdTheAPIGaveBeforeTheNumberingStillNamesItsAction() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            _ = try await client.call(.post, "/api/v1/runs", token: server.tokens[.manager]!, body: "{}")
            let secret = try await server.store.serverSecret(
                named: LegacyPublicIDs.secretName, generated: randomBytes(32))
            let old = LegacyPublicIDs(secret: secret).encode(1, organisationID: "studio", prefix: "act_")
            let read = try await client.call(.get, "/api/v1/actions/\(old)", token: server.tokens[.viewer]!)
            #expect(read.status == .ok)
            #expect(read["id"] == "act_1")
        }
    }

    @Test func idsGivenBeforeTheNumberingReadAsTheyWereMade() {
        // Ids already handed out (in webhooks, in integrations' records) keep naming the same actions: these are
        // the ids the first release gave, worked out apart from the code (HMAC-SHA256 Feistel), and each row kept
        // its row id as its number.
        let ids = LegacyPublicIDs(secret: Array(repeating: 7, count: 32))
        #expect(ids.number(in: "act_aZSD_PsyVkg", organisationID: "studio", kind: .action) == 1)
        #expect(ids.number(in: "act_H8vAVtYOn4w", organisationID: "studio", kind: .action) == 57)
        #expect(ids.number(in: "act_TYljYij2m3c", organisationID: "other", kind: .action) == 57)
        #expect(ids.number(in: "act_ey2ovNbGOnc", organisationID: "studio", kind: .action) == 9_000_000_000)
        #expect(ids.number(in: "act_H8vAVtYOn4w", organisationID: "other", kind: .action) != 57)
        #expect(ids.number(in: "act_57", organisationID: "studio", kind: .action) == nil)
    }

    @Test func twoOrganisationsNumberTheirActionsApartAndReadOnlyTheirOwn() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            // Given a run in each organisation, studio's first
            _ = try await client.call(.post, "/api/v1/runs", token: server.tokens[.manager]!, body: "{}")
            _ = try await client.call(.post, "/api/v1/runs", token: server.otherToken, body: "{}")
            // Then each has its own act_1, about its own customer
            let studio = try await client.call(.get, "/api/v1/actions/act_1", token: server.tokens[.viewer]!)
            let other = try await client.call(.get, "/api/v1/actions/act_1", token: server.otherToken)
            #expect(studio["customer_id"] == "C-100")
            #expect(other["customer_id"] == "C-900")
        }
    }
}

@Suite struct DecisionRouteTests {
    // The id of studio's one action, an escalation awaiting approval.
    static func actionID(_ server: TestServer, _ client: any TestClientProtocol) async throws -> String {
        try await server.escalationAwaitingApproval()
        let list = try await client.call(.get, "/api/v1/actions", token: server.tokens[.viewer]!)
        guard case .string(let id) = list.items.first?["id"] else { throw Problem(.notFound, "no action") }
        return id
    }

    @Test func aManagerApprovesAnActionAwaitingApproval() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let id = try await Self.actionID(server, client)
            let answer = try await client.call(
                .post, "/api/v1/actions/\(id)/decision", token: server.tokens[.manager]!,
                body: #"{"decision": "approve", "note": "called twice"}"#)
            #expect(answer.status == .ok)
            #expect(answer["status"] == "approved")
            let timeline = try await server.store.timeline(organisationID: "studio", customerID: "C-100")
            #expect(timeline.last?.details.values.contains("manager@studio.example") == true)
        }
    }

    @Test func aRejectedActionIsCancelled() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let id = try await Self.actionID(server, client)
            let answer = try await client.call(
                .post, "/api/v1/actions/\(id)/decision", token: server.tokens[.owner]!, body: #"{"decision": "reject"}"#
            )
            #expect(answer["status"] == "cancelled")
        }
    }

    @Test func aDecisionOnAnActionNoLongerAwaitingApprovalIsAConflict() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let id = try await Self.actionID(server, client)
            let uri = "/api/v1/actions/\(id)/decision"
            _ = try await client.call(.post, uri, token: server.tokens[.manager]!, body: #"{"decision": "approve"}"#)
            let again = try await client.call(
                .post, uri, token: server.tokens[.manager]!, body: #"{"decision": "reject"}"#)
            #expect(again.status == .conflict)
            #expect(again["detail"] == "the action is approved, not awaiting approval")
        }
    }

    @Test func aDecisionThatIsNeitherApproveNorRejectIsRefusedNamingTheField() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let id = try await Self.actionID(server, client)
            let answer = try await client.call(
                .post, "/api/v1/actions/\(id)/decision", token: server.tokens[.manager]!,
                body: #"{"decision": "maybe"}"#)
            #expect(answer.status == .unprocessableContent)
            #expect(answer["field"] == "decision")
        }
    }
}

@Suite struct WorklistRouteTests {
    @Test func anEscalationAwaitingApprovalIsOnTheWorklistByItsPublicID() async throws {
        let server = try await TestServer.make()
        try await server.escalationAwaitingApproval()
        try await server.test { client in
            let worklist = try await client.call(.get, "/api/v1/worklist", token: server.tokens[.viewer]!)
            let actions = try await client.call(.get, "/api/v1/actions", token: server.tokens[.viewer]!)
            let task = try #require(worklist.items.first { $0["kind"] == "approval" })
            #expect(task["action_id"] == actions.items.first?["id"])
            #expect(task["invoice_numbers"] == .array(["INV-100"]))
        }
    }

    @Test func theWorklistIsPagedToItsEnd() async throws {
        let server = try await TestServer.make()
        try await server.escalationAwaitingApproval()
        try await server.test { client in
            let token = server.tokens[.viewer]!
            let whole = try await client.call(.get, "/api/v1/worklist", token: token)
            var seen: [JSONObject] = []
            var uri = "/api/v1/worklist?limit=1"
            for _ in 0..<10 {
                let page = try await client.call(.get, uri, token: token)
                seen += page.items
                guard let cursor = page["next_cursor"] else { break }
                uri = "/api/v1/worklist?limit=1&cursor=\(cursor)"
            }
            #expect(!whole.items.isEmpty)
            #expect(seen == whole.items)
        }
    }

    @Test func pagesRunFromActionsThroughHeldEscalationsToDisputesWithNothingLostOrRepeated() async throws {
        let server = try await TestServer.make()
        try await server.escalationAwaitingApproval()
        let context = RecordingContext(date: TestServer.today, recordedAt: "2026-03-20T08:00:00Z")
        // What the collection day writes when it holds an escalation back: the customer's review with it.
        let changes = try #require(
            try await server.store.accountsForReview(organisationID: "studio", customerIDs: ["C-100"]).first?.changes)
        _ = try await server.store.commitRun(
            actions: [], cancellations: [],
            reviews: [
                CustomerReview(
                    customerID: "C-100", changes: changes, nextReview: nil,
                    held: ["agency", "lawyer"].map {
                        Deferral(customerID: "C-100", invoiceNumber: "INV-100", stepID: $0, reason: .noContactMade)
                    })
            ], organisationID: "studio", context: context)
        for (id, opened) in [("DSP-2", 12), ("DSP-1", 10)] {
            try await server.store.recordDispute(
                Dispute(
                    id: id, invoiceNumber: "INV-100", openedOn: LocalDate(year: 2026, month: 3, day: opened)!,
                    reason: "not delivered"), organisationID: "studio", context: context)
        }
        try await server.test { client in
            // Money the bank paid that no invoice explains comes last.
            let credit = try await client.call(
                .post, "/api/v1/bank-credits", token: server.tokens[.manager]!,
                body:
                    #"{"credit_id": "BANK-9", "booking_date": "2026-03-19", "currency": "EUR", "amount": "12.34", "debtor_name": "Someone Else", "remittance": "thanks"}"#
            )
            #expect(credit["status"] == "unmatched")
            let token = server.tokens[.viewer]!
            let whole = try await client.call(.get, "/api/v1/worklist", token: token)
            func texts(_ member: String) -> [String] {
                whole.items.map { if case .string(let text)? = $0[member] { text } else { "-" } }
            }
            #expect(
                texts("kind") == [
                    "approval", "held_escalation", "held_escalation", "dispute", "dispute", "unmatched_payment",
                ])
            #expect(texts("step")[1...2] == ["agency", "lawyer"])
            #expect(texts("dispute_id")[3...4] == ["DSP-1", "DSP-2"])
            #expect(texts("bank_credit_id").last == credit["id"])
            #expect(texts("amount").last == "12.34")
            for limit in 1...4 {
                var seen: [JSONObject] = []
                var uri = "/api/v1/worklist?limit=\(limit)"
                for _ in 0..<10 {
                    let page = try await client.call(.get, uri, token: token)
                    #expect(page.items.count <= limit)
                    seen += page.items
                    guard let cursor = page["next_cursor"] else { break }
                    uri = "/api/v1/worklist?limit=\(limit)&cursor=\(cursor)"
                }
                #expect(seen == whole.items, "pages of \(limit)")
            }
        }
    }
}
