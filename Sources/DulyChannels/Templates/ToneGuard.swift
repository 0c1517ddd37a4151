import DulyCore
import Foundation

/// One thing the tone guard objects to in a template.
public struct ToneFinding: Hashable, Sendable, CustomStringConvertible {
    /// Whether the finding refuses the template.
    public enum Severity: String, Hashable, Sendable {
        /// The template is refused when loaded.
        case error
        /// Allowed, but `duly templates lint` points it out.
        case warning
    }

    /// What kind of wording was found.
    public enum Rule: String, CaseIterable, Hashable, Sendable {
        /// Courts, lawyers, collection agencies, bailiffs, legal action: the next step of `non_payment` only.
        case legalEscalation = "legal_escalation"
        /// The name of a last step ("final notice", "letzte Mahnung", "mise en demeure"): `non_payment` only.
        case lastResort = "last_resort"
        /// Ultimatums ("failure to pay will", "final warning"): a threat before `non_payment`.
        case ultimatum
        /// Intimidation ("or else"): never.
        case intimidation
        /// Blaming the client ("you failed", "your negligence"): never.
        case blame
        /// Insults ("dishonest", "fraudster"): never.
        case insult
        /// Runs of capitals or a long all-caps word: shouting, never.
        case shouting
        /// "!!" and the like: never.
        case exclamationRun = "exclamation_run"
        /// A message to the client with no way to answer it: no invitation to reply, no phone number, no portal
        /// link, no plan. Never.
        case noWayForward = "no_way_forward"
    }

    public var location: TemplateLocation
    public var stage: Stage
    /// 1-based line in the template part.
    public var line: Int
    /// The words as they appear in the template.
    public var phrase: String
    public var rule: Rule
    public var severity: Severity
    /// Whether the phrase was found in a message as written out, its values filled in (a signature, payment
    /// instructions, a note), rather than in the template; `line` is then the message's line.
    public var asFilledIn: Bool

    public init(
        location: TemplateLocation, stage: Stage, line: Int, phrase: String, rule: Rule, severity: Severity,
        asFilledIn: Bool = false
    ) {
        self.location = location
        self.stage = stage
        self.line = line
        self.phrase = phrase
        self.rule = rule
        self.severity = severity
        self.asFilledIn = asFilledIn
    }

    public var template: String { location.template }
    public var language: String { location.language }

    /// Why the phrase is a problem at this stage, in a sentence.
    public var reason: String {
        switch rule {
        case .legalEscalation:
            return "mentions legal or external escalation, a threat before non_payment; "
                + "keep the \(stage.rawValue) voice positive and offer a way to pay"
        case .lastResort:
            return "announces a last step, which belongs to non_payment only; keep the \(stage.rawValue) voice positive"
        case .ultimatum:
            return stage == .nonPayment
                ? "reads as an ultimatum; state the next step and its date factually instead"
                : "is an ultimatum, a threat before non_payment; keep the \(stage.rawValue) voice positive"
        case .intimidation:
            return "is intimidation, never acceptable at any stage"
        case .blame:
            return "blames the client; describe the facts (what is open, since when) instead"
        case .insult:
            return "is insulting, never acceptable at any stage"
        case .shouting:
            return "is written in capitals, which reads as shouting"
        case .exclamationRun:
            return "is a run of exclamation marks, which reads as shouting"
        case .noWayForward:
            return "leaves the client no way forward; invite a reply, give the phone number or the portal link, "
                + "or offer a plan"
        }
    }

    /// `error: first_follow_up (de, text), line 4: "Inkasso" mentions legal or external escalation, …`; a finding
    /// in a message as written out says so: `… (de, text) as filled in, line 12: …`.
    public var description: String {
        let whole = rule == .noWayForward ? "the message" : "line \(line): \"\(phrase)\""
        return "\(severity.rawValue): \(location)\(asFilledIn ? " as filled in" : ""), \(whole) \(reason)"
    }
}

