import DulyCore
import Testing

/// The portal link rule: signed, dated, revocable, the same on every node that shares the secret.
struct PortalLinkTests {
    private let links = PortalLinks(secret: Array(repeating: 1, count: 32))
    private let issued = LocalDate(year: 2026, month: 3, day: 1)!

    private func token(customer: String = "C-1", organisation: String = "acme") -> String {
        links.token(organisationID: organisation, customerID: customer, issuedOn: issued)
    }

    private func open(
        _ token: String, on day: LocalDate, revokedOn: LocalDate? = nil
    ) async throws
        -> PortalLinks.Claims
    {
        try await links.open(token, on: day) { _ in revokedOn }
    }

    @Test func aLinkNamesItsOrganisationAndCustomerAndOpensUntilItsSixtiethDay() async throws {
        let claims = try await open(token(), on: issued.adding(days: 60))
        #expect(
            claims
                == PortalLinks.Claims(
                    organisationID: "acme", customerID: "C-1", issuedOn: issued, expiresOn: issued.adding(days: 60)))
    }

    @Test func aLinkPastItsLastDayIsRefusedAsExpired() async throws {
        await #expect(throws: PortalLinks.Refusal.expired(issued.adding(days: 60))) {
            try await open(token(), on: issued.adding(days: 61))
        }
    }

    @Test func anyChangedCharacterBreaksTheSignature() async throws {
        let good = token()
        for index in good.indices where good[index] != "." {
            var changed = good
            changed.replaceSubrange(index...index, with: good[index] == "A" ? "B" : "A")
            #expect(throws: PortalLinks.Refusal.invalid) { try links.verified(changed) }
        }
    }

    @Test func aLinkNamingAnotherCustomerCannotBeMadeFromOne() async throws {
        // Swapping the customer part of a valid token for another's keeps the first's signature: refused.
        let first = token(customer: "C-1").split(separator: ".")
        let second = token(customer: "C-2").split(separator: ".")
        var mixed = first
        mixed[2] = second[2]
        #expect(throws: PortalLinks.Refusal.invalid) { try links.verified(mixed.joined(separator: ".")) }
    }

    @Test func aLinkSignedWithAnotherSecretIsRefused() async throws {
        let other = PortalLinks(secret: Array(repeating: 2, count: 32))
        let foreign = other.token(organisationID: "acme", customerID: "C-1", issuedOn: issued)
        #expect(throws: PortalLinks.Refusal.invalid) { try links.verified(foreign) }
    }

    @Test func aRevocationVoidsTheLinksIssuedUpToItsDayAndNoLater() async throws {
        await #expect(throws: PortalLinks.Refusal.revoked(issued)) {
            try await open(token(), on: issued.adding(days: 1), revokedOn: issued)
        }
        let later = links.token(organisationID: "acme", customerID: "C-1", issuedOn: issued.adding(days: 1))
        let claims = try await open(later, on: issued.adding(days: 1), revokedOn: issued)
        #expect(claims.issuedOn == issued.adding(days: 1))
    }

    @Test func identifiersWithAnyCharactersSurviveTheToken() throws {
        let token = links.token(organisationID: "org/ä.1", customerID: "C 1?&=.", issuedOn: issued)
        let claims = try links.verified(token)
        #expect(claims.organisationID == "org/ä.1")
        #expect(claims.customerID == "C 1?&=.")
    }

    @Test func aFormTokenHoldsForItsLinkOnly() {
        let form = links.formToken(for: token(customer: "C-1"))
        #expect(links.isValidFormToken(form, for: token(customer: "C-1")))
        #expect(!links.isValidFormToken(form, for: token(customer: "C-2")))
        #expect(!links.isValidFormToken("forged", for: token(customer: "C-1")))
    }

    @Test func theLinkIsThePublicAddressThenTheToken() {
        let link = links.link(
            publicURL: "https://pay.example/", organisationID: "acme", customerID: "C-1", issuedOn: issued)
        #expect(link == "https://pay.example/p/" + token())
    }
}
