import Foundation
import FoundationXML
import SencoCore
import SencoData

/// FoundationXML's XMLDocument, used only on the benchmark's own generated documents: it resolves
/// external entities, so senco never uses it for input.
enum FoundationXMLPeer {
    static func encode(_ p: Portfolio) -> Data {
        let root = FoundationXML.XMLElement(name: "portfolio")
        func attr(_ e: FoundationXML.XMLElement, _ name: String, _ value: String) {
            e.addAttribute(FoundationXML.XMLNode.attribute(withName: name, stringValue: value) as! FoundationXML.XMLNode)
        }
        func leaf(_ parent: FoundationXML.XMLElement, _ name: String, _ value: String) -> FoundationXML.XMLElement {
            let e = FoundationXML.XMLElement(name: name, stringValue: value)
            parent.addChild(e)
            return e
        }
        attr(root, "revision", String(p.revision)); attr(root, "schemaVersion", "1")
        let participant = FoundationXML.XMLElement(name: "participant")
        attr(participant, "id", p.participant.id); attr(participant, "cohort", p.participant.cohort)
        attr(participant, "tutor", p.participant.tutor); attr(participant, "started", p.participant.started.description)
        _ = leaf(participant, "name", p.participant.name); _ = leaf(participant, "school", p.participant.school)
        if let email = p.participant.email { _ = leaf(participant, "email", email) }
        if let trn = p.participant.trn { _ = leaf(participant, "trn", trn) }
        root.addChild(participant)
        let frameworks = FoundationXML.XMLElement(name: "frameworks")
        for f in p.frameworks { let e = FoundationXML.XMLElement(name: "framework"); attr(e, "ref", f); frameworks.addChild(e) }
        root.addChild(frameworks)
        let state = leaf(root, "state", p.stateNote)
        attr(state, "value", p.state.rawValue); attr(state, "since", iso8601.string(from: p.stateSince))
        let evidence = FoundationXML.XMLElement(name: "evidence")
        for item in p.evidence {
            let e = FoundationXML.XMLElement(name: "item")
            attr(e, "id", item.id); attr(e, "type", item.type); attr(e, "date", item.date.description)
            attr(e, "sensitive", item.sensitive ? "true" : "false"); attr(e, "added", iso8601.string(from: item.added))
            _ = leaf(e, "title", item.title); _ = leaf(e, "reflection", item.reflection)
            for a in item.attachments {
                let node = FoundationXML.XMLElement(name: "attachment")
                attr(node, "name", a.name); attr(node, "size", String(a.size)); attr(node, "sha256", a.sha256)
                if let m = a.mediaType { attr(node, "mediaType", m) }
                e.addChild(node)
            }
            evidence.addChild(e)
        }
        root.addChild(evidence)
        let mappings = FoundationXML.XMLElement(name: "mappings")
        for m in p.mappings {
            let e = FoundationXML.XMLElement(name: "mapping"); attr(e, "evidence", m.evidence); attr(e, "statement", m.statement)
            _ = leaf(e, "claim", m.claim); mappings.addChild(e)
        }
        root.addChild(mappings)
        let log = FoundationXML.XMLElement(name: "log")
        for event in p.log {
            switch event {
            case .activity(let a):
                let e = leaf(log, "entry", a.note)
                attr(e, "at", iso8601.string(from: a.at)); attr(e, "by", a.by); attr(e, "role", a.role.rawValue); attr(e, "action", a.action)
                if let v = a.evidence { attr(e, "evidence", v) }
                if let v = a.statement { attr(e, "statement", v) }
            case .judgement(let j):
                let e = leaf(log, "judgement", j.feedback)
                attr(e, "at", iso8601.string(from: j.at)); attr(e, "by", j.by); attr(e, "role", j.role.rawValue)
                attr(e, "statement", j.statement); attr(e, "status", j.status.rawValue); attr(e, "kind", j.kind.rawValue)
            }
        }
        root.addChild(log)
        let document = FoundationXML.XMLDocument(rootElement: root)
        document.characterEncoding = "UTF-8"
        return document.xmlData(options: [.nodePrettyPrint])
    }

