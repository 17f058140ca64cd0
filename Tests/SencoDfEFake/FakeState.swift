import Foundation

extension FakeLeadProviderAPI {
    /// An enrolment on a course, as the API keeps it for a participant.
    public struct Enrolment: Sendable {
        var course: String
        var schedule: String
        var cohort: String
        /// The schedule's start: declarations dated earlier are refused.
        var from: Date
        var trainingStatus = "active"
        var reason: String?
        /// When the current withdrawal or deferral was recorded (the API's `withdrawal.date`).
        var statusDate: Date?
    }

    public struct Declaration: Sendable {
        public var id: String
        public var participant: String
        public var type: String
        public var course: String
        public var date: String
        public var state: String
        public var hasPassed: Bool?
        public var deliveryPartner: String?
        public var updated: Date

        public init(
            id: String, participant: String, type: String, course: String, date: String, state: String,
            hasPassed: Bool? = nil,
            deliveryPartner: String? = nil, updated: Date
        ) {
            self.id = id
            self.participant = participant
            self.type = type
            self.course = course
            self.date = date
            self.state = state
            self.hasPassed = hasPassed
            self.deliveryPartner = deliveryPartner
            self.updated = updated
        }

        var counts: Bool { !["voided", "awaiting_clawback", "clawed_back"].contains(state) }
    }

    /// A `ParticipantOutcome`: made from a completed declaration, or posted as a correction.
    public struct Outcome: Sendable {
        public var id: String
        public var participant: String
        public var course: String
        public var state: String
        public var completionDate: String
        public var created: Date

        public init(
            id: String, participant: String, course: String, state: String, completionDate: String, created: Date
        ) {
            self.id = id
            self.participant = participant
            self.course = course
            self.state = state
            self.completionDate = completionDate
            self.created = created
        }
    }

    /// Everything the fake API holds, and what it saw.
    public actor FakeState {
        var enrolments: [String: Enrolment] = [:]
        var declarations: [Declaration] = []
        var outcomes: [Outcome] = []
        /// The DfE's merges: a retired participant id → the one that replaced it.
        var retired: [String: String] = [:]
        var violations: [String] = []
        var requests: [String] = []
        var faults: [Fault] = []
        /// The participants `GET /api/v3/participants/npq` lists, each as its JSON.
        var participants: [String] = []

        func violation(_ text: String) { violations.append(text) }
        func log(_ text: String) { requests.append(text) }
        func nextFault() -> Fault? { faults.isEmpty ? nil : faults.removeFirst() }
        public func queue(_ more: [Fault]) { faults += more }
        public func clearFaults() { faults = [] }
        func enrol(_ id: String, _ enrolment: Enrolment) { enrolments[id] = enrolment }
        public func trainingStatus(_ id: String) -> String? { enrolments[id.lowercased()]?.trainingStatus }
        public func add(_ declaration: Declaration) { declarations.append(declaration) }
        public func setParticipants(_ list: [String]) { participants = list }
        public var allOutcomes: [Outcome] { outcomes }

        /// Applies a withdraw, defer or resume as the API's services do; the refusal's (status,
        /// title, detail) if the API would refuse it.
        func change(_ id: String, action: String, reason: String?, at now: Date) -> (Int, String, String)? {
            if let replacement = retired[id] {
                return (422, "participant_id", "The participant_id '\(id)' has been replaced with '\(replacement)'.")
            }
            guard var enrolment = enrolments[id] else {
                return (404, "participant_id", "The '#/participant_id' is not recognised.")
            }
            let mine = declarations.filter { $0.participant == id && $0.course == enrolment.course }
            switch (action, enrolment.trainingStatus) {
            case ("withdraw", "withdrawn"), ("defer", "withdrawn"):
                return (422, "participant_id", "The participant is already withdrawn")
            case ("defer", "deferred"): return (422, "participant_id", "The participant is already deferred")
            case ("resume", "active"): return (422, "participant_id", "The participant is already active")
            case ("withdraw", _) where !mine.contains(where: { $0.type == "started" }):
                return (
                    422, "participant_id",
                    "An NPQ participant who has not got a started declaration cannot be withdrawn. Please contact support for assistance"
                )
            case ("defer", _) where mine.isEmpty:
                return (422, "participant_id", "You cannot defer an NPQ participant that has no declarations")
            default: break
            }
            enrolment.trainingStatus =
                ["withdraw": "withdrawn", "defer": "deferred", "resume": "active"][action] ?? "active"
            enrolment.reason = action == "resume" ? nil : reason
            enrolment.statusDate = action == "resume" ? nil : now
            enrolments[id] = enrolment
            return nil
        }

        /// The DfE moving a declaration on (eligible, payable, paid…), as its own processes do.
        public func setState(_ id: String, to state: String) {
            for index in declarations.indices where declarations[index].id == id {
                declarations[index].state = state
                declarations[index].updated = Date()
            }
        }

        /// `PUT …/{id}/void`: voided, or awaiting_clawback if it was paid (the guidance's
        /// "Void a declaration"); a completed declaration's outcome is retracted (`voided`, and
        /// `has_passed` back to null). Nil if there is no such declaration.
        func void(_ id: String) -> Declaration? {
            guard let index = declarations.firstIndex(where: { $0.id == id }) else { return nil }
            declarations[index].state = declarations[index].state == "paid" ? "awaiting_clawback" : "voided"
            if declarations[index].type == "completed", declarations[index].hasPassed != nil,
                let latest = outcomes.last(where: { $0.participant == declarations[index].participant })
            {
                outcomes.append(
                    Outcome(
                        id: UUID().uuidString.lowercased(), participant: latest.participant, course: latest.course,
                        state: "voided", completionDate: latest.completionDate, created: Date()))
            }
            declarations[index].hasPassed = nil
            declarations[index].updated = Date()
            return declarations[index]
        }

        public func addOutcome(_ outcome: Outcome) { outcomes.append(outcome) }

        /// The DfE merging duplicates: `old` is retired and everything it held moves to `new`.
        public func retire(_ old: String, into new: String) {
            let old = old.lowercased()
            let new = new.lowercased()
            retired[old] = new
            if let enrolment = enrolments.removeValue(forKey: old), enrolments[new] == nil {
                enrolments[new] = enrolment
            }
            for index in declarations.indices where declarations[index].participant == old {
                declarations[index].participant = new
                declarations[index].updated = Date()
            }
            for index in outcomes.indices where outcomes[index].participant == old {
                outcomes[index].participant = new
            }
        }
    }
}
