import Foundation
import SencoCore

/// The store as a server uses it: every call is `async`, so a request waiting for the store
/// never holds a thread another request needs. Both stores keep this contract: the directory
/// store through `OffloadedStore` (its blocking file work on thread pools) and the PostgreSQL
/// store natively (a non-blocking driver). One contract test suite runs against each.
///
/// The semantics are `PortfolioRepository`'s: every change is checked in full before anything is
/// written; an update names the revision it read and a stale one is refused
/// (`StoreError.stale`); a refused change stores nothing; whole-cohort reads carry on past a
/// damaged entry and name it in `CohortScan.problems`.
public protocol AsyncPortfolioRepository: Sendable {
    /// The largest attachment this store accepts.
    var attachmentLimit: Int { get }

    /// The cohorts that read, and a problem for each that does not.
    func scanCohorts() async throws(StoreError) -> CohortScan<Cohort>
    func cohort(_ id: String) async throws(StoreError) -> Cohort
    func createCohort(_ cohort: Cohort) async throws(StoreError)
    /// Replaces an existing cohort's record (title, dates, tutors).
    func saveCohort(_ cohort: Cohort) async throws(StoreError)

    /// The participant ids in a cohort, ordered, without reading their portfolios.
    func participantIDs(inCohort id: String) async throws(StoreError) -> [String]
    /// Every participant id in the store, ordered.
    func allParticipantIDs() async throws(StoreError) -> [String]
    func portfolio(_ participantID: String) async throws(StoreError) -> Portfolio
    /// Stores a new portfolio at revision 1.
    @discardableResult
    func create(_ portfolio: Portfolio) async throws(StoreError) -> Portfolio
    /// Stores a portfolio as it is (its revision kept), refusing one that already exists, with
    /// the staged attachments it refers to that the store does not hold yet (a store being
    /// copied); all in one step, so nothing is kept if the portfolio is refused.
    @discardableResult
    func importPortfolio(_ portfolio: Portfolio, adding attachments: [StagedAttachment]) async throws(StoreError) -> Portfolio
    /// Applies `change` to the stored portfolio if its revision is still `expectedRevision` and
    /// stores the result at the next revision, with the staged attachments it refers to.
    @discardableResult
    func update(
        _ participantID: String, expectedRevision: Int, adding attachments: [StagedAttachment],
        _ change: @escaping @Sendable (inout Portfolio) throws(StoreError) -> Void
    ) async throws(StoreError) -> Portfolio

    /// `transform` of every portfolio in a cohort, ordered by participant id.
    func mapPortfolios<Value: Sendable>(
        inCohort id: String, _ transform: @escaping @Sendable (Portfolio) -> Value
    ) async throws(StoreError) -> CohortScan<Value>
    /// Every participant's summary in a cohort against `framework`, ordered by participant id,
    /// read from the kept summaries where they are current.
    func mapSummaries(inCohort id: String, framework: Framework) async throws(StoreError) -> CohortScan<PortfolioSummary>

    func plans() async throws(StoreError) -> [ModerationPlan]
    func plan(_ id: String) async throws(StoreError) -> ModerationPlan
    /// Records a plan; plans are never overwritten.
    func savePlan(_ plan: ModerationPlan) async throws(StoreError)

    /// Checks uploaded bytes (size, name) and hashes them; nothing is stored until an update
    /// that refers to them.
    func stageAttachment(data: Data, name: String) async throws(StoreError) -> StagedAttachment
    func attachmentData(sha256: String) async throws(StoreError) -> Data
    /// The SHA-256 of every attachment held, ordered (for copying and checking a store).
    func attachmentDigests() async throws(StoreError) -> [String]
}

extension AsyncPortfolioRepository {
    /// The cohorts that read (a damaged one is left out: see `scanCohorts`).
    public func cohorts() async throws(StoreError) -> [Cohort] { try await scanCohorts().values }

    /// Imports a portfolio whose attachments the store already holds.
    @discardableResult
    public func importPortfolio(_ portfolio: Portfolio) async throws(StoreError) -> Portfolio {
        try await importPortfolio(portfolio, adding: [])
    }

    /// An update that brings no new attachment.
    @discardableResult
    public func update(
        _ participantID: String, expectedRevision: Int, _ change: @escaping @Sendable (inout Portfolio) throws(StoreError) -> Void
    ) async throws(StoreError) -> Portfolio {
        try await update(participantID, expectedRevision: expectedRevision, adding: [], change)
    }
}

/// The web application's accounts, as a server reads and changes them.
public protocol AsyncUserRepository: Sendable {
    func users() async throws(StoreError) -> [UserAccount]
    func user(_ id: String) async throws(StoreError) -> UserAccount?
    /// Adds an account, refusing an id that is already used.
    func add(_ account: UserAccount) async throws(StoreError)
    /// Changes one account atomically (see `UserRepository.update`).
    @discardableResult
    func update(_ id: String, _ change: @escaping @Sendable (inout UserAccount) throws(StoreError) -> Void) async throws(StoreError)
        -> UserAccount
}
