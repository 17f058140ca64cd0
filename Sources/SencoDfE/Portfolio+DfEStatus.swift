import Foundation
import SencoCore

extension Portfolio {
    /// Records the training status the DfE holds after `change` was sent: the participant's DfE
    /// identity takes the status, the DfE's date (or `at`) and reason (or the one sent), and a
    /// `dfe-status` log entry says so. The one record `senco dfe withdraw|defer|resume`, the
    /// submission's withdrawals and the provider's DfE page all make.
    public mutating func recordDfEStatus(
        _ answer: TrainingStatusResult, after change: TrainingStatusChange, by actor: String, at: Date
    ) {
        let status = TrainingStatusResult.record(answer, after: change, at: at)
        participant.dfe?.trainingStatus = answer.status
        participant.dfe?.statusSince = status.since
        participant.dfe?.statusReason = status.reason
        log.append(
            .activity(
                Activity(
                    at: at, by: actor, role: .system, action: Self.dfeStatusAction,
                    note: answer.alreadyHeld
                        ? "\(answer.status.rawValue) at the DfE already" : "\(change.action) sent to the DfE",
                    trainingStatus: status)))
    }
}

extension TrainingStatusResult {
    /// The status as the log keeps it: the DfE's date, else when senco learnt it; the DfE's
    /// reason, else the one sent.
    public static func record(_ answer: TrainingStatusResult, after change: TrainingStatusChange, at: Date)
        -> TrainingStatusRecord
    {
        TrainingStatusRecord(status: answer.status, since: answer.since ?? at, reason: answer.reason ?? change.reason)
    }
}
