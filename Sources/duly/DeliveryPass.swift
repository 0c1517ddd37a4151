import ArgumentParser
import DulyChannels
import DulyCore
import DulyServer
import DulyStore
import Foundation

/// Where messages go and how they are made: the options `duly deliver` and `duly serve` share.
struct DeliveryOptions: ParsableArguments {
    @Option(help: "Where mail goes: smtp://…, smtps://… or file:FOLDER (default: $DULY_MAIL_URL, else file:outbox).")
    var transport: String?

    @Option(help: "The folder for letters.")
    var letters = "letters"

    @Option(help: "The domain of Message-IDs (default: the from address's domain).")
    var messageIDDomain: String?

    @Option(help: "A folder of template overrides (<folder>/<language>/<template>.{subject,text,html}.mustache).")
    var templates: String?

    // Final notices and hand-overs state statutory interest and compensation under the organisation's law.
    @OptionGroup(title: "Interest in non-payment messages") var interest: InterestOptions

    /// The mail URL actually used.
    var mailURL: String { transport ?? environment("DULY_MAIL_URL") ?? "file:outbox" }

    /// Where clients reach the portal: `publicURL` (a command's `--public-url`), else $DULY_PUBLIC_URL; with neither,
    /// messages carry no portal link. The signing secret is the database's, so every node's links open on any node.
    static func portal(publicURL: String?, store: some AccountStore) async throws -> PortalAddress? {
        guard let url = publicURL ?? environment("DULY_PUBLIC_URL"), !url.isEmpty else { return nil }
        let secret = try await store.serverSecret(named: PortalLinks.secretName, generated: randomBytes(32))
        return PortalAddress(publicURL: url, links: PortalLinks(secret: secret))
    }

    /// The transports by channel: mail as `mailURL` says, letters to their folder, texts to the SMS webhook when
    /// $DULY_SMS_WEBHOOK_URL and $DULY_SMS_WEBHOOK_SECRET are both set.
    func transports() throws -> [Channel: any MessageTransport] {
        var transports: [Channel: any MessageTransport] = [
            .email: try DeliverCommand.transport(for: mailURL),
            .letter: LetterTransport(folder: letters),
        ]
        if let url = environment("DULY_SMS_WEBHOOK_URL").flatMap(URL.init(string:)),
            let secret = environment("DULY_SMS_WEBHOOK_SECRET")
        {
            transports[.sms] = WebhookSMSTransport(url: url, secret: secret) { Int64(Date().timeIntervalSince1970) }
        }
        return transports
    }
}

/// One pass of the deliverer over one organisation's outbox: what `duly deliver` runs once and `duly serve`'s
/// deliverer runs again and again.
struct DeliveryPass {
    /// The day sent for: today where the organisation is, or the simulated day.
    var dueBy: LocalDate
    var report: DeliveryReport
    /// Why the pass stopped before the end (a transport that cannot be used as configured), if it did.
    var stopped: String?
    /// Non-payment messages due whose interest cannot be stated for want of a reference rate, by Message-ID.
    var withoutFigures: [(messageID: String, invoices: [Invoice])]

