import Foundation

/// What the DfE's NPQ lead-provider API (version 3) knows a participant by. Senco's own ids name
/// files and pages; every request to the API names the participant by `participantID`, the
/// DfE's UUID (the `id` of an `npq-participant` in `GET /api/v3/participants/npq`).
public struct DfEIdentity: Sendable, Hashable {
    /// An enrolment's `training_status` in the API.
    public enum TrainingStatus: String, Sendable, Hashable, CaseIterable, Codable {
        case active, deferred, withdrawn
    }

    /// The DfE's participant id, lowercase.
    public var participantID: String
    /// The enrolment's `course_identifier`: `npq-senco` for this qualification.
    public var course: String
    /// The enrolment's `schedule_identifier`; nil: the cohort's default.
    public var schedule: String?
    /// The enrolment's `cohort` (the year of the call-off contract); nil: the cohort's default.
    public var cohort: Int?
    /// The delivery partner declarations name; nil: the cohort's default, if any.
    public var deliveryPartner: String?
    /// The enrolment's `funded_place`, as the API last said (nil: not known).
    public var fundedPlace: Bool?
    public var trainingStatus: TrainingStatus
    /// When the DfE recorded the current training status (the enrolment's `withdrawal.date` or
    /// `deferral.date`); nil when not known. Declarations must be dated before a withdrawal and
    /// not during a deferral.
    public var statusSince: Date?
    /// The DfE's own reason for a withdrawal or deferral (one of the document's values).
    public var statusReason: String?

    public init(
        participantID: String, course: String = DfEIdentity.sencoCourse, schedule: String? = nil, cohort: Int? = nil,
        deliveryPartner: String? = nil, fundedPlace: Bool? = nil, trainingStatus: TrainingStatus = .active,
        statusSince: Date? = nil, statusReason: String? = nil
    ) {
        self.statusSince = statusSince
        self.statusReason = statusReason
        self.participantID = participantID
        self.course = course
        self.schedule = schedule
        self.cohort = cohort
        self.deliveryPartner = deliveryPartner
        self.fundedPlace = fundedPlace
        self.trainingStatus = trainingStatus
    }

    /// The course identifier of the NPQ for SENCOs in the API.
    public static let sencoCourse = "npq-senco"

    /// The schedules the API puts leadership NPQs (the SENCO NPQ among them) on. The API's enum
    /// has others (ASO, EHCO, specialist) that a SENCO enrolment never has.
    public static let schedules = ["npq-leadership-autumn", "npq-leadership-spring"]

    /// Why `text` is not a UUID in the 8-4-4-4-12 hexadecimal form the API uses, or nil.
    public static func uuidProblem(_ text: String, field: String) -> String? {
        let utf8 = Array(text.utf8)
        let hyphens: Set<Int> = [8, 13, 18, 23]
        let isUUID =
            utf8.count == 36
            && utf8.indices.allSatisfy { i in
                hyphens.contains(i)
                    ? utf8[i] == UInt8(ascii: "-")
                    : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(utf8[i])
                        || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(utf8[i] | 0x20)
            }
        return isUUID
            ? nil : "\(field) \(text.quotedForMessage(limit: 40)) is not a UUID (8-4-4-4-12 hexadecimal digits)"
    }

    /// Why `text` is not a schedule a SENCO enrolment can be on, or nil.
    public static func scheduleProblem(_ text: String, field: String) -> String? {
        schedules.contains(text)
            ? nil
            : "\(field) \(text.quotedForMessage(limit: 40)) is not an NPQ for SENCOs schedule (\(schedules.joined(separator: " or ")))"
    }

    /// Why `year` cannot be a DfE cohort, or nil: the API's cohorts start at 2021 (the first
    /// reformed NPQs) and a contract is never more than a year ahead.
    public static func cohortProblem(_ year: Int, field: String, today: Day = .today) -> String? {
        let latest = today.year + 1
        return (2021...latest).contains(year)
            ? nil : "\(field) \(year) is not a DfE cohort (a year from 2021 to \(latest))"
    }

