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
                Row(id: "r1", count: 3, current: true, kind: .reading, cells: [Cell(label: "a<b", note: "n&m"), Cell(label: "c", note: nil)]),
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
}
