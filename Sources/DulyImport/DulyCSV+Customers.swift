import DulyCore
import Foundation

// `customers.csv`: customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email, then
// address_line1,address_line2,postal_code,city,region,title,collector.
//
// `contact_name`, `email` and `phone` describe the billing contact; `escalation_email` the senior contact that
// escalations go to; `collector` the team member who owns the account. Only the id and the name are required. A postal address is whole or absent: a row that gives
// any of its columns must give line 1 and the city, which every letter needs.
final class CustomerRowDecoder: RowDecoder {
    static let kind = CSVMapping.Kind.customers
    static let columns = [
        ColumnSpec(name: "customer_id", required: true),
        ColumnSpec(name: "name", required: true),
        ColumnSpec(name: "email", required: false),
        ColumnSpec(name: "phone", required: false),
        ColumnSpec(name: "country", required: false),
        ColumnSpec(name: "language", required: false),
        ColumnSpec(name: "timezone", required: false),
        ColumnSpec(name: "contact_name", required: false),
        ColumnSpec(name: "escalation_email", required: false),
        ColumnSpec(name: "address_line1", required: false),
        ColumnSpec(name: "address_line2", required: false),
        ColumnSpec(name: "postal_code", required: false),
        ColumnSpec(name: "city", required: false),
        ColumnSpec(name: "region", required: false),
        ColumnSpec(name: "title", required: false),
        ColumnSpec(name: "collector", required: false),
    ]

    private let file: String
    private let id, name, email, phone, country, language, timeZone, contactName, escalationEmail: Column
    private let addressLine1, addressLine2, postalCode, city, region, title, collector: Column
    private var ids = KeyRegister()
    // Looking a zone up in the time zone database is slow; customers share a few zones.
    private var knownZones: [String: Bool] = [:]

    init(file: String, columns: [Column]) {
        self.file = file
        (id, name, email, phone, country) = (columns[0], columns[1], columns[2], columns[3], columns[4])
        (language, timeZone, contactName, escalationEmail) = (columns[5], columns[6], columns[7], columns[8])
        (addressLine1, addressLine2, postalCode) = (columns[9], columns[10], columns[11])
        (city, region, title, collector) = (columns[12], columns[13], columns[14], columns[15])
    }

    func decode(_ row: CSVRow, issues: inout [ImportIssue]) -> CustomerRecord? {
        var fields = RowFields(file: file, row: row)
        let id = fields.required(id, "a customer id", issues: &issues)
        if let id, let earlier = ids.register(id, line: row.line) {
            fields.fail(self.id, "'\(id)' appears twice; first on line \(earlier)", issues: &issues)
        }
        let name = fields.required(name, "a name", issues: &issues)
        let email = self.email(email, fields: &fields, issues: &issues)
        var phone = fields.optionalText(phone, issues: &issues)
        if let text = phone, text.utf8.filter({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }).count < 3 {
            fields.fail(self.phone, "'\(text)' does not look like a phone number", issues: &issues)
            phone = nil
        }
        var country = fields.value(country)
        if let text = country {
            if text.utf8.count == 2 && text.utf8.allSatisfy(isASCIILetter) {
                country = text.uppercased()
            } else {
                fields.fail(
                    self.country, "'\(text)' is not a two-letter country code (ISO 3166-1: NL, GB)", issues: &issues)
            }
        }
        var language = fields.value(language)
        if let text = language {
            if (2...3).contains(text.utf8.count) && text.utf8.allSatisfy(isASCIILetter) {
                language = text.lowercased()
            } else {
                fields.fail(self.language, "'\(text)' is not a language code (ISO 639: en, de, fr)", issues: &issues)
            }
        }
        let zone = fields.value(timeZone)
        if let zone, !isKnownZone(zone) {
            fields.fail(
                timeZone, "'\(zone)' is not an IANA time zone (Europe/Amsterdam, America/New_York)", issues: &issues)
        }
        let contactName = fields.optionalText(contactName, issues: &issues)
        let escalationEmail = self.email(escalationEmail, fields: &fields, issues: &issues)
        let address = self.address(fields: &fields, issues: &issues)
        let title = fields.optionalText(title, issues: &issues)
        let collector = fields.optionalText(collector, issues: &issues)
        guard !fields.failed, let id, let name else { return nil }
        var contacts: [Contact] = []
        if contactName != nil || email != nil || phone != nil {
            contacts.append(Contact(role: .billing, name: contactName, email: email, phone: phone))
        }
        if let escalationEmail {
            contacts.append(Contact(role: .senior, email: escalationEmail))
        }
        return CustomerRecord(
            customer: Customer(
                id: id, name: name, country: country, language: language, timeZone: zone, collector: collector,
                address: address, title: title),
            contacts: contacts)
    }

    // The postal address, or nil when the row gives none of its columns.
    private func address(fields: inout RowFields, issues: inout [ImportIssue]) -> PostalAddress? {
        let line1 = fields.optionalText(addressLine1, issues: &issues)
        let line2 = fields.optionalText(addressLine2, issues: &issues)
        let code = fields.optionalText(postalCode, issues: &issues)
        let city = fields.optionalText(self.city, issues: &issues)
        let area = fields.optionalText(region, issues: &issues)
        let given = [
            (addressLine1, line1), (addressLine2, line2), (postalCode, code), (self.city, city), (region, area),
        ].filter { $0.1 != nil }
        guard let first = given.first else { return nil }
        for (column, value) in [(addressLine1, line1), (self.city, city)] where value == nil {
            // A column the header leaves out is reported where the address starts, so the location is a real field.
            fields.fail(
                column.index == nil ? first.0 : column,
                "the row gives part of a postal address but no \(column.name); a letter needs at least address_line1 "
                    + "and city (or leave every address column empty)",
                issues: &issues)
        }
        guard let line1, let city else { return nil }
        return PostalAddress(line1: line1, line2: line2, postalCode: code, city: city, region: area)
    }

    private func email(_ column: Column, fields: inout RowFields, issues: inout [ImportIssue]) -> String? {
        guard let text = fields.value(column) else { return nil }
        if let reason = emailProblem(text) {
            fields.fail(
                column, "'\(text)' is not an email address any server could deliver: \(reason)", issues: &issues)
            return nil
        }
        return text
    }

    private func isKnownZone(_ identifier: String) -> Bool {
        if let known = knownZones[identifier] { return known }
        let known = TimeZone(identifier: identifier) != nil
        knownZones[identifier] = known
        return known
    }
}

private func isASCIILetter(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
}

// Internationalised addresses are mail like any other (`rechnung@café-müller.example`, RFC 6530): refused is only
// what no server could deliver, with the reason (see `EmailAddress`), and a domain without a dot, which no public
// mail server has.
func emailProblem(_ text: String) -> String? {
    do {
        let address = try EmailAddress(parsing: text)
        guard address.domain.contains(".") || address.domain.hasPrefix("[") else {
            return "the domain '\(address.domain)' has no dot (name@example.com)"
        }
        return nil
    } catch {
        return error.description
    }
}
