import Foundation
import SencoCore

/// `ParticipantDeclarationRequest` and its three attribute schemas, as the document gives them.
public enum DeclarationRequestSchema {
    static let courses: Set = [
        "npq-senior-leadership", "npq-headship", "npq-executive-leadership", "npq-early-years-leadership",
        "npq-leading-teaching",
        "npq-leading-behaviour-culture", "npq-leading-teaching-development", "npq-leading-literacy",
        "npq-leading-primary-mathematics", "npq-additional-support-offer", "npq-early-headship-coaching-offer",
        "npq-senco",
    ]

    /// The attributes, and every way the body departs from the schema (empty: the API's schema accepts it).
    public static func check(_ body: Data) -> ([String: Any], [String]) {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            return ([:], ["not a JSON object"])
        }
        var problems: [String] = []
        if Set(object.keys) != ["data"] { problems.append("top-level keys \(object.keys.sorted()) are not [data]") }
        guard let data = object["data"] as? [String: Any] else { return ([:], problems + ["data is not an object"]) }
        if data["type"] as? String != "participant-declaration" {
            problems.append("data.type is not participant-declaration")
        }
        if !Set(data.keys).isSubset(of: ["type", "attributes"]) {
            problems.append("data has keys beyond type and attributes")
        }
        guard let attributes = data["attributes"] as? [String: Any] else {
            return ([:], problems + ["data.attributes is not an object"])
        }
        let type = attributes["declaration_type"] as? String
        // additionalProperties: false in each of the Started, Retained and Completed schemas.
        var allowed: Set = [
            "participant_id", "declaration_type", "declaration_date", "course_identifier", "delivery_partner_id",
            "secondary_delivery_partner_id",
        ]
        var required: Set = ["participant_id", "declaration_type", "declaration_date", "course_identifier"]
        switch type {
        case "started", "retained-1", "retained-2": break
        case "completed":
            allowed.insert("has_passed")
            required.insert("has_passed")
        default:
            problems.append("declaration_type \(type ?? "missing") is not started, retained-1, retained-2 or completed")
        }
        for key in attributes.keys.sorted() where !allowed.contains(key) {
            problems.append("attribute \(key) is not allowed for \(type ?? "?")")
        }
        for key in required.sorted() where attributes[key] == nil || attributes[key] is NSNull {
            problems.append("attribute \(key) is required")
        }
        if let id = attributes["participant_id"], !((id as? String).map(isUUID) ?? false) {
            problems.append("participant_id is not a UUID")
        }
        for key in ["delivery_partner_id", "secondary_delivery_partner_id"] {
            if let value = attributes[key], !((value as? String).map(isUUID) ?? false) {
                problems.append("\(key) is not a UUID")
            }
        }
        if let course = attributes["course_identifier"], !((course as? String).map(courses.contains) ?? false) {
            problems.append("course_identifier is not one of the document's courses")
        }
        if let date = attributes["declaration_date"], (date as? String).flatMap(Self.date) == nil {
            problems.append("declaration_date is not an RFC 3339 date-time")
        }
        if attributes["has_passed"] != nil {
            // A JSON boolean, not a string or a number: JSONDecoder takes only true or false.
            struct Body: Decodable {
                struct Part: Decodable {
                    struct Attributes: Decodable { let has_passed: Bool }
                    let attributes: Attributes
                }
                let data: Part
            }
            if (try? JSONDecoder().decode(Body.self, from: body)) == nil {
                problems.append("has_passed is not a boolean")
            }
        }
        return (attributes, problems)
    }

    public static func isUUID(_ text: String) -> Bool { DfEIdentity.uuidProblem(text, field: "") == nil }

    /// RFC 3339 date-time (`format: date-time`): a date, T, a time, and a zone.
    public static func date(_ text: String) -> Date? {
        let pattern = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#
        guard text.range(of: pattern, options: .regularExpression) != nil else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func stamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// `ParticipantWithdrawRequest`, `ParticipantDeferRequest` and `ParticipantResumeRequest`.
public enum TrainingStatusSchema {
    static let withdrawalReasons: Set = [
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
    static let deferralReasons: Set = ["bereavement", "long-term-sickness", "parental-leave", "career-break", "other"]

    public static func check(_ body: Data, action: String) -> [String] {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let data = object["data"] as? [String: Any], let attributes = data["attributes"] as? [String: Any]
        else { return ["not {\"data\":{\"type\":…,\"attributes\":{…}}}"] }
        var problems: [String] = []
        if Set(object.keys) != ["data"] { problems.append("top-level keys beyond data") }
        if data["type"] as? String != "participant-\(action)" {
            problems.append("data.type is not participant-\(action)")
        }
        if let course = attributes["course_identifier"] as? String, DeclarationRequestSchema.courses.contains(course) {
        } else {
            problems.append("course_identifier is missing or not one of the document's courses")
        }
        switch action {
        case "withdraw":
            if !((attributes["reason"] as? String).map(withdrawalReasons.contains) ?? false) {
                problems.append("reason is not a withdrawal reason")
            }
        case "defer":
            if !((attributes["reason"] as? String).map(deferralReasons.contains) ?? false) {
                problems.append("reason is not a deferral reason")
            }
        default:
            if attributes["reason"] != nil { problems.append("resume takes no reason") }
        }
        return problems
    }

    static func reason(_ body: Data) -> String? {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]).flatMap { $0["data"] as? [String: Any] }
            .flatMap { $0["attributes"] as? [String: Any] }.flatMap { $0["reason"] as? String }
    }
}

/// `ParticipantOutcomeCreateRequest`: `data.type` (a string; the document's example is
/// `npq-outcome-confirmation`) and `data.attributes` with `course_identifier` (the ten courses
/// the outcome schema lists), `state` (`passed` or `failed`) and `completion_date` (a string; the
/// API reads its leading `yyyy-mm-dd`).
public enum OutcomeRequestSchema {
    static let courses: Set = [
        "npq-senior-leadership", "npq-headship", "npq-executive-leadership", "npq-early-years-leadership",
        "npq-leading-teaching", "npq-leading-behaviour-culture", "npq-leading-teaching-development",
        "npq-leading-literacy", "npq-leading-primary-mathematics", "npq-senco",
    ]

    /// The attributes, and every way the body departs from the schema.
    public static func check(_ body: Data) -> ([String: Any], [String]) {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let data = object["data"] as? [String: Any]
        else { return ([:], ["not {\"data\":{…}}"]) }
        var problems: [String] = []
        if Set(object.keys) != ["data"] { problems.append("top-level keys beyond data") }
        if (data["type"] as? String)?.isEmpty != false { problems.append("data.type is not a string") }
        guard let attributes = data["attributes"] as? [String: Any] else {
            return ([:], problems + ["data.attributes is not an object"])
        }
        if !((attributes["course_identifier"] as? String).map(courses.contains) ?? false) {
            problems.append("course_identifier is missing or not one of the outcome schema's courses")
        }
        if !["passed", "failed"].contains(attributes["state"] as? String ?? "") {
            problems.append("state is not passed or failed")
        }
        if let date = attributes["completion_date"] as? String {
            if date.range(of: #"^\d{4}-\d{2}-\d{2}"#, options: .regularExpression) == nil || day(date) == nil {
                problems.append("completion_date does not start with a yyyy-mm-dd date")
            }
        } else {
            problems.append("completion_date is required (a string)")
        }
        return (attributes, problems)
    }

    /// The date a `completion_date` names.
    static func day(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: String(text.prefix(10)))
    }
}