/// Checks a template's own words (not the values filled in) against the voice of its stage (docs/PRODUCT.md, "Stages").
///
/// In `pre_due` and `delayed`, legal and external escalation, the names of last steps ("final notice") and
/// ultimatums are errors; in `non_payment` factual mentions of the next step (agency, lawyer, court proceedings,
/// a final notice) are allowed and ultimatum wording is a warning.
/// Intimidation, blame, insults, capitals and exclamation runs are errors at every stage. Phrases are matched on
/// whole words, case-insensitively, in English, German, French and Dutch alike (a client may get a template in a
/// fallback language, and a German word in an English template is no less a threat), so "courteous" is not "court".
/// The text is read as the eye reads it (`normalised`); words match by their stems (`stem`), and English
/// contractions count as their words; a phrase of three
/// words or more may have two words between its parts; the wording the law requires once an invoice is overdue
/// (`requiredByLaw`) is allowed from `delayed` on.
public enum ToneGuard {
    /// A phrase the guard looks for: words that must follow one another, in any inflection; a trailing `*` on the
    /// last word matches any word starting with it (`inkasso*` matches "Inkassobüro"); a leading `=` asks for the
    /// words exactly as written, where a stem would be another common word (`=rechter`, whose stem is "recht").
    struct Phrase: Sendable {
        var words: [String]
        /// Each word's stem (`ToneGuard.stem`), as written: "ignored" is "ignor", "proceedings" stays itself.
        var stems: [String]
        var rule: ToneFinding.Rule
        var prefix: Bool

        init(_ text: String, _ rule: ToneFinding.Rule) {
            prefix = text.hasSuffix("*")
            words = text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map {
                ToneGuard.expanded(String($0))
            }
            let exact = text.hasPrefix("=")
            stems = words.map { exact ? $0 : ToneGuard.stem($0, endings: ToneGuard.phraseEndings) }
            self.rule = rule
        }
    }

    // Inflections in Duly's four languages, longest first: plurals, verb forms, German and Dutch adjective endings.
    // A word and a phrase's word match when their stems do, so "ignoring" is "ignored" and "gerichtlichen"
    // "gerichtliche". A phrase's own words lose no "-ing": "proceedings" must not become "proceed".
    static let textEndings = ["ings", "ing", "ers", "ern", "ens", "es", "ed", "en", "er", "em", "s", "e"]
    static let phraseEndings = ["ers", "ern", "ens", "es", "ed", "en", "er", "em", "s", "e"]
    // Shorter stems would join unrelated words ("sue" and "sued" are listed as they are).
    private static let shortestStem = 4

    /// The word without its inflection: the longest of `endings` it ends with, when at least four letters remain.
    static func stem(_ lowercased: String, endings: [String] = textEndings) -> String {
        for ending in endings where lowercased.count - ending.count >= shortestStem && lowercased.hasSuffix(ending) {
            return String(lowercased.dropLast(ending.count))
        }
        return lowercased
    }

    // English contractions read as the words they stand for, in the text and the phrases alike: "we'll be forced"
    // is "we will be forced".
    static func expanded(_ lowercased: String) -> String {
        switch lowercased {
        case "ll": return "will"
        case "re": return "are"
        case "ve": return "have"
        default: return lowercased
        }
    }

    /// Wording the law asks for once an invoice is overdue, which the guard would otherwise read as a threat: the
    /// French fixed compensation "pour frais de recouvrement" (art. D441-5) and the Dutch "incassokosten" a 14-day
    /// letter must announce (art. 6:96 BW). Allowed from `delayed` on; before the due date it is still a threat.
    static let requiredByLaw: [Phrase] = [
        "frais de recouvrement", "buitengerechtelijke incassokosten", "incassokosten",
    ].map { Phrase($0, .legalEscalation) }

    // Words a phrase of three words or more may have between its own ("Sie haben unsere Erinnerungen ignoriert",
    // "we will then be forced"), on the same line. Two-word phrases must be whole: "or if something else" is no
    // "or else".
    private static let wordsAllowedBetween = 2

    /// Capitalised words that are not shouting: currency codes and the acronyms of invoicing and payments.
    public static let acronyms: Set<String> = [
        "BIC", "IBAN", "SWIFT", "SEPA", "VAT", "PDF", "HTML", "URL", "PO", "EOM", "ID", "UBL", "PEPPOL", "ISO", "EU",
        "UK", "USA", "GMBH", "AG", "KG", "OHG", "UG", "BV", "NV", "VOF", "SA", "SARL", "SAS", "SRL", "LTD", "PLC",
        "LLC", "INC", "BTW", "TVA", "MWST", "UST", "KVK", "SIRET", "SIREN", "RCS", "HRB", "CET", "CEST", "UTC", "BGB",
        "HGB", "FAQ", "CEO", "CFO", "RF", "QR", "NB", "PS", "OK",
    ]

