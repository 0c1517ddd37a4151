// The French built-ins, in the "vous" of business letters. Voice by stage as in the English ones.
extension BuiltInTemplates {
    // The part of an invoice under an open dispute, which the message does not ask for: said to the client, or
    // to the team in an internal note.
    private static let disputedPart =
        "{{^is_internal}}{{disputed}} de la facture {{number}} sont en cours d’examen à la suite de "
        + "votre réclamation et ne sont pas inclus ici.{{/is_internal}}"
        + "{{#is_internal}}{{disputed}} de la facture {{number}} sont contestés et ne sont pas "
        + "relancés.{{/is_internal}}"

    private static let kit = LanguageKit(
        invoicesWithTermsText: """
            {{#invoices}}
            - Facture {{number}} du {{issue_date}}\
            {{#has_po_number}} (votre bon de commande {{po_number}}){{/has_po_number}} : {{open}}, \
            échéance le {{due_date}} ({{due_status}})
            {{#has_terms}}
              Conditions de paiement : {{terms_in_words}}.
            {{/has_terms}}
            {{#has_early_payment_saving}}
              En réglant {{early_payment_amount}} d’ici le {{early_payment_deadline}}, vous économisez \
            {{early_payment_saving}}.
            {{/has_early_payment_saving}}
            {{#has_disputed_part}}
              \(disputedPart)
            {{/has_disputed_part}}
            {{/invoices}}
            {{#several_invoices}}
            Total restant dû : {{total_open}}
            {{/several_invoices}}
            """,
        invoicesWithTermsHTML: """
            {{#invoices}}
            {{#has_terms}}
            <p>Facture {{number}} : {{terms_in_words}}.{{#has_early_payment_saving}} En réglant \
            <strong>{{early_payment_amount}}</strong> d’ici le <strong>{{early_payment_deadline}}</strong>, vous \
            économisez {{early_payment_saving}}.{{/has_early_payment_saving}}</p>
            {{/has_terms}}
            {{/invoices}}
            """,
        invoicesOpenText: """
            {{#invoices}}
            - Facture {{number}} du {{issue_date}}, échéance le {{due_date}} : {{open}}{{#partly_paid}} sur \
            {{total}}{{/partly_paid}} restant dû ({{due_status}})
            {{#has_disputed_part}}
              \(disputedPart)
            {{/has_disputed_part}}
            {{/invoices}}
            {{#several_invoices}}
            Total restant dû : {{total_open}}
            {{/several_invoices}}
            """,
        table: invoiceTable(
            invoice: "Facture", date: "Date", due: "Échéance", open: "Restant dû", status: "Situation",
            total: "Total restant dû",
            disputed:
                "\(disputedPart)"
        ),
        payment: "Comment régler",
        reference: ReferenceWords(
            single: "Merci d’indiquer la référence {{payment_reference}} avec votre paiement, afin qu’il soit affecté "
                + "à la bonne facture.",
            several: "Merci d’indiquer avec votre paiement la référence de chaque facture"),
        colon: " :")

    private static let greeting = "Bonjour {{greeting_name}},"
    private static let letterGreeting = "Madame, Monsieur,"
    private static let plural = "{{#several_invoices}}s{{/several_invoices}}"

    /// One instalment of the schedule, with what is received of it; the one the message is about says `next`,
    /// or `nextPartly` when part of it has arrived.
    private static func instalmentLine(next: String, nextPartly: String) -> String {
        "{{date}} : {{amount}}{{#is_paid}} (reçu, merci){{/is_paid}}"
            + "{{#is_next}} ({{^partly_paid}}\(next){{/partly_paid}}{{#partly_paid}}\(nextPartly){{/partly_paid}})"
            + "{{/is_next}}{{^is_next}}{{#partly_paid}} ({{outstanding}} restant à régler){{/partly_paid}}{{/is_next}}"
    }

