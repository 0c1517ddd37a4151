import DulyCore
import Testing

@Suite("Playbook rules")
struct PlaybookRulesTests {
    /// A playbook that breaks exactly one rule, and the step and field the problem must name.
    struct Broken: Sendable, CustomTestStringConvertible {
        var rule: String
        var playbook: Playbook
        var step: String?
        var field: String

        var testDescription: String { rule }
    }

    /// A valid ladder to break one rule at a time (the rule tests' own, PlannerFixtures.swift).
    private static let ladder = ladderPlaybook.steps

    private static func replacing(_ id: String, with step: PlaybookStep) -> [PlaybookStep] {
        ladder.map { $0.id == id ? step : $0 }
    }

    static let broken: [Broken] = [
        Broken(
            rule: "duplicate id",
            playbook: Playbook(
                name: "p",
                steps: replacing(
                    "due_day_notice",
                    with: PlaybookStep(
                        id: "pre_due_reminder", stage: .preDue, offsetDays: 0, gapDays: 3, channel: .email)
                )),
            step: "pre_due_reminder", field: "id"),
        Broken(
            rule: "stage order",
            playbook: Playbook(
                name: "p",
                steps: [
                    PlaybookStep(id: "follow_up", stage: .delayed, offsetDays: 3, gapDays: 3, channel: .email),
                    PlaybookStep(id: "notice", stage: .preDue, offsetDays: 0, gapDays: 1, channel: .email),
                ]),
            step: "notice", field: "stage"),
        Broken(
            rule: "stage order after non_payment",
            playbook: Playbook(
                name: "p",
                steps: ladder + [
                    PlaybookStep(id: "late_follow_up", stage: .delayed, offsetDays: 40, gapDays: 3, channel: .email)
                ]),
            step: "late_follow_up", field: "stage"),
        Broken(
            rule: "pre_due with a positive offset",
            playbook: Playbook(
                name: "p",
                steps: replacing(
                    "pre_due_reminder",
                    with: PlaybookStep(
                        id: "pre_due_reminder", stage: .preDue, offsetDays: 2, gapDays: 1, channel: .email)
                )),
            step: "pre_due_reminder", field: "offset_days"),
        Broken(
            rule: "pre_due counted from stage entry",
            playbook: Playbook(
                name: "p",
                steps: replacing(
                    "pre_due_reminder",
                    with: PlaybookStep(
                        id: "pre_due_reminder", stage: .preDue, anchor: .stageEntry, offsetDays: 0, gapDays: 1,
                        channel: .email))),
            step: "pre_due_reminder", field: "offset_days"),
        Broken(
            rule: "delayed with offset 0",
            playbook: Playbook(
                name: "p",
                steps: replacing(
                    "first_follow_up",
                    with: PlaybookStep(
                        id: "first_follow_up", stage: .delayed, offsetDays: 0, gapDays: 3, channel: .email)
                )),
            step: "first_follow_up", field: "offset_days"),
        Broken(
            rule: "delayed before the due date",
            playbook: Playbook(
                name: "p",
                steps: replacing(
                    "first_follow_up",
                    with: PlaybookStep(
                        id: "first_follow_up", stage: .delayed, offsetDays: -2, gapDays: 3, channel: .email))),
            step: "first_follow_up", field: "offset_days"),
        Broken(
            rule: "agency outside non_payment",
            playbook: Playbook(
                name: "p",
                steps: replacing(
                    "solution_offer",
                    with: PlaybookStep(
                        id: "solution_offer", stage: .delayed, offsetDays: 21, gapDays: 7, channel: .letter,
                        requiresApproval: true, escalatesTo: .agency))),
            step: "solution_offer", field: "escalates_to"),
        Broken(
            rule: "lawyer outside non_payment",
            playbook: Playbook(
                name: "p",
                steps: replacing(
                    "due_day_notice",
                    with: PlaybookStep(
                        id: "due_day_notice", stage: .preDue, offsetDays: 0, gapDays: 3, channel: .letter,
                        requiresApproval: true, escalatesTo: .lawyer))),
            step: "due_day_notice", field: "escalates_to"),
        Broken(
            rule: "lawyer without approval",
            playbook: Playbook(
                name: "p",
                steps: replacing(
                    "agency_handover",
                    with: PlaybookStep(
                        id: "agency_handover", stage: .nonPayment, anchor: .stageEntry, offsetDays: 21, gapDays: 14,
                        channel: .letter, escalatesTo: .lawyer))),
            step: "agency_handover", field: "requires_approval"),
        Broken(
            rule: "agency without approval",
            playbook: Playbook(
                name: "p",
                steps: replacing(
                    "agency_handover",
                    with: PlaybookStep(
                        id: "agency_handover", stage: .nonPayment, anchor: .stageEntry, offsetDays: 21, gapDays: 14,
                        channel: .letter, requiresApproval: false, escalatesTo: .agency))),
            step: "agency_handover", field: "requires_approval"),
        Broken(
            rule: "gap 0",
            playbook: Playbook(
                name: "p",
                steps: replacing(
                    "second_follow_up",
                    with: PlaybookStep(
                        id: "second_follow_up", stage: .delayed, offsetDays: 10, gapDays: 0, channel: .email))),
            step: "second_follow_up", field: "gap_days"),
        Broken(
            rule: "empty template",
            playbook: Playbook(
                name: "p",
                steps: replacing(
                    "second_follow_up",
                    with: PlaybookStep(
                        id: "second_follow_up", stage: .delayed, offsetDays: 10, gapDays: 7, channel: .email,
                        template: ""))),
            step: "second_follow_up", field: "template"),
        Broken(rule: "no steps", playbook: Playbook(name: "p", steps: []), step: nil, field: "steps"),
        Broken(
            rule: "cap 0", playbook: Playbook(name: "p", steps: ladder, maxContactsPerSevenDays: 0), step: nil,
            field: "max_contacts_per_7_days"),
        Broken(
            rule: "no working days", playbook: Playbook(name: "p", steps: ladder, workingDays: []), step: nil,
            field: "working_days"),
        Broken(
            rule: "non_payment after 0 days",
            playbook: Playbook(name: "p", steps: ladder, nonPaymentAfterDaysPastDue: 0), step: nil,
            field: "non_payment_after_days"),
        Broken(
            rule: "non_payment after 0 broken promises",
            playbook: Playbook(name: "p", steps: ladder, nonPaymentAfterBrokenPromises: 0), step: nil,
            field: "non_payment_after_broken_promises"),
        Broken(
            rule: "negative promise grace",
            playbook: Playbook(name: "p", steps: ladder, promiseGraceDays: -1), step: nil,
            field: "promise_grace_days"),
    ]

