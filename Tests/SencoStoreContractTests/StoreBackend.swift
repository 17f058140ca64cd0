import Foundation
import PostgresNIO
import SencoCore
import SencoData
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoPostgres

/// The two stores every contract test runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case directory
    case postgres

    var testDescription: String { rawValue }
}

/// A clock tests move by hand (a lock, not `Mutex`, which needs macOS 15).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date = Date(timeIntervalSince1970: 1_780_000_000)) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { self.now } }
}

/// One backend's repositories over a fresh, empty store, and a way to look at what it holds
/// below the contract (every stored byte or row), to prove a refused change stored nothing.
struct StoreFixture: Sendable {
    let backend: Backend
    let store: any AsyncPortfolioRepository
    let users: any AsyncUserRepository
    let sessions: any SessionRepository
    let throttle: any SignInThrottle
    let links: any OneTimeLinkRepository
    let clock: TestClock
    let npq: Framework
    let rules: EvidenceRules
    /// Everything stored, as comparable text.
    let snapshot: @Sendable () async throws -> [String: String]
    /// Replaces a participant's kept summary with `summary` (a crash between two writes, or a
    /// summary written by an older release).
    let plantSummary: @Sendable (PortfolioSummary) async throws -> Void
    /// The revision of the kept summary, if any.
    let keptSummaryRevision: @Sendable (String) async throws -> Int?
    /// A new store over the same storage, as after a restart (no memory of this one's caches).
    let reopened: @Sendable () -> any AsyncPortfolioRepository
    let database: SencoDatabase?

    static let limits = SessionLimits(idleTimeout: 30 * 60, absoluteTimeout: 8 * 60 * 60)
    static let accounts = SignInThrottlePolicy(allowance: 3, maxDelay: 16, forgetAfter: 15 * 60)
    static let clients = SignInThrottlePolicy(allowance: 5, maxDelay: 16, forgetAfter: 15 * 60)

    /// Runs `body` against a fresh store of `backend` (with a test cohort), then removes it.
    static func with(
        _ backend: Backend, attachmentLimit: Int = 1024 * 1024, _ body: (StoreFixture) async throws -> Void
    ) async throws {
        let schemas = try TestSupport.schemas()
        let npq = try #require(try TestSupport.library().framework(withID: "npq-senco-2023"))
        let clock = TestClock()
        switch backend {
        case .directory:
            let root = try TestSupport.temporaryDirectory("contract")
            defer { try? FileManager.default.removeItem(at: root) }
            let directory = DirectoryStore(root: root, schemas: schemas, attachmentLimit: attachmentLimit, summaryFramework: npq)
            try directory.createCohort(TestSupport.cohort())
            let fixture = StoreFixture(
                backend: backend, store: OffloadedStore(directory),
                users: OffloadedUsers(try UserDirectory(root: root, schemaDirectory: schemas.directory)),
                sessions: MemorySessionStore(limits: limits, now: clock.function),
                throttle: MemorySignInThrottle(accounts: accounts, clients: clients, now: clock.function),
                links: try OneTimeLinkDirectory(root: root, schemaDirectory: schemas.directory), clock: clock, npq: npq, rules: schemas.rules,
                snapshot: {
                    TestSupport.snapshot(root).mapValues { String(decoding: $0, as: UTF8.self) }
                },
                plantSummary: { summary in
                    let file = root.appendingPathComponent("cohorts/\(summary.participant.cohort)/summaries/\(summary.id).xml")
                    try PortfolioCodec.encode(summary).write(to: file)
                },
                keptSummaryRevision: { participant in
                    let file = root.appendingPathComponent("cohorts/test-cohort/summaries/\(participant).xml")
                    guard let data = try? Data(contentsOf: file) else { return nil }
                    return try schemas.readSummary(data, source: participant).revision
                },
                reopened: {
                    OffloadedStore(DirectoryStore(root: root, schemas: schemas, attachmentLimit: attachmentLimit, summaryFramework: npq))
                },
                database: nil)
            try await body(fixture)
        case .postgres:
            try await TestDatabase.with { backendDatabase in
                let database = backendDatabase.database
                let store = backendDatabase.store(schemas: schemas, attachmentLimit: attachmentLimit, summaryFramework: npq)
                try await store.createCohort(TestSupport.cohort())
                let fixture = StoreFixture(
                    backend: backend, store: store, users: backendDatabase.users(),
                    sessions: backendDatabase.sessions(limits: limits, now: clock.function),
                    throttle: backendDatabase.signInThrottle(accounts: accounts, clients: clients, now: clock.function),
                    links: backendDatabase.oneTimeLinks(), clock: clock, npq: npq, rules: schemas.rules,
                    snapshot: { try await TestDatabase.snapshot(database) },
                    plantSummary: { summary in
                        try await database.execute(
                            """
                            UPDATE summaries SET revision = \(summary.revision), document = \(String(decoding: try PortfolioCodec.encode(summary), as: UTF8.self))
                            WHERE participant = \(summary.id)
                            """)
                    },
                    keptSummaryRevision: { participant in
                        let rows = try await database.rows("SELECT revision FROM summaries WHERE participant = \(participant)")
                        return try rows.first?.decode(Int.self)
                    },
                    reopened: { backendDatabase.store(schemas: schemas, attachmentLimit: attachmentLimit, summaryFramework: npq) },
                    database: database)
                try await body(fixture)
            }
        }
    }

