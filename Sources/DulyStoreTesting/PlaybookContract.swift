import DulyCore
import DulyStore

/// The playbook part of the storage contract, as cases any test framework can run.
public enum PlaybookContract {
    /// A named case of the contract.
    public typealias Case = (name: String, run: @Sendable (any PlaybookStore) async throws -> Void)

    /// Every case, by name.
    public static let allCases: [Case] = [
        ("noPlaybookIsAdoptedUntilOneIs", noPlaybookIsAdoptedUntilOneIs),
        ("eachAdoptionIsTheNextVersionAndTheLastIsInForce", eachAdoptionIsTheNextVersionAndTheLastIsInForce),
        ("versionsBelongToOneOrganisation", versionsBelongToOneOrganisation),
        ("anActionRecordsTheVersionThatPlannedIt", anActionRecordsTheVersionThatPlannedIt),
    ]

    /// A new organisation plans with the built-in playbook: nothing is adopted, the history is empty.
    public static func noPlaybookIsAdoptedUntilOneIs(_ store: any PlaybookStore) async throws {
        try await Fixture.seed(store, "acme")
        try check(try await store.adoptedPlaybook(organisationID: "acme") == nil, "nothing adopted yet")
        try check(try await store.playbookHistory(organisationID: "acme").isEmpty, "no history yet")
    }

    /// Versions count up from 1; the text comes back exactly as adopted; the last one is in force and the earlier
    /// ones stay in the history.
    public static func eachAdoptionIsTheNextVersionAndTheLastIsInForce(_ store: any PlaybookStore) async throws {
        try await Fixture.seed(store, "acme")
        let first = try await store.adoptPlaybook(
            name: "gentle", source: "name: gentle # kind\n", adoptedBy: "mia", organisationID: "acme",
            context: Fixture.on("2026-03-01"))
        let second = try await store.adoptPlaybook(
            name: "firm", source: "name: firm\n", adoptedBy: nil, organisationID: "acme",
            context: Fixture.on("2026-03-09"))
        try check(
            first.version == 1 && second.version == 2, "versions 1 and 2, got \(first.version), \(second.version)")
        try check(
            try await store.adoptedPlaybook(organisationID: "acme") == second, "the last adopted is in force")
        let history = try await store.playbookHistory(organisationID: "acme")
        try check(history == [first, second], "both versions, oldest first, got \(history)")
        try check(
            history[0].source == "name: gentle # kind\n" && history[0].adoptedBy == "mia"
                && history[0].adoptedOn == Fixture.day("2026-03-01"),
            "the text, who and when, as adopted")
    }

    /// Another organisation's versions are never seen, and its numbering is its own.
    public static func versionsBelongToOneOrganisation(_ store: any PlaybookStore) async throws {
        try await Fixture.seed(store, "acme")
        try await Fixture.seed(store, "other")
        _ = try await store.adoptPlaybook(
            name: "gentle", source: "name: gentle\n", adoptedBy: nil, organisationID: "acme",
            context: Fixture.on("2026-03-01"))
        try check(try await store.adoptedPlaybook(organisationID: "other") == nil, "not seen from another organisation")
        let theirs = try await store.adoptPlaybook(
            name: "theirs", source: "name: theirs\n", adoptedBy: nil, organisationID: "other",
            context: Fixture.on("2026-03-02"))
        try check(theirs.version == 1, "another organisation starts at version 1")
    }

    /// The version an action was planned with is kept with it.
    public static func anActionRecordsTheVersionThatPlannedIt(_ store: any PlaybookStore) async throws {
        try await Fixture.ledger(store)
        var action = Fixture.action("C1", invoices: ["INV-1"], key: "playbook-version", date: "2026-04-03")
        action.playbookVersion = 4
        _ = try await store.commitRun(
            actions: [action], cancellations: [], organisationID: "acme", context: Fixture.on("2026-04-03"))
        let stored = try await store.actions(organisationID: "acme", customerID: "C1")
        try check(
            stored.map(\.action.playbookVersion) == [4],
            "version 4 recorded, got \(stored.map(\.action.playbookVersion))")
    }
}
