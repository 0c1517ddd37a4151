import DulyCore
import Testing

@testable import DulyServer

/// `GET /metrics`: Prometheus's text format, without a token.
@Suite struct MetricsRouteTests {
    /// The value of the one sample whose line starts with `name{` and holds every label given.
    static func sample(_ text: String, _ name: String, _ labels: [String]) -> String? {
        text.split(separator: "\n").first { line in
            line.hasPrefix(name + "{") && labels.allSatisfy { line.contains($0) }
        }?.split(separator: " ").last.map(String.init)
    }

    @Test func requestsAreCountedByRouteMethodAndStatus() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            _ = try await client.call(.get, "/health")
            _ = try await client.call(.get, "/health")
            _ = try await client.call(.get, "/api/v1/invoices/INV-100")
            let answer = try await client.call(.get, "/metrics")
            #expect(answer.status == .ok)
            #expect(answer.contentType == "text/plain; version=0.0.4")
            let text = String(decoding: answer.body, as: UTF8.self)
            let health = [#"route="/health""#, #"method="GET""#, #"status="200""#]
            #expect(Self.sample(text, "duly_http_requests_total", health) == "2")
            // The route's pattern, not the path asked: one series for every invoice.
            let refused = [#"route="/api/v1/invoices/{invoice_number}""#, #"status="401""#]
            #expect(Self.sample(text, "duly_http_requests_total", refused) == "1")
            #expect(text.contains(#"duly_http_request_duration_seconds_bucket{route="/health",method="GET",le="#))
        }
    }

    @Test func aRunThroughTheAPIMovesActionsPlannedTheOutboxAndTheLastCollectionDay() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let run = try await client.call(.post, "/api/v1/runs", token: server.tokens[.manager]!, key: "run-1")
            #expect(run.status == .created)
            guard case .integer(let planned) = run.json["planned"],
                case .integer(let waiting) = run.json["awaiting_approval"]
            else {
                Issue.record("the run's answer has no counts: \(run.json)")
                return
            }
            #expect(planned > 0)
            let text = String(decoding: try await client.call(.get, "/metrics").body, as: UTF8.self)
            let studio = [#"organisation="studio""#]
            #expect(Self.sample(text, "duly_actions_planned_total", studio) == "\(planned + waiting)")
            let outbox = try await server.store.actions(organisationID: "studio", customerID: nil).filter {
                $0.action.status == .planned && [.email, .letter, .sms].contains($0.action.channel)
            }
            // Gauges are written as floating-point numbers.
            #expect(Self.sample(text, "duly_outbox_depth", studio).flatMap(Double.init) == Double(outbox.count))
            #expect(Self.sample(text, "duly_webhook_backlog", studio).flatMap(Double.init) == 0)
            let midnight = TestServer.today.daysSinceEpoch * 86_400
            let last = Self.sample(text, "duly_last_collection_day_timestamp_seconds", studio)
            #expect(last.flatMap(Double.init) == Double(midnight))
            // The other organisation ran nothing.
            #expect(Self.sample(text, "duly_last_collection_day_timestamp_seconds", [#"organisation="other""#]) == nil)
        }
    }
}
