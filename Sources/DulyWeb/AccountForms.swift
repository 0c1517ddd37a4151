import DulyCore
import DulyServer
import DulyStore

/// The account page's action forms as `accountactions.mustache` shows them: the forms the signed-in role may send
/// (none for a viewer), each with a fresh submission token, and a refused one filled in again as it was sent, the
/// reason next to its field.
struct AccountForms {
    var role: Role
    var customerID: String
    var invoices: [InvoiceBalance]
    var commitments: Account?
    var today: LocalDate
    var failed: FailedForm?

    var values: [String: Any] {
        let base = "/accounts/\(percentEncoded(customerID))"
        var values: [String: Any] = [
            "base": base, "evidence": base + "/evidence", "can_collect": role >= .collector,
            "can_manage": role >= .manager,
        ]
        guard role >= .collector else { return values }
        let open = invoices.filter { !$0.isClosed }
        let allOpen = open.map(\.invoice.number).joined(separator: ", ")
        var promise = form("promise", ["invoice_numbers", "amount", "promised_date", "promised_by"])
        if failed?.name != "promise" { promise["invoice_numbers"] = allOpen }
        promise["today"] = today.description
        values["promise"] = promise
        var plan = form("plan", ["invoice_numbers", "instalments", "proposed_by", "accepted"])
        if failed?.name != "plan" { plan["invoice_numbers"] = allOpen }
        plan["accepted_checked"] = !((plan["accepted"] as? String) ?? "").isEmpty
        plan["proposers"] = options(PaymentPlan.Proposer.allCases.map(\.rawValue), chosen: plan["proposed_by"])
        values["plan"] = plan
        var dispute = form("dispute", ["invoice_number", "amount", "reason_code", "reason", "owner"])
        dispute["invoice_options"] = invoiceOptions(open, chosen: dispute["invoice_number"])
        let code = (dispute["reason_code"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        dispute["reason_codes"] = options(
            DisputeReason.allCases.map(\.rawValue), chosen: code ?? DisputeReason.other.rawValue)
        values["dispute"] = dispute
        let outcomes = role >= .manager ? DisputeOutcome.allCases.map(\.rawValue) : [DisputeOutcome.rejected.rawValue]
        values["open_disputes"] = (commitments?.disputes ?? []).filter { $0.isOpen(on: today) }.map {
            item -> [String: Any] in
            var resolve = form("resolve", ["outcome", "agreed_amount", "note"], target: item.id)
            resolve["id"] = item.id
            resolve["action"] = base + "/disputes/\(percentEncoded(item.id))/resolution"
            resolve["summary"] = "\(item.id) on \(item.invoiceNumber)" + (item.amount.map { " (\($0))" } ?? "")
            resolve["outcomes"] = options(outcomes, chosen: resolve["outcome"])
            return resolve
        }
        if role >= .manager {
            values["proposed_plans"] = (commitments?.plans ?? []).filter { $0.acceptedOn == nil }.map {
                item -> [String: Any] in
                var accept = form("accept", [], target: item.id)
                accept["id"] = item.id
                accept["action"] = base + "/plans/\(percentEncoded(item.id))/acceptance"
                accept["summary"] = "\(item.total) for \(item.invoiceNumbers.joined(separator: ", "))"
                return accept
            }
            var settle = form("settle", ["invoice_number", "agreed_amount", "reason"])
            settle["invoice_options"] = invoiceOptions(open, chosen: settle["invoice_number"])
            values["settle"] = settle
            var writeOff = form("write_off", ["invoice_number", "reason"])
            writeOff["invoice_options"] = invoiceOptions(open, chosen: writeOff["invoice_number"])
            values["write_off"] = writeOff
        }
        return values
    }

    /// One form's values: each field empty, or as sent when this is the form refused; the reason at its field, or
    /// above the form when the form has no such field.
    private func form(_ name: String, _ fields: [String], target: String? = nil) -> [String: Any] {
        let refused = failed.flatMap { $0.name == name && $0.target == target ? $0 : nil }
        var values: [String: Any] = ["submission": SessionKeys.nonce(), "open": refused != nil]
        for field in fields {
            values[field] = refused?.values[field] ?? ""
        }
        guard let refused else { return values }
        if let field = refused.field, fields.contains(field) {
            values["error_" + field] = refused.message
        } else {
            values["error"] = refused.message
        }
        return values
    }

    private func options(_ choices: [String], chosen: Any?) -> [[String: Any]] {
        choices.map {
            ["value": $0, "label": $0.replacingOccurrences(of: "_", with: " "), "selected": $0 == chosen as? String]
        }
    }

    private func invoiceOptions(_ open: [InvoiceBalance], chosen: Any?) -> [[String: Any]] {
        open.map {
            [
                "value": $0.invoice.number, "label": "\($0.invoice.number) (\($0.open) open)",
                "selected": $0.invoice.number == chosen as? String,
            ]
        }
    }
}
