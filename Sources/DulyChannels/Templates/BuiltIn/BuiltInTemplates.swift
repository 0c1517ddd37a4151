/// Duly's own templates, one file per language; each is a `TemplateSource` per template name.
///
/// Every language has the same set: the templates of `Playbook.standard`, the messages about events (`thank_you`,
/// `instalment_reminder`, `instalment_missed`, `dispute_rejected`) and `settlement_offer`. The HTML parts share one
/// page shell; the prose is each language's own, in the voice of the step's stage (DESIGN.md section 2).
enum BuiltInTemplates {
    static let all: [TemplateLanguage: [String: TemplateSource]] = [
        .en: english, .de: german, .fr: french, .nl: dutch,
    ]

    /// The HTML page around a message body: plain, readable in every mail client, no external resources.
    static func page(_ body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="{{language}}">
        <head>
        <meta charset="utf-8">
        <title>{{organisation_name}}</title>
        </head>
        <body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.5; color: #1f2328;">
        \(body)
        </body>
        </html>

        """
    }

    /// The sender's signature, line by line.
    static let signatureHTML = """
        <p>{{#signature_lines}}{{.}}{{^last()}}<br>{{/last()}}
        {{/signature_lines}}</p>
        """

    /// A letter's head: the sender's address, the client, the date.
    static let letterHeadText = """
        {{#sender_address_lines}}
        {{.}}
        {{/sender_address_lines}}

        {{customer_name}}
        {{#has_contact_name}}
        {{contact_name}}
        {{/has_contact_name}}

        {{date}}
        """

    static let letterHeadHTML = """
        {{#has_sender_address}}
        <p>{{#sender_address_lines}}{{.}}{{^last()}}<br>{{/last()}}
        {{/sender_address_lines}}</p>
        {{/has_sender_address}}
        <p>{{customer_name}}{{#has_contact_name}}<br>
        {{contact_name}}{{/has_contact_name}}</p>
        <p>{{date}}</p>
        """

    /// The invoices in a table, headed by the given column names.
    ///
    /// `disputed` is the sentence, under the table, for an invoice of which part is under dispute (so not in `Open`).
    static func invoiceTable(
        invoice: String, date: String, due: String, open: String, status: String, total: String, disputed: String
    )
        -> String
    {
        """
        <table style="border-collapse: collapse;" cellpadding="6">
        <thead><tr><th align="left">\(invoice)</th><th align="left">\(date)</th><th align="left">\(due)</th>\
        <th align="right">\(open)</th><th align="left">\(status)</th></tr></thead>
        <tbody>
        {{#invoices}}
        <tr><td>{{number}}</td><td>{{issue_date}}</td><td>{{due_date}}</td><td align="right">{{open}}</td>\
        <td>{{due_status}}</td></tr>
        {{/invoices}}
        </tbody>
        {{#several_invoices}}
        <tfoot>
        {{#totals}}
        <tr><th align="left" colspan="3">\(total)</th><th align="right">{{amount}}</th><td></td></tr>
        {{/totals}}
        </tfoot>
        {{/several_invoices}}
        </table>
        {{#invoices}}
        {{#has_disputed_part}}
        <p>\(disputed)</p>
        {{/has_disputed_part}}
        {{/invoices}}
        """
    }

    /// The payment instructions, line by line, under a heading, and the RF reference(s) to quote. Without
    /// instructions the heading is left out too: an empty "How to pay" tells the client nothing.
    static func paymentHTML(heading: String, reference: ReferenceWords, colon: String = ":") -> String {
        """
        {{#has_payment_instructions}}
        <p><strong>\(heading)</strong><br>
        {{#payment_instruction_lines}}{{.}}{{^last()}}<br>{{/last()}}
        {{/payment_instruction_lines}}</p>
        {{/has_payment_instructions}}
        {{#has_payment_reference}}
        {{#single_invoice}}
        <p>\(reference.single.replacingOccurrences(of: "{{payment_reference}}", with: "<strong>{{payment_reference}}</strong>"))</p>
        {{/single_invoice}}
        {{#several_invoices}}
        <p>\(reference.several)\(colon)</p>
        <ul>
        {{#invoices}}
        {{#has_payment_reference}}
        <li>{{number}}: <strong>{{payment_reference}}</strong></li>
        {{/has_payment_reference}}
        {{/invoices}}
        </ul>
        {{/several_invoices}}
        {{/has_payment_reference}}
        """
    }

    /// The payment instructions as plain text, then the RF reference(s) to quote, and a blank line; nothing at all
    /// when there are neither instructions nor references.
    static func paymentBlockText(heading: String, reference: ReferenceWords, colon: String = ":") -> String {
        """
        {{#has_payment_block}}
        {{#has_payment_instructions}}
        \(heading)\(colon)
        {{payment_instructions}}
        {{/has_payment_instructions}}
        {{#has_payment_reference}}
        {{#single_invoice}}
        \(reference.single)
        {{/single_invoice}}
        {{#several_invoices}}
        \(reference.several)\(colon)
        {{#invoices}}
        {{#has_payment_reference}}
        - {{number}}: {{payment_reference}}
        {{/has_payment_reference}}
        {{/invoices}}
        {{/several_invoices}}
        {{/has_payment_reference}}

        {{/has_payment_block}}
        """
    }
}

/// How a language asks the payer to quote the RF reference Duly issued for each invoice.
struct ReferenceWords {
    /// One invoice: a sentence with `{{payment_reference}}` in it.
    var single: String
    /// Several invoices: what introduces the list of each invoice's reference (no colon).
    var several: String
}

// MARK: - Composing a template from blocks

/// The words one language uses around the shared blocks.
struct LanguageKit {
    /// `- Invoice {{number}} …` lines with terms and early-payment savings (before the due date).
    var invoicesWithTermsText: String
    /// One paragraph per invoice with its terms and saving, under the table.
    var invoicesWithTermsHTML: String
    /// `- Invoice {{number}} … open (14 days overdue)` lines and the total.
    var invoicesOpenText: String
    /// The invoice table.
    var table: String
    /// The heading over the payment instructions.
    var payment: String
    /// How to ask for the RF reference with the payment.
    var reference: ReferenceWords
    /// What introduces a list in this language (French sets a no-break space before the colon).
    var colon = ":"
}

/// A piece of a message, written once and rendered as both plain text and HTML.
enum Block {
    /// A paragraph of prose (Mustache allowed; no HTML).
    case paragraph(String)
    /// Lines kept together, one per line in text and with `<br>` in HTML.
    case lines([String])
    /// A bulleted list.
    case bullets([String])
    /// A numbered list.
    case steps([String])
    /// A heading (call scripts, letters' subject lines).
    case heading(String)
    /// One bullet per invoice, written with the invoice's fields.
    case eachInvoice(String)
    /// One bullet per element of a list field (`plan_instalments`), written with the element's fields; a line
    /// break in the item continues the bullet on an indented line (a `<br>` in HTML).
    case each(String, String)
    /// The invoices with their terms and savings.
    case invoicesWithTerms
    /// The invoices with what is open and how late.
    case invoicesOpen
    /// How to pay.
    case payment
    /// The closing words and the signature.
    case signature(String)
    /// The sender's address, the client and the date.
    case letterHead
    /// Blocks shown only when a flag is set.
    case when(String, [Block])
    /// Blocks shown only when a flag is not set.
    case unless(String, [Block])
}

extension BuiltInTemplates {
    /// Writes the blocks out as a template's text and HTML parts.
    static func compose(_ subject: String, _ blocks: [Block], kit: LanguageKit) -> TemplateSource {
        var plain = blocks.map { text(of: $0, kit: kit) }.joined()
        while plain.hasSuffix("\n\n") { plain.removeLast() }
        let markup = blocks.map { html(of: $0, kit: kit) }.joined()
        return TemplateSource(subject: subject, text: plain, html: page(String(markup.dropLast())))
    }

    private static func text(of block: Block, kit: LanguageKit) -> String {
        switch block {
        case .paragraph(let text), .heading(let text): return text + "\n\n"
        case .lines(let lines): return lines.joined(separator: "\n") + "\n\n"
        case .bullets(let items): return items.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
        case .steps(let items):
            return items.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n\n"
        case .eachInvoice(let item): return "{{#invoices}}\n- \(item)\n{{/invoices}}\n\n"
        case .each(let list, let item):
            return "{{#\(list)}}\n- \(item.replacing("\n", with: "\n  "))\n{{/\(list)}}\n\n"
        case .invoicesWithTerms: return kit.invoicesWithTermsText + "\n\n"
        case .invoicesOpen: return kit.invoicesOpenText + "\n\n"
        case .payment:
            return paymentBlockText(heading: kit.payment, reference: kit.reference, colon: kit.colon) + "\n"
        case .signature(let closing): return "\(closing)\n{{signature}}\n\n"
        case .letterHead: return letterHeadText + "\n\n"
        case .when(let flag, let blocks):
            return "{{#\(flag)}}\n" + blocks.map { text(of: $0, kit: kit) }.joined() + "{{/\(flag)}}\n"
        case .unless(let flag, let blocks):
            return "{{^\(flag)}}\n" + blocks.map { text(of: $0, kit: kit) }.joined() + "{{/\(flag)}}\n"
        }
    }

    private static func html(of block: Block, kit: LanguageKit) -> String {
        switch block {
        case .paragraph(let text): return "<p>\(text)</p>\n"
        case .heading(let text): return "<p><strong>\(text)</strong></p>\n"
        case .lines(let lines): return "<p>" + lines.joined(separator: "<br>\n") + "</p>\n"
        case .bullets(let items): return "<ul>\n" + items.map { "<li>\($0)</li>\n" }.joined() + "</ul>\n"
        case .steps(let items): return "<ol>\n" + items.map { "<li>\($0)</li>\n" }.joined() + "</ol>\n"
        case .eachInvoice(let item): return "<ul>\n{{#invoices}}\n<li>\(item)</li>\n{{/invoices}}\n</ul>\n"
        case .each(let list, let item):
            return "<ul>\n{{#\(list)}}\n<li>\(item.replacing("\n", with: "<br>\n"))</li>\n{{/\(list)}}\n</ul>\n"
        case .invoicesWithTerms: return kit.table + "\n" + kit.invoicesWithTermsHTML + "\n"
        case .invoicesOpen: return kit.table + "\n"
        case .payment: return paymentHTML(heading: kit.payment, reference: kit.reference, colon: kit.colon) + "\n"
        case .signature(let closing): return "<p>\(closing)</p>\n" + signatureHTML + "\n"
        case .letterHead: return letterHeadHTML + "\n"
        case .when(let flag, let blocks):
            return "{{#\(flag)}}\n" + blocks.map { html(of: $0, kit: kit) }.joined() + "{{/\(flag)}}\n"
        case .unless(let flag, let blocks):
            return "{{^\(flag)}}\n" + blocks.map { html(of: $0, kit: kit) }.joined() + "{{/\(flag)}}\n"
        }
    }
}
