// The German built-ins, in the formal "Sie". Voice by stage as in the English ones.
extension BuiltInTemplates {
    // The part of an invoice under an open dispute, which the message does not ask for: said to the client, or
    // to the team in an internal note.
    private static let disputedPart =
        "{{^is_internal}}{{disputed}} der Rechnung {{number}} prüfen wir nach Ihrer Rückfrage noch; "
        + "dieser Betrag ist hier nicht enthalten.{{/is_internal}}"
        + "{{#is_internal}}{{disputed}} der Rechnung {{number}} sind bestritten und werden nicht "
        + "verfolgt.{{/is_internal}}"

    private static let kit = LanguageKit(
        invoicesWithTermsText: """
            {{#invoices}}
            - Rechnung {{number}} vom {{issue_date}}\
            {{#has_po_number}} (Ihre Bestellnummer {{po_number}}){{/has_po_number}}: {{open}}, \
            fällig am {{due_date}} ({{due_status}})
            {{#has_terms}}
              Zahlungsbedingungen: {{terms_in_words}}.
            {{/has_terms}}
            {{#has_early_payment_saving}}
              Wenn Sie bis zum {{early_payment_deadline}} {{early_payment_amount}} zahlen, sparen Sie \
            {{early_payment_saving}}.
            {{/has_early_payment_saving}}
            {{#has_disputed_part}}
              \(disputedPart)
            {{/has_disputed_part}}
            {{/invoices}}
            {{#several_invoices}}
            Summe offen: {{total_open}}
            {{/several_invoices}}
            """,
        invoicesWithTermsHTML: """
            {{#invoices}}
            {{#has_terms}}
            <p>Rechnung {{number}}: {{terms_in_words}}.{{#has_early_payment_saving}} Wenn Sie bis zum \
            <strong>{{early_payment_deadline}}</strong> <strong>{{early_payment_amount}}</strong> zahlen, sparen \
            Sie {{early_payment_saving}}.{{/has_early_payment_saving}}</p>
            {{/has_terms}}
            {{/invoices}}
            """,
        invoicesOpenText: """
            {{#invoices}}
            - Rechnung {{number}} vom {{issue_date}}, fällig am {{due_date}}: {{open}}{{#partly_paid}} von \
            {{total}}{{/partly_paid}} offen ({{due_status}})
            {{#has_disputed_part}}
              \(disputedPart)
            {{/has_disputed_part}}
            {{/invoices}}
            {{#several_invoices}}
            Summe offen: {{total_open}}
            {{/several_invoices}}
            """,
        table: invoiceTable(
            invoice: "Rechnung", date: "Datum", due: "Fällig am", open: "Offen", status: "Stand", total: "Summe offen",
            disputed:
                "\(disputedPart)"
        ),
        payment: "So können Sie zahlen",
        reference: ReferenceWords(
            single: "Bitte geben Sie bei der Zahlung die Referenz {{payment_reference}} an, damit sie der richtigen "
                + "Rechnung zugeordnet wird.",
            several: "Bitte geben Sie bei der Zahlung die Referenz jeder Rechnung an"))

    private static let greeting = "Guten Tag {{greeting_name}},"
    // A letter greets the person by name when the books name one, else the firm as German letters do.
    private static let letterGreeting =
        "{{#has_salutation_name}}Guten Tag {{salutation_name}},{{/has_salutation_name}}"
        + "{{^has_salutation_name}}Sehr geehrte Damen und Herren,{{/has_salutation_name}}"
    private static let plural = "{{#several_invoices}}en{{/several_invoices}}"

    /// One instalment of the schedule, with what is received of it; the one the message is about says `next`,
    /// or `nextPartly` when part of it has arrived.
    private static func instalmentLine(next: String, nextPartly: String) -> String {
        "{{date}}: {{amount}}{{#is_paid}} (eingegangen, vielen Dank){{/is_paid}}"
            + "{{#is_next}} ({{^partly_paid}}\(next){{/partly_paid}}{{#partly_paid}}\(nextPartly){{/partly_paid}})"
            + "{{/is_next}}{{^is_next}}{{#partly_paid}} (noch {{outstanding}} offen){{/partly_paid}}{{/is_next}}"
    }
    private static let theInvoice =
        "{{#single_invoice}}die Rechnung{{/single_invoice}}{{#several_invoices}}die Rechnungen{{/several_invoices}}"

