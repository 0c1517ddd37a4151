import DulyCore

/// A customer as the `customers` table holds it, column by column, for every backend.
///
/// How a customer becomes columns is a rule of the schema, not of one backend: its tags (sorted) and the channels it
/// opted out of are JSON arrays, and its postal address is spread over five columns, read back as no address at all
/// when the first line or the city is missing (no letter goes to half an address).
public enum CustomerColumns {
    /// The column names after `org_id`, in the order `values(of:)` gives them and `customer(values:)` reads them.
    public static let names = [
        "customer_id", "name", "country", "language", "time_zone", "collector", "tags", "opted_out",
        "address_line1", "address_line2", "postal_code", "city", "region", "title",
    ]

    /// The names of `names`, each qualified by `prefix` (`c.`) for a join, joined by commas for a select list.
    public static func selectList(prefix: String = "") -> String {
        names.map { prefix + $0 }.joined(separator: ", ")
    }

    /// The customer's columns, in the order of `names` (every one of them text).
    public static func values(of customer: Customer) -> [String?] {
        [
            customer.id, customer.name, customer.country, customer.language, customer.timeZone, customer.collector,
            JSONText.encode(customer.tags.sorted()), JSONText.encode(customer.optedOut), customer.address?.line1,
            customer.address?.line2, customer.address?.postalCode, customer.address?.city, customer.address?.region,
            customer.title,
        ]
    }

    /// The customer these columns hold, given in the order of `names`.
    public static func customer(values: [String?]) throws -> Customer {
        guard values.count == names.count, let id = values[0], let name = values[1], let tags = values[6],
            let optedOut = values[7]
        else { throw StoreError.backend("a customer row lacks its id, name, tags or opted-out channels") }
        var address: PostalAddress?
        if let line1 = values[8], let city = values[11] {
            address = PostalAddress(
                line1: line1, line2: values[9], postalCode: values[10], city: city, region: values[12])
        }
        return Customer(
            id: id, name: name, country: values[2], language: values[3], timeZone: values[4], collector: values[5],
            tags: Set(try JSONText.decodeArray(tags)), optedOut: try Decode.channels(optedOut), address: address,
            title: values[13])
    }
}

/// A contact as the `contacts` table holds it, for every backend: its role and preferred channel as their raw
/// values, the channels it opted out of as a JSON array.
public struct ContactColumns: Sendable, Equatable {
    public var role: String
    public var name: String?
    public var email: String?
    public var phone: String?
    public var preferredChannel: String?
    public var emailBouncing: Bool
    public var optedOut: String

    /// The columns a contact is written as.
    public init(_ contact: Contact) {
        role = contact.role.rawValue
        name = contact.name
        email = contact.email
        phone = contact.phone
        preferredChannel = contact.preferredChannel?.rawValue
        emailBouncing = contact.emailBouncing
        optedOut = JSONText.encode(contact.optedOut)
    }

    /// The columns as read.
    public init(
        role: String, name: String?, email: String?, phone: String?, preferredChannel: String?, emailBouncing: Bool,
        optedOut: String
    ) {
        self.role = role
        self.name = name
        self.email = email
        self.phone = phone
        self.preferredChannel = preferredChannel
        self.emailBouncing = emailBouncing
        self.optedOut = optedOut
    }

    /// The contact these columns hold.
    public func contact() throws -> Contact {
        Contact(
            role: try Decode.value(role), name: name, email: email, phone: phone,
            preferredChannel: try preferredChannel.map { try Decode.value($0) }, emailBouncing: emailBouncing,
            optedOut: try Decode.channels(optedOut))
    }
}
