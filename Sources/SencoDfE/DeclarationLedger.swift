import Foundation
import SencoCore
import SencoStore

/// What happens to declarations after they are made: their states as the DfE moves them on
/// (`sync`), and voiding one made in error (`void`). Each change is a log entry, so the
/// portfolio's history says what the API held and when senco learnt it.
public struct DeclarationLedger: Sendable {
    public struct Change: Sendable, Hashable {
        public var participant: String
        public var type: DeclarationType
        public var dfeID: String
        /// nil: senco had no record of it (made elsewhere, or a record lost); now recorded.
        public var from: String?
        public var to: String
    }

    let client: LeadProviderClient
    let store: any AsyncPortfolioRepository
    let now: @Sendable () -> Date

    public init(
        client: LeadProviderClient, store: any AsyncPortfolioRepository,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.store = store
        self.now = now
    }

    /// Reads every declaration the API holds (updated since `since`, if given) and records, for
    /// each participant of `cohort`, each state that differs from the log's. A declaration the
    /// log does not know that still counts (not voided) is recorded as declared, so nothing is
    /// ever posted for it again. An older declaration of a type since declared again is left alone.
    public func sync(cohort: String, since: Date?) async throws(DfEError) -> [Change] {
        let held = try await client.declarations(updatedSince: since)
        let byParticipant = Dictionary(
            grouping: held.filter { $0.course == DfEIdentity.sencoCourse }, by: \.participantID)
        let scan: CohortScan<(String, String?, [DeclarationType: DeclarationRecord])>
        do {
            scan = try await store.mapPortfolios(inCohort: cohort) {
                ($0.id, $0.participant.dfe?.participantID, $0.declarationRecords)
            }
        } catch { throw DfEError(.input, error.message) }
        var changes: [Change] = []
        for (participant, dfeID, records) in scan.values {
            guard let dfeID else { continue }
            for declaration in byParticipant[dfeID] ?? [] {
                guard let type = DeclarationType(rawValue: declaration.type) else { continue }
                let current = records[type]
                let change: Change
                if let current, current.dfeID == declaration.id {
                    guard current.state != declaration.state else { continue }
                    change = Change(
                        participant: participant, type: type, dfeID: declaration.id, from: current.state,
                        to: declaration.state)
                } else if declaration.counts && !(current.map { Self.counts($0.state) } ?? false) {
                    change = Change(
                        participant: participant, type: type, dfeID: declaration.id, from: nil, to: declaration.state)
                } else {
                    continue
                }
                try await record(
                    change, action: change.from == nil ? Portfolio.declaredAction : "dfe-state",
                    note: "from the DfE's declarations")
                changes.append(change)
            }
        }
        return changes
    }

    /// Voids `type`'s declaration for `participant` (`PUT …/{id}/void`) and records the state the
    /// API gives it.
    public func void(participant: String, type: DeclarationType) async throws(DfEError) -> Change {
        let portfolio: Portfolio
        do { portfolio = try await store.portfolio(participant) } catch { throw DfEError(.input, error.message) }
        guard let recorded = portfolio.declarationRecords[type], Self.counts(recorded.state) else {
            throw DfEError(
                .input,
                "\(participant) has no \(type.rawValue) declaration to void (senco participant show \(participant))")
        }
        let held = try await client.voidDeclaration(id: recorded.dfeID)
        let change = Change(participant: participant, type: type, dfeID: held.id, from: recorded.state, to: held.state)
        try await record(change, action: "dfe-state", note: "voided at the DfE")
        return change
    }

    static func counts(_ state: String) -> Bool { !["voided", "awaiting_clawback", "clawed_back"].contains(state) }

    private func record(_ change: Change, action: String, note: String) async throws(DfEError) {
        let entry = Activity(
            at: now().wholeSeconds, by: "senco", role: .system, action: action, note: note,
            declaration: DeclarationRecord(type: change.type, dfeID: change.dfeID, state: change.to))
        // A stale revision means someone changed the portfolio meanwhile: read it again.
        for attempt in 1...3 {
            do {
                let current = try await store.portfolio(change.participant)
                try await store.update(change.participant, expectedRevision: current.revision) {
                    portfolio throws(StoreError) in
                    portfolio.log.append(.activity(entry))
                }
                return
            } catch {
                if attempt == 3 || (error.code != .staleRevision && error.code != .busy) {
                    throw DfEError(
                        .input,
                        "\(change.participant): the DfE says \(change.type.rawValue) is \(change.to), but it could not be recorded: \(error.message)"
                    )
                }
            }
        }
    }
}
