import Mustache
import SencoExport
import Testing

/// The templates' escaper gives what swift-mustache's own gives, and escapes the one case the
/// grapheme walk misses.
@Suite struct HTMLEscapingTests {
    @Test(arguments: [
        "", "plain text", "Fish & chips <b>bold</b> \"quoted\" 'single'", "“curly” ’ é ç 🧾 👩‍👩‍👧 &amp;",
        String(repeating: "a reflection with < and > ", count: 200), "\n\t&<>\"'",
    ])
    func escapesAsSwiftMustacheDoes(text: String) throws {
        var library = MustacheLibrary()
        try library.register("{{value}}", named: "plain")
        try library.register(HTMLEscaping.prepared("{{value}}"), named: "fast")
        let theirs = try #require(library.render(["value": text], withTemplate: "plain"))
        let ours = try #require(library.render(["value": text], withTemplate: "fast"))
        #expect(ours == theirs)
        #expect(HTMLEscaping.escape(text) == theirs)
    }

    @Test func escapesALessThanSignJoinedByACombiningMark() {
        #expect(HTMLEscaping.escape("<\u{338}script>") == "&lt;\u{338}script&gt;")
    }
}
