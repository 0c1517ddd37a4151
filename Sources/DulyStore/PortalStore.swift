import DulyCore

/// The client portal's record: the day up to which each customer's portal links are void (README, "Client portal").
public protocol PortalStore: DulyStore {
    /// Voids the customer's portal links issued up to `context.date` (`duly portal revoke`), on the timeline as
    /// `portal_links_revoked` by `by`; links issued later open again. Throws `StoreError.customerNotFound` for an unknown
    /// customer.
    func revokePortalLinks(
        customerID: String, by: String, organisationID: String, context: RecordingContext)
        async throws

    /// The last day whose portal links the customer's revocation voids; nil when none was ever revoked.
    func portalLinksRevokedOn(customerID: String, organisationID: String) async throws -> LocalDate?
}

extension PortalStore {
    /// The claims of a portal token that opens today: signed by `links`, not expired, not revoked.
    public func openPortal(
        _ token: String, links: PortalLinks, on today: LocalDate
    ) async throws
        -> PortalLinks.Claims
    {
        try await links.open(token, on: today) { claims in
            try await portalLinksRevokedOn(customerID: claims.customerID, organisationID: claims.organisationID)
        }
    }
}
