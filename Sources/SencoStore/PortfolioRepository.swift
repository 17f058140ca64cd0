import Foundation
import SencoCore

/// Where portfolios and cohorts are kept. The directory store is the real one; tests and the
/// web app's in-memory mode use others behind the same protocol.
public protocol PortfolioRepository: Sendable {
    func cohorts() throws(StoreError) -> [Cohort]
    func cohort(_ id: String) throws(StoreError) -> Cohort
    func createCohort(_ cohort: Cohort) throws(StoreError)

    /// Every portfolio in a cohort, ordered by participant id.
    func portfolios(inCohort id: String) throws(StoreError) -> [Portfolio]
    func portfolio(_ participantID: String) throws(StoreError) -> Portfolio
    /// Stores a new portfolio at revision 1.
    @discardableResult
    func create(_ portfolio: Portfolio) throws(StoreError) -> Portfolio
    /// Applies `change` to the stored portfolio if its revision is still `expectedRevision`,
    /// stores the result at the next revision and returns it. Refuses stale revisions and
    /// concurrent writers; on any error, nothing is stored.
    @discardableResult
    func update(
        _ participantID: String, expectedRevision: Int, _ change: (inout Portfolio) throws(StoreError) -> Void
    ) throws(StoreError) -> Portfolio

    /// Moderation samples, as recorded by `senco moderation sample`.
    func plans() throws(StoreError) -> [ModerationPlan]
    func plan(_ id: String) throws(StoreError) -> ModerationPlan

    /// Copies a file into content-addressed storage (once per content) and describes it.
    func storeAttachment(from url: URL) throws(StoreError) -> Attachment
    /// Stores uploaded bytes the same way (the web application's uploads).
    func storeAttachment(data: Data, name: String) throws(StoreError) -> Attachment
    func attachmentData(sha256: String) throws(StoreError) -> Data
}
