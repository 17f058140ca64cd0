import Foundation
import PostgresNIO
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoPostgres

/// What only the PostgreSQL store has: migrations, opening from a URL, and the blocking adapter
/// the command line uses over it.
@Suite struct PostgresBackendTests {
    @Test func migrationsAreAppliedOnceAndRunningThemAgainChangesNothing() async throws {
        try await TestDatabase.with { backend in
            let versions = try await backend.database.rows("SELECT version FROM schema_migrations ORDER BY version")
            #expect(try versions.map { try $0.decode(Int.self) } == PostgresMigrations.all.map(\.version))
            #expect(try await PostgresMigrations.run(on: backend.database) == [], "already at the latest version")
            #expect(try await PostgresMigrations.run(on: backend.database) == [])
            try await PostgresMigrations.requireCurrent(backend.database)
        }
    }

    /// A cohort's list is kept while its generation stands; any change to its portfolios, even
    /// one made with `psql` behind senco's back, gives a new generation in the same transaction.
    @Test func aCohortsListIsKeptUntilAnyChangeToItsPortfolios() async throws {
        try await StoreFixture.with(.postgres) { f in
            let store = try #require(f.store as? PostgresStore)
            let database = try #require(f.database)
            try await f.newPortfolio("p-one")
            try await f.newPortfolio("p-two")
            func generation() async throws -> Int64? {
                try await database.rows("SELECT generation FROM cohort_changes WHERE cohort = 'test-cohort'").first?.decode(Int64.self)
            }
            let before = try #require(try await generation())
            let first = try await store.mapSummaries(inCohort: "test-cohort", framework: f.npq)
            #expect(store.cohortGenerations.scan(cohort: "test-cohort", framework: f.npq.id, generation: before)?.values == first.values)
            #expect(try await store.mapSummaries(inCohort: "test-cohort", framework: f.npq).values == first.values)

            try await f.store.update("p-two", expectedRevision: 1) { $0.participant.school = "Another School" }
            let afterUpdate = try #require(try await generation())
            #expect(afterUpdate > before)
            #expect(try await store.mapSummaries(inCohort: "test-cohort", framework: f.npq).values.map(\.revision) == [1, 2])

            // Behind senco's back: the row changed with `psql` (a new revision, so the kept summary
            // is not trusted either). The list is made again from the row.
            try await database.execute(
                "UPDATE portfolios SET revision = 3, document = replace(document, 'Example School', 'Changed By Hand') WHERE participant = 'p-one'")
            #expect(try #require(try await generation()) > afterUpdate)
            let scan = try await store.mapSummaries(inCohort: "test-cohort", framework: f.npq)
            #expect(scan.values.map(\.participant.school) == ["Changed By Hand", "Another School"])

            try await database.execute("DELETE FROM portfolios WHERE participant = 'p-one'")
            #expect(try await store.mapSummaries(inCohort: "test-cohort", framework: f.npq).values.map(\.id) == ["p-two"])
            #expect(try await store.mapSummaries(inCohort: "test-cohort", framework: f.npq).problems.isEmpty)

            let missing = await #expect(throws: StoreError.self) { try await store.mapSummaries(inCohort: "no-such-cohort", framework: f.npq) }
            #expect(missing?.code == .notFound)
        }
    }

    /// A portfolio read again is kept while its row is the one it was read from; an update by
    /// another server, or with psql leaving the revision as it was, is read again.
    @Test func aPortfolioIsKeptWhileItsRowIsUnchanged() async throws {
        try await StoreFixture.with(.postgres) { f in
            let store = try #require(f.store as? PostgresStore)
            let database = try #require(f.database)
            try await f.newPortfolio("p-one")
            let first = try await store.portfolio("p-one")
            #expect(store.portfolioCache.count == 1)
            #expect(try await store.portfolio("p-one") == first)
            try await f.reopened().update("p-one", expectedRevision: 1) { $0.participant.school = "Another School" }
            #expect(try await store.portfolio("p-one").participant.school == "Another School")
            try await database.execute(
                "UPDATE portfolios SET document = replace(document, 'Another School', 'Changed By Hand') WHERE participant = 'p-one'")
            #expect(try await store.portfolio("p-one").participant.school == "Changed By Hand")
        }
    }

