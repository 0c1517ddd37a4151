import DulyCore

/// What a template field holds, so that a template can be checked against the fields before it is ever rendered.
indirect enum FieldKind: Hashable, Sendable {
    /// A string.
    case text
    /// A whole number.
    case number
    /// A yes/no, for `{{#flag}}…{{/flag}}` and `{{^flag}}…{{/flag}}`.
    case flag
    /// A list of strings (lines), each rendered with `{{.}}`.
    case textList
    /// A list of records with these fields.
    case list([String: FieldKind])
}

extension MessageContext {
    /// The fields of one invoice inside `{{#invoices}}…{{/invoices}}`.
    static let invoiceFields: [String: FieldKind] = [
        "number": .text, "issue_date": .text, "due_date": .text, "currency": .text,
        "total": .text, "open": .text, "paid": .text, "partly_paid": .flag,
        "po_number": .text, "has_po_number": .flag,
        "terms": .text, "terms_in_words": .text, "has_terms": .flag,
        "days_overdue": .number, "days_until_due": .number, "due_status": .text,
        "is_overdue": .flag, "is_due_today": .flag, "is_not_yet_due": .flag,
        "has_early_payment_saving": .flag, "early_payment_saving": .text, "early_payment_deadline": .text,
        "early_payment_amount": .text, "early_payment_rate": .text,
        "has_interest": .flag, "interest": .text, "compensation": .text, "interest_days": .number,
        "interest_rate": .text,
        "payment_reference": .text, "has_payment_reference": .flag,
        "payment_url": .text, "has_payment_url": .flag,
        "has_disputed_part": .flag, "disputed": .text,
    ]

    /// The fields of one line of `{{#totals}}…{{/totals}}`.
    static let totalFields: [String: FieldKind] = ["amount": .text, "currency": .text]

    /// The fields of one instalment inside `{{#plan_instalments}}…{{/plan_instalments}}`.
    static let instalmentFields: [String: FieldKind] = [
        "date": .text, "amount": .text, "outstanding": .text, "is_paid": .flag, "partly_paid": .flag, "is_next": .flag,
    ]

    /// The fields of one dispute inside `{{#disputes}}…{{/disputes}}`.
    static let disputeFields: [String: FieldKind] = [
        "invoice_number": .text, "reason": .text, "opened_on": .text, "note": .text, "has_note": .flag,
    ]

    /// The fields of one attempt inside `{{#contact_history}}…{{/contact_history}}`.
    static let contactAttemptFields: [String: FieldKind] = [
        "date": .text, "channel": .text, "outcome": .text, "made": .flag,
    ]

    /// Every field a template may use, at the top level.
    static let fields: [String: FieldKind] = [
        "language": .text, "date": .text, "respond_by": .text, "stage": .text, "step": .text, "template": .text,
        "organisation_name": .text,
        "sender_name": .text, "sender_email": .text, "reply_to": .text,
        "signature": .text, "signature_lines": .textList,
        "payment_instructions": .text, "payment_instruction_lines": .textList, "has_payment_instructions": .flag,
        "has_payment_block": .flag,
        "phone": .text, "has_phone": .flag, "de_organisation_name": .text, "is_letter": .flag, "is_internal": .flag,
        "has_disputed_part": .flag, "salutation_name": .text, "has_salutation_name": .flag,
        "is_ms": .flag, "is_mr": .flag, "formal_name": .text, "family_name": .text, "has_academic_title": .flag,
        "payment_reference": .text, "has_payment_reference": .flag,
        "payment_url": .text, "has_payment_url": .flag,
        "sender_address_lines": .textList, "has_sender_address": .flag,
        "customer_name": .text, "customer_reference": .text,
        "collector": .text, "has_collector": .flag,
        "contact_name": .text, "has_contact_name": .flag, "greeting_name": .text,
        "invoices": .list(invoiceFields), "invoice_count": .number, "invoice_numbers": .text,
        "single_invoice": .flag, "several_invoices": .flag,
        "totals": .list(totalFields), "total_open": .text, "several_currencies": .flag,
        "has_early_payment_saving": .flag, "has_overdue_invoice": .flag, "all_due_today": .flag,
        "max_days_overdue": .number,
        "portal_link": .text, "has_portal_link": .flag,
        "has_interest": .flag, "interest_rate": .text, "interest_legal_basis": .text,
        "interest_legal_basis_noun": .text, "de_interest_legal_basis": .text, "interest_is_contractual": .flag,
        "compensation_legal_basis": .text, "has_compensation_legal_basis": .flag, "interest_until": .text,
        "interest_total": .text, "compensation_total": .text, "total_with_interest": .text,
        "has_plan": .flag, "has_next_instalment": .flag, "plan_next_date": .text, "plan_next_amount": .text,
        "plan_next_partly_paid": .flag, "pay_by": .text, "plan_total": .text, "plan_received": .text,
        "has_plan_received": .flag, "plan_remaining": .text, "plan_instalments": .list(instalmentFields),
        "has_dispute": .flag, "disputes": .list(disputeFields), "dispute_reason": .text, "dispute_opened_on": .text,
        "dispute_note": .text, "has_dispute_note": .flag,
        "has_offer": .flag, "offer_amount": .text, "offer_percent": .text, "offer_deadline": .text,
        "offer_waived": .text,
        "contact_history": .list(contactAttemptFields), "has_contact_history": .flag, "contacts_made": .number,
        "payment_requested_by": .text, "has_payment_received": .flag, "received_amount": .text, "received_on": .text,
        "has_agency": .flag, "agency_name": .text, "agency_contact_lines": .textList, "has_agency_contact": .flag,
        "has_named_collector": .flag, "collector_name": .text,
    ]

