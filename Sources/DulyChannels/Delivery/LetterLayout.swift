import DulyCore
import Foundation

/// A print-ready A4 letter around a rendered template: sender block, an address window where a DL window envelope
/// shows it (DIN 5008 type B: 20 mm from the left, 45 mm from the top), date, subject, body, signature.
public enum LetterLayout {
    /// The whole letter as one HTML document with print CSS; escaping is done here for every value.
    public static func html(
        rendered: RenderedMessage, sender: SenderIdentity, customer: Customer, contact: Contact?, date: LocalDate
    ) -> String {
        let recipient = [contact?.name, customer.name, customer.country].compactMap { $0 }.filter { !$0.isEmpty }
        let senderLines = [sender.name] + sender.postalAddress
        return """
            <!DOCTYPE html>
            <html lang="\(escape(customer.language ?? "en"))">
            <head>
            <meta charset="utf-8">
            <title>\(escape(rendered.subject))</title>
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
            </style>
            </head>
            <body>
            <div class="page">
              <div class="sender">\(senderLines.map(escape).joined(separator: "<br>"))</div>
              <div class="window">
                <div class="return">\(escape(senderLines.joined(separator: " · ")))</div>
                \(recipient.map(escape).joined(separator: "<br>"))
              </div>
              <div class="content">
                <div class="date">\(escape(date.description))</div>
                <h1>\(escape(rendered.subject))</h1>
                \(bodyContent(of: rendered.html))
              </div>
            </div>
            </body>
            </html>

            """
    }

    /// What is inside `<body>` of a whole HTML document (the template's email HTML), or the text as it is.
    static func bodyContent(of html: String) -> String {
        guard let open = html.range(of: "<body"), let start = html[open.upperBound...].firstIndex(of: ">"),
            let close = html.range(of: "</body>", options: .backwards), start < close.lowerBound
        else { return html }
        return String(html[html.index(after: start)..<close.lowerBound])
    }

    /// HTML-escapes text for element content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