    // MARK: - problems()

    @Test func aStepWritingToTheSeniorContactUsesTheEscalationEmailUnlessItNamesATemplate() {
        let senior = PlaybookStep(
            id: "ask_director", stage: .nonPayment, offsetDays: 5, gapDays: 7, channel: .email,
            escalatesTo: .seniorContact)
        #expect(senior.template == "escalation_email")
        let named = PlaybookStep(
            id: "ask_director", stage: .nonPayment, offsetDays: 5, gapDays: 7, channel: .email,
            template: "our_own_letter", escalatesTo: .seniorContact)
        #expect(named.template == "our_own_letter")
        let manager = PlaybookStep(
            id: "tell_manager", stage: .nonPayment, offsetDays: 0, gapDays: 5, channel: .email, escalatesTo: .manager)
        #expect(manager.template == "tell_manager")
    }

    @Test func theStandardPlaybookHasNoProblems() {
        #expect(Playbook.standard.problems() == [])
    }

    @Test func theStandardPlaybookClimbsThroughTheStagesInOrder() {
        let stages = Playbook.standard.steps.map(\.stage)
        #expect(stages == stages.sorted())
        #expect(Set(stages) == Set(Stage.allCases))
        let handOvers = Playbook.standard.steps.filter { $0.escalatesTo?.isExternal == true }
        #expect(handOvers.map(\.id) == ["agency_handover"])
        #expect(handOvers.allSatisfy { $0.requiresApproval && $0.stage == .nonPayment })
    }

    @Test(arguments: broken)
    func aPlaybookThatBreaksARuleGetsOneProblemNamingTheStepAndField(_ broken: Broken) throws {
        let problems = broken.playbook.problems()
        try #require(problems.count == 1, "\(problems)")
        #expect(problems[0].step == broken.step)
        #expect(problems[0].field == broken.field)
        #expect(!problems[0].message.isEmpty)
    }

