// The benchmark's "practical limit" peer: libxml2 called directly, with none of SencoXML's
// safety work (no DOCTYPE hook, no per-parse error collection, no character checks). Only the
// benchmark links this module; SencoXML stays the only product module that imports libxml2.
internal import CLibXML2
import Foundation
import SencoCore
import SencoData
import SencoXML

public enum RawLibXML2 {
    /// Writes the same document as `PortfolioCodec.encode`, straight through xmlTextWriter.
    public static func encode(_ p: Portfolio) -> Data {
        let buffer = xmlBufferCreate()!
        let w = xmlNewTextWriterMemory(buffer, 0)!
        xmlTextWriterSetIndent(w, 1)
        _ = "  ".withCString { xmlTextWriterSetIndentString(w, $0) }
        func start(_ name: String) { _ = name.withCString { xmlTextWriterStartElement(w, $0) } }
        func end() { xmlTextWriterEndElement(w) }
        func attr(_ name: String, _ value: String) {
            _ = name.withCString { n in value.withCString { v in xmlTextWriterWriteAttribute(w, n, v) } }
        }
        func text(_ value: String) { _ = value.withCString { xmlTextWriterWriteString(w, $0) } }
        func leaf(_ name: String, _ value: String) { start(name); text(value); end() }
        xmlTextWriterStartDocument(w, "1.0", "UTF-8", nil)
        start("portfolio"); attr("revision", String(p.revision)); attr("schemaVersion", "1")
        start("participant")
        attr("id", p.participant.id); attr("cohort", p.participant.cohort); attr("tutor", p.participant.tutor)
        attr("started", p.participant.started.description)
        leaf("name", p.participant.name); leaf("school", p.participant.school)
        if let email = p.participant.email { leaf("email", email) }
        if let trn = p.participant.trn { leaf("trn", trn) }
        end()
        start("frameworks"); for f in p.frameworks { start("framework"); attr("ref", f); end() }; end()
        start("state"); attr("value", p.state.rawValue); attr("since", stamp(p.stateSince)); text(p.stateNote); end()
        start("evidence")
        for item in p.evidence {
            start("item"); attr("id", item.id); attr("type", item.type); attr("date", item.date.description)
            attr("sensitive", item.sensitive ? "true" : "false"); attr("added", stamp(item.added))
            leaf("title", item.title); leaf("reflection", item.reflection)
            for a in item.attachments {
                start("attachment"); attr("name", a.name); attr("size", String(a.size)); attr("sha256", a.sha256)
                if let m = a.mediaType { attr("mediaType", m) }
                end()
            }
            end()
        }
        end()
        start("mappings")
        for m in p.mappings { start("mapping"); attr("evidence", m.evidence); attr("statement", m.statement); leaf("claim", m.claim); end() }
        end()
        start("log")
        for event in p.log {
            switch event {
            case .activity(let a):
                start("entry"); attr("at", stamp(a.at)); attr("by", a.by); attr("role", a.role.rawValue); attr("action", a.action)
                if let e = a.evidence { attr("evidence", e) }
                if let s = a.statement { attr("statement", s) }
                if let o = a.outcome { attr("outcome", o.rawValue) }
                text(a.note); end()
            case .judgement(let j):
                start("judgement"); attr("at", stamp(j.at)); attr("by", j.by); attr("role", j.role.rawValue)
                attr("statement", j.statement); attr("status", j.status.rawValue); attr("kind", j.kind.rawValue)
                text(j.feedback); end()
            }
        }
        end()
        end()
        xmlTextWriterEndDocument(w)
        xmlFreeTextWriter(w)
        let data = Data(bytes: xmlBufferContent(buffer), count: Int(xmlBufferLength(buffer)))
        xmlBufferFree(buffer)
        return data
    }

    /// Parses with xmlReadMemory and walks the tree into the same values the project builds.
    public static func decode(_ data: Data) throws -> Portfolio {
        let root: XMLElement? = data.withUnsafeBytes { bytes in
            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
            guard let doc = xmlReadMemory(bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil, nil, options)
            else { return nil }
            defer { xmlFreeDoc(doc) }
            return convert(xmlDocGetRootElement(doc)!)
        }
        guard let root else { throw DataError("raw libxml2 could not parse the document") }
        return try PortfolioCodec.decodePortfolio(root)
    }

    static func convert(_ node: xmlNodePtr) -> XMLElement {
        var element = XMLElement(name: String(cString: node.pointee.name))
        var attribute = node.pointee.properties
        while let a = attribute {
            var value = ""
            var child = a.pointee.children
            while let c = child { if let content = c.pointee.content { value += String(cString: content) }; child = c.pointee.next }
            element.attributes.append(XMLAttribute(name: String(cString: a.pointee.name), value: value))
            attribute = a.pointee.next
        }
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE {
                element.children.append(.element(convert(c)))
            } else if c.pointee.type == XML_TEXT_NODE, let content = c.pointee.content {
                element.children.append(.text(String(cString: content)))
            }
            child = c.pointee.next
        }
        return element
    }

    static func stamp(_ date: Date) -> String { Timestamp.string(date) }
}
