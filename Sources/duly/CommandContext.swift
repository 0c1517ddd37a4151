import DulyCore
import DulyStore

/// What a command works with, opened once the same way for every command: the store the database URL names, the
/// organisation (`--org`, refused with how to create it when missing), and the date (`--as-of`, else today where the
/// organisation is).
struct CommandContext {
    let store: any StoreBackend
    let organisation: Organisation
    /// The date the command works for.
    let date: LocalDate
    /// The options it was opened with (the database URL, for messages).
    let global: GlobalOptions

    /// Opens the store, finds the organisation and works out the date, in that order (so the first thing wrong is
    /// the one reported). A command without `--as-of` passes nil and works for today.
    init(_ global: GlobalOptions, asOf: AsOfOption?) async throws {
        let store = try await global.openStore()
        let organisation = try await global.requireOrganisation(in: store)
        self.store = store
        self.organisation = organisation
        self.date = try asOf?.date(for: organisation) ?? SystemClock.today(inTimeZone: organisation.timeZone)
        self.global = global
    }

    /// A change recorded for the command's date, stamped now.
    var recording: RecordingContext {
        RecordingContext(date: date, recordedAt: SystemClock.timestamp())
    }

    /// Refuses a customer reference the organisation does not have (nil, no filter, passes).
    func requireCustomer(_ customerID: String?) async throws {
        try await global.requireCustomer(customerID, of: organisation, in: store)
    }
}