    /// A new portfolio in the test cohort, stored at revision 1.
    @discardableResult
    func newPortfolio(_ id: String = "p-test-01", name: String? = nil) async throws -> Portfolio {
        var participant = TestSupport.participant(id)
        if let name { participant.name = name }
        return try await store.create(
            Portfolio(participant: participant, frameworks: ["npq-senco-2023"], stateSince: clock.now.wholeSeconds))
    }

    func evidence(_ id: String, attachments: [SencoCore.Attachment] = [], reflection: String = "A reflection.") -> EvidenceItem {
        EvidenceItem(
            id: id, title: "Evidence \(id)", type: "observation", date: Day("2025-11-01")!, reflection: reflection,
            attachments: attachments, added: clock.now.wholeSeconds)
    }
}

/// Why a PostgreSQL row of a test failed before it began.
struct PostgresTestSetupError: Error, CustomStringConvertible {
    var description: String
}

/// A database of its own for each test, on the server `SENCO_TEST_POSTGRES_URL` names, dropped
/// afterwards, so tests run in parallel without seeing each other's rows.
enum TestDatabase {
    static let variable = "SENCO_TEST_POSTGRES_URL"

    /// The server's URL. Unset, the PostgreSQL rows fail rather than skip: a green run must mean
    /// both stores passed.
    static func serverLocation() throws -> PostgresLocation {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
            throw PostgresTestSetupError(
                description:
                    "\(variable) is not set, so the PostgreSQL store was not tested. Run `make test`, or `scripts/with-postgres swift test --filter SencoStoreContractTests` (which starts a throwaway PostgreSQL on loopback), or set \(variable)=postgres://USER@127.0.0.1:PORT/postgres yourself."
            )
        }
        return try PostgresLocation(url: url)
    }

    /// Runs `body` with an admin connection to the server's own database.
    static func withAdmin<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(
            configuration: try serverLocation().connectionConfiguration(), id: 1, logger: SencoDatabase.logger)
        do {
            let value = try await body(connection)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A fresh empty database; returns its location.
    static func create() async throws -> PostgresLocation {
        let name = "senco_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        _ = try await withAdmin { connection in
            // The name is made here from hex digits: nothing outside the test reaches this SQL.
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) ENCODING 'UTF8' TEMPLATE template0"), logger: SencoDatabase.logger)
        }
        return try serverLocation().with(database: name)
    }

    static func drop(_ location: PostgresLocation) async throws {
        _ = try await withAdmin { connection in
            try await connection.query(
                PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(location.database) WITH (FORCE)"), logger: SencoDatabase.logger)
        }
    }

    /// Runs `body` with a backend opened (and migrated) on a fresh database, then drops it.
    static func with(_ body: (PostgresBackend) async throws -> Void) async throws {
        let location = try await create()
        do {
            let backend = try await PostgresBackend.open(location: location)
            do {
                try await body(backend)
            } catch {
                await backend.shutdown()
                throw error
            }
            await backend.shutdown()
        } catch {
            try? await drop(location)
            throw error
        }
        try await drop(location)
    }

    /// Every stored row below the contract: documents by digest, attachments by hash and size.
    static func snapshot(_ database: SencoDatabase) async throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try await database.rows("SELECT id, md5(document) FROM cohorts") {
            let (id, digest) = try row.decode((String, String).self)
            result["cohort " + id] = digest
        }
        for row in try await database.rows("SELECT participant, cohort, revision, md5(document) FROM portfolios") {
            let (id, cohort, revision, digest) = try row.decode((String, String, Int, String).self)
            result["portfolio " + id] = "\(cohort) \(revision) \(digest)"
        }
        for row in try await database.rows("SELECT participant, revision, md5(document) FROM summaries") {
            let (id, revision, digest) = try row.decode((String, Int, String).self)
            result["summary " + id] = "\(revision) \(digest)"
        }
        for row in try await database.rows("SELECT sha256, size FROM attachments") {
            let (hash, size) = try row.decode((String, Int).self)
            result["attachment " + hash] = "\(size)"
        }
        for row in try await database.rows("SELECT id, md5(document) FROM moderation_plans") {
            let (id, digest) = try row.decode((String, String).self)
            result["plan " + id] = digest
        }
        return result
    }
}
