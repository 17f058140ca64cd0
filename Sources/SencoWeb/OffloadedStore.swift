import Foundation
import NIOPosix
import SencoCore
import SencoStore

/// The store as the web application uses it: every call runs on a thread pool, never on the
/// threads that run request handlers, so a page that reads a whole cohort slows only itself.
///
/// Store work is blocking file I/O, parsing and schema checks. Run inline, a few cohort-wide
/// requests occupy every cooperative thread (two on a two-core server) and every other route,
/// `/health` included, waits behind them. Two pools keep the kinds apart: one-document work (a
/// participant's page, a save) is never queued behind whole-cohort work (a dashboard, a report,
/// a pack), which reads on every core through its own parallel map.
public struct OffloadedStore: Sendable {
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

    /// Runs `body` on the one-document pool.
    func document<T: Sendable>(_ body: @escaping @Sendable (any PortfolioRepository) throws -> T) async throws -> T {
        let base = self.base
        return try await Self.documents.runIfActive { try body(base) }
    }

    /// Runs `body` on the whole-cohort pool.
    func cohortWide<T: Sendable>(_ body: @escaping @Sendable (any PortfolioRepository) throws -> T) async throws -> T {
        let base = self.base
        return try await Self.cohorts.runIfActive { try body(base) }
    }

    func portfolio(_ id: String) async throws -> Portfolio { try await document { try $0.portfolio(id) } }
    func cohort(_ id: String) async throws -> Cohort { try await document { try $0.cohort(id) } }
    func plans() async throws -> [ModerationPlan] { try await document { try $0.plans() } }
    func plan(_ id: String) async throws -> ModerationPlan { try await document { try $0.plan(id) } }
    func attachmentData(sha256: String) async throws -> Data { try await document { try $0.attachmentData(sha256: sha256) } }
    func stageAttachment(data: Data, name: String) async throws -> StagedAttachment {
        try await document { try $0.stageAttachment(data: data, name: name) }
    }
    func participantIDs(inCohort id: String) async throws -> [String] { try await document { try $0.participantIDs(inCohort: id) } }
    func scanCohorts() async throws -> CohortScan<Cohort> { try await document { $0.scanCohorts() } }
    func cohorts() async throws -> [Cohort] { try await document { try $0.cohorts() } }

    func mapSummaries(inCohort id: String, framework: Framework) async throws -> CohortScan<PortfolioSummary> {
        try await cohortWide { try $0.mapSummaries(inCohort: id, framework: framework) }
    }

    func mapPortfolios<Value: Sendable>(
        inCohort id: String, _ transform: @Sendable @escaping (Portfolio) -> Value
    ) async throws -> CohortScan<Value> {
        try await cohortWide { try $0.mapPortfolios(inCohort: id, transform) }
    }
}
