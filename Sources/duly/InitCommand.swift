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
    }

    func run() async throws {
        let store = try await global.openStore()
        let existing = try await store.organisation(id: global.organisationID)
        var organisation = Organisation(
            id: global.organisationID, name: name, baseCurrency: Currency(code: currency)!,
            country: country.uppercased(),
            timeZone: timezone)
        organisation.holidays = existing?.holidays ?? []
        try await store.saveOrganisation(organisation)
        print(
            "\(existing == nil ? "Created" : "Updated") organisation '\(organisation.id)': \(name), "
                + "\(organisation.baseCurrency), \(organisation.country), \(timezone) in \(global.resolvedDatabaseURL)")
    }
}
