import Foundation
import SencoCore

/// A change of training status sent to the API (`PUT /api/v3/participants/npq/{id}/withdraw`,
/// `/defer`, `/resume`), with the reason values the OpenAPI document enumerates.
public enum TrainingStatusChange: Sendable, Hashable {
    case withdraw(reason: String)
    case `defer`(reason: String)
    case resume

    /// `ParticipantWithdrawRequest.data.attributes.reason`'s enum, as published (the trailing
    /// dot of `quality-of-programme-structure-not-suitable.` included).
    public static let withdrawalReasons = [
        "insufficient-capacity-to-undertake-programme", "personal-reason-health-or-pregnancy-related",
        "personal-reason-moving-school", "personal-reason-other", "insufficient-capacity",
        "change-in-developmental-or-personal-priorities", "change-in-school-circumstances",
        "change-in-school-leadership",
        "quality-of-programme-structure-not-suitable.", "quality-of-programme-content-not-suitable",
        "quality-of-programme-facilitation-not-effective", "quality-of-programme-accessibility",
        "quality-of-programme-other",
        "programme-not-appropriate-for-role-and-cpd-needs", "started-in-error", "expected-commitment-unclear",
        "assessment-requirements-not-met", "change-in-career", "disengaged-and-unresponsive", "non-payment-of-invoice",
        "other",
    ]
    /// `ParticipantDeferRequest.data.attributes.reason`'s enum.
    public static let deferralReasons = [
        "bereavement", "long-term-sickness", "parental-leave", "career-break", "other",
    ]

    /// The reasons the document gives for entering `status` (none for `active`).
    public static func reasons(for status: DfEIdentity.TrainingStatus) -> [String] {
        switch status {
        case .withdrawn: withdrawalReasons
        case .deferred: deferralReasons
        case .active: []
        }
    }

    /// The reason sent with the change, if it has one.
    public var reason: String? {
        switch self {
        case .withdraw(let reason), .defer(let reason): reason
        case .resume: nil
        }
    }

    /// Why this change cannot be sent, or nil.
    public var problem: String? {
        switch self {
        case .withdraw(let reason) where !Self.withdrawalReasons.contains(reason):
            "--reason \(reason.quotedForMessage(limit: 60)) is not one of the DfE's withdrawal reasons: \(Self.withdrawalReasons.joined(separator: ", "))"
        case .defer(let reason) where !Self.deferralReasons.contains(reason):
            "--reason \(reason.quotedForMessage(limit: 60)) is not one of the DfE's deferral reasons: \(Self.deferralReasons.joined(separator: ", "))"
        default: nil
        }
    }

    public var action: String {
        switch self {
        case .withdraw: "withdraw"
        case .defer: "defer"
        case .resume: "resume"
        }
    }

    /// The training status the participant has once the API accepts it.
    public var status: DfEIdentity.TrainingStatus {
        switch self {
        case .withdraw: .withdrawn
        case .defer: .deferred
        case .resume: .active
        }
    }

    /// The body: `{"data":{"type":"participant-withdraw","attributes":{"course_identifier":…,"reason":…}}}`.
    func body(course: String) -> Data {
        var attributes: [String: JSONValue] = ["course_identifier": .string(course)]
        switch self {
        case .withdraw(let reason), .defer(let reason): attributes["reason"] = .string(reason)
        case .resume: break
        }
        let body: JSONValue = .object([
            "data": .object(["type": .string("participant-\(action)"), "attributes": .object(attributes)])
        ])
        return Data(body.serialised.utf8)
    }
}

/// What the API holds once a training status change is accepted: the enrolment's status, and
/// for a withdrawal or deferral its reason and the date the DfE recorded.
public struct TrainingStatusResult: Sendable, Hashable {
    public var status: DfEIdentity.TrainingStatus
    public var since: Date?
    public var reason: String?
    /// The API had the change already (a repeat after a lost or slow answer, or a change made
    /// elsewhere): its 422 was answered by reading the participant back.
    public var alreadyHeld: Bool

    public init(status: DfEIdentity.TrainingStatus, since: Date?, reason: String?, alreadyHeld: Bool = false) {
        self.status = status
        self.since = since
        self.reason = reason
        self.alreadyHeld = alreadyHeld
    }
}

extension LeadProviderClient {
    /// Sends a withdrawal, deferral or resumption; returns the enrolment's status as the API
    /// now gives it.
    ///
    /// A change repeated after a lost or slow answer (the client retries a PUT, which cannot
    /// change the status twice) is answered by the API with a 422 ("already withdrawn"), as is a
    /// change someone else made first. So a 422 is answered by reading the participant back
    /// (`GET /api/v3/participants/npq/{id}`): if the API holds the status asked for, the change
    /// stands and that is what is returned; otherwise the 422 is the answer.
    public func change(
        _ change: TrainingStatusChange, participant dfeID: String, course: String = DfEIdentity.sencoCourse
    ) async throws(DfEError) -> TrainingStatusResult {
        if let problem = change.problem { throw DfEError(.input, problem) }
        if let problem = DfEIdentity.uuidProblem(dfeID, field: "DfE participant id") { throw DfEError(.input, problem) }
        let path = "/api/v3/participants/npq/\(dfeID.lowercased())/\(change.action)"
        let (status, body) = try await sendChange(path: path, body: change.body(course: course))
        if status == 422 {
            let refusal = failure(status: status, body: body, what: "\(change.action) of \(dfeID)")
            let now: DfEParticipant
            do { now = try await participant(id: dfeID) } catch { throw refusal }
            guard let enrolment = now.enrolments.first(where: { $0.course == course }),
                enrolment.trainingStatus == change.status
            else { throw refusal }
            return TrainingStatusResult(
                status: enrolment.trainingStatus, since: enrolment.statusSince, reason: enrolment.statusReason,
                alreadyHeld: true)
        }
        guard status == 200 else { throw failure(status: status, body: body, what: "\(change.action) of \(dfeID)") }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let data = object["data"] as? [String: Any],
            let answer = try? DfEParticipant.parse(data, place: "the API's answer"),
            let enrolment = answer.enrolments.first(where: { $0.course == course })
        else {
            throw DfEError(
                .badResponse, "the API's answer to the \(change.action) of \(dfeID) has no \(course) enrolment")
        }
        return TrainingStatusResult(
            status: enrolment.trainingStatus, since: enrolment.statusSince, reason: enrolment.statusReason)
    }
}
