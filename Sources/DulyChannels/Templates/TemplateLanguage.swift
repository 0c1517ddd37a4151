import DulyCore

/// A language Duly ships built-in templates and number formats for.
///
/// Formats, chosen to read naturally in each language and computed exactly from `Money` (no floating point):
///
/// | language | amount | date | percentage |
/// |---|---|---|---|
/// | `en` | `EUR 1,250.00` | `12 March 2026` | `2%` |
/// | `de` | `1.250,00 EUR` | `12. März 2026` | `2 %` |
/// | `fr` | `1 250,00 EUR` | `12 mars 2026` (`1er mars 2026`) | `2 %` |
/// | `nl` | `1.250,00 EUR` | `12 maart 2026` | `2%` |
///
/// The space between an amount and its currency code, and before `%` in German, is a no-break space (U+00A0) so a
/// line never breaks inside an amount; French groups thousands and spaces `%` with a narrow no-break space (U+202F),
/// as French typography does. The number of decimals is the currency's own (`JPY 1,250`, `KWD 1.250`).
public enum TemplateLanguage: String, CaseIterable, Sendable, Hashable, Comparable {
    case en, de, fr, nl

    /// The language for a customer's language tag (`de`, `de-CH`, `FR`), or nil when Duly has none for it.
    public init?(tag: String?) {
        guard let tag else { return nil }
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
        self.init(rawValue: primary)
    }

    public static func < (lhs: TemplateLanguage, rhs: TemplateLanguage) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    // MARK: - Amounts

    /// An amount with its currency code, exactly from its minor units: `EUR 1,250.00`, `1.250,00 EUR`.
    /// What a letter's payment code does: "Scan with your banking app to pay EUR 1,250.00".
    func scanToPay(_ amount: String) -> String {
        switch self {
        case .en: "Scan with your banking app to pay \(amount)"
        case .de: "Mit Ihrer Banking-App scannen, um \(amount) zu überweisen"
        case .fr: "Scannez avec votre application bancaire pour régler \(amount)"
        case .nl: "Scan met uw bank-app om \(amount) te betalen"
        }
    }

    /// "Direct line", as a signature labels a collector's own number.
    var directLine: String {
        switch self {
        case .en: "Direct line"
        case .de: "Durchwahl"
        case .fr: "Ligne directe"
        case .nl: "Direct nummer"
        }
    }

    public func format(_ money: Money) -> String {
        let number = formatNumber(money)
        switch self {
        case .en: return money.currency.code + "\u{A0}" + number
        case .de, .fr, .nl: return number + "\u{A0}" + money.currency.code
        }
    }

    /// Several amounts in different currencies, joined: `EUR 10.00 + USD 5.00`.
    public func format(_ amounts: [Money]) -> String {
        amounts.map(format).joined(separator: " + ")
    }

    private var groupSeparator: String {
        switch self {
        case .en: return ","
        case .de, .nl: return "."
        case .fr: return "\u{202F}"
        }
    }

    private var decimalSeparator: String { self == .en ? "." : "," }

