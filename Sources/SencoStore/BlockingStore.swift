import Dispatch
import Foundation
import SencoCore

/// An `AsyncPortfolioRepository` (the PostgreSQL store) in the blocking shape the command line
/// works with, so every command runs unchanged against either store.
///
/// Each call starts a task and waits for it on a semaphore. That is acceptable only because the
/// command line calls the store from the main thread, which is not one of the threads that run
/// tasks: the task runs on the cooperative pool while the main thread sleeps. Never use this on
/// a server's request path, or from inside a task: waiting on a cooperative thread for work
/// that needs one can take the last free thread and never wake.
public struct BlockingStore: PortfolioRepository {
    public let base: any AsyncPortfolioRepository
    public let location: String

    public init(_ base: any AsyncPortfolioRepository, location: String) {
        self.base = base
        self.location = location
    }

    public var attachmentLimit: Int { base.attachmentLimit }
    public var directory: URL? { nil }

    /// Runs `body` as a task and waits for its result on this (non-cooperative) thread.
    public static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws(StoreError) -> T) throws(StoreError) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do throws(StoreError) { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        guard let result = box.result else { throw StoreError(.io, "the store stopped before it answered") }
        return try result.get()
    }

    public func cohorts() throws(StoreError) -> [Cohort] { scanCohorts().values }

    public func scanCohorts() -> CohortScan<Cohort> {
        let base = self.base
        do {
            return try Self.wait { () async throws(StoreError) in try await base.scanCohorts() }
        } catch {
            // The blocking protocol reports problems rather than throwing here; a store that
            // cannot be reached at all is one problem, named by where it is.
            return CohortScan(values: [], problems: [StoreProblem(.damage, path: location, error.message)])
        }
    }

    public func cohort(_ id: String) throws(StoreError) -> Cohort {
        let base = self.base
        return try Self.wait { () async throws(StoreError) in try await base.cohort(id) }
    }

    public func createCohort(_ cohort: Cohort) throws(StoreError) {
        let base = self.base
        try Self.wait { () async throws(StoreError) in try await base.createCohort(cohort) }
    }

    public func saveCohort(_ cohort: Cohort) throws(StoreError) {
        let base = self.base
        try Self.wait { () async throws(StoreError) in try await base.saveCohort(cohort) }
    }

    public func portfolios(inCohort id: String) throws(StoreError) -> [Portfolio] {
        try mapPortfolios(inCohort: id) { $0 }.requireComplete()
    }

    public func mapPortfolios<Value: Sendable>(
        inCohort id: String, _ transform: @Sendable @escaping (Portfolio) -> Value
    ) throws(StoreError) -> CohortScan<Value> {
        let base = self.base
        return try Self.wait { () async throws(StoreError) in try await base.mapPortfolios(inCohort: id, transform) }
    }

    public func mapSummaries(inCohort id: String, framework: Framework) throws(StoreError) -> CohortScan<PortfolioSummary> {
        let base = self.base
        return try Self.wait { () async throws(StoreError) in try await base.mapSummaries(inCohort: id, framework: framework) }
    }

    public func participantIDs(inCohort id: String) throws(StoreError) -> [String] {
        let base = self.base
        return try Self.wait { () async throws(StoreError) in try await base.participantIDs(inCohort: id) }
    }

    public func allParticipantIDs() throws(StoreError) -> [String] {
        let base = self.base
        return try Self.wait { () async throws(StoreError) in try await base.allParticipantIDs() }
    }

    public func portfolio(_ participantID: String) throws(StoreError) -> Portfolio {
        let base = self.base
        return try Self.wait { () async throws(StoreError) in try await base.portfolio(participantID) }
    }

    @discardableResult
    public func create(_ portfolio: Portfolio) throws(StoreError) -> Portfolio {
        let base = self.base
        return try Self.wait { () async throws(StoreError) in try await base.create(portfolio) }
    }

    @discardableResult
    public func importPortfolio(_ portfolio: Portfolio, adding attachments: [StagedAttachment]) throws(StoreError) -> Portfolio {
        let base = self.base
        return try Self.wait { () async throws(StoreError) in try await base.importPortfolio(portfolio, adding: attachments) }
    }

    /// The blocking protocol's `change` is neither escaping nor `Sendable`; the async store needs
    /// both. It is handed over in a box that this call empties before it returns: the caller is
    /// blocked the whole time, so nothing it captured is touched from two threads at once, and
    /// once the box is empty nothing holds the closure past the call (which
    /// `withoutActuallyEscaping` checks).
    @discardableResult
    public func update(
        _ participantID: String, expectedRevision: Int, adding attachments: [StagedAttachment],
        _ change: (inout Portfolio) throws(StoreError) -> Void
    ) throws(StoreError) -> Portfolio {
        let base = self.base
        return try withoutActuallyEscaping(change) { (escapable) throws(StoreError) -> Portfolio in
            let box = ChangeBox(escapable)
            defer { box.change = nil }
            return try Self.wait { () async throws(StoreError) in
                try await base.update(participantID, expectedRevision: expectedRevision, adding: attachments) {
                    (portfolio: inout Portfolio) throws(StoreError) in
                    guard let change = box.change else { throw StoreError(.io, "the change was abandoned") }
                    try change(&portfolio)
                }
            }
        }
    }

    public func plans() throws(StoreError) -> [ModerationPlan] {
        let base = self.base
        return try Self.wait { () async throws(StoreError) in try await base.plans() }
    }

    public func plan(_ id: String) throws(StoreError) -> ModerationPlan {
        let base = self.base
        return try Self.wait { () async throws(StoreError) in try await base.plan(id) }
    }

    public func savePlan(_ plan: ModerationPlan) throws(StoreError) {
        let base = self.base
        try Self.wait { () async throws(StoreError) in try await base.savePlan(plan) }
    }

    /// Reads the file as the directory store does (a regular file, within the limit, never a
    /// FIFO or device), then checks the bytes.
    public func stageAttachment(from url: URL) throws(StoreError) -> StagedAttachment {
        let data = try RegularFile.read(url.path, limit: attachmentLimit, what: "attachment")
        return try stageAttachment(data: data, name: url.lastPathComponent)
    }

    public func stageAttachment(data: Data, name: String) throws(StoreError) -> StagedAttachment {
        let base = self.base
        return try Self.wait { () async throws(StoreError) in try await base.stageAttachment(data: data, name: name) }
    }

    public func attachmentData(sha256: String) throws(StoreError) -> Data {
        let base = self.base
        return try Self.wait { () async throws(StoreError) in try await base.attachmentData(sha256: sha256) }
    }

    public func attachmentDigests() throws(StoreError) -> [String] {
        let base = self.base
        return try Self.wait { () async throws(StoreError) in try await base.attachmentDigests() }
    }
}

