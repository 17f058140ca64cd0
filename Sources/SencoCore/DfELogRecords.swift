import Foundation

/// A training status the DfE holds, or one senco means to tell it, as a log entry records it:
/// on a `dfe-status` entry, the status the DfE recorded and from when; on senco's own
/// `withdrawn` entry, the DfE reason the withdrawal is to be sent with (`since` nil).
public struct TrainingStatusRecord: Sendable, Hashable {
    public var status: DfEIdentity.TrainingStatus
    /// When the DfE says the status took effect (`withdrawal.date`, `deferral.date`, or when a
    /// resumption was accepted); nil when not known, or not yet sent.
    public var since: Date?
    /// The DfE's reason value for a withdrawal or deferral.
    public var reason: String?

    public init(status: DfEIdentity.TrainingStatus, since: Date? = nil, reason: String? = nil) {
        self.status = status
        self.since = since
        self.reason = reason
    }
}

/// A participant outcome as the DfE holds it (`ParticipantOutcome` in the API): made from the
/// `completed` declaration's `has_passed` and date, or sent later as a correction.
public struct OutcomeRecord: Sendable, Hashable {
    /// `passed`, `failed`, or `voided` (the completed declaration was voided and the outcome retracted).
    public var state: String
    /// The day the participant received the outcome (`completion_date`).
    public var completionDate: Day
    /// The outcome's id in the API, where it gave one.
    public var dfeID: String?

    public init(state: String, completionDate: Day, dfeID: String? = nil) {
        self.state = state
        self.completionDate = completionDate
        self.dfeID = dfeID
    }

    /// The states the API gives an outcome (`ParticipantOutcome.attributes.state`).
    public static let states = ["passed", "failed", "voided"]
}

/// A period in which the DfE held the participant deferred or withdrawn: no declaration may be
/// dated inside it.
public struct DfEInactivePeriod: Sendable, Hashable {
    public var status: DfEIdentity.TrainingStatus
    public var from: Date
    /// When the participant resumed; nil while the period lasts.
    public var until: Date?

    public init(status: DfEIdentity.TrainingStatus, from: Date, until: Date?) {
        self.status = status
        self.from = from
        self.until = until
    }

    public func contains(_ date: Date) -> Bool { date >= from && until.map { date < $0 } ?? true }
}

extension Portfolio {
    /// The log's action for a training status the DfE recorded.
    public static let dfeStatusAction = "dfe-status"
    /// The log's action for an outcome the DfE recorded (a correction, or one read back by sync).
    public static let dfeOutcomeAction = "dfe-outcome"
    /// The log's action for a change to the participant's DfE identity.
    public static let dfeIdentityAction = "dfe-identity"

    /// The DfE reason of a withdrawal recorded in senco but not yet sent to the DfE, if there is
    /// one: the latest `withdrawn` entry names a reason and no `dfe-status` entry since says the
    /// DfE holds the participant withdrawn.
    public var pendingDfEWithdrawal: String? {
        guard state == .withdrawn else { return nil }
        var pending: String?
        for activity in activities {
            if activity.action == "withdrawn" {
                pending = activity.trainingStatus?.reason
            } else if activity.action == Self.dfeStatusAction, activity.trainingStatus?.status == .withdrawn {
                pending = nil
            }
        }
        return pending
    }

    /// The outcome the DfE holds, as the log last recorded it: from the completed declaration
    /// that was made, a correction sent since, or one read back. Nil when none is recorded.
    public var dfeOutcome: OutcomeRecord? {
        activities.last { $0.dfeOutcome != nil }?.dfeOutcome
    }

    /// DfE participant ids this participant had before the DfE merged them into the current one.
    public var retiredDfEIDs: [String] {
        activities.compactMap(\.previousDfEID)
    }

    /// When the DfE held the participant deferred or withdrawn, oldest first, from the log's
    /// `dfe-status` entries; a current status with a known date that the log does not record
    /// (set by hand) closes the list.
    public var dfeInactivePeriods: [DfEInactivePeriod] {
        var periods: [DfEInactivePeriod] = []
        for activity in activities where activity.action == Self.dfeStatusAction {
            guard let record = activity.trainingStatus else { continue }
            let at = record.since ?? activity.at
            if record.status == .active {
                if let last = periods.indices.last, periods[last].until == nil { periods[last].until = at }
            } else if let last = periods.last, last.until == nil {
                // Deferred, then withdrawn: one period, now a withdrawal.
                if last.status != record.status { periods[periods.count - 1].status = record.status }
            } else {
                periods.append(DfEInactivePeriod(status: record.status, from: at, until: nil))
            }
        }
        if let dfe = participant.dfe, dfe.trainingStatus != .active, let since = dfe.statusSince,
            !(periods.last.map { $0.until == nil } ?? false)
        {
            periods.append(DfEInactivePeriod(status: dfe.trainingStatus, from: since, until: nil))
        }
        return periods
    }
}

extension Portfolio {
    /// Records a DfE identity set by a person (`senco participant dfe`, the provider's form):
    /// the identity and TRN, a `dfe-identity` log entry and, when the training status changes,
    /// a `dfe-status` entry from now, so the periods no declaration may be dated in stay whole
    /// (the DfE's own date is not known for a status set by hand; `senco dfe pull` reads it).
    public mutating func recordDfEIdentity(
        _ identity: DfEIdentity, trn: String?, by actor: String, role: Role, at now: Date
    ) {
        let before = participant.dfe
        var identity = identity
        if identity.trainingStatus != (before?.trainingStatus ?? .active) {
            identity.statusSince = identity.trainingStatus == .active ? nil : now
            identity.statusReason = nil
            log.append(
                .activity(
                    Activity(
                        at: now, by: actor, role: role, action: Self.dfeStatusAction,
                        note: "\(identity.trainingStatus.rawValue), set by hand",
                        trainingStatus: TrainingStatusRecord(status: identity.trainingStatus, since: now))))
        }
        participant.dfe = identity
        participant.trn = trn
        log.append(
            .activity(
                Activity(at: now, by: actor, role: role, action: Self.dfeIdentityAction, note: "DfE identity recorded"))
        )
    }
}