    static let phrases: [Phrase] = {
        var list: [Phrase] = []
        func add(_ rule: ToneFinding.Rule, _ texts: [String]) { list += texts.map { Phrase($0, rule) } }
        add(
            .legalEscalation,
            [
                // English
                "legal action", "legal steps", "legal proceedings", "legal measures", "court", "courts",
                "court proceedings", "lawyer", "lawyers", "solicitor", "solicitors", "attorney", "attorneys",
                "collection agency", "collection agencies", "collections agency", "debt collector",
                "debt collectors", "debt collection", "bailiff", "bailiffs", "sue", "sued", "lawsuit",
                "litigation", "tribunal", "enforcement officer",
                // German
                "rechtliche schritte", "rechtlichen schritte", "rechtlichen schritten", "juristische schritte",
                "gerichtliche schritte", "gericht", "gerichtlich*", "gerichts", "gerichtsvollzieher*", "anwalt",
                "anwalts", "anwältin", "rechtsanwalt*", "rechtsanwält*", "inkasso*", "mahnbescheid*", "klage",
                "verklagen", "zwangsvollstreckung",
                // French
                "huissier*", "tribunal", "tribunaux", "poursuite*", "recouvrement*", "avocat", "avocats",
                "action en justice", "actions en justice", "procédure judiciaire", "procédures judiciaires",
                "injonction de payer", "contentieux", "en justice",
                // Dutch
                "incasso*", "deurwaarder*", "=rechter", "=rechters", "rechtbank*", "juridische stappen",
                "juridische maatregelen", "gerechtelijke stappen", "gerechtelijke procedure", "advocaat",
                "advocaten", "dagvaarding*", "beslaglegging",
                // Enforcement and proceedings, in all four
                "enforcement", "proceedings", "county court judgment", "small claims", "vollstreckung*",
                "gerichtsverfahren", "mahnverfahren", "exécution forcée", "procédure de recouvrement", "executie*",
                "gerechtelijke invordering",
            ])
        add(
            .lastResort,
            [
                "final notice", "final reminder", "final demand", "letter before action", "letzte mahnung",
                "letzten mahnung", "mise en demeure", "dernière relance", "dernier rappel", "laatste aanmaning",
                "laatste herinnering", "ingebrekestelling", "sommatie",
            ])
        add(
            .ultimatum,
            [
                "failure to pay will", "failure to pay", "final warning", "last warning", "last chance",
                "no choice but", "we will be forced",
                "letzte warnung", "letzte chance", "andernfalls sehen wir uns gezwungen",
                "dernier avertissement", "dernière chance", "faute de paiement", "nous serons contraints",
                "laatste waarschuwing", "laatste kans", "genoodzaakt",
                // "No other choice"
                "no other choice", "no alternative but", "keine andere wahl", "bleibt uns nichts anderes übrig",
                "pas d’autre choix", "aucun autre choix", "geen andere keuze", "geen andere mogelijkheid",
                // Credit registers
                "credit rating", "credit reference agency", "credit reference agencies", "credit file", "schufa",
                "auskunftei*", "bonität*", "fichier des incidents", "banque de france", "bkr",
                "kredietregistratie", "zwarte lijst",
                // Stopping supplies or service
                "stop supplying", "stop deliveries", "suspend deliveries", "suspend your account", "suspend service",
                "lieferstopp", "liefersperre", "lieferungen einstellen", "suspendre les livraisons",
                "suspension des livraisons", "cesser les livraisons", "leveringen stopzetten", "leveringsstop",
                "leveringen opschorten",
            ])
        add(
            .intimidation,
            [
                "or else", "you will regret", "you'll regret", "we know where", "consequences for you",
                "sonst passiert", "werden sie bereuen", "vous le regretterez", "gare à vous", "anders zwaait er",
                "u zult er spijt van krijgen",
            ])
        add(
            .blame,
            [
                "you failed", "you have failed", "you neglected", "you have neglected", "your negligence",
                "you ignored", "you have ignored", "your fault", "you chose not to", "irresponsible",
                "sie haben versäumt", "ihr versäumnis", "ihre nachlässigkeit", "sie haben es versäumt",
                "ihre schuld", "vous avez omis", "vous avez négligé", "votre négligence", "votre faute",
                "vous avez ignoré", "u heeft nagelaten", "u hebt nagelaten", "uw nalatigheid", "uw schuld",
                "u heeft genegeerd", "sie haben ignoriert", "vous avez ignoré", "u hebt genegeerd",
            ])
        add(
            .insult,
            [
                "dishonest", "liar", "liars", "fraud", "fraudster", "fraudsters", "thief", "thieves", "scam",
                "scammer", "incompetent", "pathetic", "ridiculous", "shameful", "disgraceful", "stupid", "deadbeat",
                "betrüger*", "unverschämt*", "lächerlich*", "inkompetent*", "dreist*", "schämen",
                "escroc*", "malhonnête*", "honteu*", "ridicule*", "incompétent*", "voleur*", "mauvais payeur*",
                "oplichter*", "fraudeur*", "schandalig*", "belachelijk*", "wanbetaler*", "oneerlijk*",
            ])
        return list
    }()

