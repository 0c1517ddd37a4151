import DulyCore

/// A payment provider whose signed events Duly records as payments.
public enum PaymentProvider: String, Sendable, CaseIterable {
    case stripe
}

/// The secrets payment providers sign their events with, one per organisation and provider (an owner sets it: the
/// provider makes it up). Each method is one transaction.
public protocol PaymentProviderStore: DulyStore {
    /// Sets (or replaces) the organisation's endpoint secret for `provider`.
    func setPaymentProviderSecret(
        _ secret: String, provider: PaymentProvider, organisationID: String, setAt: String
    ) async throws
    /// Every organisation's endpoint secret for `provider`, by organisation id: an event names no organisation, the
    /// secret that signed it does.
    func paymentProviderSecrets(provider: PaymentProvider) async throws -> [String: String]
}
