import Testing

@testable import DulyServer

@Suite struct OperationsRouteTests {
    @Test func healthAnswersWithoutAToken() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/health")
            #expect(answer.status == .ok)
            #expect(answer["status"] == "ok")
        }
    }

    @Test func readyAnswersWhenTheDatabaseHasThisBuildsSchema() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/ready")
            #expect(answer.status == .ok)
            #expect(answer["status"] == "ready")
        }
    }

    @Test func theRootSaysWhereTheAPIAndItsDocumentAre() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/")
            #expect(answer["api"] == "/api/v1")
            #expect(answer["openapi"] == "/api/v1/openapi.json")
        }
    }

    @Test func theDocumentIsServedAsCheckedIn() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/api/v1/openapi.json")
            #expect(answer.status == .ok)
            #expect(answer.body == (try APIDocument.load()))
        }
    }

    @Test func anUnknownRouteIsAProblemThatSaysWhereTheRoutesAre() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/api/v1/nothing-here", token: server.tokens[.viewer]!)
            #expect(answer.status == .notFound)
            #expect(answer.isProblem)
            #expect(answer["detail"]?.contains("/api/v1/openapi.json") == true)
        }
    }
}
