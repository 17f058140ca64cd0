import ArgumentParser
import Foundation
import SencoCore

extension JudgementStatus: ExpressibleByArgument {}
extension Outcome: ExpressibleByArgument {}

struct JudgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judge", abstract: "Record a tutor's judgement of one statement, with feedback.",
        discussion: "Statuses: \(JudgementStatus.allCases.map(\.rawValue).joined(separator: ", ")). The current status is derived from the log of judgements.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @Argument(help: "Statement id, e.g. 2.e.") var statementID: String
    @Option(help: "not-yet-evidenced, ready-for-review, not-met, partially-met or met.") var status: JudgementStatus
    @Option(help: "Feedback for the participant (required for not-met and partially-met).") var feedback: String = ""
    @Option(help: "The tutor's id.") var assessor: String
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        try workspace.requireTutor(assessor, of: participant, option: "--assessor", ownTutor: true)
        let result = try workspace.update(participant, revision: revision.revision) { portfolio in
            try portfolio.judge(
                statement: statementID, status: status, feedback: try pasted(feedback, "--feedback"), assessor: assessor,
                frameworks: workspace.library.frameworks, at: Date().wholeSeconds)
        }
        print("Judged \(statementID) \(status.label) for \(participant) (revision \(result.revision), portfolio \(result.state.label))")
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show the judgement history of a portfolio or one statement.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @Argument(help: "Only this statement.") var statementID: String?
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    struct Entry: Encodable {
        let at, by, role, statement, status, kind, feedback: String
    }

    func run() throws {
        let workspace = try store.workspace()
        let portfolio = try workspace.store.portfolio(participant)
        if let statementID, workspace.library.framework(containing: statementID) == nil {
            let ids = workspace.library.frameworks.flatMap { $0.statements.map(\.id) }
            throw CommandError("unknown statement id \(statementID.quotedForMessage())\(Suggestions.phrase(for: statementID, among: ids))")
        }
        let events = portfolio.judgements.filter { statementID == nil || $0.statement == statementID }
        let formatter = ISO8601DateFormatter()
        let entries = events.map {
            Entry(
                at: formatter.string(from: $0.at), by: $0.by, role: $0.role.rawValue, statement: $0.statement,
                status: $0.status.rawValue, kind: $0.kind.rawValue, feedback: $0.feedback)
        }
        switch format {
        case .json: print(try JSON.string(entries))
        case .text:
            if let statementID {
                print("\(statementID): current status \(portfolio.status(of: statementID).label)")
            }
            if entries.isEmpty { print("No judgements recorded.") }
            for e in entries {
                print("\(e.at)  \(FrameworkText.pad(e.statement, 5)) \(FrameworkText.pad(e.kind, 6)) \(FrameworkText.pad(e.status, 17)) by \(e.by) (\(e.role))\(e.feedback.isEmpty ? "" : ": \(e.feedback)")")
            }
        }
    }
}