    @Test func everyBrokenRuleIsReportedNotJustTheFirst() {
        let playbook = Playbook(
            name: "p",
            steps: [
                PlaybookStep(id: "x", stage: .delayed, offsetDays: 0, gapDays: 0, channel: .email),
                PlaybookStep(id: "x", stage: .preDue, offsetDays: 5, gapDays: 1, channel: .email),
            ], maxContactsPerSevenDays: 0, workingDays: [])
        #expect(
            playbook.problems().map(\.field) == [
                "offset_days", "gap_days", "id", "stage", "offset_days", "max_contacts_per_7_days", "working_days",
            ])
    }

    @Test(arguments: [
        PlaybookStep(id: "s", stage: .delayed, anchor: .stageEntry, offsetDays: 0, gapDays: 1, channel: .email),
        PlaybookStep(id: "s", stage: .preDue, offsetDays: 0, gapDays: 1, channel: .email),
        PlaybookStep(id: "s", stage: .preDue, offsetDays: -30, gapDays: 1, channel: .email),
        PlaybookStep(id: "s", stage: .delayed, offsetDays: 1, gapDays: 1, channel: .call),
        PlaybookStep(
            id: "s", stage: .delayed, offsetDays: 5, gapDays: 1, channel: .email, escalatesTo: .seniorContact),
        PlaybookStep(id: "s", stage: .delayed, offsetDays: 5, gapDays: 1, channel: .email, escalatesTo: .manager),
        PlaybookStep(
            id: "s", stage: .nonPayment, offsetDays: 60, gapDays: 1, channel: .letter, requiresApproval: true,
            escalatesTo: .lawyer),
        PlaybookStep(id: "s", stage: .nonPayment, offsetDays: 0, gapDays: 1, channel: .meeting),
    ])
    func stepsAtTheEdgeOfTheRulesAreAccepted(step: PlaybookStep) {
        #expect(Playbook(name: "p", steps: [step]).problems() == [])
    }

    @Test func problemsDescribeTheStepAndField() {
        #expect(
            PlaybookProblem(step: "a", field: "gap_days", message: "too small").description
                == "step 'a', gap_days: too small")
        #expect(PlaybookProblem(step: nil, field: "working_days", message: "none").description == "working_days: none")
    }

    // MARK: - appliesTo(open:)

    @Test(arguments: [
        // (currency, open minor units, minimum in thousandths, applies)
        ("EUR", 49_999, 500_000, false), ("EUR", 50_000, 500_000, true), ("EUR", 50_001, 500_000, true),
        ("JPY", 499, 500_000, false), ("JPY", 500, 500_000, true),
        ("KWD", 499_999, 500_000, false), ("KWD", 500_000, 500_000, true),
        // 500.50: exact in EUR and KWD; JPY has no half yen, so 501 is the first amount that meets it
        ("EUR", 50_049, 500_500, false), ("EUR", 50_050, 500_500, true),
        ("KWD", 500_499, 500_500, false), ("KWD", 500_500, 500_500, true),
        ("JPY", 500, 500_500, false), ("JPY", 501, 500_500, true),
        ("EUR", 0, 0, true), ("EUR", -1, 0, false), ("JPY", 0, 1, false), ("JPY", 1, 1, true),
    ])
    func aMinimumOpenAmountAppliesExactlyAtItsBoundaryInEveryCurrency(
        code: String, minorUnits: Int, minimum: Int, applies: Bool
    ) throws {
        let step = PlaybookStep(
            id: "s", stage: .delayed, offsetDays: 3, gapDays: 1, channel: .email, minimumOpenMilliUnits: minimum)
        let open = Money(minorUnits: minorUnits, currency: try #require(Currency(code: code)))
        #expect(step.appliesTo(open: open) == applies)
    }

    @Test(arguments: ["EUR", "JPY", "KWD"])
    func aStepWithoutAMinimumAppliesToAnyAmount(code: String) throws {
        let step = PlaybookStep(id: "s", stage: .delayed, offsetDays: 3, gapDays: 1, channel: .email)
        let currency = try #require(Currency(code: code))
        #expect(step.appliesTo(open: Money(minorUnits: 0, currency: currency)))
        #expect(step.appliesTo(open: Money(minorUnits: 1, currency: currency)))
    }

    @Test(arguments: ["JPY", "EUR"])
    func theLargestAmountsCompareWithoutOverflowing(code: String) throws {
        // Given the largest amount Money parses, which is too large to scale to thousandths in 64 bits for JPY
        let currency = try #require(Currency(code: code))
        let huge = try Money(parsing: "999999999999999999", currency: #require(Currency(code: "JPY")))
        let step = PlaybookStep(
            id: "s", stage: .delayed, offsetDays: 3, gapDays: 1, channel: .email, minimumOpenMilliUnits: 500_000)
        // Then it meets any minimum, and its negative meets none
        #expect(step.appliesTo(open: Money(minorUnits: huge.minorUnits, currency: currency)))
        #expect(!step.appliesTo(open: Money(minorUnits: -huge.minorUnits, currency: currency)))
    }

    @Test func onlyAnInternalEscalationLeavesTheCustomerAlone() {
        let targets: [EscalationTarget?] = [nil, .manager, .seniorContact, .agency, .lawyer]
        let contacts = targets.map {
            PlaybookStep(id: "s", stage: .nonPayment, offsetDays: 0, gapDays: 1, channel: .email, escalatesTo: $0)
                .contactsCustomer
        }
        #expect(contacts == [true, false, true, true, true])
    }
}
