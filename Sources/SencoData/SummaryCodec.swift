import Foundation
import SencoCore
import SencoXML

/// A portfolio's summary to and from `summary.xsd`'s document.
extension PortfolioCodec {
    public static func encode(_ summary: PortfolioSummary) throws -> Data {
        let w = try XMLWriter()
        try w.startDocument()
        try w.startElement("summary")
        try w.attribute("schemaVersion", String(PortfolioSummary.schemaVersion))
        try w.attribute("revision", String(summary.revision))
        try w.attribute("state", summary.state.rawValue)
        try w.attribute("stateSince", Timestamp.string(summary.stateSince))
        if let outcome = summary.outcome { try w.attribute("outcome", outcome.rawValue) }
        try w.attribute("evidence", String(summary.evidenceCount))
        try w.attribute("lastActivity", Timestamp.string(summary.lastActivity))
        try encodeParticipant(summary.participant, with: w)
        func counts(_ name: String, _ c: Coverage.Count) throws {
            try w.element(
                name, ["total": String(c.total), "evidenced": String(c.evidenced), "sufficient": String(c.sufficient), "met": String(c.met)])
        }
        try counts("total", summary.total)
        for section in summary.sections {
            try w.element("section", ["number": String(section.number), "title": section.title]) {
                try counts("learnThat", section.learnThat)
                try counts("learnHowTo", section.learnHowTo)
            }
        }
        try w.element(
            "statements",
            [
                "evidenced": summary.evidencedStatements.joined(separator: " "),
                "sufficient": summary.sufficientStatements.joined(separator: " "),
            ])
        try w.startElement("milestones")
        let m = summary.milestones
        for (name, date) in [
            ("firstEvidence", m.firstEvidence), ("retained1", m.retained1), ("retained2", m.retained2), ("signedOff", m.signedOff),
        ] {
            if let date { try w.attribute(name, Timestamp.string(date)) }
        }
        if let hasPassed = m.hasPassed { try w.attribute("hasPassed", hasPassed ? "true" : "false") }
        if let withdrawn = m.withdrawn { try w.attribute("withdrawn", Timestamp.string(withdrawn)) }
        try w.endElement()
        for record in summary.declared {
            try w.element("declared", ["type": record.type.rawValue, "id": record.dfeID, "state": record.state])
        }
        try w.endElement()
        return try w.finish()
    }

    public static func decodeSummary(_ root: XMLElement, file: String = "") throws(DataError) -> PortfolioSummary {
        let d = Decoding(file: file)
        guard root.name == "summary" else {
            throw DataError("root element is <\(root.name)>, expected <summary>", file: file, line: root.line)
        }
        let version = try d.integer(root, "schemaVersion")
        guard version == PortfolioSummary.schemaVersion else {
            throw DataError("summary schemaVersion \(version) is not \(PortfolioSummary.schemaVersion)", file: file, line: root.line)
        }
        let participant = try decodeParticipant(try d.child(root, "participant"), d)
        func counts(_ element: XMLElement) throws(DataError) -> Coverage.Count {
            .counts(
                total: try d.integer(element, "total"), evidenced: try d.integer(element, "evidenced"),
                sufficient: try d.integer(element, "sufficient"), met: try d.integer(element, "met"))
        }
        var sections: [Coverage.SectionCoverage] = []
        for section in root.elements(named: "section") {
            sections.append(
                .counts(
                    number: try d.integer(section, "number"), title: try d.attribute(section, "title"),
                    learnThat: try counts(try d.child(section, "learnThat")), learnHowTo: try counts(try d.child(section, "learnHowTo"))))
        }
        let statements = try d.child(root, "statements")
        func ids(_ name: String) throws(DataError) -> [String] {
            try d.attribute(statements, name).split(separator: " ").map(String.init)
        }
        let m = try d.child(root, "milestones")
        func date(_ name: String) throws(DataError) -> Date? {
            m[attribute: name] == nil ? nil : try d.timestamp(m, name)
        }
        guard let state = PortfolioState(rawValue: try d.attribute(root, "state")) else {
            throw DataError("unknown portfolio state", file: file, line: root.line)
        }
        return PortfolioSummary(
            revision: try d.integer(root, "revision"), participant: participant, state: state,
            stateSince: try d.timestamp(root, "stateSince"), outcome: root[attribute: "outcome"].flatMap(Outcome.init(rawValue:)),
            evidenceCount: try d.integer(root, "evidence"), lastActivity: try d.timestamp(root, "lastActivity"),
            sections: sections, total: try counts(try d.child(root, "total")),
            milestones: Milestones(
                firstEvidence: try date("firstEvidence"), retained1: try date("retained1"), retained2: try date("retained2"),
                signedOff: try date("signedOff"), hasPassed: m[attribute: "hasPassed"].map { $0 == "true" },
                withdrawn: try date("withdrawn")),
            declared: try root.elements(named: "declared").map { (e) throws(DataError) in
                guard let type = DeclarationType(rawValue: try d.attribute(e, "type")) else {
                    throw DataError("<declared> type is not a DfE declaration type", file: file, line: e.line)
                }
                return DeclarationRecord(type: type, dfeID: try d.attribute(e, "id"), state: try d.attribute(e, "state"))
            },
            evidencedStatements: try ids("evidenced"), sufficientStatements: try ids("sufficient"))
    }
}
