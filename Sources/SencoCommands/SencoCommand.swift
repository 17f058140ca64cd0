import ArgumentParser

/// The root of the `senco` command line.
public struct SencoCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "senco",
        abstract: "Course and evidence tracker for the NPQ for SENCOs.",
        discussion: """
            The NPQ for SENCOs framework and the National Award for SEN Coordination learning outcomes \
            are data in the Frameworks directory. Contains public sector information licensed under \
            the Open Government Licence v3.0.
            """,
        version: "0.1.0",
        subcommands: [
            FrameworkCommand.self, CrosswalkCommand.self, CohortCommand.self, ParticipantCommand.self,
            EvidenceCommand.self, MapCommand.self, UnmapCommand.self, CoverageCommand.self, PortfolioCommand.self,
            JudgeCommand.self, HistoryCommand.self, SubmitCommand.self, ReturnCommand.self, SignOffCommand.self,
            ReopenCommand.self, WithdrawCommand.self, ModerationCommand.self, ExportCommand.self, VerifyCommand.self,
            ReportCommand.self, PromptsCommand.self, StoreCommand.self, StressWrite.self,
            UserCommand.self, ServeCommand.self, DfECommand.self,
        ]
    )

    public init() {}
}
