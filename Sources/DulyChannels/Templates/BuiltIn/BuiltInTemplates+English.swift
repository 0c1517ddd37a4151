// The English built-ins. Voice by stage (DESIGN.md section 2): friendly and helpful before the due date, positive
// and professional once it has passed (never a threat; offer a plan, a part payment or a new date), formal and
// factual in non-payment.
extension BuiltInTemplates {
    // The part of an invoice under an open dispute, which the message does not ask for: said to the client, or
    // to the team in an internal note.
    private static let disputedPart =
        "{{^is_internal}}{{disputed}} of invoice {{number}} is under review after your query and is "
        + "not included here.{{/is_internal}}"
        + "{{#is_internal}}{{disputed}} of invoice {{number}} is under dispute and not "
        + "chased.{{/is_internal}}"

    private static let table = invoiceTable(
        invoice: "Invoice", date: "Date", due: "Due date", open: "Open", status: "Status", total: "Total open",
        disputed: disputedPart)
    private static let reference = ReferenceWords(
        single: "Please quote the reference {{payment_reference}} with your payment, so that it reaches the right "
            + "invoice.",
        several: "Please quote each invoice's reference with your payment")
    private static let payment = paymentHTML(heading: "How to pay", reference: reference)

    private static let greeting = "Dear {{greeting_name}},"

    // A letter names the person when the books do, and closes to match: "Yours sincerely" after "Dear Tom Baker",
    // "Yours faithfully" only after "Dear Sir or Madam".
    private static let letterGreeting =
        "{{#has_salutation_name}}Dear {{salutation_name}},{{/has_salutation_name}}"
        + "{{^has_salutation_name}}Dear Sir or Madam,{{/has_salutation_name}}"
    private static let letterClosing =
        "{{#has_salutation_name}}Yours sincerely,{{/has_salutation_name}}"
        + "{{^has_salutation_name}}Yours faithfully,{{/has_salutation_name}}"
    private static let anyOfThese =
        "{{#single_invoice}}this invoice{{/single_invoice}}"
        + "{{#several_invoices}}any of these invoices{{/several_invoices}}"

    private static let invoicesWithTermsText = """
        {{#invoices}}
        - Invoice {{number}} of {{issue_date}}\
        {{#has_po_number}} (your PO {{po_number}}){{/has_po_number}}: {{open}}, \
        due on {{due_date}} ({{due_status}})
        {{#has_terms}}
          Terms: {{terms_in_words}}.
        {{/has_terms}}
        {{#has_early_payment_saving}}
          Pay {{early_payment_amount}} by {{early_payment_deadline}} and you save {{early_payment_saving}}.
        {{/has_early_payment_saving}}
        {{#has_disputed_part}}
          \(disputedPart)
        {{/has_disputed_part}}
        {{/invoices}}
        {{#several_invoices}}
        Total open: {{total_open}}
        {{/several_invoices}}
        """

    private static let invoicesWithTermsHTML = """
        \(table)
        {{#invoices}}
        {{#has_terms}}
        <p>Invoice {{number}}: {{terms_in_words}}.\
        {{#has_early_payment_saving}} Pay <strong>{{early_payment_amount}}</strong> by \
        <strong>{{early_payment_deadline}}</strong> and you save {{early_payment_saving}}.{{/has_early_payment_saving}}\
        </p>
        {{/has_terms}}
        {{/invoices}}
        """

    private static let invoicesOpenText = """
        {{#invoices}}
        - Invoice {{number}} of {{issue_date}}, due on {{due_date}}: {{open}}{{#partly_paid}} of {{total}}\
        {{/partly_paid}} open ({{due_status}})
        {{#has_disputed_part}}
          \(disputedPart)
        {{/has_disputed_part}}
        {{/invoices}}
        {{#several_invoices}}
        Total open: {{total_open}}
        {{/several_invoices}}
        """

    private static let paymentText = paymentBlockText(heading: "How to pay", reference: reference)

    // The messages about events and offers are composed from blocks, like the other languages' templates.
    private static let kit = LanguageKit(
        invoicesWithTermsText: invoicesWithTermsText, invoicesWithTermsHTML: invoicesWithTermsHTML,
        invoicesOpenText: invoicesOpenText, table: table,
        payment: "How to pay", reference: reference)

