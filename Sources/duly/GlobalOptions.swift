import ArgumentParser
import DulyCore
import DulyStore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Options every command shares: which database, which organisation.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .customLong("database"),
        help: ArgumentHelp(
            "Database URL: sqlite:PATH or postgres://… (default: $DULY_DATABASE_URL, else sqlite:duly.sqlite).",
            valueName: "url"))
    var databaseURL: String?

    @Option(name: .customLong("org"), help: "The organisation to work on.")
    var organisationID = "default"

    /// The URL actually used.
    var resolvedDatabaseURL: String {
        databaseURL ?? environment("DULY_DATABASE_URL") ?? "sqlite:duly.sqlite"
    }

    /// The URL as it may be shown: a PostgreSQL URL's password as `***`, never in output or logs.
    var shownDatabaseURL: String { DatabaseURL.hidingPassword(resolvedDatabaseURL) }

    /// Whether the SQLite file the URL names exists: a command that only looks need not create one.
    var databaseExists: Bool {
        guard let url = try? DatabaseURL(resolvedDatabaseURL) else {
            return !resolvedDatabaseURL.hasPrefix("sqlite:")
        }
        guard case .sqlite(let path) = url else { return true }
        return FileManager.default.fileExists(atPath: path)
    }

    /// Opens (and migrates) the store the URL names, through the one store factory.
    func openStore() async throws -> any StoreBackend {
        try await StoreFactory.open(resolvedDatabaseURL)
    }

    /// The organisation, or a clear error telling how to create it.
    func requireOrganisation(in store: some DulyStore) async throws -> Organisation {
        guard let organisation = try await store.organisation(id: organisationID) else {
            throw CLIError(
                "no organisation '\(organisationID)' in \(shownDatabaseURL): run `duly init --name NAME "
                    + "--currency EUR --country NL --timezone Europe/Amsterdam` first (or `duly demo`)")
        }
        return organisation
    }

    /// Refuses a customer reference the organisation does not have, so that a filter with a typo never answers
    /// "nothing" as if the customer simply had no records; nil (no filter) passes.
    func requireCustomer(_ customerID: String?, of organisation: Organisation, in store: some DulyStore) async throws {
        guard let customerID else { return }
        guard try await store.customer(organisationID: organisation.id, customerID: customerID) == nil else { return }
        throw CLIError(
            "no customer '\(customerID)' in organisation '\(organisation.id)': see `duly customers` for the references")
    }
}

/// The date a command works for: `--as-of`, or today in the organisation's time zone.
struct AsOfOption: ParsableArguments {
    @Option(
        name: .customLong("as-of"), help: "The date to work for, YYYY-MM-DD (default: today where the organisation is)."
    )
    var asOf: String?

    func date(for organisation: Organisation) throws -> LocalDate {
        guard let asOf else { return SystemClock.today(inTimeZone: organisation.timeZone) }
        guard let date = LocalDate(iso: asOf) else {
            throw ValidationError("--as-of '\(asOf)' is not a date in the form YYYY-MM-DD")
        }
        return date
    }
}

/// An error for the person at the terminal: the message says what to do.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    let string = String(cString: value)
    return string.isEmpty ? nil : string
}

/// Whether standard error is a terminal (progress is only drawn there).
var standardErrorIsTerminal: Bool { isatty(2) == 1 }

/// Writes a line to standard error.
func printError(_ text: String) {
    writeStandardError(text + "\n")
}

/// Writes text to standard error as it is.
func writeStandardError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}
