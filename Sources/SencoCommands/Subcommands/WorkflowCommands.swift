import ArgumentParser
import Foundation
import SencoCore
import SencoDfE
import SencoStore

struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit", abstract: "Submit a portfolio to the tutor for review.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        let result = try workspace.update(participant, revision: revision.revision) { try $0.submit(by: participant, at: Date().wholeSeconds) }
        print("Submitted \(participant) for review (revision \(result.revision))")
    }
}

struct ReturnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "return", abstract: "Return a portfolio to the participant with feedback.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @Option(help: "What the participant should do next.") var feedback: String
    @Option(help: "The tutor's id.") var tutor: String
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        try workspace.requireTutor(tutor, of: participant, option: "--tutor", ownTutor: false)
        let result = try workspace.update(participant, revision: revision.revision) {
            try $0.returnToParticipant(by: tutor, feedback: try pasted(feedback, "--feedback"), at: Date().wholeSeconds)
        }
        print("Returned \(participant) with feedback (revision \(result.revision))")
    }
}

struct SignOffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signoff", abstract: "Sign a portfolio off and lock it.",
        discussion: "A pass needs every NPQ statement judged met. A fail needs a reason.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @Option(help: "The tutor's id.") var tutor: String
    @Option(help: "passed or failed.") var outcome: Outcome = .passed
    @Option(help: "Why, when the outcome is failed.") var reason: String = ""
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        let (framework, _, _) = try workspace.coverageFrameworks(primary: nil)
        try workspace.requireTutor(tutor, of: participant, option: "--tutor", ownTutor: false)
        let result = try workspace.update(participant, revision: revision.revision) {
            try $0.signOff(by: tutor, outcome: outcome, reason: try pasted(reason, "--reason"), framework: framework, at: Date().wholeSeconds)
        }
        print("Signed off \(participant): \(outcome.rawValue). The portfolio is locked (revision \(result.revision)).")
    }
}

struct ReopenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Reopen a signed-off portfolio (the reason is logged).")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @Option(help: "Why it is being reopened.") var reason: String
    @Option(name: .customLong("as"), help: "Who is reopening it (a tutor or provider id).") var actor: String
    @Option(help: "tutor or provider.") var role: String = "tutor"
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        guard let role = Role(rawValue: role), role == .tutor || role == .provider else {
            throw CommandError("--role \(self.role.quotedForMessage()) must be tutor or provider")
        }
        if role == .tutor {
            try workspace.requireTutor(actor, of: participant, option: "--as", ownTutor: false)
        } else {
            try workspace.requireStaff(actor, for: participant, option: "--as")
        }
        let result = try workspace.update(participant, revision: revision.revision) {
            try $0.reopen(by: actor, role: role, reason: try pasted(reason, "--reason"), at: Date().wholeSeconds)
        }
        print("Reopened \(participant) for review (revision \(result.revision))")
        // A completed declaration made at sign-off still stands at the DfE: say how to void it if
        // the sign-off was in error (voiding is the provider's call, so it is offered, not done).
        if result.isDeclared(.completed), let record = result.declarationRecords[.completed] {
            print(
                "The DfE holds a completed declaration for \(participant) (\(record.dfeID), \(record.state)); if the sign-off was in error, void it: senco dfe void \(participant) --type completed --base-url URL")
        }
    }
}

struct WithdrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw", abstract: "Record that a participant has withdrawn, and tell the DfE.",
        discussion: """
            --dfe-reason is the DfE's own withdrawal reason, one of: \
            \(TrainingStatusChange.withdrawalReasons.joined(separator: ", ")). When the participant has \
            a DfE participant id and an API is configured (--base-url or $SENCO_DFE_BASE_URL, with the \
            token from --token-file or $SENCO_DFE_TOKEN), the withdrawal is sent at once; otherwise it \
            is kept to send, and senco dfe submit (or senco dfe withdraw) sends it later.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @Option(help: "A neutral reason (no personal details).") var reason: String
    @Option(name: .customLong("dfe-reason"), help: "The DfE's withdrawal reason (one of the values above).")
    var dfeReason: String
    @Option(name: .customLong("as"), help: "The provider user recording it.") var actor: String
    @OptionGroup var api: APIOptions
    @OptionGroup var revision: RevisionOption

    func run() async throws {
        // Everything is checked before anything is written: the DfE reason, the person, the
        // text, and the API's address and token when one is configured.
        if let problem = TrainingStatusChange.withdraw(reason: dfeReason).problem {
            throw CommandError(problem.replacingOccurrences(of: "--reason", with: "--dfe-reason"))
        }
        let workspace = try store.workspace()
        try workspace.requireStaff(actor, for: participant, option: "--as")
        let text = try pasted(reason, "--reason")
        let client = try api.optionalClient()
        let result: Portfolio
        do {
            result = try workspace.update(participant, revision: revision.revision) {
                try $0.withdraw(by: actor, reason: text, dfeReason: dfeReason, at: Date().wholeSeconds)
            }
        } catch {
            await client?.shutdown()
            throw error
        }
        print("Withdrew \(participant) (revision \(result.revision))")
        let cohort = result.participant.cohort
        guard let client, let dfe = result.participant.dfe else {
            await client?.shutdown()
            print(
                result.participant.dfe == nil
                    ? "\(participant) has no DfE participant id, so the DfE withdrawal (\(dfeReason)) is kept to send once it has one (senco participant dfe \(participant) --dfe-id UUID, then senco dfe submit --cohort \(cohort))"
                    : "The DfE withdrawal (\(dfeReason)) is kept to send: senco dfe submit --cohort \(cohort) (or senco dfe withdraw \(participant)) with --base-url"
            )
            return
        }
        let request = StatusChangeRequest(
            participant: participant, dfeParticipantID: dfe.participantID, course: dfe.course,
            change: .withdraw(reason: dfeReason))
        let sent = await DeclarationSubmitter(client: client, store: OffloadedStore(workspace.store)).submit(
            DeclarationPlanner.Plan(withdrawals: [request]))
        await client.shutdown()
        switch sent.withdrawals.first?.1 {
        case .sent(let text): print("The DfE has the withdrawal: \(text)")
        case .found(let text): print("The DfE already had the withdrawal: \(text)")
        case .failed(let error):
            throw CommandError(
                "\(participant) is withdrawn in senco, but the DfE was not told: \(SencoCommand.oneLine(error.message)); it is kept to send (senco dfe submit --cohort \(cohort), or senco dfe withdraw \(participant))"
            )
        case .unrecorded(let problem):
            throw CommandError(
                "the DfE has \(participant)'s withdrawal, but it could not be recorded: \(SencoCommand.oneLine(problem)) (senco dfe submit records it)"
            )
        case nil: break
        }
    }
}