    static let german: [String: TemplateSource] = [
        "pre_due_reminder": compose(
            "{{#single_invoice}}Rechnung {{invoice_numbers}} von {{organisation_name}} ist bald fällig"
                + "{{/single_invoice}}{{#several_invoices}}{{invoice_count}} Rechnungen von {{organisation_name}} "
                + "sind bald fällig{{/several_invoices}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "eine kurze, freundliche Nachricht von {{organisation_name}}, damit Sie vor dem Fälligkeitstermin "
                        + "alles zur Hand haben:"),
                .invoicesWithTerms,
                .when(
                    "has_early_payment_saving",
                    [
                        .paragraph(
                            "Ihre Zahlungsbedingungen sehen Skonto vor: Wenn Sie bis zum genannten Datum zahlen, "
                                + "sparen Sie Geld.")
                    ]),
                .paragraph(
                    "Falls auf der Rechnung etwas unklar ist oder nicht zu Ihren Unterlagen passt, antworten Sie "
                        + "einfach auf diese E-Mail. Wir klären das gern."),
                .payment,
                .signature("Vielen Dank und freundliche Grüße"),
            ], kit: kit),
        "due_day_notice": compose(
            "{{#single_invoice}}Rechnung {{invoice_numbers}} ist heute fällig{{/single_invoice}}"
                + "{{#several_invoices}}{{invoice_count}} Rechnungen von {{organisation_name}} sind heute"
                + "{{^all_due_today}} und in den nächsten Tagen{{/all_due_today}} fällig{{/several_invoices}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "{{#all_due_today}}eine kurze Erinnerung: Heute ist der Fälligkeitstermin für Folgendes:"
                        + "{{/all_due_today}}{{^all_due_today}}eine kurze Erinnerung an das, was heute und in den "
                        + "nächsten Tagen fällig wird:{{/all_due_today}}"),
                .invoicesWithTerms,
                .paragraph(
                    "Falls Ihre Zahlung schon unterwegs ist, vielen Dank. Dann betrachten Sie diese Nachricht bitte "
                        + "als erledigt."),
                .payment,
                .paragraph(
                    "Wenn Sie Fragen zur Rechnung haben, antworten Sie einfach auf diese E-Mail. Wir helfen gern."),
                .signature("Freundliche Grüße"),
            ], kit: kit),
        "first_follow_up": compose(
            "{{#single_invoice}}Rechnung {{invoice_numbers}}: eine freundliche Erinnerung von {{organisation_name}}"
                + "{{/single_invoice}}{{#several_invoices}}Eine freundliche Erinnerung an {{invoice_count}} "
                + "Rechnungen von {{organisation_name}}{{/several_invoices}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "für Folgendes haben wir noch keine Zahlung erhalten. Vielleicht ist es einfach untergegangen:"),
                .invoicesOpen,
                .paragraph(
                    "Falls Sie bereits gezahlt haben, vielen Dank. Nennen Sie uns bitte kurz das Zahlungsdatum, "
                        + "damit wir die Zahlung zuordnen können. Stimmt etwas mit der Rechnung nicht oder brauchen "
                        + "Sie eine Kopie, sagen Sie uns Bescheid, dann bringen wir das in Ordnung."),
                .payment,
                .signature("Freundliche Grüße"),
            ], kit: kit),
        "second_follow_up": compose(
            "{{#single_invoice}}Rechnung {{invoice_numbers}} ist noch offen{{/single_invoice}}"
                + "{{#several_invoices}}{{invoice_count}} Rechnungen sind noch offen{{/several_invoices}}"
                + ": Können wir helfen?",
            [
                .paragraph(greeting),
                .paragraph("laut unseren Unterlagen ist Folgendes noch offen:"),
                .invoicesOpen,
                .paragraph(
                    "Gibt es etwas, das die Zahlung aufhält? Wenn es eine Frage zur Rechnung, zur erbrachten "
                        + "Leistung oder zu einer Bestellnummer gibt, lassen Sie es uns bitte wissen, damit wir es "
                        + "schnell klären können."),
                .paragraph(
                    "Wenn der Zeitpunkt gerade ungünstig ist, ist das auch in Ordnung: Nennen Sie uns einen Termin, "
                        + "der für Sie passt, oder sagen Sie uns, ob eine Teilzahlung jetzt helfen würde."),
                .payment,
                .signature("Freundliche Grüße"),
            ], kit: kit),
        "call_offer_plan": compose(
            "Anruf bei {{customer_name}}: {{total_open}} offen",
            [
                .heading("Gesprächsleitfaden: {{customer_name}} ({{customer_reference}})"),
                .paragraph("Ansprechperson: {{greeting_name}}"),
                .heading("Was offen ist"),
                .invoicesOpen,
                .paragraph(
                    "Ziel: eine Lösung vereinbaren, die für beide Seiten passt, und die gute Geschäftsbeziehung "
                        + "erhalten."),
                .steps([
                    "Stellen Sie sich vor: „Guten Tag, hier ist ... von {{organisation_name}}. Haben Sie einen "
                        + "Moment Zeit, um kurz über Ihr Kundenkonto zu sprechen?“",
                    "Rechnungen prüfen: „Bei uns sind {{total_open}} offen. Haben Sie alle Rechnungen erhalten, und "
                        + "ist damit alles in Ordnung?“",
                    "Zuhören. Gibt es ein Problem mit einer Rechnung, halten Sie es als Einwand mit Begründung fest; "
                        + "wir klären das, bevor weitere Nachrichten verschickt werden.",
                    "Eine passende Lösung anbieten: den vollen Betrag zu einem Termin ihrer Wahl (Datum und Betrag "
                        + "notieren), eine Teilzahlung jetzt und den Rest zu einem vereinbarten Termin, oder eine "
                        + "Ratenzahlung (Beträge und Termine notieren).",
                    "Das Vereinbarte bestätigen und eine kurze schriftliche Zusammenfassung ankündigen.",
                ]),
                .paragraph(
                    "Ergebnis festhalten: erreicht, Mailbox, falsche Nummer, Zahlungszusage (Datum und Betrag), "
                        + "Einwand (Grund), abgelehnt oder Rückruf (Datum)."),
            ], kit: kit),
        "solution_offer": compose(
            "Gemeinsam eine Lösung finden: {{total_open}} offen bei {{organisation_name}}",
            [
                .paragraph(greeting),
                .paragraph("Folgendes ist noch offen, und wir möchten gern eine Lösung finden, die für Sie passt:"),
                .invoicesOpen,
                .paragraph("Wir können Ihnen anbieten:"),
                .bullets([
                    "eine Ratenzahlung über die nächsten Wochen;",
                    "eine Teilzahlung jetzt und den Rest zu einem Termin, den wir gemeinsam festlegen;",
                    "einen neuen Zahlungstermin für den vollen Betrag.",
                ]),
                .paragraph(
                    "Antworten Sie einfach mit dem, was Ihnen passt{{#has_phone}}, oder rufen Sie uns unter {{phone}} "
                        + "an{{/has_phone}}. Und falls etwas an der Rechnung selbst die Zahlung aufhält, sagen Sie es uns bitte: Wir beheben das lieber, als "
                        + "Sie weiter zu erinnern."),
                .payment,
                .signature("Freundliche Grüße"),
            ], kit: kit),
        "manager_escalation": compose(
            "Zur Entscheidung: {{customer_name}} ({{customer_reference}}), {{total_open}} unbezahlt",
            [
                .paragraph("Interne Notiz, wird nicht an den Kunden gesendet."),
                .lines([
                    "Kunde: {{customer_name}} ({{customer_reference}})",
                    "Zuständig: {{#has_collector}}{{collector}}{{/has_collector}}{{^has_collector}}niemand"
                        + "{{/has_collector}}",
                    "Ansprechperson: {{greeting_name}}",
                    "Phase: Nichtzahlung, Stand {{date}}",
                ]),
                .invoicesOpen,
                .when(
                    "has_contact_history",
                    [
                        .paragraph("Erfolgte Kontakte: {{contacts_made}}. Was versucht wurde, älteste zuerst:"),
                        .each("contact_history", "{{date}}, {{channel}}: {{outcome}}"),
                    ]),
                .unless(
                    "has_contact_history",
                    [.paragraph("Zu diesen Rechnungen ist kein Versuch verzeichnet, den Kunden zu erreichen.")]),
                .paragraph("Bitte entscheiden Sie über den nächsten Schritt:"),
                .bullets([
                    "die letzte Mahnung freigeben (ein förmliches Schreiben mit gesetzlichen Verzugszinsen und "
                        + "Pauschale);",
                    "eine leitende Ansprechperson beim Kunden einbeziehen;",
                    "oder das Konto zurückstellen, mit einer Notiz zum Grund.",
                ]),
            ], kit: kit),
        "final_notice": compose(
            "Letzte Mahnung: {{total_open}} offen, Rechnung\(plural) {{invoice_numbers}}",
            [
                .unless("is_letter", [.letterHead, .heading("Letzte Mahnung: Rechnung\(plural) {{invoice_numbers}}")]),
                .paragraph(letterGreeting),
                .paragraph("trotz unserer Erinnerungen ist Folgendes weiterhin unbezahlt:"),
                .invoicesOpen,
                .when(
                    "has_interest",
                    [
                        .paragraph(
                            "Nach {{interest_legal_basis}} sind auf die verspäteten Beträge gesetzliche Verzugszinsen "
                                + "von {{interest_rate}} pro Jahr geschuldet, berechnet bis zum {{interest_until}}: "
                                + "{{interest_total}}. Pauschale für Beitreibungskosten: {{compensation_total}}. "
                                + "Insgesamt sind jetzt {{total_with_interest}} fällig.")
                    ]),
                .unless(
                    "has_interest",
                    [
                        .paragraph(
                            "Wir behalten uns vor, gesetzliche Verzugszinsen und eine Pauschale für "
                                + "Beitreibungskosten geltend zu machen, wie es das Gesetz vorsieht.")
                    ]),
                .paragraph(
                    "Wir bitten Sie, den vollen Betrag bis zum {{respond_by}} zu zahlen. Haben wir bis dahin weder "
                        + "eine Zahlung noch eine Nachricht von Ihnen erhalten, übergeben wir die Angelegenheit einem "
                        + "Inkassounternehmen."),
                .paragraph(
                    "Falls Sie inzwischen gezahlt haben, betrachten Sie dieses Schreiben bitte als erledigt."
                        + "{{^has_disputed_part}} Wenn Sie {{#single_invoice}}diese Rechnung{{/single_invoice}}{{#several_invoices}}eine "
                        + "dieser Rechnungen{{/several_invoices}} bestreiten, teilen Sie uns das bitte vor diesem "
                        + "Datum schriftlich mit Begründung mit.{{/has_disputed_part}}"),
                .payment,
                .signature("Mit freundlichen Grüßen"),
            ], kit: kit),
        "agency_handover": compose(
            "Rechnung\(plural) {{invoice_numbers}} an ein Inkassounternehmen übergeben",
            [
                .unless(
                    "is_letter",
                    [
                        .letterHead,
                        .heading("Übergabe der Rechnung\(plural) {{invoice_numbers}} an ein Inkassounternehmen"),
                    ]),
                .paragraph(letterGreeting),
                .paragraph("Folgendes ist nach unseren Erinnerungen und unserer letzten Mahnung unbezahlt geblieben:"),
                .invoicesOpen,
                .when(
                    "has_interest",
                    [
                        .paragraph(
                            "Hinzu kommen die gesetzlichen Verzugszinsen nach {{interest_legal_basis}} von "
                                + "{{interest_rate}} pro Jahr, berechnet bis zum {{interest_until}}: {{interest_total}}, "
                                + "und die Pauschale für Beitreibungskosten: {{compensation_total}}. Insgesamt "
                                + "{{total_with_interest}}.")
                    ]),
                .paragraph(
                    "Wir haben daher die Beitreibung von {{total_open}} einem Inkassounternehmen übertragen, das sich "
                        + "bei Ihnen melden wird. Bitte richten Sie Zahlungsvereinbarungen ab jetzt an das "
                        + "Inkassounternehmen. Zahlungen, die Sie bereits an uns geleistet haben, werden "
                        + "berücksichtigt."),
                .paragraph(
                    "Wenn Sie glauben, dass ein Irrtum vorliegt, oder bereits gezahlt haben, wenden Sie sich bitte an "
                        + "{{reply_to}} und geben Sie Ihre Kundennummer {{customer_reference}} an."),
                .signature("Mit freundlichen Grüßen"),
            ], kit: kit),
        "thank_you": compose(
            "Vielen Dank für Ihre Zahlung{{#single_invoice}} zu Rechnung {{invoice_numbers}}{{/single_invoice}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "vielen Dank: Ihre Zahlung ist bei uns eingegangen, und Folgendes ist nun vollständig beglichen:"),
                .eachInvoice("Rechnung {{number}} vom {{issue_date}}: {{total}}"),
                .paragraph(
                    "Wir schätzen die Zusammenarbeit mit Ihnen. Wenn wir etwas besser machen können, antworten Sie "
                        + "einfach auf diese E-Mail."),
                .signature("Freundliche Grüße"),
            ], kit: kit),
        "instalment_reminder": compose(
            "{{#has_next_instalment}}Ihre nächste Rate: {{plan_next_amount}} am {{plan_next_date}}"
                + "{{/has_next_instalment}}{{^has_next_instalment}}Ihre Ratenvereinbarung mit {{organisation_name}}"
                + "{{/has_next_instalment}}",
            [
                .paragraph(greeting),
                .when(
                    "has_next_instalment",
                    [
                        .paragraph(
                            "eine kurze, freundliche Erinnerung: Die nächste Rate Ihrer Ratenvereinbarung mit "
                                + "{{organisation_name}} steht bald an."),
                        .lines(["Fällig am: {{plan_next_date}}", "Betrag: {{plan_next_amount}}"]),
                    ]),
                .unless(
                    "has_next_instalment",
                    [.paragraph("eine kurze Nachricht zu Ihrer Ratenvereinbarung mit {{organisation_name}}.")]),
                .when(
                    "has_plan",
                    [
                        .when(
                            "has_plan_received",
                            [
                                .paragraph(
                                    "Bisher sind im Rahmen der Vereinbarung {{plan_received}} bei uns eingegangen, "
                                        + "vielen Dank. Offen sind noch {{plan_remaining}}.")
                            ]),
                        .unless(
                            "has_plan_received",
                            [.paragraph("Die Vereinbarung umfasst insgesamt {{plan_total}}.")]),
                        .paragraph("Der vereinbarte Zahlungsplan zur Übersicht:"),
                        .each(
                            "plan_instalments",
                            instalmentLine(next: "nächste Rate", nextPartly: "nächste Rate: noch {{outstanding}} offen")
                        ),
                    ]),
                .paragraph("Die Vereinbarung betrifft Rechnung\(plural) {{invoice_numbers}}."),
                .when(
                    "has_next_instalment",
                    [
                        .paragraph(
                            "Falls Sie diese Rate bereits überwiesen haben, vielen Dank. Dann betrachten Sie diese "
                                + "Nachricht bitte als erledigt.")
                    ]),
                .payment,
                .paragraph("Vielen Dank, dass Sie sich an die Vereinbarung halten. Das wissen wir sehr zu schätzen."),
                .signature("Freundliche Grüße"),
            ], kit: kit),
        "instalment_missed": compose(
            "{{#has_next_instalment}}Ihre Rate vom {{plan_next_date}} ist noch nicht bei uns eingegangen"
                + "{{/has_next_instalment}}{{^has_next_instalment}}Ihre Ratenvereinbarung mit {{organisation_name}}"
                + "{{/has_next_instalment}}",
            [
                .paragraph(greeting),
                .when(
                    "has_next_instalment",
                    [
                        .paragraph(
                            "die Rate über {{plan_next_amount}}, die laut Ihrer Ratenvereinbarung am "
                                + "{{plan_next_date}} fällig war, ist noch nicht bei uns eingegangen."),
                        .paragraph(
                            "Falls Sie sie bereits überwiesen haben, vielen Dank. Dann betrachten Sie diese Nachricht "
                                + "bitte als erledigt; eine Überweisung kann ein, zwei Tage unterwegs sein."),
                        .paragraph(
                            "Andernfalls bitten wir Sie, {{plan_next_amount}} bis zum {{pay_by}} zu zahlen, damit die "
                                + "Ratenvereinbarung unverändert weiterläuft."),
                    ]),
                .unless(
                    "has_next_instalment",
                    [.paragraph("eine kurze Nachricht zu Ihrer Ratenvereinbarung mit {{organisation_name}}.")]),
                .paragraph(
                    "Passt die Vereinbarung für Sie nicht mehr, etwa weil die Beträge oder Termine schwierig geworden "
                        + "sind, melden Sie sich bitte bei uns: Wir passen sie gern gemeinsam an."),
                .when(
                    "has_plan",
                    [
                        .paragraph(
                            "Zur Übersicht der vereinbarte Zahlungsplan (bisher eingegangen: {{plan_received}}, noch "
                                + "offen: {{plan_remaining}}):"),
                        .each(
                            "plan_instalments",
                            instalmentLine(
                                next: "noch nicht eingegangen",
                                nextPartly: "davon {{outstanding}} noch nicht eingegangen")),
                    ]),
                .payment,
                .signature("Freundliche Grüße"),
            ], kit: kit),
        "dispute_rejected": compose(
            "Ihr Einwand zu Rechnung\(plural) {{invoice_numbers}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "vielen Dank, dass Sie uns {{#single_invoice}}Ihren Einwand{{/single_invoice}}{{#several_invoices}}"
                        + "Ihre Einwände{{/several_invoices}} mitgeteilt haben. Wir haben {{#single_invoice}}ihn"
                        + "{{/single_invoice}}{{#several_invoices}}sie{{/several_invoices}} sorgfältig geprüft:"),
                .each(
                    "disputes",
                    "Rechnung {{invoice_number}}, Ihr Einwand vom {{opened_on}}: {{reason}}"
                        + "{{#has_note}}\nUnser Ergebnis: {{note}}{{/has_note}}"),
                .paragraph(
                    "Wir haben \(theInvoice) mit unseren Unterlagen abgeglichen. {{#single_invoice}}Sie ist korrekt "
                        + "und bleibt{{/single_invoice}}{{#several_invoices}}Sie sind korrekt und bleiben"
                        + "{{/several_invoices}} daher so bestehen, wie wir sie gestellt haben."),
                .paragraph("Offen ist derzeit:"),
                .invoicesOpen,
                .paragraph(
                    "Wir wären Ihnen dankbar, wenn Sie den offenen Betrag von {{total_open}} nun begleichen würden."),
                .paragraph(
                    "Haben Sie Informationen, die uns noch nicht vorliegen, oder möchten Sie die Sache noch einmal "
                        + "besprechen, antworten Sie einfach auf diese E-Mail. Wir gehen sie gern mit Ihnen durch."),
                .payment,
                .signature("Freundliche Grüße"),
            ], kit: kit),
        "settlement_offer": compose(
            "{{#has_offer}}Ein Angebot zu Rechnung\(plural) {{invoice_numbers}}: {{offer_amount}} statt "
                + "{{total_open}}{{/has_offer}}{{^has_offer}}Gemeinsam eine Lösung finden: {{total_open}} offen bei "
                + "{{organisation_name}}{{/has_offer}}",
            [
                .paragraph(greeting),
                .paragraph("Folgendes ist bei uns noch offen:"),
                .invoicesOpen,
                .when(
                    "has_offer",
                    [
                        .paragraph(
                            "Um die Sache abzuschließen, machen wir Ihnen ein Angebot: Zahlen Sie bis zum "
                                + "{{offer_deadline}} einen Betrag von {{offer_amount}}, betrachten wir \(theInvoice) als "
                                + "vollständig beglichen und verzichten auf die restlichen {{offer_waived}}. Das "
                                + "entspricht {{offer_percent}} des offenen Betrags von {{total_open}}."),
                        .paragraph(
                            "Das Angebot gilt bis zum {{offer_deadline}}. Danach ist wieder der volle offene Betrag "
                                + "von {{total_open}} zu zahlen."),
                        .paragraph(
                            "Wenn Sie das Angebot annehmen möchten, aber ein paar Tage mehr brauchen, oder wenn Ihnen "
                                + "etwas anderes besser helfen würde, antworten Sie einfach auf diese E-Mail."),
                    ]),
                .unless(
                    "has_offer",
                    [
                        .paragraph(
                            "Wir möchten gern eine Lösung finden, die für Sie passt: Antworten Sie einfach mit dem, "
                                + "was Ihnen passt{{#has_phone}}, oder rufen Sie uns unter {{phone}} an{{/has_phone}}.")
                    ]),
                .payment,
                .signature("Freundliche Grüße"),
            ], kit: kit),
    ]
}
