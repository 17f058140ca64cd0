import ArgumentParser
import Foundation
import HummingbirdBcrypt
import SencoCore
import SencoData
import SencoStore

#if canImport(Glibc)
    import Glibc
#endif

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list, disable and enable the people who sign in to the web application.",
        subcommands: [UserAdd.self, UserList.self, UserLink.self, UserDisable.self, UserEnable.self])
}

struct UserAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an account. The password is read from a prompt, or from standard input when it is not a terminal.",
        discussion: "The password is never an argument (arguments show up in process lists and shell history). Only its bcrypt hash is stored, in STORE/users.xml.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The user name: lowercase letters, digits and hyphens.") var id: String
    @Option(help: "participant, tutor, moderator or provider.") var role: String
    @Option(help: "The person's name (default: the participant's name, or the user name).") var name: String?
    @Option(name: .customLong("participant-id"), help: "For a participant: whose portfolio this is.") var participantID: String?
    @Option(name: .customLong("tutor-id"), help: "For a tutor: their tutor id in cohorts.") var tutorID: String?

    func run() throws {
        guard let role = Role(rawValue: role), UserAccount.signInRoles.contains(role) else {
            throw CommandError("--role \"\(role)\" is not one of participant, tutor, moderator, provider")
        }
        let workspace = try store.workspace()
        var displayName = name
        if let participantID {
            guard role == .participant else { throw CommandError("--participant-id is only for a participant account") }
            let portfolio = try workspace.store.portfolio(participantID)
            displayName = displayName ?? portfolio.participant.name
        } else if role == .participant {
            throw CommandError("a participant account needs --participant-id (whose portfolio it is)")
        }
        if let tutorID {
            guard role == .tutor else { throw CommandError("--tutor-id is only for a tutor account") }
            if let problem = Identifier.problem(with: tutorID, what: "tutor") { throw CommandError(problem) }
            let tutors = try workspace.store.cohorts().flatMap { $0.tutors.map(\.id) }
            guard tutors.contains(tutorID) else {
                throw CommandError(
                    "--tutor-id \(tutorID) is not a tutor of any cohort\(Suggestions.phrase(for: tutorID, among: Set(tutors)))")
            }
        }
        let users = workspace.users
        if try users.user(id) != nil { throw CommandError("user \"\(id)\" already exists") }
        let password = try Self.readPassword()
        if let problem = UserAccount.passwordProblem(password) { throw CommandError(problem) }
        let account = UserAccount(
            id: id, role: role, name: displayName ?? id, participant: participantID, tutor: tutorID,
            passwordHash: Bcrypt.hash(password, cost: 12), created: Date().wholeSeconds)
        do { try UserAccount.validate(account) } catch { throw CommandError(error.message) }
        try users.add(account)
        print("Added \(role.rawValue) \(id)")
    }

    /// From the terminal with echo off (asked twice), or one line of standard input.
    static func readPassword() throws -> String {
        if isatty(STDIN_FILENO) == 1 {
            let first = try prompt("Password for the new account: ")
            let second = try prompt("Type it again: ")
            guard first == second else { throw CommandError("the two passwords differ; nothing was added") }
            return first
        }
        guard let line = readLine(strippingNewline: true) else {
            throw CommandError("no password on standard input; nothing was added")
        }
        return line
    }

    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var old = termios()
        tcgetattr(STDIN_FILENO, &old)
        var silent = old
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &old)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw CommandError("no password given; nothing was added") }
        return line
    }
}

struct UserList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List accounts (never passwords).")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let workspace = try store.workspace()
        let users = workspace.users
        for user in try users.users() {
            let link = user.participant.map { " participant \($0)" } ?? user.tutor.map { " tutor \($0)" } ?? ""
            var state: [String] = []
            if user.disabled { state.append("disabled") }
            if user.passwordHash == nil { state.append("no password yet") }
            let suffix = state.isEmpty ? "" : "\t(\(state.joined(separator: ", ")))"
            print("\(user.id)\t\(user.role.rawValue)\(link)\t\(user.name)\(suffix)")
        }
    }
}
