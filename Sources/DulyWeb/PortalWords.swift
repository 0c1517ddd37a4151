import DulyChannels

/// The portal's own words in the languages Duly writes messages in (en, de, fr, nl); the amounts, dates, terms and
/// payment instructions come from `PortalStatement`, in the same language.
struct PortalWords {
    let table: [String: String]

    init(_ language: TemplateLanguage) {
        table = PortalWords.tables[language] ?? PortalWords.tables[.en]!
    }

    subscript(_ key: String) -> String { table[key] ?? PortalWords.tables[.en]![key] ?? key }

    /// `Pay EUR 980.00 by 12 March 2026 and save EUR 20.00.`
    func saving(amount: String, by date: String, saving: String) -> String {
        fill("saving_line", ["amount": amount, "date": date, "saving": saving])
    }

    func promised(amount: String, by date: String, invoices: String) -> String {
        fill("told_promise", ["amount": amount, "date": date, "invoices": invoices])
    }

    func planProposed(instalments: String, invoices: String) -> String {
        fill("told_plan", ["instalments": instalments, "invoices": invoices])
    }

    func disputed(invoice: String, reason: String) -> String {
        fill("told_dispute", ["invoice": invoice, "reason": reason])
    }

    private func fill(_ key: String, _ values: [String: String]) -> String {
        values.reduce(self[key]) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    private static let tables: [TemplateLanguage: [String: String]] = [
        .en: [
            "pay_now": "Pay now", "paid_h": "Already paid?",
            "paid_text": "Tell us, and we will not remind you for a few days while your payment reaches us.",
            "paid_b": "I have paid",
            "done_paid": "Thank you: we pause our reminders for a few days while your payment reaches us.",
            "heading": "Your account with",
            "intro": "What is open on your account today. No need to sign in: this page is yours through the link.",
            "invoice": "Invoice", "issued": "Issued", "due": "Due", "open": "Open", "status": "Status",
            "terms": "Terms", "document": "Copy", "download": "Download", "disputed": "disputed",
            "total_open": "Open in total", "nothing_open": "Nothing is open. Thank you!",
            "saving_line": "Pay {amount} by {date} and save {saving}.",
            "how_to_pay": "How to pay", "reference": "Quote this reference with your payment",
            "references": "Quote each invoice's reference with your payment",
            "scan": "Scan with your banking app to fill in the transfer",
            "promise_h": "Promise a payment date", "invoices_l": "Invoices", "all_open": "All open invoices",
            "date_l": "I will pay by", "amount_l": "Amount (leave empty for all that is open)",
            "promise_b": "Send my promise",
            "plan_h": "Propose a payment plan", "instalments_l": "Monthly instalments",
            "first_l": "First instalment on", "plan_b": "Send my proposal",
            "dispute_h": "Tell us what is wrong", "invoice_l": "Invoice",
            "part_l": "Amount in question (leave empty for the whole invoice)", "reason_code_l": "What is it about",
            "reason_l": "Your explanation", "dispute_b": "Send",
            "done_promise": "Thank you: we have noted your promise.",
            "done_plan": "Thank you: we have your proposal and will come back to you.",
            "done_dispute": "Thank you: we will look into it, and ask nothing for what you question meanwhile.",
            "problem": "That did not go through:", "told_h": "What you told us",
            "told_promise": "You promised to pay {amount} by {date} ({invoices}).",
            "told_plan": "You proposed a plan for {invoices}: {instalments}.",
            "told_dispute": "You questioned {invoice}: {reason}",
            "questions": "Questions? Write to",
        ],
        .de: [
            "pay_now": "Jetzt bezahlen", "paid_h": "Bereits bezahlt?",
            "paid_text": "Sagen Sie es uns: Dann erinnern wir Sie einige Tage nicht, bis Ihre Zahlung bei uns eingeht.",
            "paid_b": "Ich habe bezahlt",
            "done_paid": "Danke: Wir pausieren unsere Erinnerungen einige Tage, bis Ihre Zahlung bei uns eingeht.",
            "heading": "Ihr Konto bei",
            "intro": "Was heute auf Ihrem Konto offen ist. Keine Anmeldung nötig: Der Link öffnet Ihre Seite.",
            "invoice": "Rechnung", "issued": "Ausgestellt", "due": "Fällig", "open": "Offen", "status": "Stand",
            "terms": "Bedingungen", "document": "Kopie", "download": "Herunterladen", "disputed": "beanstandet",
            "total_open": "Insgesamt offen", "nothing_open": "Es ist nichts offen. Vielen Dank!",
            "saving_line": "Zahlen Sie {amount} bis {date} und sparen Sie {saving}.",
            "how_to_pay": "So können Sie zahlen", "reference": "Bitte geben Sie bei der Zahlung diese Referenz an",
            "references": "Bitte geben Sie bei der Zahlung die Referenz jeder Rechnung an",
            "scan": "Mit Ihrer Banking-App scannen, um die Überweisung auszufüllen",
            "promise_h": "Zahlungstermin zusagen", "invoices_l": "Rechnungen", "all_open": "Alle offenen Rechnungen",
            "date_l": "Ich zahle bis", "amount_l": "Betrag (leer lassen für den ganzen offenen Betrag)",
            "promise_b": "Zusage senden",
            "plan_h": "Ratenzahlung vorschlagen", "instalments_l": "Monatliche Raten",
            "first_l": "Erste Rate am", "plan_b": "Vorschlag senden",
            "dispute_h": "Sagen Sie uns, was nicht stimmt", "invoice_l": "Rechnung",
            "part_l": "Betroffener Betrag (leer lassen für die ganze Rechnung)", "reason_code_l": "Worum geht es",
            "reason_l": "Ihre Erläuterung", "dispute_b": "Senden",
            "done_promise": "Danke: Wir haben Ihre Zusage notiert.",
            "done_plan": "Danke: Ihr Vorschlag ist bei uns, wir melden uns.",
            "done_dispute": "Danke: Wir sehen uns das an und fordern den beanstandeten Betrag bis dahin nicht an.",
            "problem": "Das hat nicht geklappt:", "told_h": "Ihre Angaben",
            "told_promise": "Sie haben zugesagt, {amount} bis {date} zu zahlen ({invoices}).",
            "told_plan": "Sie haben eine Ratenzahlung für {invoices} vorgeschlagen: {instalments}.",
            "told_dispute": "Sie haben {invoice} beanstandet: {reason}",
            "questions": "Fragen? Schreiben Sie an",
        ],
        .fr: [
            "pay_now": "Payer maintenant", "paid_h": "Déjà payé ?",
            "paid_text":
                "Dites-le-nous : nous ne vous relancerons pas pendant quelques jours, le temps que votre paiement nous parvienne.",
            "paid_b": "J’ai payé",
            "done_paid":
                "Merci : nous suspendons nos relances quelques jours, le temps que votre paiement nous parvienne.",
            "heading": "Votre compte chez",
            "intro": "Ce qui reste dû sur votre compte aujourd’hui. Pas d’identifiant : le lien ouvre votre page.",
            "invoice": "Facture", "issued": "Émise le", "due": "Échéance", "open": "Reste dû", "status": "Situation",
            "terms": "Conditions", "document": "Copie", "download": "Télécharger", "disputed": "contesté",
            "total_open": "Total restant dû", "nothing_open": "Rien ne reste dû. Merci !",
            "saving_line": "Réglez {amount} avant le {date} et économisez {saving}.",
            "how_to_pay": "Comment régler", "reference": "Merci d’indiquer cette référence avec votre paiement",
            "references": "Merci d’indiquer la référence de chaque facture avec votre paiement",
            "scan": "Scannez avec votre application bancaire pour remplir le virement",
            "promise_h": "Indiquer une date de paiement", "invoices_l": "Factures",
            "all_open": "Toutes les factures ouvertes", "date_l": "Je paierai au plus tard le",
            "amount_l": "Montant (laisser vide pour la totalité)", "promise_b": "Envoyer mon engagement",
            "plan_h": "Proposer un échéancier", "instalments_l": "Mensualités",
            "first_l": "Première échéance le", "plan_b": "Envoyer ma proposition",
            "dispute_h": "Signalez-nous un problème", "invoice_l": "Facture",
            "part_l": "Montant concerné (laisser vide pour toute la facture)", "reason_code_l": "De quoi s’agit-il",
            "reason_l": "Votre explication", "dispute_b": "Envoyer",
            "done_promise": "Merci : nous avons noté votre engagement.",
            "done_plan": "Merci : nous avons reçu votre proposition et reviendrons vers vous.",
            "done_dispute":
                "Merci : nous examinons la question et ne réclamons rien pour le montant contesté d’ici là.",
            "problem": "Cela n’a pas abouti :", "told_h": "Ce que vous nous avez indiqué",
            "told_promise": "Vous vous êtes engagé à payer {amount} avant le {date} ({invoices}).",
            "told_plan": "Vous avez proposé un échéancier pour {invoices} : {instalments}.",
            "told_dispute": "Vous avez contesté {invoice} : {reason}",
            "questions": "Des questions ? Écrivez à",
        ],
        .nl: [
            "pay_now": "Nu betalen", "paid_h": "Al betaald?",
            "paid_text": "Laat het ons weten: dan herinneren we u enkele dagen niet, tot uw betaling ons bereikt.",
            "paid_b": "Ik heb betaald",
            "done_paid": "Dank u: we pauzeren onze herinneringen enkele dagen, tot uw betaling ons bereikt.",
            "heading": "Uw rekening bij",
            "intro": "Wat er vandaag op uw rekening openstaat. Inloggen is niet nodig: de link opent uw pagina.",
            "invoice": "Factuur", "issued": "Datum", "due": "Vervaldatum", "open": "Openstaand", "status": "Stand",
            "terms": "Voorwaarden", "document": "Kopie", "download": "Downloaden", "disputed": "betwist",
            "total_open": "Totaal openstaand", "nothing_open": "Er staat niets open. Dank u wel!",
            "saving_line": "Betaal {amount} vóór {date} en bespaar {saving}.",
            "how_to_pay": "Zo kunt u betalen", "reference": "Vermeld dit betalingskenmerk bij uw betaling",
            "references": "Vermeld bij uw betaling het betalingskenmerk van elke factuur",
            "scan": "Scan met uw bankapp om de overschrijving in te vullen",
            "promise_h": "Betaaldatum toezeggen", "invoices_l": "Facturen", "all_open": "Alle openstaande facturen",
            "date_l": "Ik betaal uiterlijk op", "amount_l": "Bedrag (leeg laten voor alles wat openstaat)",
            "promise_b": "Toezegging versturen",
            "plan_h": "Betalingsregeling voorstellen", "instalments_l": "Maandelijkse termijnen",
            "first_l": "Eerste termijn op", "plan_b": "Voorstel versturen",
            "dispute_h": "Laat ons weten wat er niet klopt", "invoice_l": "Factuur",
            "part_l": "Betrokken bedrag (leeg laten voor de hele factuur)", "reason_code_l": "Waar gaat het om",
            "reason_l": "Uw toelichting", "dispute_b": "Versturen",
            "done_promise": "Dank u: we hebben uw toezegging genoteerd.",
            "done_plan": "Dank u: we hebben uw voorstel ontvangen en komen erop terug.",
            "done_dispute": "Dank u: we zoeken het uit en vragen intussen niets voor wat u betwist.",
            "problem": "Dat is niet gelukt:", "told_h": "Wat u ons liet weten",
            "told_promise": "U hebt toegezegd {amount} uiterlijk op {date} te betalen ({invoices}).",
            "told_plan": "U hebt een betalingsregeling voorgesteld voor {invoices}: {instalments}.",
            "told_dispute": "U hebt {invoice} betwist: {reason}",
            "questions": "Vragen? Schrijf naar",
        ],
    ]
}