    private func formatNumber(_ money: Money) -> String {
        let digits = money.currency.minorUnitDigits
        let magnitude = money.minorUnits.magnitude
        let perMajor = UInt(money.currency.minorUnitsPerMajor)
        let whole = String(magnitude / perMajor)
        var grouped = ""
        for (offset, character) in whole.enumerated() {
            if offset > 0 && (whole.count - offset) % 3 == 0 { grouped += groupSeparator }
            grouped.append(character)
        }
        var number = (money.minorUnits < 0 ? "-" : "") + grouped
        if digits > 0 {
            let fraction = String(magnitude % perMajor)
            number += decimalSeparator + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return number
    }

    // MARK: - Percentages and dates

    /// A rate in basis points as a percentage: 200 is `2%` (en), `2 %` (de); 150 is `1.5%`, `1,5 %`.
    public func formatPercent(basisPoints: Int) -> String {
        let whole = basisPoints / 100
        let rest = basisPoints % 100
        var number = String(whole)
        if rest != 0 {
            let two = rest < 10 ? "0\(rest)" : String(rest)
            number += decimalSeparator + (two.hasSuffix("0") ? String(two.dropLast()) : two)
        }
        switch self {
        case .en, .nl: return number + "%"
        case .de: return number + "\u{A0}%"
        case .fr: return number + "\u{202F}%"
        }
    }

    /// A date written out: `12 March 2026`, `12. März 2026`, `1er mars 2026`, `12 maart 2026`.
    public func format(_ date: LocalDate) -> String {
        let month = monthNames[date.month - 1]
        switch self {
        case .en: return "\(date.day) \(month) \(date.year)"
        case .de: return "\(date.day). \(month) \(date.year)"
        case .fr: return "\(date.day == 1 ? "1er" : String(date.day)) \(month) \(date.year)"
        case .nl: return "\(date.day) \(month) \(date.year)"
        }
    }

    private var monthNames: [String] {
        switch self {
        case .en:
            return [
                "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December",
            ]
        case .de:
            return [
                "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                "November", "Dezember",
            ]
        case .fr:
            return [
                "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                "novembre", "décembre",
            ]
        case .nl:
            return [
                "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                "november", "december",
            ]
        }
    }

    // MARK: - Days and terms

    /// `1 day`, `12 days`; `1 Tag`, `12 Tagen` (dative, as after "innerhalb von" and "seit"); `1 jour`; `1 dag`.
    func days(_ count: Int) -> String {
        switch self {
        case .en: return count == 1 ? "1 day" : "\(count) days"
        case .de: return count == 1 ? "1 Tag" : "\(count) Tagen"
        case .fr: return count == 1 ? "1 jour" : "\(count) jours"
        case .nl: return count == 1 ? "1 dag" : "\(count) dagen"
        }
    }

    /// Where an invoice stands against its due date, as a short phrase: `12 days overdue`, `due in 5 days`.
    public func dueStatus(daysPastDue: Int) -> String {
        if daysPastDue == 0 {
            switch self {
            case .en: return "due today"
            case .de: return "heute fällig"
            case .fr: return "échéance aujourd’hui"
            case .nl: return "vervalt vandaag"
            }
        }
        let count = abs(daysPastDue)
        if daysPastDue > 0 {
            switch self {
            case .en: return "\(days(count)) overdue"
            case .de: return "seit \(days(count)) überfällig"
            case .fr: return "échue depuis \(days(count))"
            case .nl: return "\(days(count)) na de vervaldatum"
            }
        }
        switch self {
        case .en: return "due in \(days(count))"
        case .de: return "fällig in \(days(count))"
        case .fr: return "échéance dans \(days(count))"
        case .nl: return "vervalt over \(days(count))"
        }
    }

    /// Payment terms in words: `net 30` is "payable within 30 days of the invoice date".
    public func words(for terms: PaymentTerms) -> String {
        switch (self, terms) {
        case (.en, .dueOnReceipt): return "payable on receipt of the invoice"
        case (.de, .dueOnReceipt): return "zahlbar sofort nach Erhalt der Rechnung"
        case (.fr, .dueOnReceipt): return "payable à réception de la facture"
        case (.nl, .dueOnReceipt): return "te betalen bij ontvangst van de factuur"
        case (.en, .net(let n)): return "payable within \(days(n)) of the invoice date"
        case (.de, .net(let n)): return "zahlbar innerhalb von \(days(n)) ab Rechnungsdatum"
        case (.fr, .net(let n)): return "payable sous \(days(n)) à compter de la date de facture"
        case (.nl, .net(let n)): return "te betalen binnen \(days(n)) na factuurdatum"
        case (.en, .earlyPaymentDiscount(let points, let early, let net)):
            return
                "\(formatPercent(basisPoints: points)) discount when paid within \(days(early)) of the invoice date, "
                + "otherwise payable in full within \(days(net))"
        case (.de, .earlyPaymentDiscount(let points, let early, let net)):
            return "\(formatPercent(basisPoints: points)) Skonto bei Zahlung innerhalb von \(days(early)) ab "
                + "Rechnungsdatum, sonst zahlbar ohne Abzug innerhalb von \(days(net))"
        case (.fr, .earlyPaymentDiscount(let points, let early, let net)):
            return "escompte de \(formatPercent(basisPoints: points)) pour un paiement sous \(days(early)) à compter "
                + "de la date de facture, sinon payable en totalité sous \(days(net))"
        case (.nl, .earlyPaymentDiscount(let points, let early, let net)):
            return "\(formatPercent(basisPoints: points)) korting bij betaling binnen \(days(early)) na factuurdatum, "
                + "anders te betalen binnen \(days(net))"
        case (.en, .endOfMonth): return "payable by the last day of the invoice month"
        case (.de, .endOfMonth): return "zahlbar bis zum Ende des Rechnungsmonats"
        case (.fr, .endOfMonth): return "payable à la fin du mois de facturation"
        case (.nl, .endOfMonth): return "te betalen uiterlijk op de laatste dag van de factuurmaand"
        case (.en, .netEndOfMonth(let n)): return "payable within \(days(n)) after the end of the invoice month"
        case (.de, .netEndOfMonth(let n)): return "zahlbar innerhalb von \(days(n)) nach Ende des Rechnungsmonats"
        case (.fr, .netEndOfMonth(let n)): return "payable sous \(days(n)) après la fin du mois de facturation"
        case (.nl, .netEndOfMonth(let n)): return "te betalen binnen \(days(n)) na het einde van de factuurmaand"
        }
    }

    /// A dispute's reason in words, for when the client's own words were not noted: "a question about the price".
    public func words(for reason: DisputeReason) -> String {
        switch (self, reason) {
        case (.en, .pricing): return "a question about the price"
        case (.en, .quantity): return "a question about the quantity"
        case (.en, .quality): return "a question about the quality"
        case (.en, .notReceived): return "not received"
        case (.en, .alreadyPaid): return "already paid"
        case (.en, .duplicate): return "a duplicate invoice"
        case (.en, .terms): return "a question about the terms"
        case (.en, .other): return "a question about the invoice"
        case (.de, .pricing): return "eine Frage zum Preis"
        case (.de, .quantity): return "eine Frage zur Menge"
        case (.de, .quality): return "eine Frage zur Qualität"
        case (.de, .notReceived): return "nicht erhalten"
        case (.de, .alreadyPaid): return "bereits bezahlt"
        case (.de, .duplicate): return "doppelt gestellte Rechnung"
        case (.de, .terms): return "eine Frage zu den Zahlungsbedingungen"
        case (.de, .other): return "eine Frage zur Rechnung"
        case (.fr, .pricing): return "une question sur le prix"
        case (.fr, .quantity): return "une question sur la quantité"
        case (.fr, .quality): return "une question sur la qualité"
        case (.fr, .notReceived): return "non reçu"
        case (.fr, .alreadyPaid): return "déjà payé"
        case (.fr, .duplicate): return "facture en double"
        case (.fr, .terms): return "une question sur les conditions de paiement"
        case (.fr, .other): return "une question sur la facture"
        case (.nl, .pricing): return "een vraag over de prijs"
        case (.nl, .quantity): return "een vraag over de hoeveelheid"
        case (.nl, .quality): return "een vraag over de kwaliteit"
        case (.nl, .notReceived): return "niet ontvangen"
        case (.nl, .alreadyPaid): return "al betaald"
        case (.nl, .duplicate): return "dubbel gefactureerd"
        case (.nl, .terms): return "een vraag over de betalingsvoorwaarden"
        case (.nl, .other): return "een vraag over de factuur"
        }
    }
}

// MARK: - French elision

extension TemplateLanguage {
    /// French "de" before a name, elided before a vowel sound as French writes it: `d’Odd Co`, `de Northwind`.
    ///
    /// An initial "h" is left alone: whether it elides depends on the word (l’hôtel, le héros), and "de H…" reads
    /// as a deliberate choice where a wrong "d’H…" reads as a mistake.
    static func frenchDe(_ name: String) -> String {
        // "de le § 288" is "du § 288", as "de les" is "des".
        if name.hasPrefix("le ") { return "du " + name.dropFirst(3) }
        return elided("de", before: name)
    }

