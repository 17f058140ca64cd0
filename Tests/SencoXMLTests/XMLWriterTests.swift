import Foundation
import Testing

@testable import SencoXML

struct XMLWriterTests {
    @Test(arguments: [
        "plain",
        "markup & < > \" ' all together",
        "<script>alert('x')</script>",
        "non-ASCII: café, naïve, ’curly’, “double”, emoji 🧑🏽‍🏫, CJK 学校",
        "line one\nline two\ttabbed\r\nwindows",
        "  leading and trailing spaces  ",
        "]]> and --> and <!-- and &amp; literally",
    ])
    func roundTripsTextInElementsAndAttributes(text: String) throws {
        let writer = try XMLWriter()
        try writer.startDocument()
        try writer.element("doc") {
            try writer.element("note", ["claim": text], text: text)
        }
        let data = try writer.finish()
        let root = try XMLReader().read(data)
        let note = try #require(root.element(named: "note"))
        #expect(note.text == text, "element text survives a round trip")
        #expect(note[attribute: "claim"] == text, "attribute value survives a round trip")
    }

    @Test(arguments: ["\u{0}", "\u{1}", "\u{8}", "\u{B}", "\u{C}", "\u{1B}", "\u{7F}\u{FFFE}", "\u{FFFF}"])
    func refusesCharactersXMLForbids(bad: String) throws {
        let writer = try XMLWriter()
        try writer.startDocument()
        try writer.startElement("doc")
        let text = "before\(bad)after"
        let error = #expect(throws: XMLError.self) { try writer.text(text) }
        #expect(error?.code == .forbiddenCharacter)
        #expect(error?.message.contains("U+") == true, "names the character")
        #expect(throws: XMLError.self) { try writer.attribute("a", text) }
    }

    @Test func allowsDELWhichXML10Permits() throws {
        let writer = try XMLWriter()
        try writer.element("d", text: "x\u{7F}y")
        let root = try XMLReader().read(try writer.finish())
        #expect(root.text == "x\u{7F}y")
    }

    @Test func escapesMarkupSoItCannotInjectElements() throws {
        let writer = try XMLWriter()
        try writer.element("doc", text: "</doc><evil/>")
        let data = try writer.finish()
        let xml = String(decoding: data, as: UTF8.self)
        #expect(!xml.contains("<evil/>"))
        let root = try XMLReader().read(data)
        #expect(root.elements.isEmpty)
        #expect(root.text == "</doc><evil/>")
    }

    @Test func refusesInvalidNames() throws {
        let writer = try XMLWriter()
        #expect(throws: XMLError.self) { try writer.startElement("a b") }
        #expect(throws: XMLError.self) { try writer.startElement("1abc") }
        #expect(throws: XMLError.self) { try writer.startElement("<x") }
    }

    @Test func refusesCommentsThatWouldEndEarly() throws {
        let writer = try XMLWriter()
        try writer.startElement("d")
        #expect(throws: XMLError.self) { try writer.comment("a -- b") }
    }
}
