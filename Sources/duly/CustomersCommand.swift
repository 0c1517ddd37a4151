import ArgumentParser
import DulyCore
import DulyStore
import Foundation

/// `duly customers`: every customer, with how to reach them and what is open.
struct CustomersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customers",
        abstract: "List customers: reference, name, country, language, email, open amount, open invoices, stages.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "One JSON object per customer.") var json = false

    struct Line: Encodable {
        var id: String
        var name: String
        var country: String?
        var language: String?
        var email: String?
        /// Open amount per currency code, as decimal strings.
        var open: [String: String]
        var openInvoices: Int
        /// Open invoices per stage (`delayed`: 2).
        var stages: [String: Int]

        enum CodingKeys: String, CodingKey {
            case id, name, country, language, email, open, stages
            case openInvoices = "open_invoices"
        }
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: asOf)
        let (store, organisation, date) = (command.store, command.organisation, command.date)
        var open: [String: [Currency: Money]] = [:]
        var stages: [String: [InvoiceState: Int]] = [:]
        try await openInvoiceStates(
            store: store, organisation: organisation, playbook: try await adoptedPlaybook(store, organisation),
            asOf: date
        ) {
            balance, state in
            let customer = balance.invoice.customerID
            let currency = balance.invoice.currency
            open[customer, default: [:]][currency, default: .zero(currency)] =
                open[customer, default: [:]][currency, default: .zero(currency)] + balance.open
            stages[customer, default: [:]][state, default: 0] += 1
        }
        let customers = try await store.customers(organisationID: organisation.id)
            .sorted { NaturalOrder.precedes($0.id, $1.id) }
        var lines: [Line] = []
        for customer in customers {
            let contacts = try await store.account(organisationID: organisation.id, customerID: customer.id)?.contacts
            let byRole = (contacts ?? []).filter { $0.email != nil }
            let email = (byRole.first { $0.role == .billing } ?? byRole.first { $0.role == .primary } ?? byRole.first)?
                .email
            let counts = stages[customer.id] ?? [:]
            lines.append(
                Line(
                    id: customer.id, name: customer.name, country: customer.country, language: customer.language,
                    email: email,
                    open: Dictionary(
                        uniqueKeysWithValues: (open[customer.id] ?? [:]).map { ($0.key.code, $0.value.decimalString) }),
                    openInvoices: counts.values.reduce(0, +),
                    stages: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })))
        }
        if json {
            for line in lines { try JSONOutput.printLine(line) }
            return
        }
        guard !lines.isEmpty else {
            print("No customers: import them with `duly import customers FILE`.")
            return
        }
        var table = TextTable(
            headers: ["customer", "name", "country", "language", "email", "open", "invoices", "stages"],
            rightAligned: [5, 6])
        for line in lines {
            let amounts = line.open.keys.sorted().map { "\($0) \(line.open[$0]!)" }
            let stageSummary = InvoiceState.allCases.compactMap { state in
                line.stages[state.rawValue].map { "\($0) \(state.label)" }
            }
            table.rows.append([
                line.id, line.name, line.country ?? "", line.language ?? "", line.email ?? "",
                amounts.joined(separator: ", "), String(line.openInvoices), stageSummary.joined(separator: ", "),
            ])
        }
        print(table.render())
        print(
            "\n\(counted(lines.count, "customer")), \(counted(lines.map(\.openInvoices).reduce(0, +), "open invoice"))."
        )
    }
}
