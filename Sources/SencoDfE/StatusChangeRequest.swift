import Foundation
import SencoCore

/// One training status change senco means to send (`PUT /api/v3/participants/npq/{id}/withdraw`…):
/// a withdrawal recorded in senco and still to tell the DfE.
public struct StatusChangeRequest: Sendable, Hashable {
    /// Senco's participant id: for messages and the log, never sent.
    public var participant: String
    public var dfeParticipantID: String
    public var course: String
    public var change: TrainingStatusChange

    public init(
        participant: String, dfeParticipantID: String, course: String = DfEIdentity.sencoCourse,
        change: TrainingStatusChange
    ) {
        self.participant = participant
        self.dfeParticipantID = dfeParticipantID
        self.course = course
        self.change = change
    }

    public var path: String { "/api/v3/participants/npq/\(dfeParticipantID.lowercased())/\(change.action)" }
    public var body: Data { change.body(course: course) }
}
