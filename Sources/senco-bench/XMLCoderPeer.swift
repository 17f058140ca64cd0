import Foundation
import SencoCore
import XMLCoder

/// What a Swift developer reaching for Codable would write: structs mirroring the portfolio
/// document (attributes as attributes, text content through the `""` key, the log's mixed
/// `<entry>`/`<judgement>` children as a choice), XMLEncoder/XMLDecoder with ISO 8601 dates, and
/// a mapping to and from the model. It reads the very documents the project writes.
enum XMLCoderPeer {
    struct Document: Codable, DynamicNodeEncoding, DynamicNodeDecoding {
        var revision: Int
        var schemaVersion: Int
        var participant: ParticipantNode
        var frameworks: Frameworks
        var state: StateNode
        var evidence: Evidence
        var mappings: Mappings
        /// One `<log>`: XMLCoder writes a list of choices as one element only when it sits in an
        /// array itself (as in its own NestedAttributeChoiceTests); a lone list repeats `<log>`.
        var log: [Log]

        static let attributes: Set<String> = ["revision", "schemaVersion"]
        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
            attributes.contains(key.stringValue) ? .attribute : .element
        }
        static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding {
            attributes.contains(key.stringValue) ? .attribute : .element
        }
    }

    struct ParticipantNode: Codable, DynamicNodeEncoding, DynamicNodeDecoding {
        var id, cohort, tutor: String
        var started: Day
        var name, school: String
        var email, trn: String?
        static let attributes: Set<String> = ["id", "cohort", "tutor", "started"]
        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
            attributes.contains(key.stringValue) ? .attribute : .element
        }
        static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding {
            attributes.contains(key.stringValue) ? .attribute : .element
        }
    }

    struct Frameworks: Codable {
        struct Ref: Codable, DynamicNodeEncoding, DynamicNodeDecoding {
            var ref: String
            static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding { .attribute }
            static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding { .attribute }
        }
        var framework: [Ref]
    }

    /// An element with attributes and text content.
    struct StateNode: Codable, DynamicNodeEncoding, DynamicNodeDecoding {
        var value: String
        var since: Date
        var note: String
        enum CodingKeys: String, CodingKey {
            case value, since
            case note = ""
        }
        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
            key.stringValue.isEmpty ? .element : .attribute
        }
        static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding {
            key.stringValue.isEmpty ? .element : .attribute
        }
    }

    struct Evidence: Codable {
        var item: [Item]
    }

    struct Item: Codable, DynamicNodeEncoding, DynamicNodeDecoding {
        var id, type: String
        var date: Day
        var sensitive: Bool
        var added: Date
        var title, reflection: String
        var attachment: [AttachmentNode]?
        static let elements: Set<String> = ["title", "reflection", "attachment"]
        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
            elements.contains(key.stringValue) ? .element : .attribute
        }
        static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding {
            elements.contains(key.stringValue) ? .element : .attribute
        }
    }

    struct AttachmentNode: Codable, DynamicNodeEncoding, DynamicNodeDecoding {
        var name: String
        var size: Int
        var sha256: String
        var mediaType: String?
        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding { .attribute }
        static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding { .attribute }
    }

    struct Mappings: Codable {
        struct Node: Codable, DynamicNodeEncoding, DynamicNodeDecoding {
            var evidence, statement, claim: String
            static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
                key.stringValue == "claim" ? .element : .attribute
            }
            static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding {
                key.stringValue == "claim" ? .element : .attribute
            }
        }
        var mapping: [Node]?
    }

    struct Entry: Codable, DynamicNodeEncoding, DynamicNodeDecoding {
        var at: Date
        var by, role, action: String
        var evidence, statement, outcome: String?
        var note: String
        enum CodingKeys: String, CodingKey {
            case at, by, role, action, evidence, statement, outcome
            case note = ""
        }
        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
            key.stringValue.isEmpty ? .element : .attribute
        }
        static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding {
            key.stringValue.isEmpty ? .element : .attribute
        }
    }

    struct JudgementNode: Codable, DynamicNodeEncoding, DynamicNodeDecoding {
        var at: Date
        var by, role, statement, status: String
        var kind: String?
        var feedback: String
        enum CodingKeys: String, CodingKey {
            case at, by, role, statement, status, kind
            case feedback = ""
        }
        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
            key.stringValue.isEmpty ? .element : .attribute
        }
        static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding {
            key.stringValue.isEmpty ? .element : .attribute
        }
    }

    /// `<entry>` or `<judgement>`, in log order.
    enum Event: Codable {
        case entry(Entry)
        case judgement(JudgementNode)

        enum CodingKeys: String, XMLChoiceCodingKey {
            case entry, judgement
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            do {
                self = .judgement(try container.decode(JudgementNode.self, forKey: .judgement))
            } catch {
                self = .entry(try container.decode(Entry.self, forKey: .entry))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .entry(let value): try container.encode(value, forKey: .entry)
            case .judgement(let value): try container.encode(value, forKey: .judgement)
            }
        }
    }

    /// The log's children, as XMLCoder's tests decode a list of choices.
    struct Log: Codable {
        var events: [Event]
        init(events: [Event]) { self.events = events }
        init(from decoder: any Decoder) throws {
            events = try decoder.singleValueContainer().decode([Event].self)
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(events)
        }
    }

    static func encoder() -> XMLEncoder {
        let encoder = XMLEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        encoder.prettyPrintIndentation = .spaces(2)
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func decoder() -> XMLDecoder {
        let decoder = XMLDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.shouldProcessNamespaces = false
        return decoder
    }

    static func encode(_ p: Portfolio) throws -> Data {
        let value = Document(
            revision: p.revision, schemaVersion: Portfolio.schemaVersion,
            participant: ParticipantNode(
                id: p.participant.id, cohort: p.participant.cohort, tutor: p.participant.tutor, started: p.participant.started,
                name: p.participant.name, school: p.participant.school, email: p.participant.email, trn: p.participant.trn),
            frameworks: Frameworks(framework: p.frameworks.map { .init(ref: $0) }),
            state: StateNode(value: p.state.rawValue, since: p.stateSince, note: p.stateNote),
            evidence: Evidence(
                item: p.evidence.map {
                    Item(
                        id: $0.id, type: $0.type, date: $0.date, sensitive: $0.sensitive, added: $0.added, title: $0.title,
                        reflection: $0.reflection,
                        attachment: $0.attachments.isEmpty
                            ? nil
                            : $0.attachments.map { AttachmentNode(name: $0.name, size: $0.size, sha256: $0.sha256, mediaType: $0.mediaType) })
                }),
            mappings: Mappings(mapping: p.mappings.map { .init(evidence: $0.evidence, statement: $0.statement, claim: $0.claim) }),
            log: [Log(
                events: p.log.map { event in
                    switch event {
                    case .activity(let a):
                        .entry(
                            Entry(
                                at: a.at, by: a.by, role: a.role.rawValue, action: a.action, evidence: a.evidence, statement: a.statement,
                                outcome: a.outcome?.rawValue, note: a.note))
                    case .judgement(let j):
                        .judgement(
                            JudgementNode(
                                at: j.at, by: j.by, role: j.role.rawValue, statement: j.statement, status: j.status.rawValue,
                                kind: j.kind.rawValue, feedback: j.feedback))
                    }
                })])
        return try encoder().encode(value, withRootKey: "portfolio", header: XMLHeader(version: 1.0, encoding: "UTF-8"))
    }

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    static func decode(_ data: Data) throws -> Portfolio {
        let v = try decoder().decode(Document.self, from: data)
        guard let state = PortfolioState(rawValue: v.state.value) else { throw Invalid(description: "unknown state") }
        return Portfolio(
            revision: v.revision,
            participant: Participant(
                id: v.participant.id, name: v.participant.name, school: v.participant.school, email: v.participant.email,
                trn: v.participant.trn, cohort: v.participant.cohort, tutor: v.participant.tutor, started: v.participant.started),
            frameworks: v.frameworks.framework.map(\.ref), state: state, stateSince: v.state.since, stateNote: v.state.note,
            evidence: v.evidence.item.map {
                EvidenceItem(
                    id: $0.id, title: $0.title, type: $0.type, date: $0.date, reflection: $0.reflection,
                    attachments: ($0.attachment ?? []).map {
                        Attachment(name: $0.name, size: $0.size, sha256: $0.sha256, mediaType: $0.mediaType)
                    }, sensitive: $0.sensitive, added: $0.added)
            },
            mappings: (v.mappings.mapping ?? []).map { Mapping(evidence: $0.evidence, statement: $0.statement, claim: $0.claim) },
            log: try v.log.flatMap(\.events).map { (event) throws -> LogEvent in
                switch event {
                case .entry(let e):
                    guard let role = Role(rawValue: e.role) else { throw Invalid(description: "unknown role") }
                    return .activity(
                        Activity(
                            at: e.at, by: e.by, role: role, action: e.action, evidence: e.evidence, statement: e.statement,
                            outcome: e.outcome.flatMap(Outcome.init(rawValue:)), note: e.note))
                case .judgement(let j):
                    guard let role = Role(rawValue: j.role), let status = JudgementStatus(rawValue: j.status),
                        let kind = Judgement.Kind(rawValue: j.kind ?? "first")
                    else { throw Invalid(description: "unknown judgement values") }
                    return .judgement(
                        Judgement(at: j.at, by: j.by, role: role, statement: j.statement, status: status, kind: kind, feedback: j.feedback))
                }
            })
    }
}
