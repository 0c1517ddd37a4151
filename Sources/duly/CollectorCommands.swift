import ArgumentParser
import DulyCore
import DulyStore
import Foundation

/// `duly collector`: the team members who own accounts and sign the messages to them.
struct CollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector",
        abstract: "The collectors who sign the messages to their accounts, with a direct phone number.",
        discussion: """
            A customer's collector is named in the customers CSV (`collector` column). Once the collector's details \
            are set here, messages to that customer are sent under the collector's name and signed with it, and \
            "call us" gives the collector's direct line in place of the organisation's. See README, "Reaching the \
            client".
            """,
        subcommands: [CollectorSetCommand.self, CollectorListCommand.self])
}

struct CollectorSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set a collector's email and direct phone number (replacing what was set).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The collector's name, as the customers CSV names them.") var name: String
    @Option(help: "The collector's own email address.") var email: String?
    @Option(help: "The collector's direct phone number, given to clients in place of the organisation's.")
    var phone: String?

    func validate() throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the name is empty") }
        if let phone, phone.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--phone is empty") }
        if let email {
            do {
                _ = try EmailAddress(parsing: email)
            } catch {
                throw ValidationError("--email '\(email)' is not an email address: \(error)")
            }
        }
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        try await store.saveCollector(
            Collector(name: name, email: email, phone: phone), organisationID: organisation.id)
        let line = phone.map { "direct line \($0)" } ?? "no direct line: messages give the organisation's number"
        print("Collector '\(name)' signs the messages to their accounts; \(line).")
    }
}

struct CollectorListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The collectors whose details are set.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        let collectors = try await store.collectors(organisationID: organisation.id)
        if collectors.isEmpty { print("No collector details are set (duly collector set NAME --phone …).") }
        for collector in collectors {
            print([collector.name, collector.email ?? "-", collector.phone ?? "-"].joined(separator: "  "))
        }
    }
}
