import DulyCore

/// `duly simulate --portfolio`: a playbook against the naive ladder on one generated portfolio, for people and for
/// scripts (`scripts/bench_relationship.sh`).
struct PortfolioReport {
    let portfolio: Portfolio
    let days: Int
    let comparison: PortfolioComparison

    private var outcomes: [PortfolioOutcome] { [comparison.playbook, comparison.naive] }
    private var invoices: Int { portfolio.clients.reduce(0) { $0 + $1.entries.count } }

    var text: String {
        let invoiced = portfolio.invoiced
        let lastDue = Portfolio.firstDueDay + Portfolio.dueWithinDays - 1
        var heading = "A portfolio of \(counted(portfolio.clients.count, "client")) (seed \(portfolio.seed)): "
        heading += "\(counted(invoices, "invoice")) for \(invoiced), falling due on days \(Portfolio.firstDueDay) to "
        heading += "\(lastDue); \(days) days from \(portfolio.start). Nothing written, nothing sent."
        let kinds: [String] = PayerKind.allCases.map { kind in
            let count = portfolio.clients.filter { $0.kind == kind }.count
            return "\(count) \(kind.rawValue.replacingOccurrences(of: "_", with: " "))"
        }
        var lines = [heading, "Clients: " + kinds.joined(separator: ", ") + ".", ""]
        var table = TextTable(
            headers: ["figure"]
                + outcomes.map { $0.strategy == NaiveLadder.name ? $0.strategy : "playbook \($0.strategy)" },
            rightAligned: [1, 2])
        for day in comparison.playbook.recovered.map(\.day) {
            table.rows.append(
                ["recovered by day \(day)"]
                    + outcomes.map {
                        "\($0.recovered(byDay: day)) (\(percent($0.recovered(byDay: day), of: invoiced)))"
                    })
        }
        table.rows.append(["credited (disputes upheld)"] + outcomes.map { "\($0.credited)" })
        table.rows.append(["contacts"] + outcomes.map { String($0.contacts) })
        table.rows.append(["contacts per customer"] + outcomes.map { perCustomer($0) })
        for kind in PayerKind.allCases {
            table.rows.append(
                ["contacts to \(kind.rawValue.replacingOccurrences(of: "_", with: " ")) clients"]
                    + outcomes.map { String($0.contactsByKind[kind, default: 0]) })
        }
        table.rows.append(["thank-you messages (in the contacts)"] + outcomes.map { String($0.thankYous) })
        table.rows.append(["contacts during a live dispute"] + outcomes.map { String($0.contactsDuringDisputes) })
        table.rows.append(["contacts during a kept promise"] + outcomes.map { String($0.contactsDuringKeptPromises) })
        table.rows.append(["escalations"] + outcomes.map { String($0.escalations) })
        table.rows.append(["hand-overs (in the escalations)"] + outcomes.map { String($0.handOvers) })
        lines.append(table.render())
        lines.append("")
        var steps = TextTable(headers: ["contacts by step"] + outcomes.map(\.strategy), rightAligned: [1, 2])
        let order = comparison.playbook.contactsByStep.keys.sorted() + comparison.naive.contactsByStep.keys.sorted()
        for step in order {
            steps.rows.append([step] + outcomes.map { String($0.contactsByStep[step, default: 0]) })
        }
        lines.append(steps.render())
        lines.append("")
        let day = PortfolioComparison.recoveryDay
        lines.append(
            "Target: at least as much by day \(day): \(yes(comparison.recoversAtLeastAsMuch)); "
                + "\(comparison.fewerContacts) % fewer contacts (at least \(PortfolioComparison.fewerContactsPercent) %): "
                + "\(yes(comparison.fewerContacts >= PortfolioComparison.fewerContactsPercent)); "
                + "no contact during a live dispute or kept promise: \(yes(comparison.respectsPauses)).")
        return lines.joined(separator: "\n")
    }