    @Test func twoServersStartingTogetherMigrateOnce() async throws {
        let location = try await TestDatabase.create()
        async let opening = PostgresBackend.open(location: location)
        async let alsoOpening = PostgresBackend.open(location: location)
        let (first, second) = try await (opening, alsoOpening)
        let count = try await first.database.rows("SELECT count(*) FROM schema_migrations")
        #expect(try count.first?.decode(Int.self) == PostgresMigrations.all.count)
        await first.shutdown()
        await second.shutdown()
        try await TestDatabase.drop(location)
    }

    @Test func aDatabaseNewerThanTheCodeIsRefused() async throws {
        try await TestDatabase.with { backend in
            try await backend.database.execute("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')")
            let error = await #expect(throws: StoreError.self) { try await PostgresMigrations.run(on: backend.database) }
            #expect(error?.code == .invalidData)
            #expect(error?.message.contains("schema version 999, newer than this senco knows") == true)
            let strict = await #expect(throws: StoreError.self) { try await PostgresMigrations.requireCurrent(backend.database) }
            #expect(strict?.message.contains("upgrade senco") == true)
        }
    }

    @Test func aFailedMigrationLeavesTheVersionBeforeIt() async throws {
        try await TestDatabase.with { backend in
            let broken = PostgresMigrations.all + [
                .init(version: PostgresMigrations.latestVersion + 1, name: "half", statements: [
                    "CREATE TABLE half_done (id integer)", "this is not SQL",
                ])
            ]
            let error = await #expect(throws: StoreError.self) { try await PostgresMigrations.run(broken, on: backend.database) }
            #expect(error?.message.contains("migration \(PostgresMigrations.latestVersion + 1) failed") == true)
            #expect(error?.message.contains("not SQL") == false, "no SQL in the message")
            let table = try await backend.database.rows("SELECT to_regclass('half_done') IS NULL")
            #expect(try table.first?.decode(Bool.self) == true, "its first statement was rolled back too")
            try await PostgresMigrations.requireCurrent(backend.database)
        }
    }

    @Test(arguments: [
        ("postgres://senco:s3cret%21@db.example.org:5433/senco", "postgres://senco@db.example.org:5433/senco"),
        ("postgresql://senco:s3cret%21@127.0.0.1/senco?sslmode=disable", "postgres://senco@127.0.0.1:5432/senco?sslmode=disable"),
        ("postgres://senco:s3cret%21@[::1]:5432/senco", "postgres://senco@[::1]:5432/senco"),
    ])
    func aURLIsShownWithoutItsPassword(url: String, shown: String) throws {
        let location = try PostgresLocation(url: url)
        #expect(location.description == shown)
        #expect(location.password == "s3cret!")
        #expect(!location.description.contains("s3cret"))
    }

    @Test func aURLWithoutAPasswordTakesPGPASSWORDAndTheURLsOwnWins() throws {
        let bare = try PostgresLocation(url: "postgres://senco@db.example.org/senco", environment: ["PGPASSWORD": "from-env"])
        #expect(bare.password == "from-env")
        #expect(!bare.description.contains("from-env"))
        let own = try PostgresLocation(url: "postgres://senco:mine@db.example.org/senco", environment: ["PGPASSWORD": "from-env"])
        #expect(own.password == "mine")
        #expect(try PostgresLocation(url: "postgres://senco@db.example.org/senco", environment: [:]).password == nil)
    }

    @Test(arguments: [
        "mysql://senco:s3cret@host/db", "postgres://senco:s3cret@host", "postgres://:s3cret@host/db", "postgres://senco:s3cret@/db",
        "postgres://senco:s3cret@host/db?sslmode=sometimes", "postgres://senco:s3cret@host/db?password=s3cret",
    ])
    func aMalformedURLIsRefusedWithoutRepeatingIt(url: String) {
        let error = #expect(throws: StoreError.self) { try PostgresLocation(url: url) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("s3cret") == false)
    }

