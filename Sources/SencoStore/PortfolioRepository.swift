import Foundation
import SencoCore

/// The store as one process uses it, blocking: the directory store's own interface, and what
/// the command line works with. A server never calls it on its request threads: it uses
/// `AsyncPortfolioRepository`, which `OffloadedStore` provides over this one, and which the
/// PostgreSQL store implements directly (`BlockingStore` brings that one back to this shape for
/// the command line).
public protocol PortfolioRepository: Sendable {
    /// The largest attachment this store accepts.
    var attachmentLimit: Int { get }
    /// Where the store is, as messages name it (a directory, or a database without its password).
    var location: String { get }
    /// The store's directory, for a store that is one (output paths must not be inside it).
    var directory: URL? { get }
    /// The cohorts whose files read (a damaged one is left out: see `scanCohorts`).
    func cohorts() throws(StoreError) -> [Cohort]
    /// The cohorts that read, and a problem for each cohort folder that does not.
    func scanCohorts() -> CohortScan<Cohort>
    func cohort(_ id: String) throws(StoreError) -> Cohort
    func createCohort(_ cohort: Cohort) throws(StoreError)
    /// Replaces an existing cohort's record (title, dates, tutors).
    func saveCohort(_ cohort: Cohort) throws(StoreError)

    /// Every portfolio in a cohort, ordered by participant id, failing on the first entry that
    /// cannot be read. Holds the whole cohort in memory: for lists and reports, prefer
    /// `mapPortfolios`.
    func portfolios(inCohort id: String) throws(StoreError) -> [Portfolio]
    /// `transform` of every portfolio in a cohort, ordered by participant id, each portfolio
    /// dropped once transformed, so the cost stays linear in the size of the cohort. An entry
    /// that cannot be used is reported in the result's `problems`; the rest are read.
    func mapPortfolios<Value: Sendable>(
        inCohort id: String, _ transform: @Sendable @escaping (Portfolio) -> Value
    ) throws(StoreError) -> CohortScan<Value>
    /// Every participant's summary in a cohort against `framework`, ordered by participant id:
    /// what lists and reports need, without reading whole portfolios where a current summary is
    /// kept. Entries that cannot be used are reported in `problems`.
    func mapSummaries(inCohort id: String, framework: Framework) throws(StoreError) -> CohortScan<PortfolioSummary>
    /// The participant ids in a cohort, without reading their portfolios.
    func participantIDs(inCohort id: String) throws(StoreError) -> [String]
    /// Every participant id in the store, ordered.
    func allParticipantIDs() throws(StoreError) -> [String]
    func portfolio(_ participantID: String) throws(StoreError) -> Portfolio
    /// Stores a new portfolio at revision 1.
    @discardableResult
    func create(_ portfolio: Portfolio) throws(StoreError) -> Portfolio
    /// Stores a portfolio as it is (its revision kept), refusing one that already exists, with
    /// the staged attachments it refers to that the store does not hold yet.
    @discardableResult
    func importPortfolio(_ portfolio: Portfolio, adding attachments: [StagedAttachment]) throws(StoreError) -> Portfolio
    /// Applies `change` to the stored portfolio if its revision is still `expectedRevision`,
    /// stores the result at the next revision and returns it. Refuses stale revisions and
    /// concurrent writers. The staged attachments the new revision refers to are stored with it;
    /// on any error, nothing is stored (no blob, no lock, no temporary file).
    @discardableResult
    func update(
        _ participantID: String, expectedRevision: Int, adding attachments: [StagedAttachment],
        _ change: (inout Portfolio) throws(StoreError) -> Void
    ) throws(StoreError) -> Portfolio

    /// Moderation samples, as recorded by `senco moderation sample`.
    func plans() throws(StoreError) -> [ModerationPlan]
    func plan(_ id: String) throws(StoreError) -> ModerationPlan
    /// Records a plan; plans are never overwritten, so a sample cannot be quietly redrawn.
    func savePlan(_ plan: ModerationPlan) throws(StoreError)

    /// Reads and checks a file to attach; nothing is stored until an update that refers to it.
    func stageAttachment(from url: URL) throws(StoreError) -> StagedAttachment
    /// Checks uploaded bytes the same way (the web application's uploads).
    func stageAttachment(data: Data, name: String) throws(StoreError) -> StagedAttachment
    func attachmentData(sha256: String) throws(StoreError) -> Data
    /// The SHA-256 of every attachment held, ordered.
    func attachmentDigests() throws(StoreError) -> [String]
}

extension PortfolioRepository {
    /// Imports a portfolio whose attachments the store already holds.
    @discardableResult
    public func importPortfolio(_ portfolio: Portfolio) throws(StoreError) -> Portfolio {
        try importPortfolio(portfolio, adding: [])
    }

    /// An update that brings no new attachment.
    @discardableResult
    public func update(
        _ participantID: String, expectedRevision: Int, _ change: (inout Portfolio) throws(StoreError) -> Void
    ) throws(StoreError) -> Portfolio {
        try update(participantID, expectedRevision: expectedRevision, adding: [], change)
    }
}
