import DulyCore
import DulyImport
import Testing

@Suite struct PlaybookYAMLTests {
    func issues(_ text: String) throws -> [String] {
        let error = try #require(throws: PlaybookYAMLError.self) {
            try PlaybookYAML.load(text, fileName: "playbook.yaml")
        }
        return error.issues.map(\.description)
    }

    // MARK: - The standard playbook

    @Test func standardTextIsTheStandardPlaybook() throws {
        #expect(try PlaybookYAML.load(PlaybookYAML.standardText, fileName: "standard.yaml") == Playbook.standard)
    }

    @Test func renderingTheStandardPlaybookLoadsBackUnchanged() throws {
        let text = PlaybookYAML.render(.standard)
        #expect(try PlaybookYAML.load(text, fileName: "rendered.yaml") == Playbook.standard)
    }

    @Test func renderingKeepsEveryOptionalField() throws {
        // Given a playbook that uses every optional step field and a name YAML would misread unquoted…
        let playbook = Playbook(
            name: "key accounts: \"EU\"",
            steps: [
                PlaybookStep(id: "nudge", stage: .preDue, offsetDays: -3, gapDays: 2, channel: .sms),
                PlaybookStep(
                    id: "call", stage: .delayed, offsetDays: 5, gapDays: 8, channel: .call, template: "call script",
                    requiresApproval: true, escalatesTo: .seniorContact, minimumOpenMilliUnits: 1_234_567,
                    customerTags: ["key_account", "true", "2024"]),
                PlaybookStep(
                    id: "lawyer", stage: .nonPayment, anchor: .stageEntry, offsetDays: 30, gapDays: 7,
                    channel: .letter, requiresApproval: true, escalatesTo: .lawyer, minimumOpenMilliUnits: 500_000),
            ],
            nonPaymentAfterDaysPastDue: 45, nonPaymentAfterBrokenPromises: 1, maxContactsPerSevenDays: 3,
            workingDays: [.monday, .saturday], promiseGraceDays: 0, businessHours: 8...20)
        // …rendering and loading it gives it back.
        let text = PlaybookYAML.render(playbook)
        #expect(try PlaybookYAML.load(text, fileName: "custom.yaml") == playbook)
        #expect(text.contains("min_open_amount: \"1234.567\""))
        #expect(text.contains("min_open_amount: \"500.00\""))
    }

    // MARK: - Reading

    @Test func stepsGetDefaultsForEverythingOptional() throws {
        let playbook = try PlaybookYAML.load(
            """
            working_days: [mon, wed, Friday]
            business_hours: "8-18"
            steps:
              - id: reminder
                stage: pre_due
                offset_days: -5
                channel: email
              - id: chase
                stage: delayed
                offset_days: 2
                channel: call
                template: friendly_call
                min_open_amount: 500.5
                customer_tags: [key_account]
              - id: chase_again
                stage: delayed
                offset_days: 9
                channel: email
                escalates_to: ~
              - id: lawyer
                stage: non_payment
                anchor: stage_entry
                offset_days: 14
                channel: letter
                requires_approval: true
                escalates_to: lawyer
            """, fileName: "playbooks/key-accounts.yaml")
        #expect(
            playbook
                == Playbook(
                    name: "key-accounts",
                    steps: [
                        PlaybookStep(id: "reminder", stage: .preDue, offsetDays: -5, gapDays: 1, channel: .email),
                        PlaybookStep(
                            id: "chase", stage: .delayed, offsetDays: 2, gapDays: 7, channel: .call,
                            template: "friendly_call", minimumOpenMilliUnits: 500_500, customerTags: ["key_account"]),
                        PlaybookStep(id: "chase_again", stage: .delayed, offsetDays: 9, gapDays: 7, channel: .email),
                        PlaybookStep(
                            id: "lawyer", stage: .nonPayment, anchor: .stageEntry, offsetDays: 14, gapDays: 7,
                            channel: .letter, requiresApproval: true, escalatesTo: .lawyer),
                    ],
                    workingDays: [.monday, .wednesday, .friday], businessHours: 8...18))
    }

    // MARK: - Errors

    @Test func anUnknownStepKeyIsNamedAtItsLine() throws {
        let found = try issues(
            """
            name: typo
            steps:
              - id: reminder
                stgae: pre_due
                offset_days: -5
                channel: email
            """)
        #expect(
            found.first
                == "playbook.yaml:4:5: stgae: unknown key in a step; did you mean 'stage'? The keys are: id, stage, "
                + "offset_days, anchor, gap_days, channel, template, requires_approval, escalates_to, min_open_amount, "
                + "customer_tags, settlement_offer_percent, offer_valid_days")
        #expect(
            found.dropFirst().first
                == "playbook.yaml:3:5: stage: missing; every step needs id, stage, offset_days and channel")
    }

    @Test func anUnknownTopLevelKeyIsNamedAtItsLine() throws {
        let found = try issues(
            """
            name: typo
            max_contacts_per_week: 3
            steps:
              - {id: reminder, stage: pre_due, offset_days: -5, channel: email}
            """)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("playbook.yaml:2:1: max_contacts_per_week: unknown key in a playbook") == true)
    }

    @Test(arguments: [
        (
            "    channel: fax",
            "playbook.yaml:5:14: channel: 'fax' is not a channel; expected one of email, letter, call, meeting, sms"
        ),
        (
            "    channel: email\n    anchor: due",
            "playbook.yaml:6:13: anchor: 'due' is not an anchor; expected one of due_date, stage_entry"
        ),
        (
            "    channel: email\n    escalates_to: boss",
            "playbook.yaml:6:19: escalates_to: 'boss' is not an escalation target; "
                + "expected one of manager, senior_contact, agency, lawyer"
        ),
        (
            "    channel: email\n    gap_days: soon",
            "playbook.yaml:6:15: gap_days: expected a whole number, found 'soon'"
        ),
        (
            "    channel: email\n    requires_approval: maybe",
            "playbook.yaml:6:24: requires_approval: expected true or false, found 'maybe'"
        ),
        (
            "    channel: email\n    min_open_amount: \"1.2345\"",
            "playbook.yaml:6:22: min_open_amount: "
                + "expected an amount like \"500.00\" (not negative, at most 3 decimals), found '1.2345'"
        ),
        (
            "    channel: email\n    customer_tags: key_account",
            "playbook.yaml:6:20: customer_tags: expected a list, like [key_account], found 'key_account'"
        ),
        (
            "    channel: [email, sms]",
            "playbook.yaml:5:14: channel: expected one of email, letter, call, meeting, sms, found a list"
        ),
    ])
    func badValuesSayWhatWasExpected(line: String, expected: String) throws {
        let found = try issues(
            """
            steps:
              - id: reminder
                stage: delayed
                offset_days: 5
            \(line)
            """)
        #expect(found == [expected])
    }

    @Test func badStageListsTheStages() throws {
        let found = try issues("steps:\n  - {id: a, stage: overdue, offset_days: 1, channel: email}\n")
        #expect(
            found == [
                "playbook.yaml:2:20: stage: 'overdue' is not a stage; expected one of pre_due, delayed, non_payment"
            ])
    }

    @Test func badTopLevelValuesAreLocated() throws {
        let found = try issues(
            """
            working_days: [mon, funday]
            business_hours: "17-9"
            steps:
              - {id: a, stage: delayed, offset_days: 1, channel: email}
            """)
        #expect(
            found == [
                "playbook.yaml:1:21: working_days: 'funday' is not a weekday; "
                    + "expected mon, tue, wed, thu, fri, sat, sun",
                "playbook.yaml:2:17: business_hours: "
                    + "expected hours as \"START-END\" from 0 to 24, like \"9-17\", found '17-9'",
            ])
    }

    @Test func theWaitAfterARejectedEscalationIsReadValidatedAndRendered() throws {
        let playbook = try PlaybookYAML.load(
            """
            escalation_retry_days: 45
            steps:
              - {id: a, stage: delayed, offset_days: 1, channel: email}
            """, fileName: "playbook.yaml")
        #expect(playbook.escalationRetryDays == 45)
        #expect(Playbook.standard.escalationRetryDays == 30)
        #expect(PlaybookYAML.render(playbook).contains("escalation_retry_days: 45"))
        let found = try issues(
            """
            escalation_retry_days: 0
            steps:
              - {id: a, stage: delayed, offset_days: 1, channel: email}
            """)
        #expect(found == ["playbook.yaml:1:24: escalation_retry_days: must be at least 1"])
    }

    @Test func ruleProblemsPointAtTheStepAndField() throws {
        let found = try issues(
            """
            steps:
              - id: reminder
                stage: pre_due
                offset_days: 3
                channel: email
              - id: agency
                stage: delayed
                offset_days: 10
                channel: letter
                escalates_to: agency
            """)
        #expect(
            found == [
                "playbook.yaml:4:18: offset_days: step 'reminder': a pre_due step happens on or before the due date "
                    + "(offset 0 or less, from the due date)",
                "playbook.yaml:10:19: escalates_to: step 'agency': hand-over to an agency or a lawyer belongs in the "
                    + "non_payment stage only",
                "playbook.yaml:6:5: requires_approval: step 'agency': "
                    + "hand-over to an agency or a lawyer always needs a "
                    + "manager's approval",
            ])
    }

    @Test func aDuplicateIdIsReportedOnItsSecondStep() throws {
        let found = try issues(
            """
            max_contacts_per_7_days: 0
            steps:
              - {id: a, stage: pre_due, offset_days: -3, channel: email}
              - {id: b, stage: delayed, offset_days: 1, channel: email}
              - {id: a, stage: delayed, offset_days: 5, channel: email}
              - {id: c, stage: pre_due, offset_days: 0, channel: email}
            """)
        #expect(
            found == [
                "playbook.yaml:5:10: id: step 'a': two steps are called 'a'",
                "playbook.yaml:6:20: stage: step 'c': "
                    + "steps must be listed in stage order (pre_due, delayed, non_payment)",
                "playbook.yaml:1:26: max_contacts_per_7_days: must be at least 1",
            ])
    }

    @Test func aPlaybookWithoutStepsIsRefused() throws {
        #expect(
            try issues("name: empty\n") == ["playbook.yaml:1:1: steps: missing; a playbook needs its list of steps"])
        #expect(try issues("steps: []\n") == ["playbook.yaml:1:8: steps: a playbook needs at least one step"])
    }

    @Test func syntaxErrorsAreLocated() throws {
        let found = try issues("name: broken\nsteps: [a, b\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("playbook.yaml:3:") == true)
        #expect(found.first?.contains("not valid YAML") == true)
    }

    @Test func duplicateKeysAreLocated() throws {
        let found = try issues("name: a\nname: b\nsteps: []\n")
        #expect(found == ["playbook.yaml:1:1: name: this key appears twice in the same mapping"])
    }
}