    @Test func aServerThatCannotBeReachedIsOneLineWithoutThePassword() async throws {
        // 18499 is kept out of scripts/with-postgres's range, so nothing listens on it during tests.
        let error = await #expect(throws: StoreError.self) {
            try await PostgresBackend.open(url: "postgres://senco:s3cret@127.0.0.1:18499/senco?sslmode=disable")
        }
        #expect(error?.code == .io)
        #expect(error?.message.hasPrefix("cannot connect to the database at postgres://senco@127.0.0.1:18499/senco") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("s3cret") == false)
        #expect(error?.message.contains("\n") == false)
    }

    @Test func aDatabaseThatDoesNotExistIsNamed() async throws {
        let missing = try TestDatabase.serverLocation().with(database: "senco_no_such_database")
        let error = await #expect(throws: StoreError.self) { try await PostgresBackend.open(location: missing) }
        #expect(error?.message.contains("senco_no_such_database") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("3D000") == true)
    }

    /// The command line's path: a blocking call from a thread that is not the pool's.
    @Test func theBlockingStoreRunsTheContractFromAPlainThread() async throws {
        try await TestDatabase.with { backend in
            let schemas = try TestSupport.schemas()
            let blocking = BlockingStore(backend.store(schemas: schemas), location: backend.location.description)
            let file = try TestSupport.temporaryDirectory("blocking").appendingPathComponent("notes.txt")
            try Data("notes".utf8).write(to: file)
            let outcome: Result<Portfolio, StoreError> = await withCheckedContinuation { continuation in
                Thread {
                    do throws(StoreError) {
                        try blocking.createCohort(TestSupport.cohort())
                        try blocking.create(Portfolio(participant: TestSupport.participant(), frameworks: ["npq-senco-2023"], stateSince: Date().wholeSeconds))
                        let staged = try blocking.stageAttachment(from: file)
                        var captured = 0  // a change may capture and mutate the caller's state
                        let updated = try blocking.update("p-test-01", expectedRevision: 1, adding: [staged]) { portfolio in
                            captured += 1
                            portfolio.evidence.append(
                                EvidenceItem(id: "e1", title: "t", type: "observation", date: Day("2025-11-01")!, reflection: "r",
                                             attachments: [staged.attachment], added: Date().wholeSeconds))
                        }
                        guard captured == 1 else { throw StoreError(.io, "the change ran \(captured) times") }
                        let stale = Result { () throws(StoreError) in try blocking.update("p-test-01", expectedRevision: 1) { _ in } }
                        guard case .failure(let error) = stale, error.code == .staleRevision else {
                            throw StoreError(.io, "a stale update was not refused")
                        }
                        continuation.resume(returning: .success(updated))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }.start()
            }
            let updated = try outcome.get()
            #expect(updated.revision == 2)
            #expect(try await backend.store(schemas: schemas).attachmentDigests() == [updated.evidence[0].attachments[0].sha256])
            #expect(blocking.location == backend.location.description)
        }
    }

    /// Not a contract: the cost of a cohort of 1,000 in PostgreSQL, run on request
    /// (`SENCO_MEASURE=1`), printed for BENCHMARKS.md.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SENCO_MEASURE"] == "1"))
    func measureAThousandPortfolios() async throws {
        try await StoreFixture.with(.postgres) { f in
            let clock = ContinuousClock()
            let ids = (1...1000).map { String(format: "p-%04d", $0) }
            let creating = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for chunk in stride(from: 0, to: ids.count, by: 125).map({ Array(ids[$0..<min($0 + 125, ids.count)]) }) {
                        group.addTask { for id in chunk { try await f.newPortfolio(id) } }
                    }
                    try await group.waitForAll()
                }
            }
            var count = 0
            let summaries = try await clock.measure {
                count = try await f.store.mapSummaries(inCohort: "test-cohort", framework: f.npq).values.count
            }
            try await f.database?.execute("UPDATE summaries SET revision = 0")
            let remaking = try await clock.measure { _ = try await f.store.mapSummaries(inCohort: "test-cohort", framework: f.npq) }
            let portfolios = try await clock.measure { _ = try await f.store.mapPortfolios(inCohort: "test-cohort") { $0.revision } }
            print("postgres, 1,000 portfolios: create (8 at once) \(creating), mapSummaries \(summaries) (\(count)), mapSummaries remaking all \(remaking), mapPortfolios \(portfolios)")
            #expect(count == 1000)
        }
    }
}
