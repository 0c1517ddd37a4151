import DulyCore

/// An organisation's settings as the `organisations` table holds them, column by column, for every backend.
///
/// How a setting becomes a column is a rule of the schema, not of one backend: the postal address and the agency's
/// contact lines are joined by newlines, the translated payment instructions are one JSON object, the attachments a
/// comma list, and a language equal to the country's default is stored as none, so that it follows the country.
public struct OrganisationColumns: Sendable, Equatable {
    public var name: String
    public var baseCurrency: String
    public var country: String
    public var timeZone: String
    public var senderName: String?
    public var senderFromAddress: String?
    public var senderReplyTo: String?
    public var senderSignature: String?
    public var senderPaymentInstructions: String?
    public var senderPostalAddress: String?
    public var language: String?
    public var senderPhone: String?
    public var senderTranslatedPaymentInstructions: String?
    public var agencyName: String?
    public var agencyContact: String?
    public var messageAttachments: String?
    public var senderIBAN: String?
    public var senderBIC: String?

    /// The columns in the order of `OrganisationColumns.names`, for an insert's parameters.
    public var values: [String?] {
        [
            name, baseCurrency, country, timeZone, senderName, senderFromAddress, senderReplyTo, senderSignature,
            senderPaymentInstructions, senderPostalAddress, language, senderPhone,
            senderTranslatedPaymentInstructions, agencyName, agencyContact, messageAttachments, senderIBAN,
            senderBIC,
        ]
    }

    /// The column names, in the order `values` gives them.
    public static let names = [
        "name", "base_currency", "country", "time_zone", "sender_name", "sender_from_address", "sender_reply_to",
        "sender_signature", "sender_payment_instructions", "sender_postal_address", "language", "sender_phone",
        "sender_translated_payment_instructions", "agency_name", "agency_contact", "message_attachments",
        "sender_iban", "sender_bic",
    ]

    /// Columns as read, in the order of `names`.
    public init(values: [String?]) throws {
        guard values.count == Self.names.count, let name = values[0], let currency = values[1],
            let country = values[2], let timeZone = values[3]
        else { throw StoreError.backend("an organisation row lacks its name, currency, country or time zone") }
        self.name = name
        self.baseCurrency = currency
        self.country = country
        self.timeZone = timeZone
        senderName = values[4]
        senderFromAddress = values[5]
        senderReplyTo = values[6]
        senderSignature = values[7]
        senderPaymentInstructions = values[8]
        senderPostalAddress = values[9]
        language = values[10]
        senderPhone = values[11]
        senderTranslatedPaymentInstructions = values[12]
        agencyName = values[13]
        agencyContact = values[14]
        messageAttachments = values[15]
        senderIBAN = values[16]
        senderBIC = values[17]
    }

    /// The columns that store `organisation` (its holidays live in their own table).
    public init(_ organisation: Organisation) {
        let sender = organisation.sender
        name = organisation.name
        baseCurrency = organisation.baseCurrency.code
        country = organisation.country
        timeZone = organisation.timeZone
        senderName = sender?.name
        senderFromAddress = sender?.fromAddress
        senderReplyTo = sender?.replyTo
        senderSignature = sender?.signature
        senderPaymentInstructions = sender?.paymentInstructions
        senderPostalAddress = sender.map { $0.postalAddress.joined(separator: "\n") }
        language =
            organisation.language == Organisation.defaultLanguage(country: organisation.country)
            ? nil : organisation.language
        senderPhone = sender?.phone
        senderTranslatedPaymentInstructions = sender.flatMap {
            $0.translatedPaymentInstructions.isEmpty ? nil : JSONText.encode($0.translatedPaymentInstructions)
        }
        agencyName = organisation.agency?.name
        agencyContact = organisation.agency?.contact.joined(separator: "\n")
        messageAttachments =
            organisation.attachments.isEmpty
            ? nil : organisation.attachments.sorted().map(\.rawValue).joined(separator: ",")
        senderIBAN = sender?.iban
        senderBIC = sender?.bic
    }

    /// The organisation these columns store, with its holidays.
    public func organisation(id: String, holidays: Set<LocalDate>) throws -> Organisation {
        var sender: SenderIdentity?
        if let senderName {
            sender = SenderIdentity(
                name: senderName, fromAddress: senderFromAddress ?? "", replyTo: senderReplyTo,
                signature: senderSignature ?? "", paymentInstructions: senderPaymentInstructions ?? "",
                postalAddress: senderPostalAddress.map {
                    $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                } ?? [],
                phone: senderPhone,
                translatedPaymentInstructions: try senderTranslatedPaymentInstructions.map(JSONText.decodeObject)
                    ?? [:],
                iban: senderIBAN, bic: senderBIC)
        }
        var organisation = Organisation(
            id: id, name: name, baseCurrency: try Decode.currency(baseCurrency), country: country,
            timeZone: timeZone, holidays: holidays, sender: sender, language: language)
        if let agencyName {
            let contact = agencyContact ?? ""
            organisation.agency = CollectionAgency(
                name: agencyName, contact: contact.isEmpty ? [] : contact.split(separator: "\n").map(String.init))
        }
        organisation.attachments = Set(
            (messageAttachments ?? "").split(separator: ",").compactMap { MessageAttachment(rawValue: String($0)) })
        return organisation
    }
}
