import Foundation
import NIOPosix
import SencoCore

/// A blocking store as a server uses it: every call runs on a thread pool, never on the threads
/// that run request handlers, so a page that reads a whole cohort slows only itself.
///
/// The directory store's work is blocking file I/O, parsing and schema checks. Run inline, a few
/// cohort-wide requests occupy every cooperative thread (two on a two-core server) and every
/// other route, `/health` included, waits behind them. Two pools keep the kinds apart:
/// one-document work (a participant's page, a save) is never queued behind whole-cohort work (a
/// dashboard, a report, a pack), which reads on every core through its own parallel map.
public struct OffloadedStore: AsyncPortfolioRepository {
    public let base: any PortfolioRepository

    /// One-document reads and writes: short, many at once.
    static let documents: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(4, 2 * ProcessInfo.processInfo.activeProcessorCount))
        pool.start()
        return pool
    }()

    /// Whole-cohort work: few at a time, each already spread over the cores.
    static let cohorts: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(2, ProcessInfo.processInfo.activeProcessorCount))
        pool.start()
        return pool
    }()

    public init(_ base: any PortfolioRepository) {
        self.base = base
    }

    public var attachmentLimit: Int { base.attachmentLimit }

    /// Runs `body` on `pool`, keeping the store's typed error.
    static func run<T: Sendable>(
        on pool: NIOThreadPool, _ body: @escaping @Sendable () throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let outcome: Result<T, StoreError>
        do {
            outcome = try await pool.runIfActive { () -> Result<T, StoreError> in
                do throws(StoreError) { return .success(try body()) } catch { return .failure(error) }
            }
        } catch {
            outcome = .failure(StoreError(.io, "the store's worker threads have stopped"))
        }
        return try outcome.get()
    }

    /// Runs `body` on the one-document pool.
    public func document<T: Sendable>(
        _ body: @escaping @Sendable (any PortfolioRepository) throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let base = self.base
        return try await Self.run(on: Self.documents) { () throws(StoreError) in try body(base) }
    }

    /// Runs `body` on the whole-cohort pool.
    public func cohortWide<T: Sendable>(
        _ body: @escaping @Sendable (any PortfolioRepository) throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let base = self.base
        return try await Self.run(on: Self.cohorts) { () throws(StoreError) in try body(base) }
    }

    public func scanCohorts() async throws(StoreError) -> CohortScan<Cohort> { try await document { $0.scanCohorts() } }
    public func cohort(_ id: String) async throws(StoreError) -> Cohort { try await document { s throws(StoreError) in try s.cohort(id) } }
    public func createCohort(_ cohort: Cohort) async throws(StoreError) {
        try await document { s throws(StoreError) in try s.createCohort(cohort) }
    }
    public func saveCohort(_ cohort: Cohort) async throws(StoreError) {
        try await document { s throws(StoreError) in try s.saveCohort(cohort) }
    }
    public func participantIDs(inCohort id: String) async throws(StoreError) -> [String] {
        try await document { s throws(StoreError) in try s.participantIDs(inCohort: id) }
    }
    public func allParticipantIDs() async throws(StoreError) -> [String] {
        try await document { s throws(StoreError) in try s.allParticipantIDs() }
    }
    public func portfolio(_ participantID: String) async throws(StoreError) -> Portfolio {
        try await document { s throws(StoreError) in try s.portfolio(participantID) }
    }
    public func create(_ portfolio: Portfolio) async throws(StoreError) -> Portfolio {
        try await document { s throws(StoreError) in try s.create(portfolio) }
    }
    public func importPortfolio(_ portfolio: Portfolio, adding attachments: [StagedAttachment]) async throws(StoreError) -> Portfolio {
        try await document { s throws(StoreError) in try s.importPortfolio(portfolio, adding: attachments) }
    }
    public func update(
        _ participantID: String, expectedRevision: Int, adding attachments: [StagedAttachment],
        _ change: @escaping @Sendable (inout Portfolio) throws(StoreError) -> Void
    ) async throws(StoreError) -> Portfolio {
        try await document { s throws(StoreError) in
            try s.update(participantID, expectedRevision: expectedRevision, adding: attachments, change)
        }
    }
    public func mapPortfolios<Value: Sendable>(
        inCohort id: String, _ transform: @escaping @Sendable (Portfolio) -> Value
    ) async throws(StoreError) -> CohortScan<Value> {
        try await cohortWide { s throws(StoreError) in try s.mapPortfolios(inCohort: id, transform) }
    }
    public func mapSummaries(inCohort id: String, framework: Framework) async throws(StoreError) -> CohortScan<PortfolioSummary> {
        try await cohortWide { s throws(StoreError) in try s.mapSummaries(inCohort: id, framework: framework) }
    }
    public func plans() async throws(StoreError) -> [ModerationPlan] { try await document { s throws(StoreError) in try s.plans() } }
    public func plan(_ id: String) async throws(StoreError) -> ModerationPlan {
        try await document { s throws(StoreError) in try s.plan(id) }
    }
    public func savePlan(_ plan: ModerationPlan) async throws(StoreError) {
        try await document { s throws(StoreError) in try s.savePlan(plan) }
    }
    public func stageAttachment(data: Data, name: String) async throws(StoreError) -> StagedAttachment {
        try await document { s throws(StoreError) in try s.stageAttachment(data: data, name: name) }
    }
    public func attachmentData(sha256: String) async throws(StoreError) -> Data {
        try await document { s throws(StoreError) in try s.attachmentData(sha256: sha256) }
    }
    public func attachmentDigests() async throws(StoreError) -> [String] {
        try await document { s throws(StoreError) in try s.attachmentDigests() }
    }
}

/// The accounts file as a server uses it: reads and writes on the one-document pool.
public struct OffloadedUsers: AsyncUserRepository {
    public let base: any UserRepository

    public init(_ base: any UserRepository) {
        self.base = base
    }

    public func users() async throws(StoreError) -> [UserAccount] {
        let base = self.base
        return try await OffloadedStore.run(on: OffloadedStore.documents) { () throws(StoreError) in try base.users() }
    }
    public func user(_ id: String) async throws(StoreError) -> UserAccount? {
        let base = self.base
        return try await OffloadedStore.run(on: OffloadedStore.documents) { () throws(StoreError) in try base.user(id) }
    }
    public func add(_ account: UserAccount) async throws(StoreError) {
        let base = self.base
        try await OffloadedStore.run(on: OffloadedStore.documents) { () throws(StoreError) in try base.add(account) }
    }
    @discardableResult
    public func update(
        _ id: String, _ change: @escaping @Sendable (inout UserAccount) throws(StoreError) -> Void
    ) async throws(StoreError) -> UserAccount {
        let base = self.base
        return try await OffloadedStore.run(on: OffloadedStore.documents) { () throws(StoreError) in try base.update(id, change) }
    }
}
