import DulyStore
import Testing

@testable import DulyServer

@Suite struct ReportRouteTests {
    /// The first row of a report's list member, as an object.
    static func first(_ answer: Answer, _ member: String) -> JSONObject? {
        guard case .array(let rows) = answer.json[member], case .object(let row)? = rows.first else { return nil }
        return row
    }

    @Test func agingPutsTheOpenAmountInItsBucketOnTheDayAsked() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let late = try await client.call(.get, "/api/v1/reports/aging", token: server.tokens[.viewer]!)
            #expect(late.status == .ok)
            #expect(late["as_of"] == "2026-03-20")
            let row = try #require(Self.first(late, "rows"))
            #expect(row["currency"] == "EUR")
            let buckets: JSONObject = [
                "current": "0.00", "1-30": "300.00", "31-60": "0.00", "61-90": "0.00", "90+": "0.00",
            ]
            #expect(row["buckets"] == .object(buckets))
            #expect(row["total"] == "300.00")
            // Only studio's invoice: the other organisation's is not added in.
            let onDueDate = try await client.call(
                .get, "/api/v1/reports/aging?as_of=2026-03-03", token: server.tokens[.viewer]!)
            let due = try #require(Self.first(onDueDate, "rows"))
            guard case .object(let dueBuckets)? = due["buckets"] else {
                Issue.record("no buckets")
                return
            }
            #expect(dueBuckets["current"] == "300.00")
        }
    }

    @Test func dsoIsTakenOverThePeriodGivenByFromAndTo() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            // INV-100 (300.00) was issued on 1 February and is all open at the month's end: DSO is the month's days.
            let answer = try await client.call(
                .get, "/api/v1/reports/dso?from=2026-02-01&to=2026-02-28", token: server.tokens[.viewer]!)
            #expect(answer.status == .ok)
            #expect(answer.json["days"] == .integer(28))
            let row = try #require(Self.first(answer, "currencies"))
            #expect(row["credit_sales"] == "300.00")
            #expect(row["ending_ar"] == "300.00")
            #expect(row["dso"] == "28.00")
        }
    }

    @Test func theDefaultPeriodIsTheThreeCalendarMonthsUpToToday() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/api/v1/reports/kpis", token: server.tokens[.viewer]!)
            #expect(answer.status == .ok)
            #expect(answer["from"] == "2026-01-01")
            #expect(answer["to"] == "2026-03-20")
            #expect(answer.json["months"] == .integer(3))
            #expect(answer["cei_convention"] != nil)
            let row = try #require(Self.first(answer, "currencies"))
            #expect(row["cei"] != nil)
        }
    }

    @Test func collectedCountsAPaymentByItsStageAndChannel() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            // Given 100.00 paid on INV-100 a week after its due date, with no contact made about it
            let paid = try await client.call(
                .post, "/api/v1/payments", token: server.tokens[.manager]!,
                body:
                    #"{"payment_id": "PAY-1", "customer_id": "C-100", "date": "2026-03-10", "currency": "EUR", "amount": "100.00", "invoice_number": "INV-100"}"#
            )
            #expect(paid.status == .created)
            let answer = try await client.call(.get, "/api/v1/reports/collected", token: server.tokens[.viewer]!)
            #expect(answer.status == .ok)
            let row = try #require(Self.first(answer, "rows"))
            #expect(row["stage"] == "delayed")
            #expect(row["channel"] == "none")
            #expect(row["amount"] == "100.00")
            #expect(row["allocations"] == .integer(1))
        }
    }

    @Test func promisesWithNoneDueCountNothingAndHaveNoRate() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/api/v1/reports/promises", token: server.tokens[.viewer]!)
            #expect(answer.status == .ok)
            #expect(
                answer.json["overall"] == .object(["kept": .integer(0), "broken": .integer(0), "kept_rate": .null]))
        }
    }

    @Test(arguments: [
        ("dso?as_of=2026-13-01", "as_of"), ("dso?from=2026-02-01", "to"), ("dso?to=2026-02-01", "from"),
        ("dso?as_of=2026-03-01&from=2026-02-01&to=2026-02-28", "as_of"), ("dso?from=2026-03-01&to=2026-02-01", "from"),
        ("aging?from=2026-02-01", "from"), ("collected?from=yesterday&to=2026-02-01", "from"),
    ])
    func aBadPeriodIsRefusedNamingTheParameter(_ query: String, _ field: String) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/api/v1/reports/\(query)", token: server.tokens[.viewer]!)
            #expect(answer.status == .badRequest)
            #expect(answer.isProblem)
            #expect(answer["field"] == .some(field))
        }
    }

    @Test func aReportDulyDoesNotMakeIsNoRoute() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/api/v1/reports/profit", token: server.tokens[.viewer]!)
            #expect(answer.status == .notFound)
            #expect(answer.isProblem)
        }
    }
}
