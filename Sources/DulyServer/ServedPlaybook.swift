import DulyCore

/// The playbook the server runs and delivers an organisation's day under: today the built-in one, for every
/// organisation. The one place the server chooses it, so that a playbook stored per organisation is a change here.
public func servedPlaybook(for organisation: Organisation) async throws -> Playbook {
    .standard
}
