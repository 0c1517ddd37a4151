/// One version of the playbook an organisation adopted (`duly playbook adopt`): the YAML as it was given, kept
/// whole with its comments, so that every command and the server plan with the same rules, and an action can be
/// traced to the rules that planned it.
public struct AdoptedPlaybook: Hashable, Sendable {
    /// 1 for the first adopted, one more for each after it.
    public var version: Int
    /// The playbook's own name (`name:` in the YAML).
    public var name: String
    /// The YAML text as adopted.
    public var source: String
    public var adoptedOn: LocalDate
    /// Who adopted it, when given.
    public var adoptedBy: String?

    public init(version: Int, name: String, source: String, adoptedOn: LocalDate, adoptedBy: String? = nil) {
        self.version = version
        self.name = name
        self.source = source
        self.adoptedOn = adoptedOn
        self.adoptedBy = adoptedBy
    }
}
