import DulyCore
import Foundation

/// Why a letter could not be laid out.
public enum LetterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The customer has no postal address: there is nowhere to send it.
    case noPostalAddress(customerID: String)

    public var description: String {
        switch self {
        case .noPostalAddress(let customerID):
            return "customer \(customerID) has no postal address, so no letter was printed: add the address columns "
                + "(address_line1, postal_code, city) to the customers file and import it again"
        }
    }
}

/// A print-ready A4 letter around a rendered template: sender block, an address window where a DL window envelope
/// shows it (DIN 5008 type B: 20 mm from the left, 45 mm from the top), date, subject, body, signature.
///
/// The sender, the recipient, the date and the title are printed here, once each; the built-in templates leave
/// them out when they render for a letter (`is_letter`). The date is the long date of the letter's language.
public enum LetterLayout {
    /// The whole letter as one HTML document with print CSS; escaping is done here for every value.
    ///
    /// - Parameter organisationCountry: the sender's country; the recipient's country is named only when it
    ///   differs (a letter abroad), in the letter's language.
    ///   - paymentCode: the EPC payment code to print under the text, with a line saying what it pays.
    ///   - addressRequired: false for a document sent with an email (an invoice copy, a statement), whose window
    ///     then names the customer alone when the books have no postal address.
    /// - Throws: `LetterError.noPostalAddress` when the customer has no postal address and one is required.
    public static func html(
        rendered: RenderedMessage, sender: SenderIdentity, customer: Customer, contact: Contact?, date: LocalDate,
        organisationCountry: String? = nil, paymentCode: PrintedPaymentCode? = nil, addressRequired: Bool = true
    ) throws -> String {
        let recipient: [String]
        if let address = customer.address {
            recipient = recipientLines(
                customer: customer, contact: contact, address: address, language: rendered.language,
                organisationCountry: organisationCountry)
        } else if addressRequired {
            throw LetterError.noPostalAddress(customerID: customer.id)
        } else {
            recipient = [customer.name]
        }
        let senderLines = [sender.name] + sender.postalAddress
        return """
            <!DOCTYPE html>
            <html lang="\(rendered.language.rawValue)">
            <head>
            <meta charset="utf-8">
            <title>\(HTML.escape(rendered.subject))</title>
            <style>
              @page { size: A4; margin: 0; }
              body { margin: 0; font: 11pt/1.45 Helvetica, Arial, sans-serif; color: #111; }
              .page { position: relative; width: 210mm; min-height: 297mm; padding: 0; box-sizing: border-box; }
              .sender { position: absolute; top: 15mm; right: 20mm; text-align: right; font-size: 9pt; }
              .window { position: absolute; top: 45mm; left: 20mm; width: 85mm; height: 45mm; }
              .window .return { font-size: 7pt; border-bottom: 0.2mm solid #999; margin-bottom: 2mm; }
              .content { position: absolute; top: 100mm; left: 25mm; right: 20mm; }
              .date { text-align: right; margin-bottom: 8mm; }
              h1 { font-size: 12pt; margin: 0 0 6mm 0; }
              .pay-code { display: flex; align-items: center; gap: 5mm; margin-top: 6mm; page-break-inside: avoid; }
              .pay-code p { margin: 0; font-size: 9pt; max-width: 70mm; }
            </style>
            </head>
            <body>
            <div class="page">
              <div class="sender">\(senderLines.map(HTML.escape).joined(separator: "<br>"))</div>
              <div class="window">
                <div class="return">\(HTML.escape(senderLines.joined(separator: " · ")))</div>
                \(recipient.map(HTML.escape).joined(separator: "<br>"))
              </div>
              <div class="content">
                <div class="date">\(HTML.escape(rendered.language.format(date)))</div>
                <h1>\(HTML.escape(rendered.subject))</h1>
                \(bodyContent(of: rendered.html))
            \(paymentCodeBlock(paymentCode, language: rendered.language))
              </div>
            </div>
            </body>
            </html>

            """
    }

