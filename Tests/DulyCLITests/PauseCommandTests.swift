import Foundation
import Testing

/// `duly pause`: a customer's whole chase held until a date, on the record, and resumed the day after.
@Suite("Pausing a customer's chase")
struct PauseCommandTests {
    @Test func aPausedCustomerGetsNothingPlannedUntilTheDayAfterThePause() throws {
        // Given C1's invoice long overdue, paused on Tuesday 3 March until Friday 6 March
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        let paused = try duly.run([
            "pause", "C1", "--until", "2026-03-06", "--reason", "paid by transfer, says Ann", "--by", "mia",
            "--as-of", "2026-03-03",
        ])
        #expect(paused.status == 0, "\(paused.errors)")
        #expect(paused.output.contains("paused until 2026-03-06"))

        // Then the run plans nothing on its last day, and chases again the next working day
        let onLastDay = try duly.run(["run", "--as-of", "2026-03-06", "--dry-run", "--json"])
        #expect(onLastDay.status == 0)
        #expect(onLastDay.lines.isEmpty, "\(onLastDay.output)")
        let after = try duly.run(["run", "--as-of", "2026-03-09", "--dry-run", "--json"])
        #expect(after.output.contains("INV-1"), "\(after.output)")
        let timeline = try duly.run(["timeline", "C1"])
        #expect(timeline.output.contains("Chase paused until 2026-03-06 at the request of mia: paid by transfer"))
    }

    @Test func anEndedPauseLetsTheChaseResumeAtOnceOnTheRecord() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        try #require(
            try duly.run([
                "pause", "C1", "--until", "2026-03-20", "--reason", "on holiday", "--by", "mia", "--as-of",
                "2026-03-03",
            ]).status == 0)
        let ended = try duly.run(["pause", "C1", "--end", "--by", "mia", "--as-of", "2026-03-04"])
        #expect(ended.status == 0, "\(ended.errors)")
        #expect(ended.output.contains("withdrawn"))
        let run = try duly.run(["run", "--as-of", "2026-03-04", "--dry-run", "--json"])
        #expect(run.output.contains("INV-1"), "\(run.output)")
        #expect(try duly.run(["timeline", "C1"]).output.contains("withdrawn by mia"))
        #expect(try duly.run(["timeline", "C1", "--verify"]).status == 0)
    }

    @Test func aPauseUntilADayPassedIsRefusedNamingTheOption() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        let refused = try duly.run([
            "pause", "C1", "--until", "2026-03-01", "--reason", "late", "--as-of", "2026-03-03",
        ])
        #expect(refused.status == 64)
        #expect(refused.errors.contains("--until: 2026-03-01 has passed"), "\(refused.errors)")
        #expect(!(try duly.run(["timeline", "C1"]).output.contains("Chase paused")))
    }

    @Test func anUnknownCustomerIsRefused() throws {
        let duly = try DulyProcess()
        try duly.oneClientLedger(issued: "2026-01-01", due: "2026-01-31")
        let refused = try duly.run(["pause", "C9", "--until", "2026-03-06", "--reason", "r", "--as-of", "2026-03-03"])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("C9"), "\(refused.errors)")
    }
}
