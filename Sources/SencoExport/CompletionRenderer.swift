import Foundation
import SencoCore
import SencoData
import SencoXML

/// The completion report in the four formats a provider needs (the DfE declaration bodies are
/// SencoDfE's, which knows what the API accepts).
public enum CompletionRenderer {
    /// `xs:dateTime` in UTC to the second, as every document of the project writes it. (It made
    /// a new ISO8601DateFormatter per value before, which dominated the report's cost.)
    static func dateTime(_ date: Date) -> String {
        Timestamp.string(date)
    }

    // MARK: XML

    public static func xml(_ report: CompletionReport) throws -> Data {
        let w = try XMLWriter()
        try w.startDocument()
        try w.element(
            "completionReport",
            ["cohort": report.cohort.id, "course": report.course, "framework": report.framework, "generated": report.generated.description]
        ) {
            try w.element("title", text: report.cohort.title)
            try w.element("provider", text: report.cohort.provider)
            for row in report.rows {
                var attributes: [(String, String)] = [("id", row.participant.id), ("tutor", row.participant.tutor), ("state", row.state.rawValue)]
                if let outcome = row.outcome { attributes.append(("outcome", outcome.rawValue)) }
                try w.startElement("participant")
                for (key, value) in attributes { try w.attribute(key, value) }
                try w.element("name", text: row.participant.name)
                if let trn = row.participant.trn { try w.element("trn", text: trn) }
                try w.element(
                    "coverage",
                    ["evidenced": String(row.total.evidenced), "sufficient": String(row.total.sufficient), "met": String(row.total.met), "total": String(row.total.total)]
                ) {
                    for section in row.sections {
                        try w.element(
                            "section",
                            [
                                "number": String(section.number),
                                "evidenced": String(section.learnThat.evidenced + section.learnHowTo.evidenced),
                                "met": String(section.learnThat.met + section.learnHowTo.met),
                                "total": String(section.learnThat.total + section.learnHowTo.total),
                            ])
                    }
                }
                try w.element("declarations") {
                    for declaration in row.declarations {
                        try w.startElement("declaration")
                        try w.attribute("type", declaration.type.rawValue)
                        try w.attribute("status", declaration.status.rawValue)
                        try w.attribute("due", declaration.due.description)
                        if let date = declaration.date { try w.attribute("date", dateTime(date)) }
                        if let passed = declaration.hasPassed { try w.attribute("hasPassed", passed ? "true" : "false") }
                        try w.endElement()
                    }
                }
                try w.endElement()
            }
        }
        return try w.finish()
    }

    // MARK: CSV

    /// One row per participant. Cells are quoted when needed, and cells that a spreadsheet would
    /// run as a formula are prefixed with an apostrophe.
    public static func csv(_ report: CompletionReport) -> String {
        let sectionNumbers = report.rows.first?.sections.map(\.number) ?? []
        var header = ["participant_id", "name", "trn", "tutor", "state", "outcome", "evidenced", "met", "total"]
        header += sectionNumbers.map { "section_\($0)_evidenced" }
        for type in DeclarationType.allCases {
            header += ["\(type.rawValue)_status", "\(type.rawValue)_date"]
        }
        header.append("completed_has_passed")
        var lines = [header.map(cell).joined(separator: ",")]
        for row in report.rows {
            var cells = [
                row.participant.id, row.participant.name, row.participant.trn ?? "", row.participant.tutor, row.state.rawValue,
                row.outcome?.rawValue ?? "", String(row.total.evidenced), String(row.total.met), String(row.total.total),
            ]
            cells += row.sections.map { String($0.learnThat.evidenced + $0.learnHowTo.evidenced) }
            for declaration in row.declarations {
                cells += [declaration.status.rawValue, declaration.date.map(dateTime) ?? ""]
            }
            cells.append(row.declarations.last?.hasPassed.map { $0 ? "true" : "false" } ?? "")
            lines.append(cells.map(cell).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func cell(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        if value.contains(where: { ",\"\r\n".contains($0) }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    // MARK: JSON

    struct ReportJSON: Encodable {
        struct Row: Encodable {
            struct Section: Encodable { let number, evidenced, met, total: Int }
            struct DeclarationJSON: Encodable {
                let type, status, due: String
                let date: String?
                let hasPassed: Bool?
                /// The DfE's state for it, once declared.
                let dfeState: String?
            }
            let id, name, tutor, state: String
            let trn, outcome: String?
            let evidenced, met, total: Int
            let sections: [Section]
            let declarations: [DeclarationJSON]
        }
        let cohort, title, provider, course, framework, generated: String
        let participants: [Row]
    }

    public static func json(_ report: CompletionReport) throws -> Data {
        let value = ReportJSON(
            cohort: report.cohort.id, title: report.cohort.title, provider: report.cohort.provider, course: report.course,
            framework: report.framework, generated: report.generated.description,
            participants: report.rows.map { row in
                .init(
                    id: row.participant.id, name: row.participant.name, tutor: row.participant.tutor,
                    state: row.state.rawValue, trn: row.participant.trn, outcome: row.outcome?.rawValue,
                    evidenced: row.total.evidenced, met: row.total.met, total: row.total.total,
                    sections: row.sections.map {
                        .init(
                            number: $0.number, evidenced: $0.learnThat.evidenced + $0.learnHowTo.evidenced,
                            met: $0.learnThat.met + $0.learnHowTo.met, total: $0.learnThat.total + $0.learnHowTo.total)
                    },
                    declarations: row.declarations.map {
                        .init(type: $0.type.rawValue, status: $0.status.rawValue, due: $0.due.description, date: $0.date.map(dateTime), hasPassed: $0.hasPassed,
                            dfeState: $0.dfeState)
                    })
            })
        return try encoder().encode(value)
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    // MARK: HTML

    public static func html(_ report: CompletionReport, templates: TemplateLibrary, attribution: String) throws -> String {
        let rows: [[String: Any]] = report.rows.map { row in
            [
                "id": row.participant.id, "name": row.participant.name, "tutor": row.participant.tutor, "state": row.state.label,
                "outcome": row.outcome?.rawValue ?? "none yet", "evidenced": row.total.evidenced, "met": row.total.met,
                "total": row.total.total,
                "sections": row.sections.map {
                    ["evidenced": $0.learnThat.evidenced + $0.learnHowTo.evidenced, "total": $0.learnThat.total + $0.learnHowTo.total]
                },
                "declarations": row.declarations.map { d -> [String: Any] in
                    var cell: [String: Any] = ["status": d.status.rawValue.replacingOccurrences(of: "-", with: " ")]
                    if let date = d.date { cell["date"] = Day(date).description }
                    if let passed = d.hasPassed { cell["passed"] = passed ? "passed" : "not passed" }
                    return cell
                },
            ]
        }
        let context: [String: Any] = [
            "cohort": [
                "id": report.cohort.id, "title": report.cohort.title, "provider": report.cohort.provider,
                "course": report.course, "start": report.cohort.start.description,
            ],
            "generated": report.generated.description, "count": rows.count, "rows": rows, "hasRows": !rows.isEmpty,
            "sectionHeadings": report.rows.first?.sections.map(\.number) ?? [], "attribution": attribution,
        ]
        return try templates.render(context, template: "completion")
    }
}
