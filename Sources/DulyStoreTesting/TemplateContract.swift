import DulyCore
import DulyStore

/// The template-override part of the storage contract (`TemplateStore`), as cases any test framework can run.
public enum TemplateContract {
    /// A named case of the contract.
    public typealias Case = (name: String, run: @Sendable (any TemplateStore) async throws -> Void)

    /// Every case, by name.
    public static let allCases: [Case] = [
        ("overridesRoundTripAndReplace", overridesRoundTripAndReplace),
        ("overridesBelongToOneOrganisation", overridesBelongToOneOrganisation),
    ]

    /// Saved, replaced, removed: what comes back is what was last kept, parts left nil stay nil.
    public static func overridesRoundTripAndReplace(_ store: any TemplateStore) async throws {
        try await Fixture.seed(store, "acme")
        let first = TemplateOverride(template: "first_follow_up", language: "de", text: "Guten Tag {{customer_name}}")
        try await store.saveTemplateOverride(first, organisationID: "acme")
        try check(try await store.templateOverrides(organisationID: "acme") == [first], "the override as saved")
        let second = TemplateOverride(
            template: "first_follow_up", language: "de", subject: "Rechnung", html: "<p>Hallo</p>")
        try await store.saveTemplateOverride(second, organisationID: "acme")
        try check(try await store.templateOverrides(organisationID: "acme") == [second], "replaced whole")
        try check(
            try await store.removeTemplateOverride(template: "first_follow_up", language: "de", organisationID: "acme"),
            "removed")
        try check(try await store.templateOverrides(organisationID: "acme").isEmpty, "nothing left")
        try check(
            !(try await store.removeTemplateOverride(
                template: "first_follow_up", language: "de", organisationID: "acme")),
            "removing twice finds nothing")
        do {
            try await store.saveTemplateOverride(
                TemplateOverride(template: "first_follow_up", language: "en"), organisationID: "acme")
            throw ContractViolation("an override with no part was kept")
        } catch is StoreError {}
    }

    /// One organisation's wording never reaches another, and goes with it when it is deleted.
    public static func overridesBelongToOneOrganisation(_ store: any TemplateStore) async throws {
        try await Fixture.seed(store, "acme")
        try await Fixture.seed(store, "other")
        let mine = TemplateOverride(template: "thank_you", language: "en", text: "Thanks, {{customer_name}}!")
        try await store.saveTemplateOverride(mine, organisationID: "acme")
        try check(try await store.templateOverrides(organisationID: "other").isEmpty, "not seen by another")
        try await store.deleteOrganisation(id: "acme")
        try await Fixture.seed(store, "acme")
        try check(try await store.templateOverrides(organisationID: "acme").isEmpty, "gone with its organisation")
    }
}
