import ArgumentParser
import DulyChannels
import DulyCore
import Foundation

/// `duly init`: creates (or updates) the organisation whose invoices Duly chases.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create or update the organisation (name, currency, country, time zone).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The business's name, as clients know it.")
    var name: String

    @Option(help: "Base currency, ISO 4217 (EUR, GBP, USD…).")
    var currency: String

    @Option(help: "Country, ISO 3166-1 alpha-2 (NL, GB, DE…): decides the late-payment law.")
    var country: String

    @Option(help: "IANA time zone (Europe/Amsterdam…): decides what \"today\" is.")
    var timezone: String

    @Option(help: "The address reminders come from (accounts@studio.example).")
    var fromAddress: String?

    @Option(help: "Where clients' replies go: the collections mailbox (default: the from address).")
    var replyTo: String?

    @Option(help: "The lines under every message's closing (default: the name; use \\n for a new line).")
    var signature: String?

    @Option(
        help: ArgumentHelp(
            "How to pay: bank, IBAN, what to quote (use \\n for a new line); once per language, tagged like "
                + "\"de=Bitte überweisen Sie …\" (untagged: the organisation's language).",
            valueName: "[LANG=]TEXT"))
    var paymentInstructions: [String] = []

    @Option(help: "The phone number clients may call (printed after \"call us\").")
    var phone: String?

    @Option(help: "The team's language for internal notes: en, de, fr or nl (default: from the country).")
    var language: String?

    @Option(help: "The postal address for letters, one line per option.")
    var postalAddress: [String] = []

    @Option(help: "The IBAN clients pay into: letters and PDFs then print an EPC payment code for euro invoices.")
    var iban: String?

    @Option(help: "The bank's BIC, carried in the payment code (optional).")
    var bic: String?

    @Option(help: "The collection agency a hand-over letter names (kept until set again).")
    var agencyName: String?

    @Option(help: "How clients reach the agency: an address line, email or phone, one per option.")
    var agencyContact: [String] = []

    @Option(
        help: """
            PDFs emails to clients carry: invoice (a copy of each invoice), statement (every open item, on \
            follow-ups), both comma separated, or none (kept until set again; needs chromium or weasyprint).
            """)
    var attach: String?

    func validate() throws {
        guard Currency(code: currency) != nil else {
            throw ValidationError("--currency '\(currency)' is not an ISO 4217 code")
        }
        guard country.count == 2, country.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw ValidationError("--country '\(country)' is not a two-letter ISO 3166-1 code")
        }
        guard TimeZone(identifier: timezone) != nil else {
            throw ValidationError("--timezone '\(timezone)' is not an IANA time zone (like Europe/Amsterdam)")
        }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--name is empty") }
        if let language, TemplateLanguage(rawValue: language.lowercased()) == nil {
            throw ValidationError("--language '\(language)' is not one Duly writes in: use en, de, fr or nl")
        }
        if let phone, phone.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--phone is empty") }
        if let agencyName, agencyName.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--agency-name is empty")
        }
        if let attach { _ = try InitCommand.attachments(attach) }
        if iban != nil || bic != nil { _ = try bankAccount() }
        if agencyName == nil && !agencyContact.isEmpty {
            throw ValidationError(
                "--agency-contact needs --agency-name: the letter names the agency it gives the contact of")
        }
        let instructions = try InitCommand.instructionsByLanguage(paymentInstructions)
        // Every message carries the signature and the payment instructions, the friendliest reminder too: they are
        // held to the pre-due voice, and refused here rather than at the first message.
        // The business's own name is a name, not wording: a firm called "Court Lane Solicitors" may sign with it.
        let carried = [("--signature", signature)] + instructions.values.map { ("--payment-instructions", $0) }
        for case (let option, let value?) in carried {
            let location = TemplateLocation(template: option, language: "", part: .text)
            let unescaped = ToneGuard.blanking(
                [name], in: value.replacingOccurrences(of: "\\n", with: "\n"), html: false)
            if let finding = ToneGuard.check(unescaped, at: location, stage: .preDue).first(where: {
                $0.severity == .error
            }) {
                throw ValidationError(
                    "\(option): \"\(finding.phrase)\" \(finding.reason) (every message carries it, the friendliest too)"
                )
            }
        }
        for (option, address) in [("--from-address", fromAddress), ("--reply-to", replyTo)] {
            guard let address else { continue }
            let parts = address.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
                !address.contains(where: { $0.isWhitespace || $0.isNewline })
            else { throw ValidationError("\(option) '\(address)' is not an email address") }
        }
    }

    func run() async throws {
        let store = try await global.openStore()
        let existing = try await store.organisation(id: global.organisationID)
        // A language set before stays unless this run sets another; else it follows the country.
        let keptLanguage = existing.flatMap {
            $0.language == Organisation.defaultLanguage(country: $0.country) ? nil : $0.language
        }
        var organisation = Organisation(
            id: global.organisationID, name: name, baseCurrency: Currency(code: currency)!,
            country: country.uppercased(),
            timeZone: timezone, language: language?.lowercased() ?? keptLanguage)
        organisation.holidays = existing?.holidays ?? []
        organisation.sender = existing?.sender
        organisation.agency = agencyName.map { CollectionAgency(name: $0, contact: agencyContact) } ?? existing?.agency
        organisation.attachments = try attach.map(InitCommand.attachments) ?? existing?.attachments ?? []
        let instructions = try InitCommand.instructionsByLanguage(paymentInstructions)
        // Untagged text, or text tagged with the organisation's own language, is the organisation's.
        let own = instructions[nil] ?? instructions[organisation.language]
        var translated: [String: String] = [:]
        for (language, text) in instructions {
            guard let language, language != organisation.language else { continue }
            translated[language] = text
        }
        if let fromAddress {
            organisation.sender = SenderIdentity(
                name: name, fromAddress: fromAddress, replyTo: replyTo,
                signature: (signature ?? name).replacingOccurrences(of: "\\n", with: "\n"),
                paymentInstructions: own ?? "", postalAddress: postalAddress, phone: phone,
                translatedPaymentInstructions: translated, iban: existing?.sender?.iban, bic: existing?.sender?.bic)
        } else if var sender = organisation.sender {
            // Without --from-address the sender stays as it was, but for what this run sets.
            if !instructions.isEmpty {
                sender.paymentInstructions = own ?? ""
                sender.translatedPaymentInstructions = translated
            }
            if let phone { sender.phone = phone }
            organisation.sender = sender
        }
        if iban != nil {
            guard organisation.sender != nil else {
                throw ValidationError("--iban needs the sender of messages: give --from-address too")
            }
            let account = try bankAccount()
            organisation.sender?.iban = account.iban
            organisation.sender?.bic = account.bic
        }
        try await store.saveOrganisation(organisation)
        print(
            "\(existing == nil ? "Created" : "Updated") organisation '\(organisation.id)': \(name), "
                + "\(organisation.baseCurrency), \(organisation.country), \(timezone) in \(global.shownDatabaseURL)")
        if (organisation.sender?.paymentInstructions ?? "").isEmpty {
            print("Reminders will not say how to pay until --payment-instructions is set.")
        }
    }

    /// The IBAN and BIC as the payment code carries them, checked as the code checks them (the IBAN's check digits,
    /// the BIC's form).
    func bankAccount() throws -> (iban: String, bic: String?) {
        guard let iban else { throw ValidationError("--bic needs --iban: the payment code pays into the IBAN") }
        do {
            let checked = try EPCPayment(
                beneficiaryName: name, iban: iban, bic: bic,
                amount: Money(minorUnits: 1, currency: Currency(code: "EUR")!), remittance: .text("check"))
            return (checked.iban, checked.bic)
        } catch {
            throw ValidationError("--iban/--bic: \(error)")
        }
    }

    /// The documents `--attach` names: `none`, or kinds separated by commas.
    static func attachments(_ text: String) throws -> Set<MessageAttachment> {
        if text.trimmingCharacters(in: .whitespaces) == "none" { return [] }
        var kinds: Set<MessageAttachment> = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let kind = MessageAttachment(rawValue: name) else {
                throw ValidationError(
                    "--attach '\(name)' is not a document Duly attaches: use invoice, statement or none")
            }
            kinds.insert(kind)
        }
        guard !kinds.isEmpty else { throw ValidationError("--attach is empty: use invoice, statement or none") }
        return kinds
    }

    /// The payment instructions by language (nil: untagged), from `--payment-instructions` values such as
    /// `de=Bitte überweisen Sie …`; `\n` stands for a new line.
    static func instructionsByLanguage(_ values: [String]) throws -> [String?: String] {
        var byLanguage: [String?: String] = [:]
        for value in values {
            var language: String?
            var text = value
            // A tag is a language Duly writes in, then `=`: `de=…`, `fr=…`.
            if let equals = value.firstIndex(of: "="),
                let tagged = TemplateLanguage(rawValue: value[..<equals].lowercased())
            {
                language = tagged.rawValue
                text = String(value[value.index(after: equals)...])
            }
            text = text.replacingOccurrences(of: "\\n", with: "\n")
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--payment-instructions '\(value)' has no text after the language")
            }
            guard byLanguage[language] == nil else {
                throw ValidationError(
                    "--payment-instructions is given twice for \(language ?? "the organisation's language"): "
                        + "give each language once")
            }
            byLanguage[language] = text
        }
        return byLanguage
    }
}
