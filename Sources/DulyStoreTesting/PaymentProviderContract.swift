import DulyCore
import DulyStore

/// The payment providers' part of the storage contract (`PaymentProviderStore`): each organisation's endpoint
/// secret, as cases any test framework can run.
public enum PaymentProviderContract {
    /// A named case of the contract.
    public typealias Case = (name: String, run: @Sendable (any PaymentProviderStore) async throws -> Void)

    /// Every case, by name.
    public static let allCases: [Case] = [
        ("eachOrganisationsSecretIsReadBackAsItsOwn", eachOrganisationsSecretIsReadBackAsItsOwn),
        ("settingASecretAgainReplacesIt", settingASecretAgainReplacesIt),
        ("anOrganisationThatDoesNotExistGetsNoSecret", anOrganisationThatDoesNotExistGetsNoSecret),
        ("deletingTheOrganisationErasesItsSecret", deletingTheOrganisationErasesItsSecret),
    ]

    static func seed(_ store: any PaymentProviderStore) async throws {
        for id in ["acme", "globex"] { try await store.saveOrganisation(Fixture.organisation(id)) }
    }

    /// Two organisations' secrets are kept apart, each under its own id.
    public static func eachOrganisationsSecretIsReadBackAsItsOwn(_ store: any PaymentProviderStore) async throws {
        try await seed(store)
        try check(try await store.paymentProviderSecrets(provider: .stripe).isEmpty, "no secret before one is set")
        try await store.setPaymentProviderSecret("whsec_acme_1", provider: .stripe, organisationID: "acme", setAt: "t1")
        try await store.setPaymentProviderSecret(
            "whsec_globex_1", provider: .stripe, organisationID: "globex", setAt: "t1")
        try check(
            try await store.paymentProviderSecrets(provider: .stripe)
                == ["acme": "whsec_acme_1", "globex": "whsec_globex_1"],
            "each organisation's secret under its id")
    }

    /// A provider rolls its secret: the new one replaces the old, which signs nothing any more.
    public static func settingASecretAgainReplacesIt(_ store: any PaymentProviderStore) async throws {
        try await seed(store)
        try await store.setPaymentProviderSecret("whsec_acme_1", provider: .stripe, organisationID: "acme", setAt: "t1")
        try await store.setPaymentProviderSecret("whsec_acme_2", provider: .stripe, organisationID: "acme", setAt: "t2")
        try check(
            try await store.paymentProviderSecrets(provider: .stripe) == ["acme": "whsec_acme_2"],
            "the second secret replaces the first")
    }

    /// A secret for an organisation the store does not hold is refused, and nothing is kept.
    public static func anOrganisationThatDoesNotExistGetsNoSecret(_ store: any PaymentProviderStore) async throws {
        try await seed(store)
        do {
            try await store.setPaymentProviderSecret(
                "whsec_nobody_1", provider: .stripe, organisationID: "nobody", setAt: "t1")
            throw ContractViolation("a secret was set for an organisation that does not exist")
        } catch is StoreError {}
        try check(try await store.paymentProviderSecrets(provider: .stripe).isEmpty, "nothing kept")
    }

    /// Erasing an organisation erases its secret: nothing it signed is accepted afterwards.
    public static func deletingTheOrganisationErasesItsSecret(_ store: any PaymentProviderStore) async throws {
        try await seed(store)
        try await store.setPaymentProviderSecret("whsec_acme_1", provider: .stripe, organisationID: "acme", setAt: "t1")
        try await store.deleteOrganisation(id: "acme")
        try check(try await store.paymentProviderSecrets(provider: .stripe).isEmpty, "the secret went with it")
    }
}
