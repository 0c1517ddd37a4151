// The Dutch built-ins, in the polite "u". Voice by stage as in the English ones.
extension BuiltInTemplates {
    // The part of an invoice under an open dispute, which the message does not ask for: said to the client, or
    // to the team in an internal note.
    private static let disputedPart =
        "{{^is_internal}}{{disputed}} van factuur {{number}} bekijken we nog naar aanleiding van uw "
        + "vraag; dat bedrag is hier niet meegerekend.{{/is_internal}}"
        + "{{#is_internal}}{{disputed}} van factuur {{number}} wordt betwist en niet "
        + "gevorderd.{{/is_internal}}"

    private static let kit = LanguageKit(
        invoicesWithTermsText: """
            {{#invoices}}
            - Factuur {{number}} van {{issue_date}}\
            {{#has_po_number}} (uw inkoopordernummer {{po_number}}){{/has_po_number}}: {{open}}, \
            te betalen op {{due_date}} ({{due_status}})
            {{#has_terms}}
              Betalingsvoorwaarden: {{terms_in_words}}.
            {{/has_terms}}
            {{#has_early_payment_saving}}
              Betaalt u {{early_payment_amount}} uiterlijk op {{early_payment_deadline}}, dan bespaart u \
            {{early_payment_saving}}.
            {{/has_early_payment_saving}}
            {{#has_disputed_part}}
              \(disputedPart)
            {{/has_disputed_part}}
            {{/invoices}}
            {{#several_invoices}}
            Totaal openstaand: {{total_open}}
            {{/several_invoices}}
            """,
        invoicesWithTermsHTML: """
            {{#invoices}}
            {{#has_terms}}
            <p>Factuur {{number}}: {{terms_in_words}}.{{#has_early_payment_saving}} Betaalt u \
            <strong>{{early_payment_amount}}</strong> uiterlijk op <strong>{{early_payment_deadline}}</strong>, dan \
            bespaart u {{early_payment_saving}}.{{/has_early_payment_saving}}</p>
            {{/has_terms}}
            {{/invoices}}
            """,
        invoicesOpenText: """
            {{#invoices}}
            - Factuur {{number}} van {{issue_date}}, vervaldatum {{due_date}}: {{open}}{{#partly_paid}} van \
            {{total}}{{/partly_paid}} openstaand ({{due_status}})
            {{#has_disputed_part}}
              \(disputedPart)
            {{/has_disputed_part}}
            {{/invoices}}
            {{#several_invoices}}
            Totaal openstaand: {{total_open}}
            {{/several_invoices}}
            """,
        table: invoiceTable(
            invoice: "Factuur", date: "Datum", due: "Vervaldatum", open: "Openstaand", status: "Stand",
            total: "Totaal openstaand",
            disputed:
                "\(disputedPart)"
        ),
        payment: "Zo kunt u betalen",
        reference: ReferenceWords(
            single: "Vermeld bij uw betaling het betalingskenmerk {{payment_reference}}, zodat die bij de juiste "
                + "factuur terechtkomt.",
            several: "Vermeld bij uw betaling het betalingskenmerk van elke factuur"))

    private static let greeting = "Beste {{greeting_name}},"
    // A letter names the person when the books do, else "Geachte heer, mevrouw," as Dutch letters do.
    private static let letterGreeting =
        "{{#has_salutation_name}}Geachte {{salutation_name}},{{/has_salutation_name}}"
        + "{{^has_salutation_name}}Geachte heer, mevrouw,{{/has_salutation_name}}"
    private static let invoiceWord =
        "{{#single_invoice}}factuur{{/single_invoice}}"
        + "{{#several_invoices}}facturen{{/several_invoices}}"

