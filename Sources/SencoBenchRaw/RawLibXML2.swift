// The benchmark's "practical limit" peer: libxml2 called directly, as a C programmer would, with
// none of SencoXML's safety work (no DOCTYPE hook, no per-parse error collection, no character or
// name checks, no intermediate tree of Swift values).
//
// Rule: SencoXML is the only *product* module that imports libxml2. This benchmark-only target
// imports CLibXML2 directly to implement the raw peer; no product links it.
internal import CLibXML2
import Foundation
import SencoCore

public enum RawLibXML2 {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    // MARK: Writing: xmlTextWriter into memory

    /// Writes the same document as `PortfolioCodec.encode` (same elements, attributes, order and
    /// indentation), straight through xmlTextWriter.
    public static func encode(_ p: Portfolio) -> Data {
        let buffer = xmlBufferCreate()!
        let w = xmlNewTextWriterMemory(buffer, 0)!
        xmlTextWriterSetIndent(w, 1)
        _ = "  ".withCString { xmlTextWriterSetIndentString(w, $0) }
        func start(_ name: StaticString) {
            xmlTextWriterStartElement(w, UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: xmlChar.self))
        }
        func end() { xmlTextWriterEndElement(w) }
        func attr(_ name: StaticString, _ value: String) {
            _ = value.withCString { v in
                xmlTextWriterWriteAttribute(
                    w, UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: xmlChar.self),
                    UnsafeRawPointer(v).assumingMemoryBound(to: xmlChar.self))
            }
        }
        func stamp(_ name: StaticString, _ date: Date) {
            var bytes = Timestamps.format(date)
            withUnsafeBytes(of: &bytes) { raw in
                _ = xmlTextWriterWriteAttribute(
                    w, UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: xmlChar.self),
                    raw.baseAddress!.assumingMemoryBound(to: xmlChar.self))
            }
        }
        func text(_ value: String) {
            _ = value.withCString { xmlTextWriterWriteString(w, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
        }
        func leaf(_ name: StaticString, _ value: String) {
            start(name)
            text(value)
            end()
        }
        xmlTextWriterStartDocument(w, "1.0", "UTF-8", nil)
        start("portfolio")
        attr("revision", String(p.revision))
        attr("schemaVersion", String(Portfolio.schemaVersion))
        start("participant")
        attr("id", p.participant.id)
        attr("cohort", p.participant.cohort)
        attr("tutor", p.participant.tutor)
        attr("started", p.participant.started.description)
        leaf("name", p.participant.name)
        leaf("school", p.participant.school)
        if let email = p.participant.email { leaf("email", email) }
        if let trn = p.participant.trn { leaf("trn", trn) }
        end()
        start("frameworks")
        for f in p.frameworks {
            start("framework")
            attr("ref", f)
            end()
        }
        end()
        start("state")
        attr("value", p.state.rawValue)
        stamp("since", p.stateSince)
        text(p.stateNote)
        end()
        start("evidence")
        for item in p.evidence {
            start("item")
            attr("id", item.id)
            attr("type", item.type)
            attr("date", item.date.description)
            attr("sensitive", item.sensitive ? "true" : "false")
            stamp("added", item.added)
            leaf("title", item.title)
            leaf("reflection", item.reflection)
            for a in item.attachments {
                start("attachment")
                attr("name", a.name)
                attr("size", String(a.size))
                attr("sha256", a.sha256)
                if let m = a.mediaType { attr("mediaType", m) }
                end()
            }
            end()
        }
        end()
        start("mappings")
        for m in p.mappings {
            start("mapping")
            attr("evidence", m.evidence)
            attr("statement", m.statement)
            leaf("claim", m.claim)
            end()
        }
        end()
        start("log")
        for event in p.log {
            switch event {
            case .activity(let a):
                start("entry")
                stamp("at", a.at)
                attr("by", a.by)
                attr("role", a.role.rawValue)
                attr("action", a.action)
                if let e = a.evidence { attr("evidence", e) }
                if let s = a.statement { attr("statement", s) }
                if let o = a.outcome { attr("outcome", o.rawValue) }
                text(a.note)
                end()
            case .judgement(let j):
                start("judgement")
                stamp("at", j.at)
                attr("by", j.by)
                attr("role", j.role.rawValue)
                attr("statement", j.statement)
                attr("status", j.status.rawValue)
                attr("kind", j.kind.rawValue)
                text(j.feedback)
                end()
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

    // MARK: Reading: xmlReadMemory, then one walk of the tree straight into the model

    /// Parses with xmlReadMemory (no DTD loading, no network, no entity substitution) and walks
    /// libxml2's tree directly into a `Portfolio`: no intermediate Swift tree.
    public static func decode(_ data: Data) throws -> Portfolio {
        try data.withUnsafeBytes { bytes in
            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
            guard
                let doc = xmlReadMemory(
                    bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil, nil, options)
            else { throw Failure(description: "raw libxml2 could not parse the document") }
            defer { xmlFreeDoc(doc) }
            guard let root = xmlDocGetRootElement(doc) else { throw Failure(description: "no root element") }
            return try portfolio(root)
        }
    }

    static func portfolio(_ root: xmlNodePtr) throws -> Portfolio {
        guard let participantNode = child(root, "participant"), let stateNode = child(root, "state") else {
            throw Failure(description: "not a portfolio")
        }
        let participant = Participant(
            id: try attribute(participantNode, "id"), name: text(child(participantNode, "name")),
            school: text(child(participantNode, "school")), email: child(participantNode, "email").map { text($0) },
            trn: child(participantNode, "trn").map { text($0) }, cohort: try attribute(participantNode, "cohort"),
            tutor: try attribute(participantNode, "tutor"), started: try day(participantNode, "started"))
        var frameworks: [String] = []
        forEachElement(child(root, "frameworks")) { node in
            if let ref = optionalAttribute(node, "ref") { frameworks.append(ref) }
        }
        guard let state = PortfolioState(rawValue: try attribute(stateNode, "value")) else {
            throw Failure(description: "unknown state")
        }
        var evidence: [EvidenceItem] = []
        var failure: Failure?
        forEachElement(child(root, "evidence")) { item in
            do {
                var attachments: [Attachment] = []
                forEachElement(item) { a in
                    guard named(a, "attachment") else { return }
                    attachments.append(
                        Attachment(
                            name: optionalAttribute(a, "name") ?? "", size: Int(optionalAttribute(a, "size") ?? "") ?? 0,
                            sha256: optionalAttribute(a, "sha256") ?? "", mediaType: optionalAttribute(a, "mediaType")))
                }
                evidence.append(
                    EvidenceItem(
                        id: try attribute(item, "id"), title: text(child(item, "title")), type: try attribute(item, "type"),
                        date: try day(item, "date"), reflection: text(child(item, "reflection")), attachments: attachments,
                        sensitive: optionalAttribute(item, "sensitive") == "true", added: try timestamp(item, "added")))
            } catch { failure = error as? Failure }
        }
        var mappings: [Mapping] = []
        forEachElement(child(root, "mappings")) { m in
            mappings.append(
                Mapping(
                    evidence: optionalAttribute(m, "evidence") ?? "", statement: optionalAttribute(m, "statement") ?? "",
                    claim: text(child(m, "claim"))))
        }
        var log: [LogEvent] = []
        forEachElement(child(root, "log")) { event in
            do {
                let role = Role(rawValue: try attribute(event, "role")) ?? .system
                if named(event, "judgement") {
                    log.append(
                        .judgement(
                            Judgement(
                                at: try timestamp(event, "at"), by: try attribute(event, "by"), role: role,
                                statement: try attribute(event, "statement"),
                                status: JudgementStatus(rawValue: try attribute(event, "status")) ?? .notYetEvidenced,
                                kind: Judgement.Kind(rawValue: optionalAttribute(event, "kind") ?? "first") ?? .first,
                                feedback: text(event))))
                } else {
                    log.append(
                        .activity(
                            Activity(
                                at: try timestamp(event, "at"), by: try attribute(event, "by"), role: role,
                                action: try attribute(event, "action"), evidence: optionalAttribute(event, "evidence"),
                                statement: optionalAttribute(event, "statement"),
                                outcome: optionalAttribute(event, "outcome").flatMap(Outcome.init(rawValue:)), note: text(event))))
                }
            } catch { failure = error as? Failure }
        }
        if let failure { throw failure }
        return Portfolio(
            revision: Int(try attribute(root, "revision")) ?? 0, participant: participant, frameworks: frameworks, state: state,
            stateSince: try timestamp(stateNode, "since"), stateNote: text(stateNode), evidence: evidence, mappings: mappings,
            log: log)
    }

    // MARK: Tree helpers

    @inline(__always)
    static func named(_ node: xmlNodePtr, _ name: StaticString) -> Bool {
        strcmp(UnsafeRawPointer(node.pointee.name).assumingMemoryBound(to: CChar.self),
               UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    static func child(_ node: xmlNodePtr, _ name: StaticString) -> xmlNodePtr? {
        var current = node.pointee.children
        while let c = current {
            if c.pointee.type == XML_ELEMENT_NODE && named(c, name) { return c }
            current = c.pointee.next
        }
        return nil
    }

    static func forEachElement(_ node: xmlNodePtr?, _ body: (xmlNodePtr) -> Void) {
        var current = node?.pointee.children
        while let c = current {
            if c.pointee.type == XML_ELEMENT_NODE { body(c) }
            current = c.pointee.next
        }
    }

    /// The node's character data (libxml2 keeps one text node per run in these documents).
    static func text(_ node: xmlNodePtr?) -> String {
        guard let node else { return "" }
        var result: String?
        var current = node.pointee.children
        while let c = current {
            if c.pointee.type == XML_TEXT_NODE, let content = c.pointee.content {
                let piece = String(cString: UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))
                result = result.map { $0 + piece } ?? piece
            }
            current = c.pointee.next
        }
        return result ?? ""
    }

    static func optionalAttribute(_ node: xmlNodePtr, _ name: StaticString) -> String? {
        var current = node.pointee.properties
        while let a = current {
            if strcmp(UnsafeRawPointer(a.pointee.name).assumingMemoryBound(to: CChar.self),
                      UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
            {
                guard let value = a.pointee.children?.pointee.content else { return "" }
                return String(cString: UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self))
            }
            current = a.pointee.next
        }
        return nil
    }

    static func attribute(_ node: xmlNodePtr, _ name: StaticString) throws -> String {
        guard let value = optionalAttribute(node, name) else { throw Failure(description: "missing attribute \(name)") }
        return value
    }

    static func day(_ node: xmlNodePtr, _ name: StaticString) throws -> Day {
        guard let value = Day(try attribute(node, name)) else { throw Failure(description: "bad date") }
        return value
    }

    static func timestamp(_ node: xmlNodePtr, _ name: StaticString) throws -> Date {
        guard let value = Timestamps.parse(try attribute(node, name)) else { throw Failure(description: "bad dateTime") }
        return value
    }
}

/// `YYYY-MM-DDThh:mm:ssZ` formatted and parsed with integer arithmetic, as a C programmer would.
enum Timestamps {
    /// 20 characters and a NUL, in a tuple so it lives on the stack.
    typealias Bytes = (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8
    )

    static func format(_ date: Date) -> Bytes {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let (y, m, d) = civil(days)
        func digit(_ n: Int) -> UInt8 { UInt8(48 + n % 10) }
        return (
            digit(y / 1000), digit(y / 100), digit(y / 10), digit(y), 45, digit(m / 10), digit(m), 45, digit(d / 10), digit(d),
            84, digit(rest / 36_000), digit(rest / 3_600), 58, digit((rest / 60 % 60) / 10), digit(rest / 60 % 60), 58,
            digit((rest % 60) / 10), digit(rest % 60), 90, 0
        )
    }

    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { u -> Date? in
            guard u.count == 20, u[4] == 45, u[7] == 45, u[10] == 84, u[13] == 58, u[16] == 58, u[19] == 90 else { return nil }
            func number(_ from: Int, _ to: Int) -> Int? {
                var n = 0
                for i in from..<to {
                    let c = Int(u[i]) - 48
                    guard (0...9).contains(c) else { return nil }
                    n = n * 10 + c
                }
                return n
            }
            guard let y = number(0, 4), let m = number(5, 7), let d = number(8, 10), let hh = number(11, 13),
                let mm = number(14, 16), let ss = number(17, 19)
            else { return nil }
            let days = daysFromCivil(y, m, d)
            return Date(timeIntervalSince1970: Double(days * 86_400 + hh * 3_600 + mm * 60 + ss))
        }
    }

    static func civil(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
