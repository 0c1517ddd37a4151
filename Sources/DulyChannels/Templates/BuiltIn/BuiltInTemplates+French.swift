// The French built-ins, in the "vous" of business letters. Voice by stage as in the English ones.
extension BuiltInTemplates {
    private static let kit = LanguageKit(
        invoicesWithTermsText: """
            {{#invoices}}
            - Facture {{number}} du {{issue_date}} : {{open}}, échéance le {{due_date}}\
            {{#has_po_number}} (votre bon de commande {{po_number}}){{/has_po_number}}
            {{#has_terms}}
              Conditions de paiement : {{terms_in_words}}.
            {{/has_terms}}
            {{#has_early_payment_saving}}
              En réglant {{early_payment_amount}} d’ici le {{early_payment_deadline}}, vous économisez \
            {{early_payment_saving}}.
            {{/has_early_payment_saving}}
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
            {{/invoices}}
            {{#several_invoices}}
            Total restant dû : {{total_open}}
            {{/several_invoices}}
            """,
        table: invoiceTable(
            invoice: "Facture", date: "Date", due: "Échéance", open: "Restant dû", status: "Situation",
            total: "Total restant dû"),
        portal: "Sur ce lien, vous pouvez consulter vos factures, en télécharger une copie, nous indiquer votre date "
            + "de paiement ou proposer un échéancier :",
        payment: "Comment régler",
        reference: ReferenceWords(
            single: "Merci d’indiquer la référence {{payment_reference}} avec votre paiement, afin qu’il soit affecté "
                + "à la bonne facture.",
            several: "Merci d’indiquer avec votre paiement la référence de chaque facture"),
        colon: " :")

    private static let greeting = "Bonjour {{greeting_name}},"
    private static let letterGreeting = "Madame, Monsieur,"
    private static let plural = "{{#several_invoices}}s{{/several_invoices}}"

    static let french: [String: TemplateSource] = [
        "pre_due_reminder": compose(
            "{{#single_invoice}}La facture {{invoice_numbers}} de {{organisation_name}} arrive bientôt à échéance"
                + "{{/single_invoice}}{{#several_invoices}}{{invoice_count}} factures de {{organisation_name}} "
                + "arrivent bientôt à échéance{{/several_invoices}}",
            [
                .paragraph(greeting),
                .paragraph(
                    "Un petit message amical de {{organisation_name}}, pour que vous ayez tout sous la main avant "
                        + "l’échéance :"),
                .invoicesWithTerms,
                .when(
                    "has_early_payment_saving",
                    [
                        .paragraph(
                            "Vos conditions prévoient un escompte pour paiement anticipé : en réglant avant la date "
                                + "indiquée, vous faites une économie.")
                    ]),
                .portal,
                .paragraph(
                    "Si quelque chose n’est pas clair sur la facture ou ne correspond pas à vos documents, répondez "
                        + "simplement à cet e-mail et nous verrons cela ensemble."),
                .payment,
                .signature("Merci, et bien cordialement,"),
            ], kit: kit),
        "due_day_notice": compose(
            "{{#single_invoice}}La facture {{invoice_numbers}} arrive à échéance aujourd’hui{{/single_invoice}}"
                + "{{#several_invoices}}{{invoice_count}} factures de {{organisation_name}} arrivent à échéance "
                + "aujourd’hui{{/several_invoices}}",
            [
                .paragraph(greeting),
                .paragraph("Petit rappel : c’est aujourd’hui la date d’échéance de ce qui suit :"),
                .invoicesWithTerms,
                .paragraph("Si votre paiement est déjà en route, merci, et ne tenez pas compte de ce message."),
                .portal,
                .payment,
                .paragraph(
                    "Pour toute question sur la facture, répondez simplement à cet e-mail : nous serons ravis de vous "
                        + "aider."),
                .signature("Bien cordialement,"),
            ], kit: kit),
        "first_follow_up": compose(
            "{{#single_invoice}}Facture {{invoice_numbers}} : un petit rappel de {{organisation_name}}"
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
                .portal,
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
                .portal,
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
                    "Présentez-vous : « Bonjour, ici ... de {{organisation_name}}. Avez-vous un instant pour parler "
                        + "de votre compte ? »",
                    "Vérifiez les factures : « Nous avons {{total_open}} restant dû. Avez-vous bien reçu toutes les "
                        + "factures, et sont-elles correctes ? »",
                    "Écoutez. En cas de problème sur une facture, notez-le comme contestation avec son motif ; nous "
                        + "l’examinerons avant tout autre envoi.",
                    "Proposez une solution adaptée : le montant total à une date de leur choix (notez la date et le "
                        + "montant), un paiement partiel maintenant et le solde à une date convenue, ou un "
                        + "échéancier (à proposer via le portail, ou notez les montants et les dates).",
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
                    "Répondez-nous simplement avec ce qui vous convient, ou appelez-nous. Et si quelque chose dans la "
                        + "facture elle-même bloque le paiement, dites-le-nous : nous préférons le corriger plutôt "
                        + "que de vous relancer."),
                .portal,
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
                .paragraph(
                    "Les relances, l’appel et la proposition d’échéancier n’ont abouti ni à un paiement ni à un "
                        + "accord."),
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
                .letterHead,
                .heading("Mise en demeure : facture\(plural) {{invoice_numbers}}"),
                .paragraph(letterGreeting),
                .paragraph("Malgré nos relances, ce qui suit reste impayé :"),
                .invoicesOpen,
                .when(
                    "has_interest",
                    [
                        .paragraph(
                            "En application de {{interest_legal_basis}}, des intérêts de retard au taux de "
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
                    "Si vous avez payé entre-temps, ne tenez pas compte de ce courrier. Si vous contestez l’une de "
                        + "ces factures, faites-le-nous savoir par écrit avant cette date, en indiquant vos motifs."),
                .payment,
                .signature("Veuillez agréer, Madame, Monsieur, nos salutations distinguées."),
            ], kit: kit),
        "agency_handover": compose(
            "Facture\(plural) {{invoice_numbers}} : transmission à une société de recouvrement",
            [
                .letterHead,
                .heading("Transmission de la facture\(plural) {{invoice_numbers}} à une société de recouvrement"),
                .paragraph(letterGreeting),
                .paragraph("Ce qui suit est resté impayé malgré nos relances et notre mise en demeure :"),
                .invoicesOpen,
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
    ]
}