    /// Every finding for one part of one template.
    public static func check(_ source: String, at location: TemplateLocation, stage: Stage) -> [ToneFinding] {
        let blanked = MustacheTag.blankingTags(in: source)
        let text = normalised(location.part == .html ? visibleText(ofHTML: blanked) : blanked)
        var findings: [ToneFinding] = []
        func report(_ rule: ToneFinding.Rule, _ phrase: String, _ line: Int) {
            let severity: ToneFinding.Severity?
            switch (rule, stage) {
            case (.legalEscalation, .nonPayment), (.lastResort, .nonPayment): severity = nil
            case (.ultimatum, .nonPayment): severity = .warning
            default: severity = .error
            }
            guard let severity else { return }
            findings.append(
                ToneFinding(
                    location: location, stage: stage, line: line, phrase: phrase, rule: rule, severity: severity))
        }
        let words = self.words(in: text)
        // Phrases, longest first at each position so "court proceedings" is one finding, not two.
        var index = 0
        while index < words.count {
            if stage != .preDue, let allowed = requiredByLaw.compactMap({ matchEnd($0, words, at: index) }).max() {
                index = allowed
                continue
            }
            var matched = 0
            var end = index + 1
            for phrase in phrases where phrase.words.count > matched {
                guard let phraseEnd = matchEnd(phrase, words, at: index) else { continue }
                let last = words[phraseEnd - 1]
                report(
                    phrase.rule, String(text[words[index].range.lowerBound..<last.range.upperBound]),
                    words[index].line)
                matched = phrase.words.count
                end = max(end, phraseEnd)
            }
            index = matched > 0 ? end : index + 1
        }
        shouting(words, in: text, report: report)
        if location.part == .html { upperCasingStyles(in: blanked, report: report) }
        exclamationRuns(in: text, report: report)
        return collapse(findings)
    }

    /// Whether a client message's part offers a way forward: a field that gives one (`reply_to`, `sender_email`,
    /// `phone`, `portal_link`), or wording that invites an answer, a call or a plan in one of Duly's languages
    /// ("reply to this email", "rufen Sie uns an", "contactez-nous", "neem contact op").
    public static func offersWayForward(_ source: String, part: TemplatePart) -> Bool {
        if MustacheTag.scan(source).contains(where: { $0.kind == .variable && wayForwardFields.contains($0.name) }) {
            return true
        }
        let blanked = MustacheTag.blankingTags(in: source)
        let words = self.words(in: normalised(part == .html ? visibleText(ofHTML: blanked) : blanked))
        return words.indices.contains { index in wayForward.contains { matchEnd($0, words, at: index) != nil } }
    }

    private static let wayForwardFields: Set<String> = ["reply_to", "sender_email", "phone", "portal_link"]

    // Invitations to answer, as the built-in messages word them and as a credit controller would.
    private static let wayForward: [Phrase] = [
        // English
        "reply", "replies", "call us", "contact us", "get in touch", "let us know", "tell us", "talk it through",
        "write to us", "payment plan", "in instalments",
        // German
        "antworten sie", "antworten", "antwort", "rufen sie uns an", "melden sie sich", "sprechen sie uns an",
        "kontaktieren sie uns", "teilen sie uns", "geben sie uns bescheid", "schreiben sie uns", "sagen sie uns",
        "nennen sie uns", "lassen sie es uns wissen", "lassen sie uns wissen", "ratenzahlung",
        "in raten",
        // French
        "répondez", "répondre", "réponse", "contactez", "appelez", "faites-nous savoir", "dites-nous",
        "écrivez-nous", "indiquez-nous", "échéancier", "plan de paiement",
        // Dutch
        "antwoord", "beantwoord", "reageer", "reageert", "reactie", "neem contact", "bel ons", "laat ons weten",
        "laat het ons weten", "laat u ons weten", "betalingsregeling",
    ].map { Phrase($0, .noWayForward) }

