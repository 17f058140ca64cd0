import Foundation
import SencoCore
import XMLCoder

/// What a Swift developer reaching for Codable would write: mirror structs, XMLEncoder/XMLDecoder,
/// then a mapping to the model.
enum XMLCoderPeer {
    struct P: Codable {
        struct Participant: Codable { var id, name, school, cohort, tutor, started: String; var email, trn: String? }
        struct Item: Codable { var id, type, date, added, title, reflection: String; var sensitive: Bool }
        struct Map: Codable { var evidence, statement, claim: String }
        struct J: Codable { var at, by, role, statement, status, kind, feedback: String }
        var revision: Int
        var participant: Participant
        var frameworks: [String]
        var state, since, note: String
        var item: [Item]
        var mapping: [Map]
        var judgement: [J]
    }

    static func encode(_ p: Portfolio) throws -> Data {
        let value = P(
            revision: p.revision,
            participant: .init(
                id: p.participant.id, name: p.participant.name, school: p.participant.school, cohort: p.participant.cohort,
                tutor: p.participant.tutor, started: p.participant.started.description, email: p.participant.email,
                trn: p.participant.trn),
            frameworks: p.frameworks, state: p.state.rawValue, since: ISO8601DateFormatter().string(from: p.stateSince),
            note: p.stateNote,
            item: p.evidence.map {
                .init(id: $0.id, type: $0.type, date: $0.date.description, added: String($0.added.timeIntervalSince1970), title: $0.title, reflection: $0.reflection, sensitive: $0.sensitive)
            },
            mapping: p.mappings.map { .init(evidence: $0.evidence, statement: $0.statement, claim: $0.claim) },
            judgement: p.judgements.map {
                .init(at: String($0.at.timeIntervalSince1970), by: $0.by, role: $0.role.rawValue, statement: $0.statement, status: $0.status.rawValue, kind: $0.kind.rawValue, feedback: $0.feedback)
            })
        let encoder = XMLEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        return try encoder.encode(value, withRootKey: "portfolio", header: XMLHeader(version: 1.0, encoding: "UTF-8"))
    }

    static func decode(_ data: Data) throws -> Portfolio {
        let v = try XMLDecoder().decode(P.self, from: data)
        var p = Portfolio(
            revision: v.revision,
            participant: Participant(
                id: v.participant.id, name: v.participant.name, school: v.participant.school, email: v.participant.email,
                trn: v.participant.trn, cohort: v.participant.cohort, tutor: v.participant.tutor,
                started: Day(v.participant.started) ?? Day("2025-01-01")!),
            frameworks: v.frameworks, state: PortfolioState(rawValue: v.state) ?? .draft,
            stateSince: ISO8601DateFormatter().date(from: v.since) ?? Date(), stateNote: v.note)
        p.evidence = v.item.map {
            EvidenceItem(id: $0.id, title: $0.title, type: $0.type, date: Day($0.date) ?? Day("2025-01-01")!, reflection: $0.reflection, sensitive: $0.sensitive, added: Date(timeIntervalSince1970: Double($0.added) ?? 0))
        }
        p.mappings = v.mapping.map { Mapping(evidence: $0.evidence, statement: $0.statement, claim: $0.claim) }
        p.log = v.judgement.map {
            .judgement(Judgement(at: Date(timeIntervalSince1970: Double($0.at) ?? 0), by: $0.by, role: Role(rawValue: $0.role) ?? .tutor, statement: $0.statement, status: JudgementStatus(rawValue: $0.status) ?? .met, kind: Judgement.Kind(rawValue: $0.kind) ?? .first, feedback: $0.feedback))
        }
        return p
    }
}