    /// Sends what is due for `organisation` (which must have a sender) at `now`, or as if at the end of `simulated`.
    static func run(
        options: DeliveryOptions, global: GlobalOptions, store: some StoreBackend, organisation: Organisation,
        sender: SenderIdentity, playbook: Playbook, transports: [Channel: any MessageTransport], now: Date,
        simulated: LocalDate?, portal: PortalAddress?, lease: WorkLease
    ) async throws -> DeliveryPass {
        let dueBy = simulated ?? SystemClock.today(inTimeZone: organisation.timeZone, now: now)
        let library = try await loadTemplates(
            store: store, organisationID: organisation.id, folder: options.templates)
        let domain =
            options.messageIDDomain ?? sender.fromAddress.split(separator: "@").last.map(String.init) ?? "duly.local"
        // A simulated day runs on a clock standing at its last second: whatever was due to be retried that day is.
        let clock =
            simulated.map { Int64($0.adding(days: 1).daysSinceEpoch) * 86_400 - 1 } ?? Int64(now.timeIntervalSince1970)
        var interestSettings: InterestSettings?
        var withoutFigures: [(messageID: String, invoices: [Invoice])] = []
        if let setup = try options.interest.resolveIfApplicable(for: organisation, global: global) {
            // The composer cannot wait on the store, so the dated ledger of the invoices that non-payment messages
            // due now cover is read here, once; an invoice missed (an action planned meanwhile) is taken at its
            // balance, which can only understate the interest.
            let due = try await store.dueDeliveries(
                organisationID: organisation.id, channels: Set(transports.keys), dueBy: dueBy, now: clock,
                limit: 10_000)
            let numbers = Array(Set(due.filter { $0.action.stage == .nonPayment }.flatMap(\.action.invoiceNumbers)))
            let histories = try await store.invoiceHistories(organisationID: organisation.id, invoiceNumbers: numbers)
            let byNumber = Dictionary(
                histories.map { ($0.invoice.number, $0) }, uniquingKeysWith: { first, _ in first })
            interestSettings = InterestSettings(
                regime: setup.regime, rates: setup.rates, contractualRate: setup.contractualRate, histories: byNumber)
            for job in due where job.action.stage == .nonPayment {
                let invoices = job.action.invoiceNumbers.compactMap { byNumber[$0]?.invoice }
                let missing = InterestCalculator.missingRates(
                    for: invoices, regime: setup.regime, rates: setup.rates, contractualRate: setup.contractualRate,
                    through: dueBy)
                if !missing.isEmpty {
                    withoutFigures.append((job.messageID ?? "<\(job.action.idempotencyKey)@\(domain)>", invoices))
                }
            }
        }
        // The Date header speaks of the delivery day in the organisation's time zone: a simulated day's messages are
        // dated that day (at 09:00, the demo's sending time), not the day the simulation ran.
        let sendingTime = simulated.map { SystemClock.morning(of: $0, timeZone: organisation.timeZone) } ?? now
        // Documents the emails carry are made as PDF: without a converter nothing is sent, and the person is told.
        let converter = PDFConverter(searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        if !organisation.attachments.isEmpty && converter == nil {
            try DeliverCommand.stop(AttachmentError.noConverter.description)
        }
        var composer = TemplateComposer(
            library: library, organisation: organisation, sender: sender,
            dateHeader: SystemClock.rfc5322(now: sendingTime, timeZone: organisation.timeZone),
            interest: interestSettings, collectors: try await store.collectors(organisationID: organisation.id),
            pdfConverter: converter)
        composer.portal = portal
        let deliverer = Deliverer(
            store: store, organisation: organisation, playbook: playbook, composer: composer,
            transports: transports, messageIDDomain: domain)
        do {
            let report = try await deliverer.deliver(
                dueBy: dueBy, now: clock, keepBusinessHours: simulated == nil,
                recordedAt: SystemClock.timestamp(now: now), lease: lease)
            return DeliveryPass(dueBy: dueBy, report: report, stopped: nil, withoutFigures: withoutFigures)
        } catch let stop as DeliveryStopped {
            return DeliveryPass(dueBy: dueBy, report: stop.report, stopped: stop.reason, withoutFigures: withoutFigures)
        }
    }
}

/// A transport that refuses the next message once the server is stopping: refused before the deliverer records its
/// intent (as a configuration it cannot use), the message stays exactly as it was for the next start, and the
/// message in hand, if any, finishes first.
struct StopBetweenMessages: MessageTransport {
    let wrapped: any MessageTransport
    let isStopping: @Sendable () -> Bool

    static let reason = "the server is stopping"

    func send(_ message: OutgoingMessage, beforeCommit: @Sendable () async throws -> Void) async throws {
        guard !isStopping() else { throw TransportError.configuration(Self.reason) }
        try await wrapped.send(message, beforeCommit: beforeCommit)
    }

    func send(
        _ message: OutgoingMessage, whenReady: @Sendable () async throws -> Void,
        beforeCommit: @Sendable () async throws -> Void
    ) async throws {
        guard !isStopping() else { throw TransportError.configuration(Self.reason) }
        try await wrapped.send(message, whenReady: whenReady, beforeCommit: beforeCommit)
    }

    func completeCommitted(_ message: OutgoingMessage) async throws {
        try await wrapped.completeCommitted(message)
    }
}
