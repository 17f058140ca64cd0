import ArgumentParser
import Foundation
import SencoCore
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

struct WithdrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "withdraw", abstract: "Record that a participant has withdrawn.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @Option(help: "A neutral reason (no personal details).") var reason: String
    @Option(name: .customLong("as"), help: "The provider user recording it.") var actor: String
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        try workspace.requireStaff(actor, for: participant, option: "--as")
        let result = try workspace.update(participant, revision: revision.revision) {
            try $0.withdraw(by: actor, reason: try pasted(reason, "--reason"), at: Date().wholeSeconds)
        }
        print("Withdrew \(participant) (revision \(result.revision))")
    }
}
