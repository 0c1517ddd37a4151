import DulyCore
import DulyStore

/// Composes each action's message from the organisation's templates: an email (RFC 5322, threaded under the last
/// one), a print-ready letter (HTML), or a text message.
public struct TemplateComposer: MessageComposer {
    public let library: TemplateLibrary
    public let organisation: Organisation
    public let sender: SenderIdentity
    /// The `Date:` header for messages composed in this pass (RFC 5322), from the caller's clock.
    public let dateHeader: String
    /// The law and ledger for stating interest and compensation in non-payment messages; nil states none.
    public let interest: InterestSettings?
    /// The playbook the actions come from: its grace days and settlement offers fill the messages about them.
    public let playbook: Playbook
    /// The collectors whose details are kept, by name: each signs the messages to the accounts they own.
    public let collectors: [String: Collector]
    /// What makes the PDFs emails carry (`Organisation.attachments`); nil when no converter is installed.
    public let pdfConverter: PDFConverter?
    /// Where the client portal is reached: each message to a client then carries the customer's signed link
    /// (`portal_link`); nil leaves the portal paragraph out.
    public var portal: PortalAddress?

    public init(
        library: TemplateLibrary, organisation: Organisation, sender: SenderIdentity, dateHeader: String,
        interest: InterestSettings? = nil, playbook: Playbook = .standard, collectors: [Collector] = [],
        pdfConverter: PDFConverter? = nil
    ) {
        self.pdfConverter = pdfConverter
        self.collectors = Dictionary(collectors.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.library = library
        self.organisation = organisation
        self.sender = sender
        self.dateHeader = dateHeader
        self.interest = interest
        self.playbook = playbook
    }

    public func compose(
        _ job: DeliveryJob, account: Account, documents: [InvoiceDocument] = [], messageID: String,
        threadParent: String?, on date: LocalDate
    ) throws -> OutgoingMessage? {
        let action = job.action
        let invoices = account.invoices.filter { action.invoiceNumbers.contains($0.invoice.number) }
        let contact = TemplateComposer.contact(for: action, in: account)
        // Final notices and hand-overs state the interest and compensation claimed (docs/PRODUCT.md, "Money"); gentler
        // stages never mention them.
        // What the client disputes is neither demanded nor charged interest on while the dispute is open.
        let figures =
            action.stage == .nonPayment
            ? interest?.figures(for: invoices, disputes: account.disputes, on: date) : nil
        // A note to the team gets no link: the portal is the client's.
        let portalLink =
            action.escalatesTo == .manager
            ? nil : portal?.link(organisationID: organisation.id, customerID: account.customer.id, on: date)
        var context = MessageContext(
            organisation: organisation, sender: sender, customer: account.customer, contact: contact, action: action,
            invoices: invoices, disputes: account.disputes, asOf: date, portalLink: portalLink, interest: figures)
        context.signingCollector = account.customer.collector.flatMap { collectors[$0] }
        // A note to the team is read by the team: in the organisation's language, whatever the client reads.
        let language = action.escalatesTo == .manager ? organisation.language : account.customer.language
        let rendered = try library.render(
            template: action.template, language: language,
            context: withEventFacts(context, account: account, action: action))
        let fileStem = "\(action.date)-\(TemplateComposer.safe(account.customer.id))-\(job.actionID)"

        switch action.channel {
        case .email:
            let recipient: Mailbox
            if action.escalatesTo == .manager {
                // An internal escalation goes to the collections mailbox, where the manager works the case.
                recipient = Mailbox(name: "\(sender.name) collections", address: sender.replyTo ?? sender.fromAddress)
            } else {
                guard let address = contact?.email else { return nil }
                recipient = Mailbox(name: contact?.name ?? account.customer.name, address: address)
            }
            // A named collector writes under their own name; the address stays the organisation's, which its mail
            // server vouches for.
            let fromName = context.namedCollector.map { "\($0.name), \(organisation.name)" } ?? sender.name
            let email = EmailMessage(
                from: Mailbox(name: fromName, address: sender.fromAddress), to: [recipient],
                replyTo: sender.replyTo.map { Mailbox(name: sender.name, address: $0) }, subject: rendered.subject,
                textBody: rendered.text, htmlBody: rendered.html,
                attachments: try attachments(
                    for: action, account: account, context: context, language: language, originals: documents),
                messageID: messageID, inReplyTo: threadParent, references: threadParent.map { [$0] } ?? [],
                // Reminders are automatic: out-of-office replies should not answer them (docs/DOMAIN.md, E-8).
                extraHeaders: [(name: "Auto-Submitted", value: "auto-generated")], date: dateHeader)
            return OutgoingMessage(
                actionID: job.actionID, customerID: account.customer.id, channel: .email, messageID: messageID,
                sender: sender.fromAddress, recipients: [recipient.address], content: try MIMEWriter.render(email),
                suggestedFileName: fileStem + ".eml")
        case .letter:
            let letter = try LetterLayout.html(
                rendered: rendered, sender: sender, customer: account.customer, contact: contact, date: date,
                organisationCountry: organisation.country,
                paymentCode: action.stepID == Playbook.thankYouStepID ? nil : PrintedPaymentCode(for: context))
            return OutgoingMessage(
                actionID: job.actionID, customerID: account.customer.id, channel: .letter, messageID: messageID,
                sender: sender.fromAddress, recipients: [account.customer.name], content: Array(letter.utf8),
                suggestedFileName: fileStem + ".html")
        case .sms:
            guard let phone = contact?.phone else { return nil }
            // A text has no room for a paragraph: the link follows the one line, unless the template wrote it.
            var text = rendered.subject
            if let portalLink, !text.contains(portalLink) { text += " " + portalLink }
            return OutgoingMessage(
                actionID: job.actionID, customerID: account.customer.id, channel: .sms, messageID: messageID,
                sender: sender.name, recipients: [phone], content: Array(text.utf8),
                suggestedFileName: fileStem + ".txt")
        case .call, .meeting:
            // People carry these out from the worklist; nothing is sent.
            return nil
        }
    }

    /// The person the action speaks to: the senior contact for a senior escalation, else billing then primary,
    /// skipping addresses that bounce and channels the person opted out of.
    static func contact(for action: PlannedAction, in account: Account) -> Contact? {
        let roles: [Contact.Role] = action.escalatesTo == .seniorContact ? [.senior] : [.billing, .primary]
        for role in roles {
            let usable = account.contacts.first { contact in
                guard contact.role == role, !contact.optedOut.contains(action.channel) else { return false }
                switch action.channel {
                case .email: return !(contact.email ?? "").isEmpty && !contact.emailBouncing
                case .sms, .call: return !(contact.phone ?? "").isEmpty
                case .letter, .meeting: return true
                }
            }
            if let usable { return usable }
        }
        return nil
    }

    // A file name part that cannot climb out of the folder or upset a file system.
    static func safe(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
