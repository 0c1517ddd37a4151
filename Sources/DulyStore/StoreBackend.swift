/// Everything a storage backend provides: every store protocol at once. The command line and `duly serve` hold the
/// store the database URL names as `any StoreBackend` (see docs/ARCHITECTURE.md, "One way in"), so a second backend
/// is one more conforming type and one more case in the executable's store factory, never a change to a command.
public protocol StoreBackend:
    AccountStore, BatchedImportStore, CollectorStore, CorrectionStore, PagedStore, PaymentProviderStore, PlaybookStore,
    PortalStore, ReportingStore, ServerRunStore, StatementStore, TemplateStore, WebhookStore, PauseStore,
    ChangeVersionStore
{}
