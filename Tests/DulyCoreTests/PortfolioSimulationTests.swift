import DulyCore
import Testing

/// The default playbook against the naive ladder on a generated portfolio (issue 10, "Kind"): amounts and counts on
/// fixed seeds, not timings.
@Suite struct PortfolioSimulationTests {
    static let customers = 300

    static func compare(seed: UInt64) -> PortfolioComparison {
        let simulation = PortfolioSimulation(portfolio: Portfolio(seed: seed, customers: customers))
        return PortfolioComparison(playbook: simulation.run(playbook: .standard), naive: simulation.runNaiveLadder())
    }

    @Test func theSameSeedGivesTheSamePortfolioAndTheSameOutcome() {
        let first = PortfolioSimulation(portfolio: Portfolio(seed: 7, customers: 40))
        let second = PortfolioSimulation(portfolio: Portfolio(seed: 7, customers: 40))
        #expect(first.portfolio.clients.map(\.entries) == second.portfolio.clients.map(\.entries))
        #expect(first.run(playbook: .standard) == second.run(playbook: .standard))
        #expect(first.runNaiveLadder() == second.runNaiveLadder())
        let other = Portfolio(seed: 8, customers: 40)
        #expect(other.clients.map(\.entries) != first.portfolio.clients.map(\.entries))
    }

    @Test func everyKindOfClientIsInAPortfolioOfAFewHundred() {
        let portfolio = Portfolio(seed: 1, customers: Self.customers)
        #expect(Set(portfolio.clients.map(\.kind)) == Set(PayerKind.allCases))
    }

    @Test func theNaiveLadderRemindsEverySevenDaysAfterTheDueDate() {
        let due = day("2026-03-02")
        let reminders = (0..<40).map { due.adding(days: $0) }.filter { NaiveLadder.remindsOn($0, dueDate: due) }
        #expect(reminders == [7, 14, 21, 28, 35].map { due.adding(days: $0) })
    }

    @Test func theNaiveLadderRemindsANonPayerEverySevenDaysUntilTheEnd() {
        let portfolio = Portfolio(seed: 2, customers: 100)
        let outcome = PortfolioSimulation(portfolio: portfolio, days: 120).runNaiveLadder()
        let last = portfolio.start.adding(days: 119)
        let expected = portfolio.clients.filter { $0.kind == .nonPayer }.flatMap(\.entries).reduce(0) { sum, entry in
            sum + entry.invoice.dueDate.days(until: last) / NaiveLadder.everyDays
        }
        #expect(expected > 0)
        #expect(outcome.contactsByKind[.nonPayer] == expected)
    }

    @Test func theNaiveLadderKeepsRemindingThroughDisputesAndKeptPromises() {
        let naive = Self.compare(seed: 1).naive
        #expect(naive.contactsDuringDisputes > 0)
        #expect(naive.contactsDuringKeptPromises > 0)
        #expect(naive.escalations == 0)
    }

    @Test func promptPayersAreNeverChasedByEitherWay() {
        let comparison = Self.compare(seed: 1)
        #expect(comparison.naive.contactsByKind[.prompt, default: 0] == 0)
        #expect(comparison.playbook.contactsByKind[.prompt, default: 0] == 0)
    }

    @Test func theTeamApprovesNoMoreHandOversAMonthThanThePlaybookAllows() {
        // 120 days from 5 January touch five calendar months.
        let outcome = Self.compare(seed: 1).playbook
        #expect(outcome.handOvers > 0)
        #expect(outcome.handOvers <= 5 * Playbook.standard.maxExternalEscalationsPerMonth)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theDefaultPlaybookRecoversAtLeastAsMuchByDaySixty(seed: UInt64) {
        let comparison = Self.compare(seed: seed)
        #expect(
            comparison.recoversAtLeastAsMuch,
            "\(comparison.playbook.recovered(byDay: 60)) against \(comparison.naive.recovered(byDay: 60))")
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theDefaultPlaybookMakesAtLeastThirtyPercentFewerContacts(seed: UInt64) {
        let comparison = Self.compare(seed: seed)
        #expect(
            comparison.fewerContacts >= 30,
            "\(comparison.playbook.contacts) against \(comparison.naive.contacts): \(comparison.fewerContacts) %")
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theDefaultPlaybookNeverContactsDuringALiveDisputeOrKeptPromise(seed: UInt64) {
        let playbook = Self.compare(seed: seed).playbook
        #expect(playbook.contactsDuringDisputes == 0)
        #expect(playbook.contactsDuringKeptPromises == 0)
    }
}