    /// Every problem with this identity, one line each (the fields named as `prefix` + name).
    public func problems(today: Day = .today) -> [String] {
        var problems: [String] = []
        if let problem = Self.uuidProblem(participantID, field: "DfE participant id") { problems.append(problem) }
        if course != Self.sencoCourse {
            problems.append("DfE course \(course.quotedForMessage(limit: 40)) is not \(Self.sencoCourse)")
        }
        if let schedule, let problem = Self.scheduleProblem(schedule, field: "schedule") { problems.append(problem) }
        if let cohort, let problem = Self.cohortProblem(cohort, field: "DfE cohort", today: today) {
            problems.append(problem)
        }
        if let deliveryPartner, let problem = Self.uuidProblem(deliveryPartner, field: "delivery partner") {
            problems.append(problem)
        }
        return problems
    }

    /// This identity with the cohort's defaults where it has no value of its own.
    public func resolved(with defaults: Cohort.DfEDefaults) -> DfEIdentity {
        var copy = self
        copy.schedule = schedule ?? defaults.schedule
        copy.cohort = cohort ?? defaults.cohort
        copy.deliveryPartner = deliveryPartner ?? defaults.deliveryPartner
        return copy
    }
}

extension Cohort {
    /// What a cohort's participants share in the DfE's records unless their own say otherwise.
    public struct DfEDefaults: Sendable, Hashable {
        public var schedule: String?
        public var cohort: Int?
        public var deliveryPartner: String?

        public init(schedule: String? = nil, cohort: Int? = nil, deliveryPartner: String? = nil) {
            self.schedule = schedule
            self.cohort = cohort
            self.deliveryPartner = deliveryPartner
        }

        public var isEmpty: Bool { schedule == nil && cohort == nil && deliveryPartner == nil }

        public func problems(today: Day = .today) -> [String] {
            var problems: [String] = []
            if let schedule, let problem = DfEIdentity.scheduleProblem(schedule, field: "schedule") {
                problems.append(problem)
            }
            if let cohort, let problem = DfEIdentity.cohortProblem(cohort, field: "DfE cohort", today: today) {
                problems.append(problem)
            }
            if let deliveryPartner, let problem = DfEIdentity.uuidProblem(deliveryPartner, field: "delivery partner") {
                problems.append(problem)
            }
            return problems
        }
    }
}

/// A declaration the API accepted, as the portfolio's log records it (`dfe-declared`), and its
/// state as the API last reported it (`dfe-state`, `dfe-voided`).
public struct DeclarationRecord: Sendable, Hashable {
    public var type: DeclarationType
    /// The declaration's id in the API, for void and for reading its state back.
    public var dfeID: String
    /// The API's `state`: submitted, eligible, payable, paid, voided, ineligible, awaiting_clawback, clawed_back.
    public var state: String

    public init(type: DeclarationType, dfeID: String, state: String) {
        self.type = type
        self.dfeID = dfeID
        self.state = state
    }

    /// The states the API gives a declaration (`ParticipantDeclaration.attributes.state`).
    public static let states = [
        "submitted", "eligible", "payable", "paid", "voided", "ineligible", "awaiting_clawback", "clawed_back",
    ]
}

extension Portfolio {
    /// The log's action for a declaration the API accepted.
    public static let declaredAction = "dfe-declared"

    /// Each declaration type's latest record in the log: what the API holds for it, as far as
    /// senco knows. A voided one no longer counts as declared.
    public var declarationRecords: [DeclarationType: DeclarationRecord] {
        var records: [DeclarationType: DeclarationRecord] = [:]
        for activity in activities {
            if let record = activity.declaration { records[record.type] = record }
        }
        return records
    }

    /// Whether `type` has been declared and not voided.
    public func isDeclared(_ type: DeclarationType) -> Bool {
        guard let record = declarationRecords[type] else { return false }
        return record.state != "voided" && record.state != "awaiting_clawback" && record.state != "clawed_back"
    }
}
