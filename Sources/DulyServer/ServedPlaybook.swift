import DulyCore
import DulyImport
import DulyStore

/// The playbook the server plans, delivers and judges an organisation's invoices under: the version it adopted
/// (`duly playbook adopt`), else the built-in one, the same the command line reads.
public func servedPlaybook(for organisation: Organisation, in store: some PlaybookStore) async throws -> Playbook {
    try PlaybookYAML.playbook(adopted: try await store.adoptedPlaybook(organisationID: organisation.id))
}
