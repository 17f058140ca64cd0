import Foundation
import FoundationXML
import SencoCore
import SencoData
import SencoXML

/// FoundationXML's XMLDocument, used only on the benchmark's own generated documents (it resolves
/// external entities, so senco never uses it for input).
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
        attr(state, "value", p.state.rawValue); attr(state, "since", Timestamp.string(p.stateSince))
        let evidence = FoundationXML.XMLElement(name: "evidence")
        for item in p.evidence {
            let e = FoundationXML.XMLElement(name: "item")
            attr(e, "id", item.id); attr(e, "type", item.type); attr(e, "date", item.date.description)
            attr(e, "sensitive", item.sensitive ? "true" : "false"); attr(e, "added", Timestamp.string(item.added))
            _ = leaf(e, "title", item.title); _ = leaf(e, "reflection", item.reflection)
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
                attr(e, "at", Timestamp.string(a.at)); attr(e, "by", a.by); attr(e, "role", a.role.rawValue); attr(e, "action", a.action)
                if let v = a.evidence { attr(e, "evidence", v) }
                if let v = a.statement { attr(e, "statement", v) }
            case .judgement(let j):
                let e = leaf(log, "judgement", j.feedback)
                attr(e, "at", Timestamp.string(j.at)); attr(e, "by", j.by); attr(e, "role", j.role.rawValue)
                attr(e, "statement", j.statement); attr(e, "status", j.status.rawValue); attr(e, "kind", j.kind.rawValue)
            }
        }
        root.addChild(log)
        let document = FoundationXML.XMLDocument(rootElement: root)
        document.characterEncoding = "UTF-8"
        return document.xmlData(options: [.nodePrettyPrint])
    }

    static func decode(_ data: Data) throws -> Portfolio {
        let document = try FoundationXML.XMLDocument(data: data, options: [])
        guard let root = document.rootElement() else { throw DataError("no root") }
        return try PortfolioCodec.decodePortfolio(convert(root))
    }

    static func convert(_ node: FoundationXML.XMLElement) -> SencoXML.XMLElement {
        var element = SencoXML.XMLElement(name: node.name ?? "")
        for a in node.attributes ?? [] { element.attributes.append(XMLAttribute(name: a.name ?? "", value: a.stringValue ?? "")) }
        for child in node.children ?? [] {
            if let e = child as? FoundationXML.XMLElement {
                element.children.append(.element(convert(e)))
            } else if child.kind == .text, let text = child.stringValue {
                element.children.append(.text(text))
            }
        }
        return element
    }
}
