import ArgumentParser
import Foundation
import SencoCore
import SencoStore

/// `senco user link ID`: a one-time link to set a password (a new account, a forgotten one).
struct UserLink: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Print a one-time link with which the account's holder sets a new password.",
        discussion: """
            The link works once, for 7 days; any earlier link of the account stops working. Only its \
            SHA-256 is stored. Hand it to the person by a channel you trust: whoever opens it can set \
            the password. Their current password keeps working until they set the new one.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The user name.") var id: String
    @Option(
        name: .customLong("base-url"),
        help: ArgumentHelp("The address people reach the web application at.", valueName: "https://senco.example.org"))
    var baseURL: String

    func validate() throws {
        if let problem = OneTimeLink.baseURLProblem(baseURL) { throw ValidationError("--base-url: \(problem)") }
    }

    func run() throws {
        let workspace = try store.workspace()
        guard try workspace.users.user(id) != nil else { throw CommandError("no user \(id.quotedForMessage())") }
        let (token, link) = OneTimeLink.make(for: id, purpose: .setPassword, now: Date().wholeSeconds)
        let links = workspace.links
        try BlockingStore.wait { () async throws(StoreError) in try await links.issue(link) }
        print(OneTimeLink.url(base: baseURL, token: token))
    }
}

/// `senco user disable ID` / `senco user enable ID`.
struct UserDisable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Stop an account from signing in (it is kept, and can be enabled again).",
        discussion: """
            The account's sessions end at once: with PostgreSQL they are deleted; a server on a \
            store directory, which keeps sessions in its own memory, finds the account disabled at \
            the session's next request and signs it out.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The user name.") var id: String

    func run() throws {
        let workspace = try store.workspace()
        try UserEnable.set(disabled: true, id: id, in: workspace)
        print("Disabled \(id)")
    }
}

struct UserEnable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable", abstract: "Let a disabled account sign in again.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The user name.") var id: String

    func run() throws {
        let workspace = try store.workspace()
        try Self.set(disabled: false, id: id, in: workspace)
        print("Enabled \(id)")
    }

    static func set(disabled: Bool, id: String, in workspace: Workspace) throws {
        guard try workspace.users.user(id) != nil else { throw CommandError("no user \(id.quotedForMessage())") }
        try workspace.users.update(id) { $0.disabled = disabled }
        if disabled, let sessions = workspace.sessions {
            try BlockingStore.wait { () async throws(StoreError) in try await sessions.removeAll(forUser: id) }
        }
    }
}
