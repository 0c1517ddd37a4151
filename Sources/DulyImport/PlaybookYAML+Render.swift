import DulyCore

extension PlaybookYAML {
    /// Writes a playbook in the form `load` reads; optional step keys are left out where they hold their default.
    public static func render(_ playbook: Playbook) -> String {
        var lines = [
            "name: \(scalar(playbook.name))",
            "non_payment_after_days: \(playbook.nonPaymentAfterDaysPastDue)",
            "non_payment_after_broken_promises: \(playbook.nonPaymentAfterBrokenPromises)",
            "max_contacts_per_7_days: \(playbook.maxContactsPerSevenDays)",
            "working_days: ["
                + playbook.workingDays.sorted().map { String($0.rawValue.prefix(3)) }
                .joined(separator: ", ") + "]",
            "promise_grace_days: \(playbook.promiseGraceDays)",
            "business_hours: \"\(playbook.businessHours.lowerBound)-\(playbook.businessHours.upperBound)\"",
            "thank_you: \(playbook.thankYou)",
            "instalment_reminder_days: \(playbook.instalmentReminderDays)",
            "settlement_approval_above_percent: \(decimal(milliUnits: playbook.settlementApprovalAboveBasisPoints * 10))",
            "max_external_escalations_per_month: \(playbook.maxExternalEscalationsPerMonth)",
            "escalation_retry_days: \(playbook.escalationRetryDays)",
            "paid_claim_pause_days: \(playbook.paidClaimPauseDays)",
            "steps:",
        ]
        var previous: PlaybookStep?
        for step in playbook.steps {
            lines.append("  - id: \(scalar(step.id))")
            lines.append("    stage: \(step.stage.rawValue)")
            lines.append("    offset_days: \(step.offsetDays)")
            if step.anchor != .dueDate { lines.append("    anchor: \(step.anchor.rawValue)") }
            if step.gapDays != defaultGap(for: step, after: previous) { lines.append("    gap_days: \(step.gapDays)") }
            lines.append("    channel: \(step.channel.rawValue)")
            if step.template != step.id { lines.append("    template: \(scalar(step.template))") }
            if step.requiresApproval { lines.append("    requires_approval: true") }
            if let target = step.escalatesTo { lines.append("    escalates_to: \(target.rawValue)") }
            if let minimum = step.minimumOpenMilliUnits {
                lines.append("    min_open_amount: \"\(decimal(milliUnits: minimum))\"")
            }
            if let share = step.settlementOfferBasisPoints {
                lines.append("    settlement_offer_percent: \(decimal(milliUnits: share * 10))")
                if step.offerValidDays != 14 { lines.append("    offer_valid_days: \(step.offerValidDays)") }
            }
            if !step.customerTags.isEmpty {
                lines.append(
                    "    customer_tags: [" + step.customerTags.sorted().map(scalar).joined(separator: ", ") + "]")
            }
            previous = step
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // Plain when the text cannot be mistaken for anything else in YAML, double-quoted and escaped otherwise.
    private static func scalar(_ text: String) -> String {
        let plain =
            !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            }
            && !(text.first?.isNumber ?? false)
            && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(text.lowercased())
        if plain { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    quoted += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }

    // 500_000 thousandths -> "500.00"; a third decimal only when it is not zero.
    private static func decimal(milliUnits: Int) -> String {
        let whole = milliUnits / 1000
        let fraction = milliUnits % 1000
        if fraction % 10 == 0 {
            let cents = fraction / 10
            return "\(whole)." + (cents < 10 ? "0" : "") + "\(cents)"
        }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: 3 - text.count) + text
    }
}
