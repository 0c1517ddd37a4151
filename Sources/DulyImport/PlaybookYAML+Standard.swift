extension PlaybookYAML {
    /// `Playbook.standard` as YAML, the starting point for a playbook of one's own.
    public static let standardText = """
        # Duly's built-in playbook (docs/PRODUCT.md, "Stages"): friendly before the due date, professional when it is
        # late, formal when it comes to escalation, which always waits for a manager's approval.
        name: standard
        non_payment_after_days: 30             # days past due before an invoice enters non_payment…
        non_payment_after_broken_promises: 2   # …or broken promises and missed instalments
        max_contacts_per_7_days: 1             # one contact a week: what is due waits for the week's message
        working_days: [mon, tue, wed, thu, fri]
        promise_grace_days: 3
        business_hours: "9-17"                 # the customer's local hours
        thank_you: true                        # thank the client when a chased invoice is paid in full
        escalation_retry_days: 30              # a rejected escalation waits this long, or for a new contact
        paid_claim_pause_days: 5               # "I have paid": the chase pauses this long while the bank catches up

        steps:
          # pre_due: on the due day, make sure the client knows what is owed and how to pay. (No reminder a week
          # ahead: clients who pay on time do anyway, and the rest answer the due-day notice. README.md, "The
          # default playbook".)
          - id: due_day_notice
            stage: pre_due
            offset_days: 0
            channel: email

          # delayed: a follow-up, a call that offers a plan, then a workable solution, a week apart. Never a threat.
          - id: first_follow_up
            stage: delayed
            offset_days: 3
            channel: email
          - id: call_offer_plan
            stage: delayed
            offset_days: 14
            gap_days: 7
            channel: call
          - id: solution_offer
            stage: delayed
            offset_days: 21
            channel: email

          # non_payment: days count from entering the stage. The manager first, then a final notice, then an agency.
          - id: manager_escalation
            stage: non_payment
            anchor: stage_entry
            offset_days: 0
            gap_days: 5
            channel: email
            escalates_to: manager
          - id: final_notice
            stage: non_payment
            anchor: stage_entry
            offset_days: 7
            channel: letter
            requires_approval: true
          - id: agency_handover
            stage: non_payment
            anchor: stage_entry
            offset_days: 21
            channel: letter
            requires_approval: true
            escalates_to: agency

        """
}
