import DulyCore
import DulyStore

/// Why the documents an email carries could not be made; nothing is sent then.
public enum AttachmentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The organisation asked for PDFs and no converter is installed.
    case noConverter
    /// The converter ran and gave no PDF.
    case conversionFailed(document: String)

    public var description: String {
        switch self {
        case .noConverter:
            return "emails are set to carry PDFs (duly init --attach) but neither chromium nor weasyprint is "
                + "installed: install one, or turn the documents off with `duly init --attach none`"
        case .conversionFailed(let document):
            return "the PDF of \"\(document)\" could not be made; nothing was sent: check that the converter runs "
                + "(chromium --headless), or turn the documents off with `duly init --attach none`"
        }
    }
}

extension TemplateComposer {
    /// The built-in template of an invoice copy sent with a message.
    public static let invoiceCopyTemplate = "invoice_copy"
    /// The built-in template of a statement of account sent with a follow-up.
    public static let statementTemplate = "statement_of_account"

    /// The files an email to the client carries, as the organisation asked (`Organisation.attachments`): each
    /// invoice the message is about, as imported (`originals`, a UBL file say) and as a PDF copy unless the original
    /// is a PDF itself, and on follow-ups after the due date the statement of account, every open item. Each is laid out as a letter, with the EPC payment code of what it lists when the organisation's
    /// IBAN is set, and written in the message's language; notes to the team and thank-yous carry none.
    ///
    /// - Throws: `AttachmentError` when a PDF cannot be made (no converter, a failed conversion).
    func attachments(
        for action: PlannedAction, account: Account, context: MessageContext, language: String?,
        originals: [InvoiceDocument] = []
    ) throws -> [Attachment] {
        let wanted = organisation.attachments
        guard !wanted.isEmpty, !context.isInternal, action.stepID != Playbook.thankYouStepID else { return [] }
        guard let converter = pdfConverter else { throw AttachmentError.noConverter }
        // Each document to make: its context and the template it is written from.
        var documents: [(context: MessageContext, template: String)] = []
        var files: [Attachment] = []
        if wanted.contains(.invoice) {
            for invoice in context.invoices {
                let kept = originals.filter { $0.invoiceNumber == invoice.number }
                files += kept.map { Attachment(filename: $0.fileName, contentType: $0.mediaType, bytes: $0.bytes) }
                if kept.contains(where: { $0.mediaType == "application/pdf" }) { continue }
                var copy = context
                copy.invoices = [invoice]
                documents.append((copy, TemplateComposer.invoiceCopyTemplate))
            }
        }
        if wanted.contains(.statement), action.stage != .preDue {
            var statement = context
            statement.invoices = account.invoices.filter { !$0.open.isZero }.map {
                InvoiceFacts($0, disputes: account.disputes, asOf: context.asOf)
            }
            documents.append((statement, TemplateComposer.statementTemplate))
        }
        return try files
            + documents.map { document, template in
                var document = document
                // Laid out as a letter: the head names the organisation and the client, the title is the document's.
                document.channel = .letter
                let rendered = try library.render(template: template, language: language, context: document)
                let html = try LetterLayout.html(
                    rendered: rendered, sender: sender, customer: account.customer,
                    contact: TemplateComposer.contact(for: action, in: account), date: context.asOf,
                    organisationCountry: organisation.country, paymentCode: PrintedPaymentCode(for: document),
                    addressRequired: false)
                guard let pdf = converter.pdf(fromHTML: Array(html.utf8)) else {
                    throw AttachmentError.conversionFailed(document: rendered.subject)
                }
                return Attachment(filename: rendered.subject + ".pdf", contentType: "application/pdf", bytes: pdf)
            }
    }
}
