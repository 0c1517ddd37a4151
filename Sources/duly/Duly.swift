import ArgumentParser

/// The `duly` command: chases unpaid invoices stage by stage, so a business gets paid and keeps its clients.
@main
struct Duly: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duly",
        abstract: "Receivables follow-up: before the due date, delayed, non-payment.",
        discussion: """
            Exit codes: 0 success, 1 error, 2 a timeline failed verification, 64 bad command line, \
            65 bad input data (nothing was imported), 66 a file could not be read, 78 the mail server cannot be \
            used as configured (nothing was changed).
            """,
        subcommands: [
            DemoCommand.self, InitCommand.self, ImportCommand.self, RunCommand.self, StatusCommand.self,
            CustomersCommand.self, InvoicesCommand.self, ReportCommand.self, TimelineCommand.self, PlaybookCommand.self,
            WorklistCommand.self,
            ApproveCommand.self, ApprovalsCommand.self, LogCallCommand.self, DeliverCommand.self, TemplatesCommand.self,
            PromiseCommand.self, PlanCommand.self, DisputeCommand.self, WriteOffCommand.self, SettleCommand.self,
            SimulateCommand.self, InterestCommand.self, EvidenceCommand.self, ExportCommand.self,
            WebhooksCommand.self, MatchCommand.self, CancelCommand.self, CollectorCommand.self, ServeCommand.self,
            UserCommand.self, TokenCommand.self, PauseCommand.self, PortalCommand.self, MigrateCommand.self,
        ]
    )
}

/// Exit codes with a meaning a script can act on (sysexits.h where one fits).
enum DulyExit {
    static let chainBroken = ExitCode(2)
    static let badData = ExitCode(65)
    static let noInput = ExitCode(66)
    /// A transport that cannot be used as configured: `duly deliver` stopped and left its messages as they were.
    static let configuration = ExitCode(78)
}
