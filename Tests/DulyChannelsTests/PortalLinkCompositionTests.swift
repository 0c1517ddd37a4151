import DulyChannels
import DulyCore
import DulyStore
import Testing

/// Every message to a client carries its signed portal link when the portal's address is known, and none otherwise.
@Suite("Portal links in messages")
struct PortalLinkCompositionTests {
    private typealias Fixtures = TemplateFixtures

    private static let links = PortalLinks(secret: Array(repeating: 7, count: 32))

    private static func composer(portal: PortalAddress?) -> TemplateComposer {
        var composer = TemplateComposer(
            library: TemplateLibrary(playbook: Fixtures.playbook), organisation: Fixtures.organisation,
            sender: Fixtures.sender, dateHeader: "Tue, 10 Mar 2026 09:00:00 +0100", playbook: Fixtures.playbook)
        composer.portal = portal
        return composer
    }

    private static func message(_ composer: TemplateComposer, channel: Channel = .email) throws -> String {
        let account = Account(
            customer: Fixtures.customer, contacts: [Fixtures.contact], invoices: [Fixtures.overdue])
        let action = PlannedAction(
            customerID: Fixtures.customer.id, date: Fixtures.asOf, channel: channel, stage: .delayed,
            stepID: "first_follow_up", template: "first_follow_up", requiresApproval: false, escalatesTo: nil,
            steps: [InvoiceStep(invoiceNumber: "INV-2026-009", stepID: "first_follow_up")], status: .planned,
            idempotencyKey: "key")
        let message = try #require(
            try composer.compose(
                DeliveryJob(actionID: 7, action: action, state: nil, attempts: 0, messageID: nil), account: account,
                messageID: "<key@northwind.example>", threadParent: nil, on: Fixtures.asOf))
        // Quoted-printable soft line breaks joined, so a long link reads whole.
        return String(decoding: message.content, as: UTF8.self).replacing("=\r\n", with: "")
    }

    @Test func anEmailCarriesTheCustomersSignedLinkAndThePortalParagraph() throws {
        // Given the portal's address
        let portal = PortalAddress(publicURL: "https://duly.example/", links: Self.links)

        // When a follow-up to the German-reading client is composed
        let text = try Self.message(Self.composer(portal: portal))

        // Then it carries the link a message of that day signs, which opens the customer's page
        let link = portal.link(
            organisationID: Fixtures.organisation.id, customerID: Fixtures.customer.id, on: Fixtures.asOf)
        #expect(link.hasPrefix("https://duly.example/p/v1."))
        #expect(text.contains(link))
        #expect(text.contains("Auf Ihrer eigenen Seite"))
        let token = String(link.dropFirst("https://duly.example/p/".count))
        let claims = try Self.links.verified(token)
        #expect(claims.customerID == Fixtures.customer.id)
        #expect(claims.issuedOn == Fixtures.asOf)
        #expect(claims.expiresOn == Fixtures.asOf.adding(days: 60))
    }

    @Test func withoutAPublicAddressNoLinkNoParagraphAndNoPlaceholderReachTheClient() throws {
        let text = try Self.message(Self.composer(portal: nil))
        #expect(!text.contains(MessageContext.portalLinkPlaceholder))
        #expect(!text.contains("/p/"))
        #expect(!text.contains("Auf Ihrer eigenen Seite"))
        #expect(text.contains("Guten Tag"))
    }

    @Test func aLetterPrintsTheLinkToo() throws {
        let portal = PortalAddress(publicURL: "https://duly.example", links: Self.links)
        let text = try Self.message(Self.composer(portal: portal), channel: .letter)
        #expect(text.contains("https://duly.example/p/v1."))
    }
}
