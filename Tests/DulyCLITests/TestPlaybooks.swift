/// Short playbooks the command-line tests walk in a few days, written once for every suite that needs them.
enum TestPlaybook {
    /// One step: the first follow-up, three days after the due date, by letter.
    static let letters = """
        name: letters
        steps:
          - id: first_follow_up
            stage: delayed
            offset_days: 3
            channel: letter

        """

    /// A follow-up email, then a final notice by email that waits for a manager.
    static let emailFinalNoticeAwaitingApproval = """
        name: short
        non_payment_after_days: 30
        steps:
          - id: first_follow_up
            stage: delayed
            offset_days: 3
            channel: email
          - id: final_notice
            stage: non_payment
            anchor: stage_entry
            offset_days: 0
            gap_days: 1
            channel: email
            requires_approval: true

        """

    /// An email, a call, then a hand-over to a lawyer that a manager approves (at most one a month).
    static let lawyerHandOver = """
        name: short
        non_payment_after_days: 30
        max_external_escalations_per_month: 1
        max_contacts_per_7_days: 3
        steps:
          - id: first_follow_up
            stage: delayed
            offset_days: 3
            channel: email
          - id: call_offer_plan
            stage: delayed
            offset_days: 4
            gap_days: 1
            channel: call
          - id: agency_handover
            stage: non_payment
            anchor: stage_entry
            offset_days: 0
            gap_days: 1
            channel: letter
            requires_approval: true
            escalates_to: lawyer

        """
}
