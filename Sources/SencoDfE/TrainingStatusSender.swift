import Foundation
import SencoCore
import SencoStore

/// Tells the DfE a participant has withdrawn, deferred or resumed (`PUT
/// /api/v3/participants/npq/{id}/withdraw|defer|resume`) and records the training status the
/// API then holds in the portfolio's log. `senco dfe withdraw|defer|resume` and the provider's
/// DfE page both send through it, so the two record the same thing.
public struct TrainingStatusSender: Sendable {
    let client: LeadProviderClient
    let store: any AsyncPortfolioRepository
    /// Who the log says recorded it: `senco` from the command line, the provider's account from the browser.
    let actor: String
    let now: @Sendable () -> Date

    public init(
        client: LeadProviderClient, store: any AsyncPortfolioRepository, actor: String = "senco",
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.store = store
        self.actor = actor
        self.now = now
    }

    /// What the API answered and what became of its record.
    public struct Sent: Sendable {
        public var answer: TrainingStatusResult
        /// The status as recorded: the DfE's date and reason.
        public var status: TrainingStatusRecord
        /// The portfolio's revision with the record in it; nil when it could not be recorded.
        public var revision: Int?
        /// Why the DfE's answer could not be recorded, or nil.
        public var unrecorded: String?
    }

    /// Sends `change` for `portfolio`, which the caller has read (and checked against the
    /// revision its user saw), then records the answer. The DfE's change stands whatever
    /// happened to the portfolio meanwhile, so it is recorded on the latest revision.
    public func send(_ change: TrainingStatusChange, for portfolio: Portfolio) async throws(DfEError) -> Sent {
        if let problem = change.problem { throw DfEError(.input, problem) }
        guard let dfe = portfolio.participant.dfe else {
            throw DfEError(.input, "\(portfolio.id) has no DfE participant id")
        }
        let answer = try await client.change(change, participant: dfe.participantID, course: dfe.course)
        let at = now().wholeSeconds
        var sent = Sent(answer: answer, status: TrainingStatusResult.record(answer, after: change, at: at))
        let actor = self.actor
        // A stale revision means someone changed the portfolio meanwhile: read it again.
        for attempt in 1...3 {
            do {
                let current = try await store.portfolio(portfolio.id)
                let saved = try await store.update(portfolio.id, expectedRevision: current.revision) {
                    (latest: inout Portfolio) throws(StoreError) in
                    latest.recordDfEStatus(answer, after: change, by: actor, at: at)
                }
                sent.revision = saved.revision
                return sent
            } catch {
                if attempt == 3 || (error.code != .staleRevision && error.code != .busy) {
                    sent.unrecorded = error.message
                    return sent
                }
            }
        }
        return sent
    }
}
