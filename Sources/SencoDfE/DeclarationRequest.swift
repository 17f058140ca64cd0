import Foundation
import SencoCore
import SencoData

/// One `POST /api/v3/participant-declarations` that senco means to make: what the body says,
/// and which senco participant it is for (which the body never says).
public struct DeclarationRequest: Sendable, Hashable {
    /// Senco's participant id: for messages and the portfolio's log, never sent.
    public var participant: String
    /// The DfE's participant id (`participant_id`).
    public var dfeParticipantID: String
    public var type: DeclarationType
    /// `declaration_date`: when the participant met the milestone, never before the schedule's
    /// start and never in the future.
    public var date: Date
    public var course: String
    /// `has_passed`, on `completed` only.
    public var hasPassed: Bool?
    public var deliveryPartner: String?

    public init(
        participant: String, dfeParticipantID: String, type: DeclarationType, date: Date,
        course: String = DfEIdentity.sencoCourse,
        hasPassed: Bool? = nil, deliveryPartner: String? = nil
    ) {
        self.participant = participant
        self.dfeParticipantID = dfeParticipantID
        self.type = type
        self.date = date
        self.course = course
        self.hasPassed = hasPassed
        self.deliveryPartner = deliveryPartner
    }

    /// The request body, exactly as `ParticipantDeclarationRequest` in the API's OpenAPI document
    /// describes it: `{"data":{"type":"participant-declaration","attributes":{…}}}`, whose
    /// attributes are one of the Started, Retained or Completed request schemas, each with
    /// `additionalProperties: false`, so nothing else is ever put in.
    public var body: Data {
        // Keys sorted so the same request always makes the same bytes (dry runs and tests).
        var attributes: [String: JSONValue] = [
            "participant_id": .string(dfeParticipantID), "declaration_type": .string(type.rawValue),
            "declaration_date": .string(Self.rfc3339(date)), "course_identifier": .string(course),
        ]
        if type == .completed, let hasPassed { attributes["has_passed"] = .bool(hasPassed) }
        if let deliveryPartner { attributes["delivery_partner_id"] = .string(deliveryPartner) }
        let body: JSONValue = .object([
            "data": .object(["type": .string("participant-declaration"), "attributes": .object(attributes)])
        ])
        return Data(body.serialised.utf8)
    }

    /// RFC 3339 in UTC with whole seconds, as the document's examples (`2021-05-31T02:21:32Z`).
    public static func rfc3339(_ date: Date) -> String {
        Timestamp.string(date)
    }
}

/// A JSON value written with sorted keys and no insignificant space; enough for request bodies
/// without going through `Any`.
public indirect enum JSONValue: Sendable, Hashable {
    case string(String)
    case bool(Bool)
    case number(Int)
    case null
    case object([String: JSONValue])
    case array([JSONValue])

    public var serialised: String {
        switch self {
        case .string(let s): Self.quote(s)
        case .bool(let b): b ? "true" : "false"
        case .number(let n): String(n)
        case .null: "null"
        case .object(let o):
            "{" + o.keys.sorted().map { Self.quote($0) + ":" + o[$0]!.serialised }.joined(separator: ",") + "}"
        case .array(let a): "[" + a.map(\.serialised).joined(separator: ",") + "]"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
