import DulyCore
import DulyStore
import Testing

@testable import DulyStoreSQLite

/// The organisation's settings that messages speak of, as the SQLite store keeps them.
@Suite struct OrganisationSettingsTests {
    static let euro = Currency(code: "EUR")!

    @Test func theCollectionAgencyIsKeptWithItsContactLines() async throws {
        try await TemporaryStore.with { store, _ in
            var organisation = Organisation(
                id: "acme", name: "Acme", baseCurrency: Self.euro, country: "DE", timeZone: "Europe/Berlin")
            organisation.agency = CollectionAgency(
                name: "Hansa Forderungsmanagement GmbH",
                contact: ["Große Elbstraße 12, 22767 Hamburg", "service@hansa-fm.example"])
            try await store.saveOrganisation(organisation)
            #expect(try await store.organisation(id: "acme")?.agency == organisation.agency)

            // An agency with no contact lines is kept as a name alone; none at all stays none.
            organisation.agency = CollectionAgency(name: "Inkasso Nord")
            try await store.saveOrganisation(organisation)
            #expect(try await store.organisation(id: "acme")?.agency == CollectionAgency(name: "Inkasso Nord"))
            organisation.agency = nil
            try await store.saveOrganisation(organisation)
            #expect(try await store.organisation(id: "acme")?.agency == nil)
        }
    }
}