    static let french: [String: TemplateSource] = [
        "pre_due_reminder": compose(
            "{{#single_invoice}}La facture {{invoice_numbers}} {{de_organisation_name}} arrive bientôt à échéance"
                + "{{/single_invoice}}{{#several_invoices}}{{invoice_count}} factures {{de_organisation_name}} "
                + "arrivent bientôt à échéance{{/several_invoices}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "Un petit message amical {{de_organisation_name}}, pour que vous ayez tout sous la main avant "
                        + "l’échéance :"),
                .invoicesWithTerms,
                .when(
                    "has_early_payment_saving",
                    [
                        .paragraph(
                            "Vos conditions prévoient un escompte pour paiement anticipé : en réglant avant la date "
                                + "indiquée, vous faites une économie.")
                    ]),
                .paragraph(
                    "Si quelque chose n’est pas clair sur la facture ou ne correspond pas à vos documents, répondez "
                        + "simplement à cet e-mail et nous verrons cela ensemble."),
                .payment,
                .signature("Merci, et bien cordialement,"),
            ], kit: kit),
        "due_day_notice": compose(
            "{{#single_invoice}}La facture {{invoice_numbers}} arrive à échéance aujourd’hui{{/single_invoice}}"
                + "{{#several_invoices}}{{invoice_count}} factures {{de_organisation_name}} arrivent à échéance "
                + "aujourd’hui{{^all_due_today}} et dans les prochains jours{{/all_due_today}}{{/several_invoices}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "{{#all_due_today}}Petit rappel : c’est aujourd’hui la date d’échéance de ce qui suit :"
                        + "{{/all_due_today}}{{^all_due_today}}Petit rappel de ce qui arrive à échéance aujourd’hui "
                        + "et dans les prochains jours :{{/all_due_today}}"),
                .invoicesWithTerms,
                .paragraph("Si votre paiement est déjà en route, merci, et ne tenez pas compte de ce message."),
                .payment,
                .paragraph(
                    "Pour toute question sur la facture, répondez simplement à cet e-mail : nous serons ravis de vous "
                        + "aider."),
                .signature("Bien cordialement,"),
            ], kit: kit),
        "first_follow_up": compose(
            "{{#single_invoice}}Facture {{invoice_numbers}} : un petit rappel {{de_organisation_name}}"
                + "{{/single_invoice}}{{#several_invoices}}Un petit rappel au sujet de {{invoice_count}} factures de "
                + "{{organisation_name}}{{/several_invoices}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "Nous n’avons pas encore reçu le paiement de ce qui suit ; il s’agit peut-être d’un simple "
                        + "oubli :"),
                .invoicesOpen,
                .paragraph(
                    "Si vous avez déjà payé, merci ; indiquez-nous simplement la date du paiement afin que nous "
                        + "puissions le rapprocher. Si quelque chose ne va pas avec la facture, ou s’il vous en faut "
                        + "une copie, dites-le-nous et nous corrigerons cela."),
                .payment,
                .signature("Bien cordialement,"),
            ], kit: kit),
        "second_follow_up": compose(
            "{{#single_invoice}}La facture {{invoice_numbers}} est toujours ouverte{{/single_invoice}}"
                + "{{#several_invoices}}{{invoice_count}} factures sont toujours ouvertes{{/several_invoices}}"
                + " : pouvons-nous vous aider ?",
            [
                .paragraph(greeting),
                .paragraph("D’après nos données, ce qui suit reste à régler :"),
                .invoicesOpen,
                .paragraph(
                    "Quelque chose retarde-t-il le paiement ? S’il y a une question sur la facture, la prestation "
                        + "fournie ou un numéro de bon de commande, dites-le-nous afin que nous puissions la résoudre "
                        + "rapidement."),
                .paragraph(
                    "Si le moment est mal choisi, ce n’est pas un problème : indiquez-nous une date qui vous "
                        + "convient, ou dites-nous si un paiement partiel maintenant vous aiderait."),
                .payment,
                .signature("Bien cordialement,"),
            ], kit: kit),
        "call_offer_plan": compose(
            "Appeler {{customer_name}} : {{total_open}} restant dû",
            [
                .heading("Guide d’appel : {{customer_name}} ({{customer_reference}})"),
                .paragraph("Interlocuteur : {{greeting_name}}"),
                .heading("Ce qui reste dû"),
                .invoicesOpen,
                .paragraph(
                    "Objectif : convenir d’une solution qui convienne aux deux parties, et préserver une bonne "
                        + "relation."),
                .steps([
                    "Présentez-vous : « Bonjour, ici ... {{de_organisation_name}}. Avez-vous un instant pour parler "
                        + "de votre compte ? »",
                    "Vérifiez les factures : « Nous avons {{total_open}} restant dû. Avez-vous bien reçu toutes les "
                        + "factures, et sont-elles correctes ? »",
                    "Écoutez. En cas de problème sur une facture, notez-le comme contestation avec son motif ; nous "
                        + "l’examinerons avant tout autre envoi.",
                    "Proposez une solution adaptée : le montant total à une date de leur choix (notez la date et le "
                        + "montant), un paiement partiel maintenant et le solde à une date convenue, ou un "
                        + "échéancier (notez les montants et les dates).",
                    "Confirmez ce qui a été convenu et annoncez un bref récapitulatif écrit.",
                ]),
                .paragraph(
                    "Notez le résultat : joint, messagerie, mauvais numéro, promesse (date et montant), contestation "
                        + "(motif), refus ou rappel (date)."),
            ], kit: kit),
        "solution_offer": compose(
            "Trouvons ensemble une solution : {{total_open}} restant dû à {{organisation_name}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "Ce qui suit reste à régler, et nous aimerions trouver une solution qui vous convienne :"),
                .invoicesOpen,
                .paragraph("Nous pouvons vous proposer :"),
                .bullets([
                    "un échéancier sur les prochaines semaines ;",
                    "un paiement partiel maintenant, et le solde à une date convenue ensemble ;",
                    "une nouvelle date de paiement pour le montant total.",
                ]),
                .paragraph(
                    "Répondez-nous simplement avec ce qui vous convient{{#has_phone}}, ou appelez-nous au {{phone}}"
                        + "{{/has_phone}}. Et si quelque chose dans la facture elle-même bloque le paiement, dites-le-nous : nous préférons le corriger plutôt "
                        + "que de vous relancer."),
                .payment,
                .signature("Bien cordialement,"),
            ], kit: kit),
        "manager_escalation": compose(
            "Pour décision : {{customer_name}} ({{customer_reference}}), {{total_open}} impayé",
            [
                .paragraph("Note interne, non envoyée au client."),
                .lines([
                    "Client : {{customer_name}} ({{customer_reference}})",
                    "Chargé du dossier : {{#has_collector}}{{collector}}{{/has_collector}}{{^has_collector}}personne"
                        + "{{/has_collector}}",
                    "Interlocuteur : {{greeting_name}}",
                    "Étape : non-paiement, au {{date}}",
                ]),
                .invoicesOpen,
                .when(
                    "has_contact_history",
                    [
                        .paragraph(
                            "Contacts établis : {{contacts_made}}. Ce qui a été tenté, du plus ancien au plus récent :"),
                        .each("contact_history", "{{date}}, {{channel}}: {{outcome}}"),
                    ]),
                .unless(
                    "has_contact_history",
                    [.paragraph("Aucune tentative de joindre le client au sujet de ces factures n’est enregistrée.")]),
                .paragraph("Merci de décider de la suite :"),
                .bullets([
                    "approuver la mise en demeure (un courrier formel, avec intérêts légaux et indemnité "
                        + "forfaitaire) ;",
                    "demander à un responsable chez le client d’intervenir ;",
                    "ou suspendre le dossier, en notant la raison.",
                ]),
            ], kit: kit),
        "final_notice": compose(
            "Mise en demeure : {{total_open}} restant dû, facture\(plural) {{invoice_numbers}}",
            [
                .unless(
                    "is_letter", [.letterHead, .heading("Mise en demeure : facture\(plural) {{invoice_numbers}}")]),
                .paragraph(letterGreeting),
                .paragraph("Malgré nos relances, ce qui suit reste impayé :"),
                .invoicesOpen,
                .when(
                    "has_interest",
                    [
                        .paragraph(
                            "En application {{de_interest_legal_basis}}, des intérêts de retard au taux de "
                                + "{{interest_rate}} par an sont dus sur les montants en retard, calculés au "
                                + "{{interest_until}} : {{interest_total}}. Indemnité forfaitaire pour frais de "
                                + "recouvrement : {{compensation_total}}. Le total désormais dû s’élève à "
                                + "{{total_with_interest}}.")
                    ]),
                .unless(
                    "has_interest",
                    [
                        .paragraph(
                            "Nous nous réservons le droit de réclamer les intérêts de retard et l’indemnité "
                                + "forfaitaire pour frais de recouvrement prévus par la loi.")
                    ]),
                .paragraph(
                    "Nous vous demandons de régler la totalité de ce montant au plus tard le {{respond_by}}. Si nous "
                        + "n’avons reçu ni paiement ni réponse de votre part à cette date, nous confierons le dossier "
                        + "à une société de recouvrement."),
                .paragraph(
                    "Si vous avez payé entre-temps, ne tenez pas compte de ce courrier.{{^has_disputed_part}} Si vous "
                        + "contestez {{#single_invoice}}cette facture{{/single_invoice}}{{#several_invoices}}l’une de "
                        + "ces factures{{/several_invoices}}, faites-le-nous savoir par écrit avant cette date, en "
                        + "indiquant vos motifs.{{/has_disputed_part}}"),
                .payment,
                .signature("Veuillez agréer, Madame, Monsieur, nos salutations distinguées."),
            ], kit: kit),
        "agency_handover": compose(
            "Facture\(plural) {{invoice_numbers}} : transmission à une société de recouvrement",
            [
                .unless(
                    "is_letter",
                    [
                        .letterHead,
                        .heading(
                            "Transmission de la facture\(plural) {{invoice_numbers}} à une société de recouvrement"),
                    ]),
                .paragraph(letterGreeting),
                .paragraph("Ce qui suit est resté impayé malgré nos relances et notre mise en demeure :"),
                .invoicesOpen,
                .when(
                    "has_interest",
                    [
                        .paragraph(
                            "S’y ajoutent les intérêts de retard prévus par {{interest_legal_basis_noun}}, au taux de "
                                + "{{interest_rate}} par an, calculés au {{interest_until}} : {{interest_total}}, et "
                                + "l’indemnité forfaitaire pour frais de recouvrement : {{compensation_total}}. Soit "
                                + "{{total_with_interest}} au total.")
                    ]),
                .paragraph(
                    "Nous avons donc confié le recouvrement de {{total_open}} à une société de recouvrement, qui "
                        + "prendra contact avec vous. Désormais, merci d’adresser toute proposition de paiement à "
                        + "cette société. Les paiements déjà effectués auprès de nous seront pris en compte."),
                .paragraph(
                    "Si vous pensez qu’il s’agit d’une erreur, ou si vous avez payé, contactez-nous à {{reply_to}} "
                        + "en indiquant votre référence {{customer_reference}}."),
                .signature("Veuillez agréer, Madame, Monsieur, nos salutations distinguées."),
            ], kit: kit),
        "thank_you": compose(
            "Merci pour votre paiement{{#single_invoice}} de la facture {{invoice_numbers}}{{/single_invoice}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "Merci : nous avons bien reçu votre paiement, et ce qui suit est désormais entièrement réglé :"),
                .eachInvoice("Facture {{number}} du {{issue_date}} : {{total}}"),
                .paragraph(
                    "Nous apprécions de travailler avec vous. Si nous pouvons faire mieux, n’hésitez pas à répondre à "
                        + "cet e-mail."),
                .signature("Bien cordialement,"),
            ], kit: kit),
        "instalment_reminder": compose(
            "{{#has_next_instalment}}Votre prochaine échéance : {{plan_next_amount}} le {{plan_next_date}}"
                + "{{/has_next_instalment}}{{^has_next_instalment}}Votre échéancier avec {{organisation_name}}"
                + "{{/has_next_instalment}}",
            [
                .paragraph(greeting),
                .when(
                    "has_next_instalment",
                    [
                        .paragraph(
                            "Un petit rappel amical : la prochaine échéance de votre échéancier avec "
                                + "{{organisation_name}} approche."),
                        .lines(["Date : {{plan_next_date}}", "Montant : {{plan_next_amount}}"]),
                    ]),
                .unless(
                    "has_next_instalment",
                    [.paragraph("Un petit message au sujet de votre échéancier avec {{organisation_name}}.")]),
                .when(
                    "has_plan",
                    [
                        .when(
                            "has_plan_received",
                            [
                                .paragraph(
                                    "Nous avons bien reçu {{plan_received}} au titre de l’échéancier jusqu’ici, "
                                        + "merci ; il reste {{plan_remaining}} à régler.")
                            ]),
                        .unless(
                            "has_plan_received",
                            [.paragraph("L’échéancier porte sur {{plan_total}} au total.")]),
                        .paragraph("Pour mémoire, le calendrier convenu :"),
                        .each(
                            "plan_instalments",
                            instalmentLine(
                                next: "prochaine échéance",
                                nextPartly: "prochaine échéance : {{outstanding}} restant à régler")),
                    ]),
                .paragraph("L’échéancier concerne la facture\(plural) {{invoice_numbers}}."),
                .when(
                    "has_next_instalment",
                    [
                        .paragraph(
                            "Si vous avez déjà effectué ce versement, merci, et ne tenez pas compte de ce message.")
                    ]),
                .payment,
                .paragraph("Nous vous remercions de respecter l’échéancier convenu ; nous y sommes très sensibles."),
                .signature("Bien cordialement,"),
            ], kit: kit),
        "instalment_missed": compose(
            "{{#has_next_instalment}}Votre versement du {{plan_next_date}} ne nous est pas encore parvenu"
                + "{{/has_next_instalment}}{{^has_next_instalment}}Votre échéancier avec {{organisation_name}}"
                + "{{/has_next_instalment}}",
            [
                .paragraph(greeting),
                .when(
                    "has_next_instalment",
                    [
                        .paragraph(
                            "Le versement de {{plan_next_amount}} prévu le {{plan_next_date}} dans le cadre de votre "
                                + "échéancier ne nous est pas encore parvenu."),
                        .paragraph(
                            "Si vous l’avez déjà effectué, merci, et ne tenez pas compte de ce message : un virement "
                                + "peut mettre un jour ou deux à arriver."),
                        .paragraph(
                            "Dans le cas contraire, merci de régler {{plan_next_amount}} d’ici le {{pay_by}}, afin que "
                                + "l’échéancier reste en place comme convenu."),
                    ]),
                .unless(
                    "has_next_instalment",
                    [.paragraph("Un petit message au sujet de votre échéancier avec {{organisation_name}}.")]),
                .paragraph(
                    "Si l’échéancier ne vous convient plus, par exemple parce que les montants ou les dates sont "
                        + "devenus difficiles à tenir, contactez-nous : nous préférons de loin l’adapter ensemble."),
                .when(
                    "has_plan",
                    [
                        .paragraph(
                            "Pour mémoire, le calendrier convenu ({{plan_received}} reçus jusqu’ici, "
                                + "{{plan_remaining}} restant à régler) :"),
                        .each(
                            "plan_instalments",
                            instalmentLine(next: "pas encore reçu", nextPartly: "dont {{outstanding}} pas encore reçus")
                        ),
                    ]),
                .payment,
                .signature("Bien cordialement,"),
            ], kit: kit),
        "dispute_rejected": compose(
            "Votre réclamation concernant la facture\(plural) {{invoice_numbers}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "Merci de nous avoir fait part de {{#single_invoice}}votre réclamation{{/single_invoice}}"
                        + "{{#several_invoices}}vos réclamations{{/several_invoices}}. Nous {{#single_invoice}}l’avons "
                        + "examinée{{/single_invoice}}{{#several_invoices}}les avons examinées{{/several_invoices}} "
                        + "avec attention :"),
                .each(
                    "disputes",
                    "Facture {{invoice_number}}, votre réclamation du {{opened_on}} : {{reason}}"
                        + "{{#has_note}}\nNotre analyse : {{note}}{{/has_note}}"),
                .paragraph(
                    "Après vérification dans nos dossiers, {{#single_invoice}}la facture est correcte et reste due "
                        + "telle qu’elle a été émise{{/single_invoice}}{{#several_invoices}}les factures sont "
                        + "correctes et restent dues telles qu’elles ont été émises{{/several_invoices}}."),
                .paragraph("Voici ce qui reste à régler :"),
                .invoicesOpen,
                .paragraph(
                    "Nous vous serions reconnaissants de bien vouloir procéder maintenant au règlement de "
                        + "{{total_open}}."),
                .paragraph(
                    "Si vous disposez d’éléments que nous n’avons pas encore vus, ou si vous souhaitez en parler, "
                        + "répondez simplement à cet e-mail : nous les examinerons volontiers avec vous."),
                .payment,
                .signature("Bien cordialement,"),
            ], kit: kit),
        "settlement_offer": compose(
            "{{#has_offer}}Une proposition pour solder la facture\(plural) {{invoice_numbers}} : {{offer_amount}} "
                + "au lieu de {{total_open}}{{/has_offer}}{{^has_offer}}Trouvons ensemble une solution : "
                + "{{total_open}} restant dû à {{organisation_name}}{{/has_offer}}",
            [
                .paragraph(greeting),
                .paragraph("Ce qui suit reste à régler :"),
                .invoicesOpen,
                .when(
                    "has_offer",
                    [
                        .paragraph(
                            "Pour clore ce dossier, nous vous faisons une proposition : si vous réglez "
                                + "{{offer_amount}} d’ici le {{offer_deadline}}, nous considérerons "
                                + "{{#single_invoice}}la facture comme entièrement réglée{{/single_invoice}}"
                                + "{{#several_invoices}}ces factures comme entièrement réglées{{/several_invoices}} "
                                + "et renoncerons au solde de {{offer_waived}}. Cela représente {{offer_percent}} des "
                                + "{{total_open}} restant dus."),
                        .paragraph(
                            "Cette proposition est valable jusqu’au {{offer_deadline}} inclus. Passé cette date, le "
                                + "montant total de {{total_open}} reste dû tel que facturé."),
                        .paragraph(
                            "Si vous souhaitez l’accepter mais avez besoin de quelques jours de plus, ou si une autre "
                                + "solution vous conviendrait mieux, répondez simplement à cet e-mail."),
                    ]),
                .unless(
                    "has_offer",
                    [
                        .paragraph(
                            "Nous aimerions trouver une solution qui vous convienne : répondez-nous simplement avec "
                                + "ce qui vous convient{{#has_phone}}, ou appelez-nous au {{phone}}{{/has_phone}}.")
                    ]),
                .payment,
                .signature("Bien cordialement,"),
            ], kit: kit),
    ]
}
