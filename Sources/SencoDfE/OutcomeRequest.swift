import Foundation
import SencoCore

/// One `POST /api/v3/participants/npq/{id}/outcomes` senco means to make: a correction of the
/// outcome the DfE made from the `completed` declaration, when the portfolio was signed off
/// again with another outcome or date.
public struct OutcomeRequest: Sendable, Hashable {
    /// Senco's participant id: for messages and the log, never sent.
    public var participant: String
    public var dfeParticipantID: String
    public var course: String
    public var state: Outcome
    /// `completion_date`: the day the participant received the outcome.
    public var completionDate: Day

    public init(
        participant: String, dfeParticipantID: String, course: String = DfEIdentity.sencoCourse, state: Outcome,
        completionDate: Day
    ) {
        self.participant = participant
        self.dfeParticipantID = dfeParticipantID
        self.course = course
        self.state = state
        self.completionDate = completionDate
    }

    public var path: String { "/api/v3/participants/npq/\(dfeParticipantID.lowercased())/outcomes" }

    /// The body, as `ParticipantOutcomeCreateRequest` describes it:
    /// `{"data":{"type":"npq-outcome-confirmation","attributes":{course_identifier, state, completion_date}}}`,
    /// the date in the form of the document's example (`2021-05-31T00:00:00+00:00`).
    public var body: Data {
        let attributes: [String: JSONValue] = [
            "course_identifier": .string(course), "state": .string(state.rawValue),
            "completion_date": .string(Self.completionDateText(completionDate)),
        ]
        let body: JSONValue = .object([
            "data": .object(["type": .string("npq-outcome-confirmation"), "attributes": .object(attributes)])
        ])
        return Data(body.serialised.utf8)
    }

    static func completionDateText(_ day: Day) -> String { "\(day)T00:00:00+00:00" }

    /// Whether the API's latest outcome already says this (same state and day).
    func isHeld(in held: [HeldOutcome]) -> Bool {
        guard let latest = HeldOutcome.latest(held) else { return false }
        return latest.state == state.rawValue && latest.completionDate == completionDate
    }
}

/// An outcome as the API holds it (`ParticipantOutcome`).
public struct HeldOutcome: Sendable, Hashable {
    public var id: String
    public var participantID: String
    public var course: String
    /// passed, failed or voided.
    public var state: String
    public var completionDate: Day
    public var created: Date?

    public init(
        id: String, participantID: String, course: String, state: String, completionDate: Day, created: Date? = nil
    ) {
        self.id = id
        self.participantID = participantID
        self.course = course
        self.state = state
        self.completionDate = completionDate
        self.created = created
    }

    public var record: OutcomeRecord { OutcomeRecord(state: state, completionDate: completionDate, dfeID: id) }

    /// The one that stands: the last created (the API keeps every outcome, newest last).
    public static func latest(_ held: [HeldOutcome]) -> HeldOutcome? {
        held.enumerated().max { a, b in
            (a.element.created ?? .distantPast, a.offset) < (b.element.created ?? .distantPast, b.offset)
        }?.element
    }

    static func parse(_ resource: [String: Any]) -> HeldOutcome? {
        guard let id = resource["id"] as? String, DfEIdentity.uuidProblem(id, field: "") == nil,
            let attributes = resource["attributes"] as? [String: Any],
            let participant = attributes["participant_id"] as? String,
            let state = attributes["state"] as? String, OutcomeRecord.states.contains(state),
            let course = attributes["course_identifier"] as? String,
            let dateText = attributes["completion_date"] as? String, let day = Day(String(dateText.prefix(10)))
        else { return nil }
        return HeldOutcome(
            id: id.lowercased(), participantID: participant.lowercased(), course: course, state: state,
            completionDate: day, created: (attributes["created_at"] as? String).flatMap(DfEParticipant.dateTime))
    }
}