    /// `text` with each of `values` (longest first) replaced by spaces, as written in it: escaped, in HTML.
    public static func blanking(_ values: [String], in text: String, html: Bool) -> String {
        var result = text
        for value in values {
            let written = html ? HTML.escape(value) : value
            guard !written.isEmpty else { continue }
            result = result.replacingOccurrences(of: written, with: String(repeating: " ", count: written.count))
        }
        return result
    }

    /// The text as a reader sees it, whatever code points spell it: compatibility forms folded (full-width letters
    /// and marks, ligatures), the invisible characters that would split a word removed (soft hyphens, zero-width
    /// spaces and joiners, word joiners, byte-order marks), and the Cyrillic and Greek letters that look Latin read
    /// as Latin (Duly's languages write neither script). Line breaks stay where they were.
    static func normalised(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars {
            if invisible.contains(scalar.value) { continue }
            result.append(lookAlikes[scalar] ?? scalar)
        }
        return String(result)
    }

    private static let invisible: Set<UInt32> = [0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]

    private static let lookAlikes: [Unicode.Scalar: Unicode.Scalar] = {
        // Cyrillic and Greek letters drawn like Latin ones, lower and upper case.
        let pairs: [(String, String)] = [
            ("аеорсухіјѕԁԛԝӏ", "aeopcyxijsdqwl"), ("АВЕКМНОРСТХУІЈЅ", "ABEKMHOPCTXYIJS"),
            ("οαειкνρτυχ", "oaeikvptux"), ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX"),
        ]
        var map: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (from, to) in pairs {
            for (look, latin) in zip(from.unicodeScalars, to.unicodeScalars) { map[look] = latin }
        }
        return map
    }()

    // CSS that turns words into capitals (`text-transform: uppercase`) shouts as surely as capitals typed.
    private static func upperCasingStyles(in html: String, report: (ToneFinding.Rule, String, Int) -> Void) {
        let compact = html.lowercased().filter { !$0.isWhitespace || $0.isNewline }
        var line = 1
        var index = compact.startIndex
        while index < compact.endIndex {
            if compact[index].isNewline {
                line += 1
            } else if compact[index...].hasPrefix("text-transform:uppercase") {
                report(.shouting, "text-transform: uppercase", line)
            }
            index = compact.index(after: index)
        }
    }

    private struct Word {
        var text: String
        var lower: String
        var stem: String
        var range: Range<String.Index>
        var line: Int
    }

    // A word is a run of letters and digits; apostrophes and hyphens separate words, so "l’huissier" holds
    // "huissier" and "you'll" is "you" "ll" in the text and in the phrases alike.
    private static func words(in text: String) -> [Word] {
        var result: [Word] = []
        var line = 1
        var start: String.Index?
        var index = text.startIndex
        func close(at end: String.Index) {
            guard let wordStart = start else { return }
            let word = String(text[wordStart..<end])
            let lower = expanded(word.lowercased())
            result.append(Word(text: word, lower: lower, stem: stem(lower), range: wordStart..<end, line: line))
            start = nil
        }
        while index < text.endIndex {
            let character = text[index]
            if character.isLetter || character.isNumber {
                if start == nil { start = index }
            } else {
                close(at: index)
                if character.isNewline { line += 1 }
            }
            index = text.index(after: index)
        }
        close(at: text.endIndex)
        return result
    }

    // Where `phrase` ends (the index after its last word) when it starts at `index`, or nil. After its first word,
    // each of its words may come up to `wordsAllowedBetween` words later, on the same line.
    private static func matchEnd(_ phrase: Phrase, _ words: [Word], at index: Int) -> Int? {
        func fits(_ word: Word, _ offset: Int) -> Bool {
            let expected = phrase.words[offset]
            if offset == phrase.words.count - 1 && phrase.prefix { return word.lower.hasPrefix(expected) }
            // The bare stem is no inflection of the word ("fail" is not "failed").
            return word.lower == expected || (word.stem == phrase.stems[offset] && word.lower != word.stem)
        }
        guard index < words.count, fits(words[index], 0) else { return nil }
        let gap = phrase.words.count >= 3 ? wordsAllowedBetween : 0
        var position = index
        for offset in 1..<max(phrase.words.count, 1) {
            var next: Int?
            for candidate in (position + 1)...(position + 1 + gap) where candidate < words.count {
                guard words[candidate].line == words[index].line else { break }
                if fits(words[candidate], offset) {
                    next = candidate
                    break
                }
            }
            guard let found = next else { return nil }
            position = found
        }
        return position + 1
    }

