import DulyCore
import DulyStore
import Testing

@testable import DulyStoreSQLite

/// How an import chains its timeline entries after what is already stored (`TimelineAppender`), holding only each
/// chain's last sequence and hash.
@Suite struct TimelineAppenderTests {
    static let context = CustomerAddressTests.context

    static func customer(named name: String) -> [CustomerRecord] {
        [CustomerRecord(customer: Customer(id: "C1", name: name), contacts: [])]
    }

    static func links(_ store: SQLiteStore) async throws -> [String] {
        var links: [String] = []
        for sequence in 1...3 {
            links.append(
                try await store.rawValue(
                    "SELECT previous_hash || ' ' || hash FROM timeline_entries WHERE customer_id = 'C1' "
                        + "AND sequence = \(sequence)", as: String.self) ?? "none")
        }
        return links
    }

    @Test func aNewEntryLinksToTheStoredHeadsHash() async throws {
        try await TemporaryStore.with { store, _ in
            try await CustomerAddressTests.organisation(store)
            _ = try await store.importCustomers(
                Self.customer(named: "Brightwave"), organisationID: "acme", context: Self.context)
            _ = try await store.importCustomers(
                Self.customer(named: "Brightwave Ltd"), organisationID: "acme", context: Self.context)
            _ = try await store.importCustomers(
                Self.customer(named: "Brightwave Limited"), organisationID: "acme", context: Self.context)

            let links = try await Self.links(store).map { $0.split(separator: " ").map(String.init) }
            #expect(links[1][0] == links[0][1])
            #expect(links[2][0] == links[1][1])
            let timeline = try await store.timeline(organisationID: "acme", customerID: "C1")
            #expect(TimelineVerifier.verify(timeline) == .valid(entries: 3))
        }
    }

    @Test func aStoredHashInAnotherSpellingIsLinkedToAsStored() async throws {
        try await TemporaryStore.with { store, _ in
            // Given a chain whose last entry's hash was stored in capitals (written by hand: Duly writes lower case)
            try await CustomerAddressTests.organisation(store)
            _ = try await store.importCustomers(
                Self.customer(named: "Brightwave"), organisationID: "acme", context: Self.context)
            let capitals = String(repeating: "AB", count: 32)
            try await store.rawWrite(
                """
                INSERT INTO timeline_entries
                    (org_id, customer_id, sequence, date, recorded_at, kind, summary, details, previous_hash, hash)
                SELECT org_id, customer_id, 2, date, recorded_at, 'note', 'A note', '{}', hash, '\(capitals)'
                FROM timeline_entries WHERE customer_id = 'C1' AND sequence = 1
                """)

            // When an import appends to it
            _ = try await store.importCustomers(
                Self.customer(named: "Brightwave Ltd"), organisationID: "acme", context: Self.context)

            // Then the new entry links to the hash exactly as stored, and verifying the chain names the entry
            let links = try await Self.links(store)
            #expect(links[2].hasPrefix(capitals + " "))
            let timeline = try await store.timeline(organisationID: "acme", customerID: "C1")
            #expect(
                TimelineVerifier.verify(timeline)
                    == .broken(
                        sequence: 2, reason: "its content does not match its hash: it was altered"))
        }
    }
}