    // The code at 0.5 mm a module (at least 2 cm a side, as the EPC guidance asks) and what scanning it does.
    private static func paymentCodeBlock(_ paymentCode: PrintedPaymentCode?, language: TemplateLanguage) -> String {
        guard let paymentCode else { return "" }
        let caption = language.scanToPay(language.format(paymentCode.amount))
        return """
                <div class="pay-code">\(paymentCode.code.svg(moduleSize: 0.5, label: caption))<p>\(HTML.escape(caption))</p></div>
            """
    }

    /// The address window's lines: the person, the customer, the street, the town, and the country for a letter
    /// abroad (in capitals, as the post reads it).
    static func recipientLines(
        customer: Customer, contact: Contact?, address: PostalAddress, language: TemplateLanguage,
        organisationCountry: String?
    ) -> [String] {
        var lines: [String] = []
        if let name = contact?.name, !name.isEmpty, name != customer.name {
            lines.append(customer.title.map { "\($0) \(name)" } ?? name)
        }
        lines.append(customer.name)
        lines.append(address.line1)
        if let line2 = address.line2, !line2.isEmpty { lines.append(line2) }
        let country = customer.country?.uppercased()
        if country == "GB" || country == "IE" {
            // British and Irish addresses put the town above the postcode.
            lines.append(address.city.uppercased())
            if let region = address.region, !region.isEmpty { lines.append(region) }
            if let code = address.postalCode, !code.isEmpty { lines.append(code) }
        } else {
            lines.append(
                [address.postalCode, address.city].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " "))
            if let region = address.region, !region.isEmpty { lines.append(region) }
        }
        if let country, !country.isEmpty, country != organisationCountry?.uppercased() {
            lines.append(countryName(country, in: language).uppercased())
        }
        return lines
    }

    /// A country's name in a language, for the countries Duly's clients are in; the code itself otherwise.
    static func countryName(_ code: String, in language: TemplateLanguage) -> String {
        let names: [String: [TemplateLanguage: String]] = [
            "AT": [.en: "Austria", .de: "Österreich", .fr: "Autriche", .nl: "Oostenrijk"],
            "BE": [.en: "Belgium", .de: "Belgien", .fr: "Belgique", .nl: "België"],
            "CH": [.en: "Switzerland", .de: "Schweiz", .fr: "Suisse", .nl: "Zwitserland"],
            "DE": [.en: "Germany", .de: "Deutschland", .fr: "Allemagne", .nl: "Duitsland"],
            "DK": [.en: "Denmark", .de: "Dänemark", .fr: "Danemark", .nl: "Denemarken"],
            "ES": [.en: "Spain", .de: "Spanien", .fr: "Espagne", .nl: "Spanje"],
            "FR": [.en: "France", .de: "Frankreich", .fr: "France", .nl: "Frankrijk"],
            "GB": [
                .en: "United Kingdom", .de: "Vereinigtes Königreich", .fr: "Royaume-Uni", .nl: "Verenigd Koninkrijk",
            ],
            "IE": [.en: "Ireland", .de: "Irland", .fr: "Irlande", .nl: "Ierland"],
            "IT": [.en: "Italy", .de: "Italien", .fr: "Italie", .nl: "Italië"],
            "LU": [.en: "Luxembourg", .de: "Luxemburg", .fr: "Luxembourg", .nl: "Luxemburg"],
            "NL": [.en: "Netherlands", .de: "Niederlande", .fr: "Pays-Bas", .nl: "Nederland"],
            "PL": [.en: "Poland", .de: "Polen", .fr: "Pologne", .nl: "Polen"],
            "PT": [.en: "Portugal", .de: "Portugal", .fr: "Portugal", .nl: "Portugal"],
            "SE": [.en: "Sweden", .de: "Schweden", .fr: "Suède", .nl: "Zweden"],
            "US": [.en: "United States", .de: "Vereinigte Staaten", .fr: "États-Unis", .nl: "Verenigde Staten"],
        ]
        return names[code.uppercased()]?[language] ?? code.uppercased()
    }

    /// What is inside `<body>` of a whole HTML document (the template's email HTML), or the text as it is.
    static func bodyContent(of html: String) -> String {
        guard let open = html.range(of: "<body"), let start = html[open.upperBound...].firstIndex(of: ">"),
            let close = html.range(of: "</body>", options: .backwards), start < close.lowerBound
        else { return html }
        return String(html[html.index(after: start)..<close.lowerBound])
    }

}
