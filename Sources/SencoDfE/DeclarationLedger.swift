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
    /// Who the log says recorded each change: `senco` from the command line, the provider's
    /// account from the browser (as `DeclarationSubmitter` records it).
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

    /// An outcome the DfE holds that the log did not say: now recorded.
    public struct OutcomeChange: Sendable, Hashable {
        public var participant: String
        public var from: OutcomeRecord?
        public var to: OutcomeRecord
    }

    /// What a sync did, and from when it asked.
    public struct SyncReport: Sendable {
        public var changes: [Change] = []
        public var outcomes: [OutcomeChange] = []
        /// The `updated_since` (and `created_since`) asked for; nil: everything.
        public var asked: Date?
        /// The marker kept for the next sync, when this one moved it.
        public var kept: Date?
    }

    /// How far before its own start a sync sets the next one's marker: the API's clock and this
    /// machine's may differ, and reading a change twice is harmless where missing one is not.
    public static let clockAllowance: TimeInterval = 300

    /// Syncs one cohort from the marker the store keeps for it (`Cohort.dfeSyncedSince`), so the
    /// API is asked only for what changed since the last sync; `full` reads everything, and an
    /// explicit `since` asks from then. When the sync has read everything since the marker (or
    /// from the start), the marker moves to just before this sync began.
    public func sync(cohort id: String, since explicit: Date? = nil, full: Bool = false) async throws(DfEError)
        -> SyncReport
    {
        let started = now()
        let cohort: Cohort
        do { cohort = try await store.cohort(id) } catch { throw DfEError(.input, error.message) }
        let marker = full ? nil : cohort.dfeSyncedSince
        let asked = full ? nil : (explicit ?? marker)
        var report = SyncReport(asked: asked)
        report.changes = try await syncDeclarations(cohort: id, since: asked)
        report.outcomes = try await syncOutcomes(cohort: id, since: asked)
        // Only a sync that covered everything since the marker may move it.
        let covered = asked == nil || marker.map { asked! <= $0 } ?? false
        if covered {
            let next = started.addingTimeInterval(-Self.clockAllowance).wholeSeconds
            do {
                var latest = try await store.cohort(id)
                latest.dfeSyncedSince = next
                try await store.saveCohort(latest)
                report.kept = next
            } catch {
                throw DfEError(
                    .input, "the DfE's states were recorded, but the sync marker could not be kept: \(error.message)")
            }
        }
        return report
    }

    /// Reads every declaration the API holds (updated since `since`, if given) and records, for
    /// each participant of `cohort`, each state that differs from the log's. A declaration the
    /// log does not know that still counts (not voided) is recorded as declared, so nothing is
    /// ever posted for it again. An older declaration of a type since declared again is left alone.
    func syncDeclarations(cohort: String, since: Date?) async throws(DfEError) -> [Change] {
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
                // A completed declaration the log did not know carries the outcome the API made from it.
                let outcome: OutcomeRecord? =
                    change.from == nil && type == .completed
                    ? declaration.hasPassed.flatMap { passed in
                        declaration.date.map { OutcomeRecord(state: passed ? "passed" : "failed", completionDate: $0) }
                    } : nil
                try await record(
                    change, action: change.from == nil ? Portfolio.declaredAction : "dfe-state",
                    note: "from the DfE's declarations", outcome: outcome)
                changes.append(change)
            }
        }
        return changes
    }

    /// Reads the outcomes the API holds (`GET /api/v3/participants/npq/outcomes`, created since
    /// `since`) and records, for each participant of `cohort`, the latest one where it is not what
    /// the log says (made from a completed declaration, corrected elsewhere, or voided).
    func syncOutcomes(cohort: String, since: Date?) async throws(DfEError) -> [OutcomeChange] {
        let held = try await client.outcomes(createdSince: since).filter { $0.course == DfEIdentity.sencoCourse }
        let byParticipant = Dictionary(grouping: held, by: \.participantID)
        let scan: CohortScan<(String, String?, OutcomeRecord?)>
        do {
            scan = try await store.mapPortfolios(inCohort: cohort) {
                ($0.id, $0.participant.dfe?.participantID, $0.dfeOutcome)
            }
        } catch { throw DfEError(.input, error.message) }
        var changes: [OutcomeChange] = []
        for (participant, dfeID, current) in scan.values {
            guard let dfeID, let latest = HeldOutcome.latest(byParticipant[dfeID] ?? []) else { continue }
            if current?.state == latest.state && current?.completionDate == latest.completionDate { continue }
            let entry = Activity(
                at: now().wholeSeconds, by: actor, role: .system, action: Portfolio.dfeOutcomeAction,
                note: "from the DfE's outcomes", dfeOutcome: latest.record)
            try await append(entry, to: participant, what: "outcome \(latest.state)")
            changes.append(OutcomeChange(participant: participant, from: current, to: latest.record))
        }
        return changes
    }

    /// Voids `type`'s declaration for `participant` (`PUT …/{id}/void`) and records the state the
    /// API gives it. Voiding `completed` retracts the outcome made from it, which is recorded too.
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
        let retracted =
            type == .completed
            ? portfolio.dfeOutcome.map {
                OutcomeRecord(state: "voided", completionDate: $0.completionDate, dfeID: $0.dfeID)
            } : nil
        try await record(change, action: "dfe-state", note: "voided at the DfE", outcome: retracted)
        return change
    }

    static func counts(_ state: String) -> Bool { !["voided", "awaiting_clawback", "clawed_back"].contains(state) }

    private func record(_ change: Change, action: String, note: String, outcome: OutcomeRecord? = nil)
        async throws(DfEError)
    {
        let entry = Activity(
            at: now().wholeSeconds, by: actor, role: .system, action: action, note: note,
            declaration: DeclarationRecord(type: change.type, dfeID: change.dfeID, state: change.to),
            dfeOutcome: outcome)
        try await append(entry, to: change.participant, what: "\(change.type.rawValue) is \(change.to)")
    }

    private func append(_ entry: Activity, to participant: String, what: String) async throws(DfEError) {
        // A stale revision means someone changed the portfolio meanwhile: read it again.
        for attempt in 1...3 {
            do {
                let current = try await store.portfolio(participant)
                try await store.update(participant, expectedRevision: current.revision) {
                    portfolio throws(StoreError) in
                    portfolio.log.append(.activity(entry))
                }
                return
            } catch {
                if attempt == 3 || (error.code != .staleRevision && error.code != .busy) {
                    throw DfEError(
                        .unrecorded,
                        "\(participant): the DfE says \(what), but it could not be recorded: \(error.message)")
                }
            }
        }
    }
}