/// The waiting thread reads the result only after the semaphore says the task wrote it.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    var result: Result<T, StoreError>?
}

/// See `BlockingStore.update`: holds the caller's change only while the caller waits.
private final class ChangeBox: @unchecked Sendable {
    var change: ((inout Portfolio) throws(StoreError) -> Void)?
    init(_ change: @escaping (inout Portfolio) throws(StoreError) -> Void) { self.change = change }
}

/// The accounts of an `AsyncUserRepository` in the blocking shape the command line uses (main
/// thread only, as `BlockingStore`).
public struct BlockingUsers: UserRepository {
    public let base: any AsyncUserRepository

    public init(_ base: any AsyncUserRepository) {
        self.base = base
    }

    public func users() throws(StoreError) -> [UserAccount] {
        let base = self.base
        return try BlockingStore.wait { () async throws(StoreError) in try await base.users() }
    }

    public func user(_ id: String) throws(StoreError) -> UserAccount? {
        let base = self.base
        return try BlockingStore.wait { () async throws(StoreError) in try await base.user(id) }
    }

    public func add(_ account: UserAccount) throws(StoreError) {
        let base = self.base
        try BlockingStore.wait { () async throws(StoreError) in try await base.add(account) }
    }

    @discardableResult
    public func update(
        _ id: String, _ change: @escaping @Sendable (inout UserAccount) throws(StoreError) -> Void
    ) throws(StoreError) -> UserAccount {
        let base = self.base
        return try BlockingStore.wait { () async throws(StoreError) in try await base.update(id, change) }
    }
}