    /// A law's citation as a French noun phrase: a French "article …" takes its article (`l’article L441-10 du
    /// Code de commerce`), a paragraph its own (`le § 288 Abs. 2 BGB`), a directive its own (`la directive …`); any
    /// other citation is left as the regime gives it.
    static func frenchCitation(_ basis: String) -> String {
        if basis.hasPrefix("article ") { return "l’" + basis }
        if basis.hasPrefix("§") { return "le " + basis }
        if basis.hasPrefix("directive ") { return "la " + basis }
        return basis
    }

    /// A law's citation in this language, where the law has a name in it: the EU late-payment directive is
    /// "Richtlinie 2011/7/EU" in German; a national law keeps the citation it has in its own country.
    func citation(_ basis: String) -> String {
        if basis == "article 6 of Directive 2011/7/EU" {
            switch self {
            case .en: return basis
            case .de: return "Art. 6 der Richtlinie 2011/7/EU"
            case .fr: return "article 6 de la directive 2011/7/UE"
            case .nl: return "artikel 6 van Richtlijn 2011/7/EU"
            }
        }
        guard basis.hasPrefix("Directive 2011/7/EU") else { return basis }
        switch self {
        case .en: return basis
        case .de: return "Richtlinie 2011/7/EU zur Bekämpfung von Zahlungsverzug im Geschäftsverkehr"
        case .fr:
            return "directive 2011/7/UE concernant la lutte contre le retard de paiement dans les transactions "
                + "commerciales"
        case .nl: return "Richtlijn 2011/7/EU betreffende bestrijding van betalingsachterstand bij handelstransacties"
        }
    }

    /// A French word that elides (`de`, `le`, `que`) before `name`: its last letter becomes an apostrophe before a
    /// vowel.
    static func elided(_ word: String, before name: String) -> String {
        guard let first = name.first, isFrenchVowel(first) else { return "\(word) \(name)" }
        return "\(word.dropLast())’\(name)"
    }

    private static func isFrenchVowel(_ character: Character) -> Bool {
        character.lowercased().first.map { "aàâäæeéèêëiîïoôöœuùûüyÿ".contains($0) } ?? false
    }
}
