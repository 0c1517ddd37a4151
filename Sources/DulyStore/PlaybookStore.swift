import DulyCore

/// The playbook each organisation adopted, with every earlier version kept. Each method is one transaction.
public protocol PlaybookStore: DulyStore {
    /// Keeps `source` as the organisation's playbook from now on, as the next version.
    ///
    /// - Returns: the version kept.
    func adoptPlaybook(
        name: String, source: String, adoptedBy: String?, organisationID: String, context: RecordingContext
    ) async throws -> AdoptedPlaybook

    /// The version in force: the last adopted, or nil while the organisation plans with the built-in one.
    func adoptedPlaybook(organisationID: String) async throws -> AdoptedPlaybook?

    /// Every version adopted, oldest first.
    func playbookHistory(organisationID: String) async throws -> [AdoptedPlaybook]
}