    /// The names of every top-level field a template may use, sorted (for the template editor and error messages).
    public static var fieldNames: [String] { fields.keys.sorted() }

    /// The names of the fields of each invoice inside `{{#invoices}}`, sorted.
    public static var invoiceFieldNames: [String] { invoiceFields.keys.sorted() }

    /// The names of the fields of each instalment inside `{{#plan_instalments}}`, sorted.
    public static var instalmentFieldNames: [String] { instalmentFields.keys.sorted() }

    /// The names of the fields of each attempt inside `{{#contact_history}}`, sorted.
    public static var contactAttemptFieldNames: [String] { contactAttemptFields.keys.sorted() }

    /// The names of the fields of each dispute inside `{{#disputes}}`, sorted.
    public static var disputeFieldNames: [String] { disputeFields.keys.sorted() }

    /// The last day a final notice gives to pay or answer: `responseDays` on, rolled to a working day.
    public var respondBy: LocalDate { workingDay(asOf.adding(days: responseDays)) }

    /// The day a follow-up asks to be paid by: `paymentDays` on, rolled to a working day.
    public var paymentRequestedBy: LocalDate { workingDay(asOf.adding(days: paymentDays)) }

    private func workingDay(_ counted: LocalDate) -> LocalDate {
        workingCalendar?.workingDay(onOrAfter: counted) ?? counted
    }

    /// The collector who signs a message to the client: the account's, when their details are kept. A note to the
    /// team is signed by the team.
    var namedCollector: Collector? { isInternal ? nil : signingCollector }

    /// The number a client may call: the collector's direct line, else the organisation's.
    var phone: String? { namedCollector?.phone ?? sender.phone }

    /// The closing lines: the named collector, the organisation and the direct line; else the organisation's own.
    func signature(in language: TemplateLanguage) -> String {
        guard let collector = namedCollector else { return sender.signature }
        return ([collector.name, organisationName] + (collector.phone.map { ["\(language.directLine): \($0)"] } ?? []))
            .joined(separator: "\n")
    }