    private static let plural = "{{#several_invoices}}s{{/several_invoices}}"

    /// One instalment of the schedule, with what is received of it; the one the message is about says `next`,
    /// or `nextPartly` when part of it has arrived.
    private static func instalmentLine(next: String, nextPartly: String) -> String {
        "{{date}}: {{amount}}{{#is_paid}} (received, thank you){{/is_paid}}"
            + "{{#is_next}} ({{^partly_paid}}\(next){{/partly_paid}}{{#partly_paid}}\(nextPartly){{/partly_paid}})"
            + "{{/is_next}}{{^is_next}}{{#partly_paid}} ({{outstanding}} still to pay){{/partly_paid}}{{/is_next}}"
    }

    static let english: [String: TemplateSource] = [
        "pre_due_reminder": TemplateSource(
            subject: "{{#single_invoice}}Invoice {{invoice_numbers}} from {{organisation_name}} is due soon"
                + "{{/single_invoice}}{{#several_invoices}}{{invoice_count}} invoices from {{organisation_name}} "
                + "are due soon{{/several_invoices}}",
            text: """
                \(greeting)

                A quick, friendly note from {{organisation_name}} so that you have everything at hand before the \
                due date:

                \(invoicesWithTermsText)

                {{#has_early_payment_saving}}
                Your terms include an early-payment discount, so paying by the date above saves you money.

                {{/has_early_payment_saving}}
                If anything on the invoice is unclear or does not match your records, just reply to this email and \
                we will sort it out.

                \(paymentText)
                Thank you, and kind regards,
                {{signature}}

                """,
            html: page(
                """
                <p>\(greeting)</p>
                <p>A quick, friendly note from {{organisation_name}} so that you have everything at hand before the \
                due date:</p>
                \(invoicesWithTermsHTML)
                {{#has_early_payment_saving}}
                <p>Your terms include an early-payment discount, so paying by the date above saves you money.</p>
                {{/has_early_payment_saving}}
                <p>If anything on the invoice is unclear or does not match your records, just reply to this email \
                and we will sort it out.</p>
                \(payment)
                <p>Thank you, and kind regards,</p>
                \(signatureHTML)
                """)),
        "due_day_notice": TemplateSource(
            subject: "{{#single_invoice}}Invoice {{invoice_numbers}} is due today{{/single_invoice}}"
                + "{{#several_invoices}}{{invoice_count}} invoices from {{organisation_name}} "
                + "{{#all_due_today}}are due today{{/all_due_today}}"
                + "{{^all_due_today}}fall due today and in the coming days{{/all_due_today}}{{/several_invoices}}",
            text: """
                \(greeting)

                {{#all_due_today}}Just a reminder that today is the due date for the following:{{/all_due_today}}{{^all_due_today}}Just a reminder of what falls due today and in the coming days:{{/all_due_today}}

                \(invoicesWithTermsText)

                If your payment is already on its way, thank you, and please disregard this message.

                \(paymentText)
                If you have any questions about the invoice, reply to this email and we will be glad to help.

                Kind regards,
                {{signature}}

                """,
            html: page(
                """
                <p>\(greeting)</p>
                <p>{{#all_due_today}}Just a reminder that today is the due date for the following:{{/all_due_today}}{{^all_due_today}}Just a reminder of what falls due today and in the coming days:{{/all_due_today}}</p>
                \(invoicesWithTermsHTML)
                <p>If your payment is already on its way, thank you, and please disregard this message.</p>
                \(payment)
                <p>If you have any questions about the invoice, reply to this email and we will be glad to help.</p>
                <p>Kind regards,</p>
                \(signatureHTML)
                """)),
        "first_follow_up": TemplateSource(
            subject: "{{#single_invoice}}Invoice {{invoice_numbers}}: a friendly reminder{{/single_invoice}}"
                + "{{#several_invoices}}A friendly reminder about {{invoice_count}} invoices{{/several_invoices}}"
                + " from {{organisation_name}}",
            text: """
                \(greeting)

                We have not yet received payment for the following, and it may simply have slipped through:

                \(invoicesOpenText)

                If you have already paid, thank you; please let us know the payment date so that we can match it.
                If something is wrong with the invoice, or you need a copy, tell us and we will put it right.

                \(paymentText)
                Kind regards,
                {{signature}}

                """,
            html: page(
                """
                <p>\(greeting)</p>
                <p>We have not yet received payment for the following, and it may simply have slipped through:</p>
                \(table)
                <p>If you have already paid, thank you; please let us know the payment date so that we can match \
                it. If something is wrong with the invoice, or you need a copy, tell us and we will put it right.</p>
                \(payment)
                <p>Kind regards,</p>
                \(signatureHTML)
                """)),
        "second_follow_up": TemplateSource(
            subject: "{{#single_invoice}}Invoice {{invoice_numbers}} is still open{{/single_invoice}}"
                + "{{#several_invoices}}{{invoice_count}} invoices are still open{{/several_invoices}}"
                + ": can we help?",
            text: """
                \(greeting)

                Our records show the following as still open:

                \(invoicesOpenText)

                Is something holding the payment up? If there is a question about the invoice, the work delivered \
                or a purchase order number, we would like to hear about it so that we can resolve it quickly.

                If the timing is difficult, that is fine too: let us know a date that works for you, or whether a \
                part payment now would help.

                \(paymentText)
                Kind regards,
                {{signature}}

                """,
            html: page(
                """
                <p>\(greeting)</p>
                <p>Our records show the following as still open:</p>
                \(table)
                <p>Is something holding the payment up? If there is a question about the invoice, the work \
                delivered or a purchase order number, we would like to hear about it so that we can resolve it \
                quickly.</p>
                <p>If the timing is difficult, that is fine too: let us know a date that works for you, or whether \
                a part payment now would help.</p>
                \(payment)
                <p>Kind regards,</p>
                \(signatureHTML)
                """)),
        "call_offer_plan": TemplateSource(
            subject: "Call {{customer_name}} about {{total_open}} open",
            text: """
                Call script: {{customer_name}} ({{customer_reference}})
                Speak to: {{greeting_name}}

                What is open
                \(invoicesOpenText)

                Goal: agree a way to settle that works for both sides, and keep a good relationship.

                1. Introduce yourself: "Hello, this is ... from {{organisation_name}}. Do you have a moment to \
                talk about your account?"
                2. Check the invoices: "We have {{total_open}} open, the oldest invoice {{max_days_overdue}} days \
                past its due date. Did you receive everything, and is anything wrong with the invoices?"
                3. Listen. If there is a problem with an invoice, note it as a dispute with the reason; we will \
                look into it before anything else is sent.
                4. Offer a solution that fits them:
                   - pay the full amount on a date they choose (note the date and the amount);
                   - a part payment now and the rest on an agreed date;
                   - a payment plan in instalments (note the amounts and dates).
                5. Confirm what was agreed, and say that you will send a short written summary.

                Record the outcome: reached, voicemail, wrong number, promise (date and amount), dispute (reason), \
                refused, or call back (date).

                """,
            html: page(
                """
                <h1 style="font-size: 18px;">Call script: {{customer_name}} ({{customer_reference}})</h1>
                <p>Speak to: {{greeting_name}}</p>
                <h2 style="font-size: 16px;">What is open</h2>
                \(table)
                <p><strong>Goal:</strong> agree a way to settle that works for both sides, and keep a good \
                relationship.</p>
                <ol>
                <li>Introduce yourself: “Hello, this is ... from {{organisation_name}}. Do you have a moment to \
                talk about your account?”</li>
                <li>Check the invoices: “We have {{total_open}} open, the oldest invoice {{max_days_overdue}} days \
                past its due date. Did you receive everything, and is anything wrong with the invoices?”</li>
                <li>Listen. If there is a problem with an invoice, note it as a dispute with the reason; we will \
                look into it before anything else is sent.</li>
                <li>Offer a solution that fits them:
                <ul>
                <li>pay the full amount on a date they choose (note the date and the amount);</li>
                <li>a part payment now and the rest on an agreed date;</li>
                <li>a payment plan in instalments (note the amounts and dates).</li>
                </ul></li>
                <li>Confirm what was agreed, and say that you will send a short written summary.</li>
                </ol>
                <p><strong>Record the outcome:</strong> reached, voicemail, wrong number, promise (date and amount), \
                dispute (reason), refused, or call back (date).</p>
                """)),
        "solution_offer": TemplateSource(
            subject: "Let us find a way forward on {{total_open}} open with {{organisation_name}}",
            text: """
                \(greeting)

                The following is still open, and we would like to find a solution that works for you:

                \(invoicesOpenText)

                We can offer:
                - a payment plan in instalments over the coming weeks;
                - a part payment now, with the rest on a date we agree;
                - a new payment date for the full amount.

                Just reply with what suits you{{#has_phone}}, or call us on {{phone}}{{/has_phone}}. And if \
                something about the invoice itself is holding things up, please tell us; we would rather fix it than \
                keep reminding you.

                \(paymentText)
                Kind regards,
                {{signature}}

                """,
            html: page(
                """
                <p>\(greeting)</p>
                <p>The following is still open, and we would like to find a solution that works for you:</p>
                \(table)
                <p>We can offer:</p>
                <ul>
                <li>a payment plan in instalments over the coming weeks;</li>
                <li>a part payment now, with the rest on a date we agree;</li>
                <li>a new payment date for the full amount.</li>
                </ul>
                <p>Just reply with what suits you{{#has_phone}}, or call us on {{phone}}{{/has_phone}}. And if \
                something about the invoice itself is holding things up, please tell us; we would rather fix it than \
                keep reminding you.</p>
                \(payment)
                <p>Kind regards,</p>
                \(signatureHTML)
                """)),
        "manager_escalation": TemplateSource(
            subject: "For your decision: {{customer_name}} ({{customer_reference}}), {{total_open}} in non-payment",
            text: """
                Internal note, not sent to the client.

                Account: {{customer_name}} ({{customer_reference}})
                {{#has_collector}}
                Collector: {{collector}}
                {{/has_collector}}
                Contact: {{greeting_name}}
                Stage: non-payment, as of {{date}}

                \(invoicesOpenText)

                {{#has_contact_history}}
                Contacts made: {{contacts_made}}. What was tried, oldest first:
                {{#contact_history}}
                - {{date}}, {{channel}}: {{outcome}}
                {{/contact_history}}

                {{/has_contact_history}}
                {{^has_contact_history}}
                No attempt to reach the client about these invoices is on record.

                {{/has_contact_history}}
                Please decide the next step:
                - approve the final notice (a formal letter, with statutory interest and compensation);
                - ask a senior contact at the client to step in;
                - or hold the account, with a note of the reason.

                """,
            html: page(
                """
                <p><em>Internal note, not sent to the client.</em></p>
                <p>Account: <strong>{{customer_name}}</strong> ({{customer_reference}})<br>
                {{#has_collector}}
                Collector: {{collector}}<br>
                {{/has_collector}}
                Contact: {{greeting_name}}<br>
                Stage: non-payment, as of {{date}}</p>
                \(table)
                {{#has_contact_history}}
                <p>Contacts made: {{contacts_made}}. What was tried, oldest first:</p>
                <ul>
                {{#contact_history}}
                <li>{{date}}, {{channel}}: {{outcome}}</li>
                {{/contact_history}}
                </ul>
                {{/has_contact_history}}
                {{^has_contact_history}}
                <p>No attempt to reach the client about these invoices is on record.</p>
                {{/has_contact_history}}
                <p>Please decide the next step:</p>
                <ul>
                <li>approve the final notice (a formal letter, with statutory interest and compensation);</li>
                <li>ask a senior contact at the client to step in;</li>
                <li>or hold the account, with a note of the reason.</li>
                </ul>
                """)),
        "final_notice": TemplateSource(
            subject: "Final notice: {{total_open}} open, invoice{{#several_invoices}}s{{/several_invoices}} "
                + "{{invoice_numbers}}",
            text: """
                {{^is_letter}}
                \(letterHeadText)

                Final notice: invoice{{#several_invoices}}s{{/several_invoices}} {{invoice_numbers}}

                {{/is_letter}}
                \(letterGreeting)

                Despite our reminders, the following remains unpaid:

                \(invoicesOpenText)

                {{#has_interest}}
                Under {{interest_legal_basis}}, statutory interest at {{interest_rate}} a year is due on the late \
                amounts, calculated to {{interest_until}}: {{interest_total}}. Compensation for recovery costs: \
                {{compensation_total}}. The total now due is {{total_with_interest}}.
                {{/has_interest}}
                {{^has_interest}}
                We reserve the right to claim statutory interest on late payment and compensation for recovery \
                costs, as the law provides.
                {{/has_interest}}

                We ask you to pay the full amount by {{respond_by}}. If we have not received payment or heard from \
                you by then, we will hand the matter to a collection agency.

                If you have paid in the meantime, please disregard this letter.{{^has_disputed_part}} If you \
                dispute \(anyOfThese), tell us in writing before that date, with your reasons.{{/has_disputed_part}}

                \(paymentText)
                \(letterClosing)
                {{signature}}

                """,
            html: page(
                """
                {{^is_letter}}
                \(letterHeadHTML)
                <p><strong>Final notice: invoice{{#several_invoices}}s{{/several_invoices}} \
                {{invoice_numbers}}</strong></p>
                {{/is_letter}}
                <p>\(letterGreeting)</p>
                <p>Despite our reminders, the following remains unpaid:</p>
                \(table)
                {{#has_interest}}
                <p>Under {{interest_legal_basis}}, statutory interest at {{interest_rate}} a year is due on the \
                late amounts, calculated to {{interest_until}}: {{interest_total}}. Compensation for recovery \
                costs: {{compensation_total}}. The total now due is <strong>{{total_with_interest}}</strong>.</p>
                {{/has_interest}}
                {{^has_interest}}
                <p>We reserve the right to claim statutory interest on late payment and compensation for recovery \
                costs, as the law provides.</p>
                {{/has_interest}}
                <p>We ask you to pay the full amount by <strong>{{respond_by}}</strong>. If we have not received \
                payment or heard from you by then, we will hand the matter to a collection agency.</p>
                <p>If you have paid in the meantime, please disregard this letter.{{^has_disputed_part}} If you \
                dispute \(anyOfThese), tell us in writing before that date, with your reasons.{{/has_disputed_part}}\
                </p>
                \(payment)
                <p>\(letterClosing)</p>
                \(signatureHTML)
                """)),
        "agency_handover": TemplateSource(
            subject: "Invoice{{#several_invoices}}s{{/several_invoices}} {{invoice_numbers}} handed to a "
                + "collection agency",
            text: """
                {{^is_letter}}
                \(letterHeadText)

                Hand-over of invoice{{#several_invoices}}s{{/several_invoices}} {{invoice_numbers}} to a \
                collection agency

                {{/is_letter}}
                \(letterGreeting)

                The following has remained unpaid after our reminders and our final notice:

                \(invoicesOpenText)

                {{#has_interest}}
                To this come statutory interest under {{interest_legal_basis}} at {{interest_rate}} a year, \
                calculated to {{interest_until}}: {{interest_total}}, and compensation for recovery costs: \
                {{compensation_total}}. In all, {{total_with_interest}}.

                {{/has_interest}}
                We have therefore handed the collection of {{total_open}} to a collection agency, which will contact \
                you. From now on, please address any payment arrangement to the agency. Payments you have already \
                made to us will be taken into account.

                If you believe this is in error, or you have paid, contact us at {{reply_to}} and quote your \
                reference {{customer_reference}}.

                \(letterClosing)
                {{signature}}

                """,
            html: page(
                """
                {{^is_letter}}
                \(letterHeadHTML)
                <p><strong>Hand-over of invoice{{#several_invoices}}s{{/several_invoices}} {{invoice_numbers}} to \
                a collection agency</strong></p>
                {{/is_letter}}
                <p>\(letterGreeting)</p>
                <p>The following has remained unpaid after our reminders and our final notice:</p>
                \(table)
                {{#has_interest}}
                <p>To this come statutory interest under {{interest_legal_basis}} at {{interest_rate}} a year, \
                calculated to {{interest_until}}: {{interest_total}}, and compensation for recovery costs: \
                {{compensation_total}}. In all, <strong>{{total_with_interest}}</strong>.</p>
                {{/has_interest}}
                <p>We have therefore handed the collection of {{total_open}} to a collection agency, which will \
                contact you. From now on, please address any payment arrangement to the agency. Payments you have \
                already made to us will be taken into account.</p>
                <p>If you believe this is in error, or you have paid, contact us at \
                <a href="mailto:{{reply_to}}">{{reply_to}}</a> and quote your reference {{customer_reference}}.</p>
                <p>\(letterClosing)</p>
                \(signatureHTML)
                """)),
        "thank_you": TemplateSource(
            subject: "Thank you for your payment{{#single_invoice}} of invoice {{invoice_numbers}}"
                + "{{/single_invoice}}",
            text: """
                \(greeting)

                Thank you: we have received your payment, and the following is now settled in full:

                {{#invoices}}
                - Invoice {{number}} of {{issue_date}}: {{total}}
                {{/invoices}}

                We appreciate working with you. If there is ever anything we can do better, just reply to this \
                email.

                Kind regards,
                {{signature}}

                """,
            html: page(
                """
                <p>\(greeting)</p>
                <p>Thank you: we have received your payment, and the following is now settled in full:</p>
                <ul>
                {{#invoices}}
                <li>Invoice {{number}} of {{issue_date}}: {{total}}</li>
                {{/invoices}}
                </ul>
                <p>We appreciate working with you. If there is ever anything we can do better, just reply to this \
                email.</p>
                <p>Kind regards,</p>
                \(signatureHTML)
                """)),
        "instalment_reminder": compose(
            "{{#has_next_instalment}}Your next instalment: {{plan_next_amount}} on {{plan_next_date}}"
                + "{{/has_next_instalment}}{{^has_next_instalment}}Your payment plan with {{organisation_name}}"
                + "{{/has_next_instalment}}",
            [
                .paragraph(greeting),
                .when(
                    "has_next_instalment",
                    [
                        .paragraph(
                            "A friendly reminder that the next instalment of your payment plan with "
                                + "{{organisation_name}} is coming up:"),
                        .lines(["Due on: {{plan_next_date}}", "Amount: {{plan_next_amount}}"]),
                    ]),
                .unless(
                    "has_next_instalment",
                    [.paragraph("A short note about your payment plan with {{organisation_name}}.")]),
                .when(
                    "has_plan",
                    [
                        .when(
                            "has_plan_received",
                            [
                                .paragraph(
                                    "So far we have received {{plan_received}} under the plan, thank you; "
                                        + "{{plan_remaining}} remains to be paid.")
                            ]),
                        .unless("has_plan_received", [.paragraph("The plan covers {{plan_total}} in all.")]),
                        .paragraph("The agreed schedule, for reference:"),
                        .each(
                            "plan_instalments",
                            instalmentLine(next: "next", nextPartly: "next: {{outstanding}} still to pay")),
                    ]),
                .paragraph("The plan covers invoice\(plural) {{invoice_numbers}}."),
                .when(
                    "has_next_instalment",
                    [
                        .paragraph(
                            "If you have already sent this instalment, thank you, and please disregard this reminder.")
                    ]),
                .payment,
                .paragraph("Thank you for keeping to the plan; we appreciate it."),
                .signature("Kind regards,"),
            ], kit: kit),
        "instalment_missed": compose(
            "{{#has_next_instalment}}Your instalment of {{plan_next_date}} has not reached us yet"
                + "{{/has_next_instalment}}{{^has_next_instalment}}Your payment plan with {{organisation_name}}"
                + "{{/has_next_instalment}}",
            [
                .paragraph(greeting),
                .when(
                    "has_next_instalment",
                    [
                        .paragraph(
                            "The instalment of {{plan_next_amount}} due on {{plan_next_date}} under your payment plan "
                                + "has not reached us yet."),
                        .paragraph(
                            "If you have already paid it, thank you, and please disregard this message: a transfer "
                                + "can take a day or two to arrive."),
                        .paragraph(
                            "If not, please pay {{plan_next_amount}} by {{pay_by}}, so that the plan stays in place "
                                + "as agreed."),
                    ]),
                .unless(
                    "has_next_instalment",
                    [.paragraph("A short note about your payment plan with {{organisation_name}}.")]),
                .paragraph(
                    "If the plan no longer works for you, for instance because the amounts or the dates have become "
                        + "difficult, please get in touch: we would much rather adjust it together."),
                .when(
                    "has_plan",
                    [
                        .paragraph(
                            "For reference, the agreed schedule ({{plan_received}} received so far, "
                                + "{{plan_remaining}} still to come):"),
                        .each(
                            "plan_instalments",
                            instalmentLine(
                                next: "not received yet", nextPartly: "{{outstanding}} of it not received yet")),
                    ]),
                .payment,
                .signature("Kind regards,"),
            ], kit: kit),
        "dispute_rejected": compose(
            "Your query about invoice\(plural) {{invoice_numbers}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "Thank you for raising your {{#single_invoice}}query{{/single_invoice}}{{#several_invoices}}queries"
                        + "{{/several_invoices}} with us. We have looked into {{#single_invoice}}it{{/single_invoice}}"
                        + "{{#several_invoices}}them{{/several_invoices}} carefully:"),
                .each(
                    "disputes",
                    "Invoice {{invoice_number}}, your query of {{opened_on}}: {{reason}}"
                        + "{{#has_note}}\nOur findings: {{note}}{{/has_note}}"),
                .paragraph(
                    "We have checked {{#single_invoice}}the invoice{{/single_invoice}}{{#several_invoices}}the "
                        + "invoices{{/several_invoices}} against our records and found {{#single_invoice}}it"
                        + "{{/single_invoice}}{{#several_invoices}}them{{/several_invoices}} to be correct, so "
                        + "{{#single_invoice}}it stands{{/single_invoice}}{{#several_invoices}}they stand"
                        + "{{/several_invoices}} as issued."),
                .paragraph("Here is what is open:"),
                .invoicesOpen,
                .paragraph("We would be grateful if you could now arrange payment of {{total_open}}."),
                .paragraph(
                    "If you have information we have not seen yet, or would like to talk it through, just reply to "
                        + "this email: we are glad to go over it with you."),
                .payment,
                .signature("Kind regards,"),
            ], kit: kit),
        "settlement_offer": compose(
            "{{#has_offer}}An offer to settle invoice\(plural) {{invoice_numbers}} for {{offer_amount}}{{/has_offer}}"
                + "{{^has_offer}}Let us find a way forward on {{total_open}} open{{/has_offer}}",
            [
                .paragraph(greeting),
                .paragraph("The following is still open with us:"),
                .invoicesOpen,
                .when(
                    "has_offer",
                    [
                        .paragraph(
                            "To bring this to a close, we would like to make you an offer: if you pay "
                                + "{{offer_amount}} by {{offer_deadline}}, we will treat {{#single_invoice}}the "
                                + "invoice{{/single_invoice}}{{#several_invoices}}these invoices{{/several_invoices}} "
                                + "as settled in full and waive the remaining {{offer_waived}}. That is "
                                + "{{offer_percent}} of the {{total_open}} open."),
                        .paragraph(
                            "The offer stands until {{offer_deadline}}. After that date, the full {{total_open}} "
                                + "remains payable as invoiced."),
                        .paragraph(
                            "If you would like to accept but need a few more days, or if something else would work "
                                + "better for you, just reply to this email."),
                    ]),
                .unless(
                    "has_offer",
                    [
                        .paragraph(
                            "We would like to find a solution that works for you: just reply with what suits you"
                                + "{{#has_phone}}, or call us on {{phone}}{{/has_phone}}.")
                    ]),
                .payment,
                .signature("Kind regards,"),
            ], kit: kit),
    ]
}
