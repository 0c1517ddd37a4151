import ArgumentParser
import DulyChannels
import DulyCore
import DulyServer
import DulyStore
import Foundation

/// `duly deliver`: sends what the collection day planned, exactly once.
struct DeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Send the planned emails and letters (calls and meetings go to the worklist).",
        discussion: """
            Mail goes to --transport (or $DULY_MAIL_URL): smtp://user:pass@host:port?starttls=required, \
            smtps://…, or file:FOLDER to write .eml files (the default, file:outbox). Letters are written to \
            --letters as print-ready HTML (and PDF when chromium or weasyprint is installed). Texts go to \
            $DULY_SMS_WEBHOOK_URL, signed with $DULY_SMS_WEBHOOK_SECRET, when both are set. Safe to run again at any \
            time, also after a crash: nothing is sent twice. A mail server that cannot be used as configured (no \
            STARTTLS, credentials refused, unknown host, nothing on the port, certificate refused) stops the run \
            with what to change, leaves every message as it was, and exits with 78.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .customLong("as-of"),
        help: "Send what is due by this date, as if at its end and in business hours (for simulations).")
    var asOf: String?

    @OptionGroup var delivery: DeliveryOptions

    @Option(
        help: """
            The address clients reach `duly serve` at (default: $DULY_PUBLIC_URL): every message to a client then \
            carries its link to the client portal (README, "Client portal"); without one, none does.
            """)
    var publicURL: String?

    @Flag(help: "Print one JSON object with what was done.")
    var json = false

    @Option(
        help: """
            With several deliverers on one database: how long this one's claim on a customer's messages lasts from \
            the moment it begins them, in seconds. Another deliverer takes the customer over once the claim lapses.
            """)
    var leaseSeconds = WorkLease.deliverySeconds

    func validate() throws {
        if leaseSeconds < 1 { throw ValidationError("--lease-seconds must be at least 1") }
        if let asOf, LocalDate(iso: asOf) == nil { throw ValidationError("--as-of '\(asOf)' is not a YYYY-MM-DD date") }
    }

    func run() async throws {
        let command = try await CommandContext(global, asOf: nil)
        let (store, organisation) = (command.store, command.organisation)
        guard let sender = organisation.sender else {
            throw CLIError(
                "organisation '\(organisation.id)' has no sender yet: run `duly init … --from-address ADDRESS "
                    + "--payment-instructions TEXT` first")
        }
        let pass = try await DeliveryPass.run(
            options: delivery, global: global, store: store, organisation: organisation, sender: sender,
            playbook: try await adoptedPlaybook(store, organisation), transports: try delivery.transports(),
            now: Date(),
            simulated: asOf.flatMap { LocalDate(iso: $0) },
            portal: try await DeliveryOptions.portal(publicURL: publicURL, store: store),
            lease: .system(
                seconds: leaseSeconds,
                waitingNote: "Waiting for clients another deliverer holds: it sends their messages, or they are taken "
                    + "over once its claim lapses (within \(leaseSeconds) s if it died)."))
        let (dueBy, report, stopped, withoutFigures) = (pass.dueBy, pass.report, pass.stopped, pass.withoutFigures)
        let bare = withoutFigures.filter { report.sent.contains($0.messageID) }
        var interestWarnings = try delivery.interest.missingRateAdvice(
            for: bare.flatMap(\.invoices), organisation: organisation, global: global, on: dueBy)
        if !bare.isEmpty {
            interestWarnings.insert(
                "\(counted(bare.count, "non-payment message")) went out without interest figures "
                    + "(\(counted(Set(bare.flatMap(\.invoices).map(\.number)).count, "invoice")) concerned):",
                at: 0)
        }
        if json {
            struct Outcome: Encodable {
                struct Item: Encodable {
                    var actionID: Int64
                    var customerID: String
                    var reason: String

                    enum CodingKeys: String, CodingKey {
                        case actionID = "action_id"
                        case customerID = "customer_id"
                        case reason
                    }
                }

                struct Retry: Encodable {
                    var reason: String
                    var count: Int
                    var messages: [Item]
                }

                var sent: [String]
                var retrying: Int
                var retryReasons: [Retry]
                var failed: Int
                var cancelled: Int
                var outsideHours: Int
                var interestWarnings: [String]
                var failures: [Item]
                var waiting: [Item]
                var stopped: String?

                enum CodingKeys: String, CodingKey {
                    case sent, retrying, failed, cancelled, failures, waiting, stopped
                    case retryReasons = "retry_reasons"
                    case outsideHours = "outside_hours"
                    case interestWarnings = "interest_warnings"
                }
            }
            try JSONOutput.printLine(
                Outcome(
                    sent: report.sent, retrying: report.retrying,
                    retryReasons: report.retryReasons.map { group in
                        Outcome.Retry(
                            reason: group.reason, count: group.messages.count,
                            messages: group.messages.map {
                                Outcome.Item(actionID: $0.actionID, customerID: $0.customerID, reason: $0.reason)
                            })
                    },
                    failed: report.failed, cancelled: report.cancelled,
                    outsideHours: report.outsideHours, interestWarnings: interestWarnings,
                    failures: report.failures.map {
                        Outcome.Item(actionID: $0.actionID, customerID: $0.customerID, reason: $0.reason)
                    },
                    waiting: report.held.map {
                        Outcome.Item(actionID: $0.actionID, customerID: $0.customerID, reason: $0.reason)
                    }, stopped: stopped))
            try DeliverCommand.stop(stopped)
            return
        }
        if let stopped, report == DeliveryReport() {
            // Nothing happened before the stop: the one line on standard error says it all.
            try DeliverCommand.stop(stopped)
        }
        var parts = ["\(report.sent.count) sent"]
        if report.retrying > 0 { parts.append("\(report.retrying) to retry") }
        if report.failed > 0 { parts.append("\(report.failed) failed (see `duly worklist`)") }
        if !report.held.isEmpty { parts.append("\(report.held.count) waiting for a later day") }
        if report.cancelled > 0 { parts.append("\(report.cancelled) withdrawn (paid, disputed or promised since)") }
        if report.outsideHours > 0 { parts.append("\(report.outsideHours) waiting for the client's business hours") }
        print("Delivered through \(DeliverCommand.describe(delivery.mailURL)): " + parts.joined(separator: ", ") + ".")
        // Name each failure and each wait: one line per message, so the person knows which client to look at.
        for failure in report.failures {
            print("  failed: action \(failure.actionID) for \(failure.customerID): \(failure.reason)")
        }
        // Temporary failures by reason, so that one cause (a greylisting server, a dropped connection) reads once.
        for group in report.retryReasons {
            let customers = Array(Set(group.messages.map(\.customerID))).sorted(by: NaturalOrder.precedes)
            let named =
                customers.prefix(5).joined(separator: ", ")
                + (customers.count > 5 ? " and \(customers.count - 5) more" : "")
            print("  to retry: \(counted(group.messages.count, "message")) (\(named)): \(group.reason)")
        }
        for hold in report.held {
            print("  waiting: action \(hold.actionID) for \(hold.customerID): \(hold.reason)")
        }
        if !interestWarnings.isEmpty { print(interestWarnings.joined(separator: "\n")) }
        try DeliverCommand.stop(stopped)
    }

    /// Ends a run that stopped at a mail server it cannot use: why and what to change on one line of standard
    /// error, and exit 78 (EX_CONFIG), so a cron job's mail says it rather than "0 sent, 40 to retry".
    static func stop(_ reason: String?) throws {
        guard let reason else { return }
        printError("Delivery stopped: \(reason) (the messages wait as they were; run `duly deliver` again once fixed)")
        throw DulyExit.configuration
    }

    /// The mail transport a URL names.
    static func transport(for url: String) throws -> any MessageTransport {
        if url.hasPrefix("file:") {
            let folder = String(url.dropFirst("file:".count))
            guard !folder.isEmpty else { throw ValidationError("the mail URL '\(url)' names no folder") }
            return FileTransport(folder: folder)
        }
        do {
            return SMTPTransport(client: SMTPClient(configuration: try SMTPConfiguration(url: url)))
        } catch {
            throw ValidationError("mail URL: \(error)")
        }
    }

    // The URL without its password, for people and logs.
    static func describe(_ url: String) -> String {
        guard let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
        return String(url[..<scheme.upperBound]) + "…" + String(url[at...])
    }
}