    /// The values a template sees, written out in `language`.
    ///
    /// A field with no value (no contact name, no portal link) is left out, so `{{#contact_name}}` is skipped and
    /// `{{^contact_name}}` shown; its `has_…` flag says the same explicitly.
    func values(in language: TemplateLanguage) -> [String: Any] {
        let instructions = sender.paymentInstructions(in: language.rawValue)
        let signature = signature(in: language)
        var values: [String: Any] = [
            "language": language.rawValue,
            "date": language.format(asOf),
            "respond_by": language.format(respondBy),
            "payment_requested_by": language.format(paymentRequestedBy),
            "stage": stage.rawValue,
            "step": stepID,
            "template": template,
            "organisation_name": organisationName,
            "sender_name": sender.name,
            "sender_email": sender.fromAddress,
            "reply_to": sender.replyTo ?? sender.fromAddress,
            "signature": signature,
            "signature_lines": lines(signature),
            "has_named_collector": namedCollector != nil,
            // One language's instructions, whole: the message's, else the organisation's.
            "payment_instructions": instructions,
            "payment_instruction_lines": lines(instructions),
            "has_payment_instructions": !instructions.trimmingWhitespace.isEmpty,
            "has_payment_block":
                !instructions.trimmingWhitespace.isEmpty || invoices.contains { $0.paymentReference != nil },
            "has_phone": phone != nil,
            "de_organisation_name": TemplateLanguage.frenchDe(organisationName),
            "is_letter": channel == .letter,
            "is_internal": isInternal,
            "has_disputed_part": invoices.contains { $0.disputed != nil },
            "has_salutation_name": contactName != nil,
            "has_payment_reference": invoices.contains { $0.paymentReference != nil },
            // A Pay button is for the client: a note to the team shows none.
            "has_payment_url": !isInternal && invoices.contains { $0.paymentURL != nil },
            "sender_address_lines": sender.postalAddress,
            "has_sender_address": !sender.postalAddress.isEmpty,
            "customer_name": customerName,
            "customer_reference": customerReference,
            "has_collector": collector != nil,
            "has_contact_name": contactName != nil,
            "greeting_name": contactName ?? customerName,
            "invoices": invoices.map { $0.values(in: language) },
            "invoice_count": invoices.count,
            "invoice_numbers": invoices.map(\.number).joined(separator: ", "),
            "single_invoice": invoices.count == 1,
            "several_invoices": invoices.count > 1,
            "totals": totals.map { ["amount": language.format($0), "currency": $0.currency.code] as [String: Any] },
            "total_open": language.format(totals),
            "several_currencies": totals.count > 1,
            "has_early_payment_saving": invoices.contains { $0.earlyPaymentSaving != nil },
            "has_overdue_invoice": invoices.contains { $0.daysPastDue > 0 },
            // A due-day notice may also remind of invoices due later: it says "due today" only when all are.
            "all_due_today": !invoices.isEmpty && invoices.allSatisfy { $0.daysPastDue == 0 },
            "max_days_overdue": invoices.map(\.daysOverdue).max() ?? 0,
            "has_portal_link": portalLink != nil,
            "has_interest": interest != nil,
        ]
        // The message's own link when it is about one invoice; with several, each invoice carries its own.
        values["payment_url"] = isInternal || invoices.count != 1 ? nil : invoices[0].paymentURL
        values["collector"] = collector
        values["contact_name"] = contactName
        values["phone"] = phone
        values["collector_name"] = namedCollector?.name
        // A formal salutation names the person, with their title when the books give one (`Dr. Tom Baker`).
        values["salutation_name"] = contactName.map { name in
            customerTitle.map { "\($0) \(name)" } ?? name
        }
        let formal = Salutation(title: customerTitle, name: contactName)
        values["is_ms"] = formal?.isMs ?? false
        values["is_mr"] = formal?.isMr ?? false
        values["formal_name"] = formal?.formalName
        values["family_name"] = formal?.familyName
        values["has_academic_title"] = formal.map { $0.formalName != $0.familyName } ?? false
        values["portal_link"] = portalLink
        // One invoice: its reference is the one to quote. Several: each invoice line carries its own.
        if invoices.count == 1, let reference = invoices[0].paymentReference {
            values["payment_reference"] = CreditorReference.grouped(reference)
        }
        if let interest {
            values["interest_rate"] = language.formatPercent(basisPoints: interest.annualRateBasisPoints)
            // A law is cited in the message's language where it has a name in it (the EU directive); a national
            // law keeps its own citation (`§ 288 Abs. 2 BGB`).
            let basis = language.citation(interest.legalBasis)
            values["interest_legal_basis"] = basis
            values["interest_legal_basis_noun"] = TemplateLanguage.frenchCitation(basis)
            values["de_interest_legal_basis"] = TemplateLanguage.frenchDe(TemplateLanguage.frenchCitation(basis))
            values["interest_is_contractual"] = interest.isContractual
            values["has_compensation_legal_basis"] = interest.compensationBasis != nil
            values["compensation_legal_basis"] = interest.compensationBasis.map(language.citation)
            values["interest_until"] = language.format(interest.calculatedTo)
            values["interest_total"] = language.format(interest.interestTotals)
            values["compensation_total"] = language.format(interest.compensationTotals)
            values["total_with_interest"] = language.format(
                Money.totals(invoices.map(\.open) + interest.interestTotals + interest.compensationTotals))
        }
        values.merge(eventValues(in: language)) { _, event in event }
        return values
    }