    var json: PortfolioJSON {
        PortfolioJSON(
            seed: portfolio.seed, customers: portfolio.clients.count, invoices: invoices, days: days,
            start: portfolio.start.description, currency: portfolio.invoiced.currency.code,
            invoiced: portfolio.invoiced.decimalString,
            clientsByKind: Dictionary(
                PayerKind.allCases.map { kind in (kind.rawValue, portfolio.clients.filter { $0.kind == kind }.count) },
                uniquingKeysWith: +),
            outcomes: outcomes.map { outcome in
                PortfolioJSON.Outcome(
                    strategy: outcome.strategy,
                    recoveredByDay: Dictionary(
                        outcome.recovered.map { (String($0.day), $0.amount.decimalString) }, uniquingKeysWith: { $1 }),
                    credited: outcome.credited.decimalString, contacts: outcome.contacts,
                    contactsPerCustomer: perCustomer(outcome),
                    contactsByKind: Dictionary(
                        outcome.contactsByKind.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: +),
                    contactsByStep: outcome.contactsByStep,
                    contactsDuringDisputes: outcome.contactsDuringDisputes,
                    contactsDuringKeptPromises: outcome.contactsDuringKeptPromises, escalations: outcome.escalations,
                    handOvers: outcome.handOvers, thankYous: outcome.thankYous)
            },
            target: PortfolioJSON.Target(
                recoversAtLeastAsMuchByDay60: comparison.recoversAtLeastAsMuch,
                fewerContactsPercent: comparison.fewerContacts,
                respectsPauses: comparison.respectsPauses, met: comparison.meetsTarget))
    }

    /// Contacts per customer with one decimal, from integers.
    private func perCustomer(_ outcome: PortfolioOutcome) -> String {
        let tenths = (outcome.contacts * 10 + outcome.customers / 2) / max(outcome.customers, 1)
        return "\(tenths / 10).\(tenths % 10)"
    }

    private func percent(_ amount: Money, of total: Money) -> String {
        guard total.minorUnits > 0 else { return "0 %" }
        return "\((amount.minorUnits * 100 + total.minorUnits / 2) / total.minorUnits) %"
    }

    private func yes(_ flag: Bool) -> String { flag ? "yes" : "NO" }
}

/// `simulate --portfolio --json`: the portfolio, each outcome, and the target.
struct PortfolioJSON: Encodable {
    struct Outcome: Encodable {
        var strategy: String
        var recoveredByDay: [String: String]
        var credited: String
        var contacts: Int
        var contactsPerCustomer: String
        var contactsByKind: [String: Int]
        var contactsByStep: [String: Int]
        var contactsDuringDisputes: Int
        var contactsDuringKeptPromises: Int
        var escalations: Int
        var handOvers: Int
        var thankYous: Int

        enum CodingKeys: String, CodingKey {
            case strategy, credited, contacts, escalations
            case recoveredByDay = "recovered_by_day"
            case contactsPerCustomer = "contacts_per_customer"
            case contactsByKind = "contacts_by_kind"
            case contactsByStep = "contacts_by_step"
            case contactsDuringDisputes = "contacts_during_disputes"
            case contactsDuringKeptPromises = "contacts_during_kept_promises"
            case handOvers = "hand_overs"
            case thankYous = "thank_yous"
        }
    }

    struct Target: Encodable {
        var recoversAtLeastAsMuchByDay60: Bool
        var fewerContactsPercent: Int
        var respectsPauses: Bool
        var met: Bool

        enum CodingKeys: String, CodingKey {
            case met
            case recoversAtLeastAsMuchByDay60 = "recovers_at_least_as_much_by_day_60"
            case fewerContactsPercent = "fewer_contacts_percent"
            case respectsPauses = "no_contact_during_disputes_or_kept_promises"
        }
    }

    var seed: UInt64
    var customers: Int
    var invoices: Int
    var days: Int
    var start: String
    var currency: String
    var invoiced: String
    var clientsByKind: [String: Int]
    var outcomes: [Outcome]
    var target: Target

    enum CodingKeys: String, CodingKey {
        case seed, customers, invoices, days, start, currency, invoiced, outcomes, target
        case clientsByKind = "clients_by_kind"
    }
}
