import Mustache
import Testing

@testable import SencoWeb

/// A typed view renders exactly as swift-mustache renders the struct itself (by reflection,
/// name by name), only faster: nested structs, arrays, optionals (nil is false in a section),
/// Booleans, numbers, enumerations, and text that needs escaping.
@Suite struct TemplateValuesTests {
    enum Kind { case reading, observation }

    struct Cell {
        var label: String
        var note: String?
    }

    struct Row {
        var id: String
        var count: Int
        var current: Bool
        var kind: Kind
        var cells: [Cell]
    }

    struct View {
        var title: String
        var rows: [Row]
        var missing: String?
        var empty: [Row]
        var nested: Cell?
    }

    static let template = """
        <h1>{{title}}</h1>{{#missing}}never{{/missing}}{{^missing}}none{{/missing}}
        {{#rows}}<p id="{{id}}"{{#current}} class="current"{{/current}}>{{count}} {{kind}} {{title}}{{#cells}}[{{label}}{{#note}}: {{.}}{{/note}}]{{/cells}}</p>{{/rows}}
        {{^empty}}no rows{{/empty}}{{#nested}}<b>{{label}}</b>{{/nested}}
        """

    @Test func aViewRendersAsTheStructItselfDoes() throws {
        var library = MustacheLibrary()
        try library.register(Self.template, named: "t")
        let view = View(
            title: "Fish & <chips> “quoted” 🧾",
            rows: [
                Row(
                    id: "r1", count: 3, current: true, kind: .reading,
                    cells: [Cell(label: "a<b", note: "n&m"), Cell(label: "c", note: nil)]),
                Row(id: "r2", count: 0, current: false, kind: .observation, cells: []),
            ],
            missing: nil, empty: [], nested: Cell(label: "inner", note: nil))
        let byReflection = try #require(library.render(view, withTemplate: "t"))
        let fromValues = try #require(library.render(TemplateValues.values(of: view) ?? [:], withTemplate: "t"))
        #expect(fromValues == byReflection)
        #expect(fromValues.contains("Fish &amp; &lt;chips&gt;"), "escaped by the template")
        #expect(fromValues.contains(#"<p id="r1" class="current">3 reading"#))
        #expect(fromValues.contains("[a&lt;b: n&amp;m][c]"))
        #expect(fromValues.contains("none") && fromValues.contains("no rows") && fromValues.contains("<b>inner</b>"))
    }

    /// Rows that give their values themselves give exactly what reflection gives.
    @Test func everyRowGivesWhatReflectionGives() throws {
        let rows: [any TemplateRow] = [
            GapSection.Statement(id: "1.1", text: "Learn that & < > “”", addEvidence: nil),
            GapSection.Statement(id: "1.2", text: "t", addEvidence: "/portfolios/p-1/evidence/new?statement=1.2"),
            EvidenceRow(
                id: "e1", participant: "p-1", title: "T", type: "reading-log", date: "2026-01-01", sensitive: true,
                statements: "1.1, 2.a", attachments: [AttachmentLink(name: "a.pdf", sha256: "ab", size: "1 KB")]),
            EvidenceRow(
                id: "e2", participant: "p-1", title: "T", type: "observation", date: "2026-01-02", sensitive: false,
                statements: nil, attachments: []),
            AttachmentLink(name: "n", sha256: "s", size: "2 MB"),
            OutcomeRow(
                id: "NA-1.1.1", text: "t", status: "evidenced", statusKey: "evidenced",
                routes: [OutcomeRow.Route(statement: "1.1", relation: "exact")], hasRoutes: true, noEquivalent: false),
            OutcomeRow.Route(statement: "2.b", relation: "related"),
        ]
        for row in rows {
            let reflected = try #require(TemplateValues.reflected(row) as? [String: Any])
            #expect(Self.same(row.templateValues, reflected), "\(type(of: row))")
        }
    }

    static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case (let x as [String: Any], let y as [String: Any]):
            return Set(x.keys) == Set(y.keys) && x.keys.allSatisfy { same(x[$0]!, y[$0]!) }
        case (let x as [Any], let y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (let x as String, let y as String): return x == y
        case (let x as Int, let y as Int): return x == y
        case (let x as Bool, let y as Bool): return x == y
        default: return false
        }
    }
}