    // The plan, dispute and offer fields. A field with no value is left out, as above.
    private func eventValues(in language: TemplateLanguage) -> [String: Any] {
        let next: PlanFacts.Instalment? = plan?.next
        let nextPartlyPaid: Bool = next.map { $0.outstanding != $0.amount } ?? false
        let planReceived: Bool = plan.map { !$0.received.isZero } ?? false
        let disputeRows: [[String: Any]] = disputes.map { $0.values(in: language) }
        var values: [String: Any] = [
            "has_plan": plan != nil,
            "has_next_instalment": next != nil,
            "plan_next_partly_paid": nextPartlyPaid,
            "has_plan_received": planReceived,
            "has_dispute": !disputes.isEmpty,
            "disputes": disputeRows,
            "has_dispute_note": disputes.first?.note != nil,
            "has_offer": offer != nil,
            "has_payment_received": received != nil,
            "has_agency": agency != nil,
            "has_agency_contact": !(agency?.contact.isEmpty ?? true),
            "agency_contact_lines": agency?.contact ?? [],
            "has_contact_history": !(contactHistory ?? []).isEmpty,
            "contacts_made": (contactHistory ?? []).filter(\.made).count,
        ]
        if let contactHistory {
            values["contact_history"] = contactHistory.map { attempt -> [String: Any] in
                [
                    "date": language.format(attempt.date), "channel": language.name(of: attempt.channel),
                    "outcome": language.name(of: attempt.outcome), "made": attempt.made,
                ]
            }
        }
        if let received {
            values["received_amount"] = language.format(received.amounts)
            values["received_on"] = language.format(received.date)
        }
        values["agency_name"] = agency?.name
        if let plan {
            values["plan_total"] = language.format(plan.total)
            values["plan_received"] = language.format(plan.received)
            values["plan_remaining"] = language.format(plan.remaining)
            values["plan_instalments"] = plan.instalments.map { $0.values(in: language, isNext: $0 == plan.next) }
            if let next = plan.next, let payBy = plan.payBy {
                values["plan_next_date"] = language.format(next.dueDate)
                values["plan_next_amount"] = language.format(next.outstanding)
                values["pay_by"] = language.format(payBy)
            }
        }
        if let dispute = disputes.first {
            values["dispute_reason"] = dispute.reason(in: language)
            values["dispute_opened_on"] = language.format(dispute.openedOn)
            values["dispute_note"] = dispute.note
        }
        if let offer {
            values["offer_amount"] = language.format(offerAmounts)
            values["offer_waived"] = language.format(offerWaived)
            values["offer_percent"] = language.formatPercent(basisPoints: offer.basisPoints)
            values["offer_deadline"] = language.format(offer.deadline)
        }
        return values
    }

    private func lines(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    }
}

extension InvoiceFacts {
    func values(in language: TemplateLanguage) -> [String: Any] {
        var values: [String: Any] = [
            "number": number,
            "issue_date": language.format(issueDate),
            "due_date": language.format(dueDate),
            "currency": total.currency.code,
            "total": language.format(total),
            "open": language.format(open),
            "paid": language.format(paid),
            "partly_paid": !paid.isZero && !open.isZero,
            "has_disputed_part": disputed != nil,
            "has_po_number": poNumber != nil,
            "has_terms": terms != nil,
            "days_overdue": daysOverdue,
            "days_until_due": daysUntilDue,
            "due_status": language.dueStatus(daysPastDue: daysPastDue),
            "is_overdue": daysPastDue > 0,
            "is_due_today": daysPastDue == 0,
            "is_not_yet_due": daysPastDue < 0,
            "has_early_payment_saving": earlyPaymentSaving != nil,
            "has_interest": false,
            "has_payment_reference": paymentReference != nil,
            "has_payment_url": paymentURL != nil,
        ]
        values["po_number"] = poNumber
        values["payment_url"] = paymentURL
        values["disputed"] = disputed.map { language.format($0) }
        values["payment_reference"] = paymentReference.map(CreditorReference.grouped)
        if let terms {
            values["terms"] = terms.description
            values["terms_in_words"] = language.words(for: terms)
        }
        if let saving = earlyPaymentSaving, let deadline = earlyPaymentDeadline {
            values["early_payment_saving"] = language.format(saving)
            values["early_payment_deadline"] = language.format(deadline)
            values["early_payment_amount"] = language.format(open - saving)
            if case .earlyPaymentDiscount(let points, _, _) = terms {
                values["early_payment_rate"] = language.formatPercent(basisPoints: points)
            }
        }
        return values
    }
}

