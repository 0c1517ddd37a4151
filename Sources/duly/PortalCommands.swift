import ArgumentParser
import DulyCore
import DulyStore
import Foundation

/// `duly portal`: the client portal's links (README, "Client portal").
struct PortalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portal",
        abstract: "Print a customer's portal link, or revoke the links already sent.",
        subcommands: [PortalLinkCommand.self, PortalRevokeCommand.self])
}

/// `duly portal link CUSTOMER`: the link a message sent on the date would carry.
struct PortalLinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Print the customer's portal link as a message sent on the date would carry it (60 days valid).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Argument(help: "The customer's reference.") var customer: String
    @Option(help: "The address clients reach `duly serve` at (default: $DULY_PUBLIC_URL).") var publicURL: String?

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        try await command.requireCustomer(customer)
        guard let portal = try await DeliveryOptions.portal(publicURL: publicURL, store: command.store) else {
            throw ValidationError("say where clients reach the server with --public-url URL or $DULY_PUBLIC_URL")
        }
        print(portal.link(organisationID: command.organisation.id, customerID: customer, on: command.date))
    }
}

/// `duly portal revoke CUSTOMER`: voids every link the customer was sent up to the date.
struct PortalRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Void the customer's portal links issued up to the date (an owner's or manager's decision).",
        discussion: """
            Links issued on or before the date then answer 403; messages sent from the next day carry links that \
            open again. The revocation is on the customer's timeline, with who made it.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Argument(help: "The customer's reference.") var customer: String
    @Option(help: "Who revokes (default: the USER environment variable).") var by: String?

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        try await command.requireCustomer(customer)
        let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? ""
        guard !who.isEmpty else { throw ValidationError("say who revokes with --by NAME") }
        try await command.store.revokePortalLinks(
            customerID: customer, by: who, organisationID: command.organisation.id, context: command.recording)
        print("Portal links of \(customer) issued up to \(command.date) revoked by \(who).")
    }
}