    /// One instalment of the schedule, with what is received of it; the one the message is about says `next`,
    /// or `nextPartly` when part of it has arrived.
    private static func instalmentLine(next: String, nextPartly: String) -> String {
        "{{date}}: {{amount}}{{#is_paid}} (ontvangen, dank u wel){{/is_paid}}"
            + "{{#is_next}} ({{^partly_paid}}\(next){{/partly_paid}}{{#partly_paid}}\(nextPartly){{/partly_paid}})"
            + "{{/is_next}}{{^is_next}}{{#partly_paid}} (nog {{outstanding}} te betalen){{/partly_paid}}{{/is_next}}"
    }
    private static let theInvoice =
        "{{#single_invoice}}de factuur{{/single_invoice}}{{#several_invoices}}de facturen{{/several_invoices}}"

    static let dutch: [String: TemplateSource] = [
        "pre_due_reminder": compose(
            "{{#single_invoice}}Factuur {{invoice_numbers}} van {{organisation_name}} vervalt binnenkort"
                + "{{/single_invoice}}{{#several_invoices}}{{invoice_count}} facturen van {{organisation_name}} "
                + "vervallen binnenkort{{/several_invoices}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "Een kort, vriendelijk bericht van {{organisation_name}}, zodat u alles bij de hand heeft vóór de "
                        + "vervaldatum:"),
                .invoicesWithTerms,
                .when(
                    "has_early_payment_saving",
                    [
                        .paragraph(
                            "Uw betalingsvoorwaarden bevatten een korting voor vroege betaling: betaalt u vóór de "
                                + "genoemde datum, dan bespaart u geld.")
                    ]),
                .paragraph(
                    "Is er iets onduidelijk op de factuur, of klopt iets niet met uw administratie? Beantwoord dan "
                        + "gewoon deze e-mail, dan lossen we het samen op."),
                .payment,
                .signature("Alvast bedankt, en met vriendelijke groet,"),
            ], kit: kit),
        "due_day_notice": compose(
            "{{#single_invoice}}Factuur {{invoice_numbers}} vervalt vandaag{{/single_invoice}}"
                + "{{#several_invoices}}{{invoice_count}} facturen van {{organisation_name}} vervallen "
                + "{{#all_due_today}}vandaag{{/all_due_today}}{{^all_due_today}}vandaag en de komende dagen"
                + "{{/all_due_today}}{{/several_invoices}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "{{#all_due_today}}Een korte herinnering: vandaag is de vervaldatum van het volgende:"
                        + "{{/all_due_today}}{{^all_due_today}}Een korte herinnering aan wat vandaag en de komende "
                        + "dagen vervalt:{{/all_due_today}}"),
                .invoicesWithTerms,
                .paragraph(
                    "Is uw betaling al onderweg? Dank u wel, dan kunt u dit bericht als afgehandeld beschouwen."),
                .payment,
                .paragraph("Heeft u vragen over de factuur? Beantwoord gewoon deze e-mail, we helpen u graag."),
                .signature("Met vriendelijke groet,"),
            ], kit: kit),
        "first_follow_up": compose(
            "{{#single_invoice}}Factuur {{invoice_numbers}}: een vriendelijke herinnering van {{organisation_name}}"
                + "{{/single_invoice}}{{#several_invoices}}Een vriendelijke herinnering over {{invoice_count}} "
                + "facturen van {{organisation_name}}{{/several_invoices}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "We hebben voor het volgende nog geen betaling ontvangen. Misschien is het er gewoon bij "
                        + "ingeschoten:"),
                .invoicesOpen,
                .paragraph(
                    "Heeft u al betaald? Dank u wel; laat ons dan even de betaaldatum weten, zodat we de betaling "
                        + "kunnen koppelen. Klopt er iets niet met de factuur, of heeft u een kopie nodig, laat het "
                        + "ons weten, dan zorgen we dat het in orde komt."),
                .payment,
                .signature("Met vriendelijke groet,"),
            ], kit: kit),
        "second_follow_up": compose(
            "{{#single_invoice}}Factuur {{invoice_numbers}} staat nog open{{/single_invoice}}"
                + "{{#several_invoices}}{{invoice_count}} facturen staan nog open{{/several_invoices}}"
                + ": kunnen we helpen?",
            [
                .paragraph(greeting),
                .paragraph("Volgens onze administratie staat het volgende nog open:"),
                .invoicesOpen,
                .paragraph(
                    "Is er iets dat de betaling ophoudt? Als er een vraag is over de factuur, het geleverde werk of "
                        + "een inkoopordernummer, horen we het graag, zodat we het snel kunnen oplossen."),
                .paragraph(
                    "Komt het nu niet goed uit? Dat kan gebeuren: laat ons een datum weten die u past, of dat een "
                        + "deelbetaling nu zou helpen."),
                .payment,
                .signature("Met vriendelijke groet,"),
            ], kit: kit),
        "call_offer_plan": compose(
            "{{customer_name}} bellen: {{total_open}} openstaand",
            [
                .heading("Belscript: {{customer_name}} ({{customer_reference}})"),
                .paragraph("Contactpersoon: {{greeting_name}}"),
                .heading("Wat openstaat"),
                .invoicesOpen,
                .paragraph(
                    "Doel: een oplossing afspreken die voor beide kanten werkt, en de goede relatie behouden."),
                .steps([
                    "Stel uzelf voor: „Goedendag, u spreekt met ... van {{organisation_name}}. Heeft u even tijd om "
                        + "over uw rekening te praten?”",
                    "Controleer de facturen: „Bij ons staat {{total_open}} open. Heeft u alle facturen ontvangen, en "
                        + "kloppen ze?”",
                    "Luister. Is er een probleem met een factuur, noteer het dan als betwisting met de reden; we "
                        + "zoeken het uit voordat er iets anders wordt verstuurd.",
                    "Bied een passende oplossing aan: het volledige bedrag op een datum naar keuze (noteer datum en "
                        + "bedrag), een deelbetaling nu en de rest op een afgesproken datum, of een "
                        + "betalingsregeling in termijnen (bedragen en data noteren).",
                    "Bevestig wat is afgesproken en kondig een korte schriftelijke samenvatting aan.",
                ]),
                .paragraph(
                    "Leg de uitkomst vast: bereikt, voicemail, verkeerd nummer, toezegging (datum en bedrag), "
                        + "betwisting (reden), geweigerd of terugbellen (datum)."),
            ], kit: kit),
        "solution_offer": compose(
            "Samen een oplossing vinden: {{total_open}} openstaand bij {{organisation_name}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "Het volgende staat nog open, en we willen graag een oplossing vinden die voor u werkt:"),
                .invoicesOpen,
                .paragraph("We kunnen u aanbieden:"),
                .bullets([
                    "een betalingsregeling in termijnen over de komende weken;",
                    "een deelbetaling nu, en de rest op een datum die we samen afspreken;",
                    "een nieuwe betaaldatum voor het volledige bedrag.",
                ]),
                .paragraph(
                    "Laat ons gewoon weten wat u past{{#has_phone}}, of bel ons op {{phone}}{{/has_phone}}. En als "
                        + "iets aan de factuur zelf de betaling ophoudt, zeg het ons dan: we lossen dat liever op dan u te blijven herinneren."
                ),
                .payment,
                .signature("Met vriendelijke groet,"),
            ], kit: kit),
        "manager_escalation": compose(
            "Ter beslissing: {{customer_name}} ({{customer_reference}}), {{total_open}} onbetaald",
            [
                .paragraph("Interne notitie, niet verstuurd naar de klant."),
                .lines([
                    "Klant: {{customer_name}} ({{customer_reference}})",
                    "Behandelaar: {{#has_collector}}{{collector}}{{/has_collector}}{{^has_collector}}niemand"
                        + "{{/has_collector}}",
                    "Contactpersoon: {{greeting_name}}",
                    "Fase: niet-betaling, per {{date}}",
                ]),
                .invoicesOpen,
                .when(
                    "has_contact_history",
                    [
                        .paragraph("Contacten gelegd: {{contacts_made}}. Wat is geprobeerd, oudste eerst:"),
                        .each("contact_history", "{{date}}, {{channel}}: {{outcome}}"),
                    ]),
                .unless(
                    "has_contact_history",
                    [.paragraph("Er is geen poging geregistreerd om de klant over deze facturen te bereiken.")]),
                .paragraph("Beslis alstublieft over de volgende stap:"),
                .bullets([
                    "de laatste aanmaning goedkeuren (een formele brief, met wettelijke rente en "
                        + "incassokostenvergoeding);",
                    "een leidinggevende bij de klant vragen om in te grijpen;",
                    "of het dossier aanhouden, met een notitie over de reden.",
                ]),
            ], kit: kit),
        "final_notice": compose(
            "Laatste aanmaning: {{total_open}} openstaand, \(invoiceWord) {{invoice_numbers}}",
            [
                .unless("is_letter", [.letterHead, .heading("Laatste aanmaning: \(invoiceWord) {{invoice_numbers}}")]),
                .paragraph(letterGreeting),
                .paragraph("Ondanks onze herinneringen is het volgende nog steeds niet betaald:"),
                .invoicesOpen,
                .when(
                    "has_interest",
                    [
                        .paragraph(
                            "Op grond van {{interest_legal_basis}} is over de te laat betaalde bedragen wettelijke "
                                + "rente verschuldigd van {{interest_rate}} per jaar, berekend tot {{interest_until}}: "
                                + "{{interest_total}}. Vergoeding voor incassokosten: {{compensation_total}}. In "
                                + "totaal is nu {{total_with_interest}} verschuldigd.")
                    ]),
                .unless(
                    "has_interest",
                    [
                        .paragraph(
                            "Wij behouden ons het recht voor de wettelijke rente en een vergoeding voor "
                                + "incassokosten in rekening te brengen, zoals de wet voorziet.")
                    ]),
                .paragraph(
                    "Wij verzoeken u het volledige bedrag uiterlijk op {{respond_by}} te betalen. Hebben wij dan "
                        + "geen betaling of bericht van u ontvangen, dan dragen wij de zaak over aan een "
                        + "incassobureau."),
                .paragraph(
                    "Heeft u inmiddels betaald, dan kunt u deze brief als afgehandeld beschouwen."
                        + "{{^has_disputed_part}} Betwist u {{#single_invoice}}deze factuur{{/single_invoice}}{{#several_invoices}}een van deze "
                        + "facturen{{/several_invoices}}, laat ons dat dan vóór die datum schriftelijk weten, met uw "
                        + "redenen.{{/has_disputed_part}}"),
                .payment,
                .signature("Met vriendelijke groet,"),
            ], kit: kit),
        "agency_handover": compose(
            "{{#single_invoice}}Factuur{{/single_invoice}}{{#several_invoices}}Facturen{{/several_invoices}} "
                + "{{invoice_numbers}} overgedragen aan een incassobureau",
            [
                .unless(
                    "is_letter",
                    [.letterHead, .heading("Overdracht van \(invoiceWord) {{invoice_numbers}} aan een incassobureau")]),
                .paragraph(letterGreeting),
                .paragraph("Het volgende is onbetaald gebleven na onze herinneringen en onze laatste aanmaning:"),
                .invoicesOpen,
                .when(
                    "has_interest",
                    [
                        .paragraph(
                            "Daarbij komen de wettelijke rente op grond van {{interest_legal_basis}}, "
                                + "{{interest_rate}} per jaar, berekend tot {{interest_until}}: {{interest_total}}, en "
                                + "de vergoeding voor incassokosten: {{compensation_total}}. In totaal "
                                + "{{total_with_interest}}.")
                    ]),
                .paragraph(
                    "Wij hebben de inning van {{total_open}} daarom overgedragen aan een incassobureau, dat contact "
                        + "met u zal opnemen. Richt betalingsafspraken voortaan aan het incassobureau. Betalingen "
                        + "die u al aan ons heeft gedaan, worden meegenomen."),
                .paragraph(
                    "Denkt u dat dit een vergissing is, of heeft u betaald? Neem dan contact met ons op via "
                        + "{{reply_to}} en vermeld uw klantnummer {{customer_reference}}."),
                .signature("Met vriendelijke groet,"),
            ], kit: kit),
        "thank_you": compose(
            "Bedankt voor uw betaling{{#single_invoice}} van factuur {{invoice_numbers}}{{/single_invoice}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "Hartelijk dank: we hebben uw betaling ontvangen, en het volgende is nu volledig voldaan:"),
                .eachInvoice("Factuur {{number}} van {{issue_date}}: {{total}}"),
                .paragraph(
                    "We werken graag met u samen. Kunnen we iets beter doen, beantwoord dan gewoon deze e-mail."),
                .signature("Met vriendelijke groet,"),
            ], kit: kit),
        "instalment_reminder": compose(
            "{{#has_next_instalment}}Uw volgende termijn: {{plan_next_amount}} op {{plan_next_date}}"
                + "{{/has_next_instalment}}{{^has_next_instalment}}Uw betalingsregeling met {{organisation_name}}"
                + "{{/has_next_instalment}}",
            [
                .paragraph(greeting),
                .when(
                    "has_next_instalment",
                    [
                        .paragraph(
                            "Een korte, vriendelijke herinnering: de volgende termijn van uw betalingsregeling met "
                                + "{{organisation_name}} komt eraan."),
                        .lines(["Te betalen op: {{plan_next_date}}", "Bedrag: {{plan_next_amount}}"]),
                    ]),
                .unless(
                    "has_next_instalment",
                    [.paragraph("Een kort bericht over uw betalingsregeling met {{organisation_name}}.")]),
                .when(
                    "has_plan",
                    [
                        .when(
                            "has_plan_received",
                            [
                                .paragraph(
                                    "Tot nu toe hebben we {{plan_received}} van de regeling ontvangen, dank u wel. "
                                        + "Er staat nog {{plan_remaining}} open.")
                            ]),
                        .unless(
                            "has_plan_received",
                            [.paragraph("De regeling omvat in totaal {{plan_total}}.")]),
                        .paragraph("Het afgesproken schema, ter herinnering:"),
                        .each(
                            "plan_instalments",
                            instalmentLine(
                                next: "volgende termijn", nextPartly: "volgende termijn: nog {{outstanding}} te betalen"
                            )),
                    ]),
                .paragraph("De regeling geldt voor \(invoiceWord) {{invoice_numbers}}."),
                .when(
                    "has_next_instalment",
                    [
                        .paragraph(
                            "Heeft u deze termijn al betaald? Dank u wel, dan kunt u dit bericht als afgehandeld "
                                + "beschouwen.")
                    ]),
                .payment,
                .paragraph("Dank u wel dat u zich aan de regeling houdt; dat waarderen we zeer."),
                .signature("Met vriendelijke groet,"),
            ], kit: kit),
        "instalment_missed": compose(
            "{{#has_next_instalment}}Uw termijn van {{plan_next_date}} hebben we nog niet ontvangen"
                + "{{/has_next_instalment}}{{^has_next_instalment}}Uw betalingsregeling met {{organisation_name}}"
                + "{{/has_next_instalment}}",
            [
                .paragraph(greeting),
                .when(
                    "has_next_instalment",
                    [
                        .paragraph(
                            "De termijn van {{plan_next_amount}} die volgens uw betalingsregeling op "
                                + "{{plan_next_date}} betaald zou worden, hebben we nog niet ontvangen."),
                        .paragraph(
                            "Heeft u al betaald? Dank u wel, dan kunt u dit bericht als afgehandeld beschouwen; een "
                                + "overboeking kan een dag of twee onderweg zijn."),
                        .paragraph(
                            "Zo niet, wilt u dan {{plan_next_amount}} uiterlijk op {{pay_by}} betalen? Dan blijft de "
                                + "betalingsregeling gewoon zoals afgesproken doorlopen."),
                    ]),
                .unless(
                    "has_next_instalment",
                    [.paragraph("Een kort bericht over uw betalingsregeling met {{organisation_name}}.")]),
                .paragraph(
                    "Past de regeling niet meer, bijvoorbeeld omdat de bedragen of de data lastig zijn geworden? Neem "
                        + "dan contact met ons op: we passen die liever samen aan."),
                .when(
                    "has_plan",
                    [
                        .paragraph(
                            "Ter herinnering het afgesproken schema (tot nu toe ontvangen: {{plan_received}}, nog te "
                                + "betalen: {{plan_remaining}}):"),
                        .each(
                            "plan_instalments",
                            instalmentLine(
                                next: "nog niet ontvangen", nextPartly: "waarvan {{outstanding}} nog niet ontvangen")),
                    ]),
                .payment,
                .signature("Met vriendelijke groet,"),
            ], kit: kit),
        "dispute_rejected": compose(
            "Uw bezwaar over \(invoiceWord) {{invoice_numbers}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "Dank u wel dat u uw {{#single_invoice}}bezwaar{{/single_invoice}}{{#several_invoices}}bezwaren"
                        + "{{/several_invoices}} aan ons heeft voorgelegd. We hebben {{#single_invoice}}het"
                        + "{{/single_invoice}}{{#several_invoices}}ze{{/several_invoices}} zorgvuldig bekeken:"),
                .each(
                    "disputes",
                    "Factuur {{invoice_number}}, uw bezwaar van {{opened_on}}: {{reason}}"
                        + "{{#has_note}}\nOnze bevindingen: {{note}}{{/has_note}}"),
                .paragraph(
                    "We hebben \(theInvoice) naast onze administratie gelegd. {{#single_invoice}}De factuur klopt en "
                        + "blijft{{/single_invoice}}{{#several_invoices}}De facturen kloppen en blijven"
                        + "{{/several_invoices}} daarom ongewijzigd staan."),
                .paragraph("Het volgende staat open:"),
                .invoicesOpen,
                .paragraph(
                    "We zouden het op prijs stellen als u het openstaande bedrag van {{total_open}} nu voldoet."),
                .paragraph(
                    "Heeft u informatie die wij nog niet hebben gezien, of wilt u het nog eens bespreken? Beantwoord "
                        + "dan gewoon deze e-mail; we nemen het graag met u door."),
                .payment,
                .signature("Met vriendelijke groet,"),
            ], kit: kit),
        "settlement_offer": compose(
            "{{#has_offer}}Een voorstel voor \(invoiceWord) {{invoice_numbers}}: {{offer_amount}} in plaats van "
                + "{{total_open}}{{/has_offer}}{{^has_offer}}Samen een oplossing vinden: {{total_open}} openstaand bij "
                + "{{organisation_name}}{{/has_offer}}",
            [
                .paragraph(greeting),
                .paragraph("Het volgende staat nog open:"),
                .invoicesOpen,
                .when(
                    "has_offer",
                    [
                        .paragraph(
                            "Om dit af te ronden, doen we u een voorstel: betaalt u uiterlijk op {{offer_deadline}} "
                                + "een bedrag van {{offer_amount}}, dan beschouwen we \(theInvoice) als volledig voldaan en zien "
                                + "we af van de resterende {{offer_waived}}. Dat is {{offer_percent}} van het "
                                + "openstaande bedrag van {{total_open}}."),
                        .paragraph(
                            "Dit voorstel geldt tot en met {{offer_deadline}}. Daarna geldt weer het volledige "
                                + "openstaande bedrag van {{total_open}}."),
                        .paragraph(
                            "Wilt u het voorstel aannemen, maar heeft u een paar dagen extra nodig, of zou een andere "
                                + "oplossing u beter helpen? Beantwoord dan gewoon deze e-mail."),
                    ]),
                .unless(
                    "has_offer",
                    [
                        .paragraph(
                            "We willen graag een oplossing vinden die voor u werkt: laat ons gewoon weten wat u past"
                                + "{{#has_phone}}, of bel ons op {{phone}}{{/has_phone}}.")
                    ]),
                .payment,
                .signature("Met vriendelijke groet,"),
            ], kit: kit),
    ]
}
