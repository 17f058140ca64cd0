import ArgumentParser
import Foundation
import SencoCore
import SencoData
import SencoPostgres
import SencoStore

/// The store and the frameworks, shared by every command that reads or writes portfolios.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "The store: a directory, or a postgres:// URL (default: $SENCO_STORE, else ~/.local/share/senco).", valueName: "dir|url"))
    var storePath: String?

    /// Only used to end an account's sessions in the database (`user disable`): the limits do
    /// not matter for that, but the repository wants them.
    static let sessionLimits = SessionLimits(idleTimeout: 30 * 60, absoluteTimeout: 8 * 60 * 60)

    @OptionGroup var frameworks: FrameworkOptions

    /// The frameworks, schemas and store. The store must already exist unless the command is
    /// one that creates it (`cohort create`): a mistyped `--store` is an error, not a new store.
    func workspace(creatingStore: Bool = false) throws -> Workspace {
        let frameworksDirectory = try frameworks.locate()
        let library = try FrameworkLibrary(directory: frameworksDirectory)
        let schemas = try PortfolioSchemas(directory: PortfolioSchemas.locate(frameworks: frameworksDirectory))
        let npq = library.framework(withID: "npq-senco-2023")
        switch StoreLocation.resolve(explicit: storePath) {
        case .database(let url):
            // The command runs on the main thread, so it may wait for the database's answers
            // (BlockingStore); the connection pool closes when the process exits.
            let backend = try BlockingStore.wait { () async throws(StoreError) in try await PostgresBackend.open(url: url) }
            return Workspace(
                library: library, schemas: schemas,
                store: BlockingStore(backend.store(schemas: schemas, summaryFramework: npq), location: backend.location.description),
                users: BlockingUsers(backend.users()), directoryStore: nil, links: backend.oneTimeLinks(),
                sessions: backend.sessions(limits: Self.sessionLimits, now: { Date() }))
        case .directory(let root):
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory)
            if exists && !isDirectory.boolValue {
                throw CommandError("the store \(root.path.quotedForMessage()) is a file, not a directory")
            }
            if !exists && !creatingStore {
                throw CommandError(
                    "the store \(root.path.quotedForMessage()) does not exist (create it with senco cohort create, or check --store / $SENCO_STORE)")
            }
            let store = DirectoryStore(root: root, schemas: schemas, summaryFramework: npq)
            return Workspace(
                library: library, schemas: schemas, store: store,
                users: try UserDirectory(root: root, schemaDirectory: schemas.directory), directoryStore: store,
                links: try OneTimeLinkDirectory(root: root, schemaDirectory: schemas.directory), sessions: nil)
        }
    }
}

/// Everything a portfolio command works with.
struct Workspace {
    let library: FrameworkLibrary
    let schemas: PortfolioSchemas
    let store: any PortfolioRepository
    let users: any UserRepository
    /// The store as a directory, when it is one (`store check` works on files).
    let directoryStore: DirectoryStore?
    /// Where one-time links are kept (`user link`).
    let links: any OneTimeLinkRepository
    /// Where sessions are kept, when a command can reach them: the database's. A directory
    /// store's server keeps sessions in its own memory, out of a command's reach.
    let sessions: (any SessionRepository)?

    var rules: EvidenceRules { schemas.rules }

    /// Reads a portfolio and checks the caller's idea of its revision, if they gave one.
    func portfolio(_ id: String, revision: Int?) throws -> Portfolio {
        let portfolio = try store.portfolio(id)
        if let revision, revision != portfolio.revision {
            throw StoreError.stale(id, read: revision, now: portfolio.revision)
        }
        return portfolio
    }

    /// Reads, changes and stores a portfolio under its lock, refusing stale revisions.
    @discardableResult
    func update(
        _ id: String, revision: Int?, adding attachments: [StagedAttachment] = [], _ change: (inout Portfolio) throws -> Void
    ) throws -> Portfolio {
        let current = try portfolio(id, revision: revision)
        var changed = current
        try change(&changed)
        return try store.update(id, expectedRevision: current.revision, adding: attachments) { (stored: inout Portfolio) throws(StoreError) in
            let revision = stored.revision
            stored = changed
            stored.revision = revision
        }
    }

    /// The NPQ framework and the National Award with the crosswalk between them, if loaded.
    func coverageFrameworks(primary id: String?) throws -> (Framework, Crosswalk?, Framework?) {
        let wanted = id ?? "npq-senco-2023"
        guard let framework = library.framework(withID: wanted) else {
            throw CommandError("unknown framework \"\(wanted)\"; known: \(library.frameworks.map(\.id).joined(separator: ", "))")
        }
        let crosswalk = library.crosswalks.first { $0.from == framework.id }
        let award = crosswalk.flatMap { library.framework(withID: $0.to) }
        return (framework, crosswalk, award)
    }
}

/// The revision the caller read, for commands that change a portfolio.
struct RevisionOption: ParsableArguments {
    @Option(help: "Refuse the change unless the portfolio is still at this revision (as shown by `participant show`).")
    var revision: Int?
}

/// Who may do what, checked before a change is made: the names given to `--tutor`,
/// `--assessor` and `--as` must be real people with that part in the participant's cohort.
extension Workspace {
    /// A tutor of `participantID`'s cohort; with `ownTutor`, the participant's own tutor (first
    /// marks are the own tutor's; a colleague in the cohort may return or sign off, covering).
    func requireTutor(_ tutorID: String, of participantID: String, option: String, ownTutor: Bool) throws {
        if let problem = Identifier.problem(with: tutorID, what: "tutor") { throw CommandError(problem) }
        let portfolio = try store.portfolio(participantID)
        let cohort = try store.cohort(portfolio.participant.cohort)
        if ownTutor {
            guard tutorID == portfolio.participant.tutor else {
                throw CommandError(
                    "\(option) \(tutorID) is not \(participantID)'s tutor (\(portfolio.participant.tutor)); first marks are the participant's own tutor's")
            }
        }
        guard cohort.tutors.contains(where: { $0.id == tutorID }) else {
            let known = cohort.tutors.map(\.id)
            throw CommandError(
                "\(option) \(tutorID) is not a tutor of cohort \(cohort.id)\(Suggestions.phrase(for: tutorID, among: known))")
        }
    }

    /// A tutor of `participantID`'s cohort or a staff account (tutor or provider) in the store.
    func requireStaff(_ id: String, for participantID: String, option: String) throws {
        if let problem = Identifier.problem(with: id, what: "user") { throw CommandError(problem) }
        let portfolio = try store.portfolio(participantID)
        let cohort = try store.cohort(portfolio.participant.cohort)
        if cohort.tutors.contains(where: { $0.id == id }) { return }
        if let account = try users.user(id), account.role == .tutor || account.role == .provider { return }
        let known = cohort.tutors.map(\.id) + ((try? users.users()) ?? []).filter { $0.role == .tutor || $0.role == .provider }.map(\.id)
        throw CommandError(
            "\(option) \(id) is neither a tutor of cohort \(cohort.id) nor a tutor or provider account (senco user add)\(Suggestions.phrase(for: id, among: known))")
    }
}
