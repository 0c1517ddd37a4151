import DulyCore
import DulyStore

/// The demo's ledger: a small marketing agency and its clients, with every stage and side state represented.
///
/// Everything is placed relative to the demo's date, so the demo tells the same story whatever day it runs. Each
/// record carries the day it happens, and the demo lives through those days one by one (see `DemoCommand`).
struct DemoLedger {
    let organisation: Organisation
    var customers: [CustomerRecord] = []
    var invoices: [Invoice] = []
    var payments: [Payment] = []
    var creditNotes: [CreditNote] = []
    var disputes: [(customerID: String, dispute: Dispute)] = []
    var promises: [(customerID: String, promise: PromiseToPay)] = []
    var plans: [(customerID: String, plan: PaymentPlan)] = []

    private let today: LocalDate
    private let eur = Currency(code: "EUR")!
    private let gbp = Currency(code: "GBP")!

    init(today: LocalDate) {
        self.today = today
        self.organisation = Organisation(
            id: "demo", name: "Northwind Studio", baseCurrency: Currency(code: "EUR")!, country: "NL",
            timeZone: "Europe/Amsterdam",
            sender: SenderIdentity(
                name: "Northwind Studio", fromAddress: "accounts@northwind.example",
                replyTo: "collections@northwind.example", signature: "Sam Jansen\nAccounts, Northwind Studio",
                // How to pay in each client's language, the studio's own (Dutch) first; each message adds the RF
                // reference to quote, so the instructions do not ask for the invoice number beside it.
                paymentInstructions: "Overschrijving naar Northwind Studio B.V.\n" + DemoLedger.account,
                postalAddress: ["Northwind Studio B.V.", "Prinsengracht 263", "1016 GV Amsterdam", "Netherlands"],
                translatedPaymentInstructions: [
                    "en": "Bank transfer to Northwind Studio B.V.\n" + DemoLedger.account,
                    "de": "Überweisung an Northwind Studio B.V.\n" + DemoLedger.account,
                    "fr": "Virement à Northwind Studio B.V.\n" + DemoLedger.account,
                ]))
        build()
    }

    private static let account = "IBAN NL91 ABNA 0417 1643 00 (BIC ABNANL2A)"

    private func on(_ offset: Int) -> LocalDate { today.adding(days: offset) }

    private mutating func customer(
        _ id: String, _ name: String, country: String, language: String, timeZone: String, contact: String,
        phone: String? = "+31 20 555 0100", senior: String? = nil, optedOut: Set<Channel> = [], tags: Set<String> = []
    ) {
        let domain = name.lowercased().filter { $0.isLetter }.prefix(14) + ".example"
        var contacts = [
            Contact(role: .billing, name: contact, email: "accounts@\(domain)", phone: phone)
        ]
        if let senior { contacts.append(Contact(role: .senior, name: senior, email: "director@\(domain)")) }
        customers.append(
            CustomerRecord(
                customer: Customer(
                    id: id, name: name, country: country, language: language, timeZone: timeZone,
                    collector: "sam", tags: tags, optedOut: optedOut,
                    address: Self.address(
                        number: customers.count,
                        country: country)),
                contacts: contacts))
    }

    // Every client has a postal address, as a ledger from accounting software would: a final notice is a letter.
    private static func address(number: Int, country: String) -> PostalAddress? {
        let house = 10 + number * 7
        switch country {
        case "NL": return PostalAddress(line1: "Keizersgracht \(house)", postalCode: "1015 CV", city: "Amsterdam")
        case "DE": return PostalAddress(line1: "Friedrichstraße \(house)", postalCode: "10117", city: "Berlin")
        case "FR": return PostalAddress(line1: "\(house) rue de la République", postalCode: "69002", city: "Lyon")
        case "GB": return PostalAddress(line1: "\(house) Albion Street", postalCode: "LS1 6HX", city: "Leeds")
        default: return nil
        }
    }