extension MessageContext {
    /// The rendering values with each invoice's interest line merged in.
    func valuesWithInterest(in language: TemplateLanguage) -> [String: Any] {
        var values = self.values(in: language)
        guard let interest, var rows = values["invoices"] as? [[String: Any]] else { return values }
        for index in rows.indices {
            guard let number = rows[index]["number"] as? String,
                let item = interest.items.first(where: { $0.invoiceNumber == number })
            else { continue }
            rows[index]["has_interest"] = true
            rows[index]["interest"] = language.format(item.interest)
            rows[index]["compensation"] = language.format(item.compensation)
            rows[index]["interest_days"] = item.days
            if let points = item.annualRateBasisPoints {
                rows[index]["interest_rate"] = language.formatPercent(basisPoints: points)
            }
        }
        values["invoices"] = rows
        return values
    }
}

extension DisputeFacts {
    /// The client's words, or, when none were noted, the reason's name in the language.
    func reason(in language: TemplateLanguage) -> String {
        let words = reason.trimmingWhitespace
        return words.isEmpty ? language.words(for: reasonCode) : words
    }

    func values(in language: TemplateLanguage) -> [String: Any] {
        var values: [String: Any] = [
            "invoice_number": invoiceNumber,
            "reason": reason(in: language),
            "opened_on": language.format(openedOn),
            "has_note": note != nil,
        ]
        values["note"] = note
        return values
    }
}

extension PlanFacts.Instalment {
    func values(in language: TemplateLanguage, isNext: Bool) -> [String: Any] {
        let partlyPaid = !isPaid && outstanding != amount
        return [
            "date": language.format(dueDate),
            "amount": language.format(amount),
            "outstanding": language.format(outstanding),
            "is_paid": isPaid,
            "partly_paid": partlyPaid,
            "is_next": isNext,
        ]
    }
}

/// How a formal letter addresses a named person: "Sehr geehrte Frau Dr. Berger", "Geachte heer Van Dijk", "Dear Ms
/// Berger". The form (Ms or Mr) comes from the title the books give (`Frau`, `Mr`, `Mme`, `Dhr.`, with any academic
/// title beside it, `Frau Dr.`); without one, the letters greet the person by their full name instead.
struct Salutation {
    var isMs: Bool
    var isMr: Bool
    /// The academic title, if any, and the family name: `Dr. Berger`, `van Dijk`.
    var formalName: String
    /// The family name alone: `Berger`, `van Dijk`.
    var familyName: String

    private static let ms: Set<String> = ["frau", "ms", "mrs", "miss", "mme", "madame", "mevrouw", "mevr", "mw", "mej"]
    private static let mr: Set<String> = ["herr", "mr", "m", "monsieur", "heer", "dhr"]
    // Words that belong to a family name before it: "van Dijk", "von Arnim", "de la Tour".
    private static let particles: Set<String> = [
        "van", "von", "de", "der", "den", "het", "ten", "ter", "zu", "la", "le", "du", "des", "da", "di",
    ]

    init?(title: String?, name: String?) {
        guard let name else { return nil }
        var words = name.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let family = words.popLast() else { return nil }
        var familyName = [family]
        while words.count > 1, let last = words.last, Self.particles.contains(last.lowercased()) {
            familyName.insert(words.removeLast(), at: 0)
        }
        var academic: [String] = []
        var isMs = false
        var isMr = false
        for word in (title ?? "").split(whereSeparator: \.isWhitespace) {
            let bare = String(word.lowercased().filter { $0 != "." })
            if bare == "de" {
                continue  // "De heer": the "heer" that follows says it.
            } else if Self.ms.contains(bare) {
                isMs = true
            } else if Self.mr.contains(bare) {
                isMr = true
            } else {
                academic.append(String(word))
            }
        }
        self.isMs = isMs && !isMr
        self.isMr = isMr && !isMs
        self.formalName = (academic + familyName).joined(separator: " ")
        self.familyName = familyName.joined(separator: " ")
    }
}