    // One formatter, reused, as a careful Foundation developer would; the benchmark is single-threaded.
    nonisolated(unsafe) static let iso8601 = ISO8601DateFormatter()

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses with XMLDocument and walks its tree straight into the model, as a Foundation
    /// developer would (ISO8601DateFormatter for dates).
    static func decode(_ data: Data) throws -> Portfolio {
        let document = try FoundationXML.XMLDocument(data: data, options: [])
        guard let root = document.rootElement() else { throw Invalid(description: "no root") }
        func child(_ e: FoundationXML.XMLElement, _ name: String) throws -> FoundationXML.XMLElement {
            guard let c = e.elements(forName: name).first else { throw Invalid(description: "no <\(name)>") }
            return c
        }
        func attribute(_ e: FoundationXML.XMLElement, _ name: String) throws -> String {
            guard let value = e.attribute(forName: name)?.stringValue else { throw Invalid(description: "no \(name)") }
            return value
        }
        func day(_ e: FoundationXML.XMLElement, _ name: String) throws -> Day {
            guard let value = Day(try attribute(e, name)) else { throw Invalid(description: "bad date") }
            return value
        }
        func date(_ e: FoundationXML.XMLElement, _ name: String) throws -> Date {
            guard let value = iso8601.date(from: try attribute(e, name)) else { throw Invalid(description: "bad dateTime") }
            return value
        }
        let p = try child(root, "participant")
        let participant = Participant(
            id: try attribute(p, "id"), name: try child(p, "name").stringValue ?? "", school: try child(p, "school").stringValue ?? "",
            email: p.elements(forName: "email").first?.stringValue, trn: p.elements(forName: "trn").first?.stringValue,
            cohort: try attribute(p, "cohort"), tutor: try attribute(p, "tutor"), started: try day(p, "started"))
        let stateNode = try child(root, "state")
        guard let state = PortfolioState(rawValue: try attribute(stateNode, "value")) else { throw Invalid(description: "state") }
        let evidence = try child(root, "evidence").elements(forName: "item").map { item in
            EvidenceItem(
                id: try attribute(item, "id"), title: try child(item, "title").stringValue ?? "", type: try attribute(item, "type"),
                date: try day(item, "date"), reflection: item.elements(forName: "reflection").first?.stringValue ?? "",
                attachments: try item.elements(forName: "attachment").map { a in
                    Attachment(
                        name: try attribute(a, "name"), size: Int(try attribute(a, "size")) ?? 0, sha256: try attribute(a, "sha256"),
                        mediaType: a.attribute(forName: "mediaType")?.stringValue)
                }, sensitive: try attribute(item, "sensitive") == "true", added: try date(item, "added"))
        }
        let mappings = try child(root, "mappings").elements(forName: "mapping").map { m in
            Mapping(evidence: try attribute(m, "evidence"), statement: try attribute(m, "statement"), claim: try child(m, "claim").stringValue ?? "")
        }
        var log: [LogEvent] = []
        for case let event as FoundationXML.XMLElement in try child(root, "log").children ?? [] {
            guard let role = Role(rawValue: try attribute(event, "role")) else { throw Invalid(description: "role") }
            if event.name == "judgement" {
                guard let status = JudgementStatus(rawValue: try attribute(event, "status")),
                    let kind = Judgement.Kind(rawValue: event.attribute(forName: "kind")?.stringValue ?? "first")
                else { throw Invalid(description: "judgement") }
                log.append(
                    .judgement(
                        Judgement(
                            at: try date(event, "at"), by: try attribute(event, "by"), role: role, statement: try attribute(event, "statement"),
                            status: status, kind: kind, feedback: event.stringValue ?? "")))
            } else {
                log.append(
                    .activity(
                        Activity(
                            at: try date(event, "at"), by: try attribute(event, "by"), role: role, action: try attribute(event, "action"),
                            evidence: event.attribute(forName: "evidence")?.stringValue,
                            statement: event.attribute(forName: "statement")?.stringValue,
                            outcome: event.attribute(forName: "outcome")?.stringValue.flatMap(Outcome.init(rawValue:)),
                            note: event.stringValue ?? "")))
            }
        }
        return Portfolio(
            revision: Int(try attribute(root, "revision")) ?? 0, participant: participant,
            frameworks: try child(root, "frameworks").elements(forName: "framework").map { try attribute($0, "ref") }, state: state,
            stateSince: try date(stateNode, "since"), stateNote: stateNode.stringValue ?? "", evidence: evidence, mappings: mappings, log: log)
    }
}
