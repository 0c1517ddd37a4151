import ArgumentParser
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

    @Option(help: "How to pay: bank, IBAN, what to quote (use \\n for a new line).")
    var paymentInstructions: String?

    @Option(help: "The postal address for letters, one line per option.")
    var postalAddress: [String] = []

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
        var organisation = Organisation(
            id: global.organisationID, name: name, baseCurrency: Currency(code: currency)!,
            country: country.uppercased(),
            timeZone: timezone)
        organisation.holidays = existing?.holidays ?? []
        organisation.sender = existing?.sender
        if let fromAddress {
            organisation.sender = SenderIdentity(
                name: name, fromAddress: fromAddress, replyTo: replyTo,
                signature: (signature ?? name).replacingOccurrences(of: "\\n", with: "\n"),
                paymentInstructions: (paymentInstructions ?? "").replacingOccurrences(of: "\\n", with: "\n"),
                postalAddress: postalAddress)
        }
        try await store.saveOrganisation(organisation)
        print(
            "\(existing == nil ? "Created" : "Updated") organisation '\(organisation.id)': \(name), "
                + "\(organisation.baseCurrency), \(organisation.country), \(timezone) in \(global.resolvedDatabaseURL)")
    }
}