    /// An invoice issued `issued` days from today on `terms`, for `amount` in minor units.
    @discardableResult
    private mutating func invoice(
        _ number: String, _ customerID: String, issued: Int, terms: String = "net 30", amount: Int,
        currency: String = "EUR"
    ) -> Invoice {
        let parsedTerms = try! PaymentTerms(parsing: terms)
        let issue = on(issued)
        let invoice = Invoice(
            number: number, customerID: customerID, issueDate: issue, dueDate: parsedTerms.dueDate(issuedOn: issue),
            total: Money(minorUnits: amount, currency: Currency(code: currency)!), terms: parsedTerms,
            poNumber: "PO-\(number.suffix(3))")
        invoices.append(invoice)
        return invoice
    }

    private mutating func pay(
        _ id: String, _ customerID: String, on offset: Int, amount: Int, currency: String = "EUR", invoice: String?
    ) {
        payments.append(
            Payment(
                id: id, customerID: customerID, date: on(offset),
                amount: Money(minorUnits: amount, currency: Currency(code: currency)!),
                reference: invoice.map { "Invoice \($0)" } ?? "Northwind", invoiceNumber: invoice))
    }

    private mutating func build() {
        // Good payers: paid on time, or not yet due.
        customer(
            "C001", "Bakkerij de Vries", country: "NL", language: "nl", timeZone: "Europe/Amsterdam",
            contact: "Anouk de Vries")
        invoice("NW-1001", "C001", issued: -50, amount: 1_850_00)
        pay("PAY-5001", "C001", on: -21, amount: 1_850_00, invoice: "NW-1001")
        invoice("NW-1102", "C001", issued: -24, amount: 2_400_00)
        customer(
            "C002", "Hoffmann Maschinenbau GmbH", country: "DE", language: "de", timeZone: "Europe/Berlin",
            contact: "Jonas Hoffmann", senior: "Petra Hoffmann")
        invoice("NW-1121", "C002", issued: -3, terms: "2/10 net 30", amount: 7_500_00)
        invoice("NW-1090", "C002", issued: -37, terms: "net 45", amount: 3_200_00)

        // Delayed: a few days to a few weeks late.
        customer(
            "C003", "Atelier Moreau", country: "FR", language: "fr", timeZone: "Europe/Paris", contact: "Claire Moreau")
        invoice("NW-1071", "C003", issued: -35, amount: 980_00)
        customer(
            "C004", "Brightside Media Ltd", country: "GB", language: "en", timeZone: "Europe/London",
            contact: "Oliver Grant", phone: "+44 20 7946 0018", senior: "Hannah Grant")
        invoice("NW-1052", "C004", issued: -44, amount: 1_200_00, currency: "GBP")
        invoice("NW-1058", "C004", issued: -41, amount: 640_00, currency: "GBP")
        customer(
            "C005", "Nordlicht Design", country: "DE", language: "de", timeZone: "Europe/Berlin",
            contact: "Lena Vogel")
        invoice("NW-1049", "C005", issued: -47, amount: 2_750_00)

        // Non-payment: long overdue.
        customer(
            "C006", "Keller & Partner", country: "DE", language: "de", timeZone: "Europe/Berlin",
            contact: "Markus Keller", senior: "Dr. Eva Keller")
        invoice("NW-1012", "C006", issued: -78, amount: 4_300_00)
        customer(
            "C007", "Van Dijk Logistics", country: "NL", language: "nl", timeZone: "Europe/Amsterdam",
            contact: "Pieter van Dijk", senior: "Sanne van Dijk")
        invoice("NW-0988", "C007", issued: -118, amount: 12_600_00)
        invoice("NW-0995", "C007", issued: -110, amount: 1_150_00)

        // Side states: a dispute, a live promise, broken promises, a plan.
        customer(
            "C008", "Greenleaf Organics", country: "GB", language: "en", timeZone: "Europe/London",
            contact: "Amira Shah", phone: "+44 161 496 0731")
        let disputed = invoice("NW-1040", "C008", issued: -52, amount: 1_640_00, currency: "GBP")
        invoice("NW-1077", "C008", issued: -33, amount: 420_00, currency: "GBP")
        disputes.append(
            (
                "C008",
                Dispute(
                    id: "DSP-1", invoiceNumber: disputed.number, openedOn: on(-12), reasonCode: .quality,
                    reason: "Campaign photos delivered late; client asks for a partial credit", owner: "Sam")
            ))
        customer(
            "C009", "Lumen Architects", country: "NL", language: "en", timeZone: "Europe/Amsterdam",
            contact: "Daan Bakker")
        invoice("NW-1044", "C009", issued: -50, amount: 5_900_00)
        promises.append(
            (
                "C009",
                PromiseToPay(
                    id: "PRM-1", invoiceNumbers: ["NW-1044"], amount: Money(minorUnits: 5_900_00, currency: eur),
                    promisedDate: on(4), madeOn: on(-3), channel: .call, promisedBy: "Daan Bakker")
            ))
        customer(
            "C010", "Cobalt Software BV", country: "NL", language: "nl", timeZone: "Europe/Amsterdam",
            contact: "Ruben Smit", senior: "Iris Smit")
        invoice("NW-1038", "C010", issued: -58, amount: 3_300_00)
        promises.append(
            (
                "C010",
                PromiseToPay(
                    id: "PRM-2", invoiceNumbers: ["NW-1038"], amount: Money(minorUnits: 3_300_00, currency: eur),
                    promisedDate: on(-22), madeOn: on(-24), channel: .call, promisedBy: "Ruben Smit")
            ))
        promises.append(
            (
                "C010",
                PromiseToPay(
                    id: "PRM-3", invoiceNumbers: ["NW-1038"], amount: Money(minorUnits: 1_500_00, currency: eur),
                    promisedDate: on(-11), madeOn: on(-14), channel: .email, promisedBy: "Ruben Smit")
            ))
        customer(
            "C011", "Rivière Conseil", country: "FR", language: "fr", timeZone: "Europe/Paris",
            contact: "Julien Rivière")
        invoice("NW-1005", "C011", issued: -95, amount: 6_000_00)
        plans.append(
            (
                "C011",
                PaymentPlan(
                    id: "PLN-1", invoiceNumbers: ["NW-1005"],
                    instalments: [
                        .init(dueDate: on(-35), amount: Money(minorUnits: 2_000_00, currency: eur)),
                        .init(dueDate: on(-5), amount: Money(minorUnits: 2_000_00, currency: eur)),
                        .init(dueDate: on(25), amount: Money(minorUnits: 2_000_00, currency: eur)),
                    ], acceptedOn: on(-42), proposedBy: .client)
            ))
        pay("PAY-5011", "C011", on: -35, amount: 2_000_00, invoice: "NW-1005")
        pay("PAY-5012", "C011", on: -6, amount: 2_000_00, invoice: "NW-1005")

        // Manners and money: an opted-out client, a partial payment, an over-payment, a credit note.
        customer(
            "C012", "Sunny Days Events", country: "GB", language: "en", timeZone: "Europe/London",
            contact: "Tom Fletcher", phone: "+44 117 496 0842", optedOut: [.email])
        invoice("NW-1061", "C012", issued: -46, amount: 890_00, currency: "GBP")
        customer(
            "C013", "Meridian Consulting", country: "GB", language: "en", timeZone: "Europe/London",
            contact: "Grace Owusu", phone: nil)
        invoice("NW-1063", "C013", issued: -49, amount: 2_100_00, currency: "GBP")
        pay("PAY-5013", "C013", on: -8, amount: 1_000_00, currency: "GBP", invoice: "NW-1063")
        customer(
            "C014", "Studio Fink", country: "DE", language: "de", timeZone: "Europe/Berlin", contact: "Mia Fink")
        invoice("NW-1066", "C014", issued: -40, amount: 760_00)
        pay("PAY-5014", "C014", on: -9, amount: 800_00, invoice: "NW-1066")
        customer(
            "C015", "Harbour & Co", country: "GB", language: "en", timeZone: "Europe/London", contact: "Ella Harbour")
        invoice("NW-1069", "C015", issued: -39, amount: 300_00, currency: "GBP")
        creditNotes.append(
            CreditNote(
                id: "CN-201", invoiceNumber: "NW-1069", date: on(-15), amount: Money(minorUnits: 300_00, currency: gbp))
        )

        // The rest of the book: a spread of ages and outcomes.
        let others: [(String, String, String, String, String, String)] = [
            ("C016", "Polder Bikes", "NL", "nl", "Europe/Amsterdam", "Femke Jansen"),
            ("C017", "Alpenrose Hotels", "DE", "de", "Europe/Berlin", "Stefan Huber"),
            ("C018", "Maison Lefèvre", "FR", "fr", "Europe/Paris", "Camille Lefèvre"),
            ("C019", "Thistle Games Ltd", "GB", "en", "Europe/London", "Callum Reid"),
            ("C020", "Kade Coffee Roasters", "NL", "nl", "Europe/Amsterdam", "Noor Visser"),
            ("C021", "Brandt Elektro", "DE", "de", "Europe/Berlin", "Tobias Brandt"),
            ("C022", "Les Jardins du Sud", "FR", "fr", "Europe/Paris", "Hugo Martin"),
            ("C023", "Copperfield Books", "GB", "en", "Europe/London", "Ruth Evans"),
            ("C024", "Duinzicht Vastgoed", "NL", "nl", "Europe/Amsterdam", "Bram Mulder"),
            ("C025", "Schwarzwald Outdoor", "DE", "de", "Europe/Berlin", "Anna Schneider"),
            ("C026", "Atelier Blanc", "FR", "fr", "Europe/Paris", "Louise Bernard"),
            ("C027", "Redbrick Dental", "GB", "en", "Europe/London", "Priya Patel"),
            ("C028", "Tulp & Taart", "NL", "nl", "Europe/Amsterdam", "Sofie de Jong"),
            ("C029", "Nordsee Fisch GmbH", "DE", "de", "Europe/Berlin", "Finn Petersen"),
            ("C030", "Café Lumière", "FR", "fr", "Europe/Paris", "Léa Dubois"),
        ]
        // (issued days ago, amount, paid how many days after the due date or nil)
        let pattern: [(Int, Int, Int?)] = [
            (-20, 1_250_00, nil), (-62, 2_980_00, -2), (-38, 640_00, nil), (-90, 3_450_00, 12), (-27, 1_780_00, nil),
            (-55, 920_00, nil), (-33, 4_100_00, nil), (-70, 1_330_00, 5), (-15, 2_200_00, nil), (-43, 1_560_00, nil),
            (-66, 820_00, nil), (-31, 3_900_00, nil), (-84, 2_450_00, 30), (-9, 1_100_00, nil), (-48, 2_640_00, nil),
        ]
        for (index, other) in others.enumerated() {
            customer(
                other.0, other.1, country: other.2, language: other.3, timeZone: other.4, contact: other.5,
                phone: index % 4 == 3 ? nil : "+31 20 555 01\(10 + index)")
            let (issued, amount, paidAfterDue) = pattern[index]
            let currency = other.2 == "GB" ? "GBP" : "EUR"
            let number = "NW-\(1200 + index)"
            let made = invoice(number, other.0, issued: issued, amount: amount, currency: currency)
            if let paidAfterDue {
                let paidOn = made.dueDate.adding(days: paidAfterDue)
                // Payments dated in the future have not happened yet: they land yesterday at the latest.
                let offset = min(-1, today.days(until: paidOn))
                pay("PAY-\(6000 + index)", other.0, on: offset, amount: amount, currency: currency, invoice: number)
            }
        }
    }
}