    private static func shouting(
        _ words: [Word], in text: String, report: (ToneFinding.Rule, String, Int) -> Void
    ) {
        // Codes are not shouting: words with digits (IBANs, references) and the code after "BIC" or "SWIFT".
        func isCapitals(_ word: Word, after previous: Word?) -> Bool {
            let letters = word.text.filter(\.isLetter)
            guard letters.count == word.text.count, previous?.text != "BIC", previous?.text != "SWIFT" else {
                return false
            }
            return letters.count >= 2 && letters.allSatisfy(\.isUppercase)
                && !acronyms.contains(letters.uppercased()) && Currency(code: letters) == nil
        }
        var run: [Word] = []
        func flush() {
            if run.count >= 3 {
                report(.shouting, String(text[run.first!.range.lowerBound..<run.last!.range.upperBound]), run[0].line)
            } else {
                for word in run where word.text.filter(\.isLetter).count >= 5 {
                    report(.shouting, word.text, word.line)
                }
            }
            run = []
        }
        for (index, word) in words.enumerated() {
            if isCapitals(word, after: index > 0 ? words[index - 1] : nil) {
                run.append(word)
            } else if word.text.count == 1 && word.text.allSatisfy(\.isUppercase) {
                continue  // "I", "A": neither shouting nor a break in it
            } else {
                flush()
            }
        }
        flush()
    }

    private static func exclamationRuns(
        in text: String, report: (ToneFinding.Rule, String, Int) -> Void
    ) {
        var line = 1
        var run = ""
        var runLine = 1
        func flush() {
            if run.filter({ $0 == "!" }).count >= 1 && run.filter({ $0 == "!" || $0 == "?" }).count >= 2 {
                report(.exclamationRun, run, runLine)
            }
            run = ""
        }
        for character in text {
            if character == "!" || character == "?" || character == "¡" {
                if run.isEmpty { runLine = line }
                run.append(character)
            } else if character == " " && !run.isEmpty {
                continue  // "! !" is still a run
            } else {
                flush()
            }
            if character.isNewline { line += 1 }
        }
        flush()
    }

    /// The text a reader sees in an HTML template: no tags, no `<style>` or `<script>` content, entities decoded.
    /// Line breaks are kept so findings name the template's own line.
    static func visibleText(ofHTML html: String) -> String {
        var result = ""
        var index = html.startIndex
        while index < html.endIndex {
            let rest = html[index...]
            if rest.hasPrefix("<") {
                let lower = rest.prefix(8).lowercased()
                var end: String.Index
                if lower.hasPrefix("<style") || lower.hasPrefix("<script") {
                    let closing = lower.hasPrefix("<style") ? "</style>" : "</script>"
                    end =
                        rest.firstRange(of: closing)?.upperBound ?? rest.firstRange(of: closing.uppercased())?
                        .upperBound
                        ?? html.endIndex
                } else {
                    end = rest.firstIndex(of: ">").map { html.index(after: $0) } ?? html.endIndex
                }
                result += html[index..<end].map { $0.isNewline ? String($0) : " " }.joined()
                index = end
            } else if rest.hasPrefix("&"), let semicolon = rest.prefix(10).firstIndex(of: ";") {
                let entity = String(rest[rest.index(after: rest.startIndex)..<semicolon])
                let decoded = entities[entity]
                result += decoded ?? String(rest[..<rest.index(after: semicolon)])
                index = rest.index(after: semicolon)
            } else {
                result.append(html[index])
                index = html.index(after: index)
            }
        }
        return result
    }

    private static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "#39": "'", "apos": "'", "nbsp": " ", "mdash": "—",
        "ndash": "–", "hellip": "…",
    ]

    // A phrase can be matched twice by overlapping rules ("failure to pay will" and "failure to pay"); keep one.
    private static func collapse(_ findings: [ToneFinding]) -> [ToneFinding] {
        var seen: Set<ToneFinding> = []
        return findings.filter { seen.insert($0).inserted }
    }
}
