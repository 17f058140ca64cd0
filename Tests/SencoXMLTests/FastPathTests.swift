import Foundation
import Testing

@testable import SencoXML

/// The writer's and reader's fast paths (issue 7) give the answers of the slow paths they skip.
struct FastPathTests {
    @Test func byteScanAgreesWithTheScalarCheckForEveryBMPCharacter() {
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates are not scalars
            let text = "a\(Character(scalar))b"
            #expect(
                XMLWriter.allCharactersAllowed(text.utf8) == (XMLWriter.firstForbiddenCharacter(in: text) == nil),
                "U+\(String(value, radix: 16))")
        }
        for text in ["", "🧑🏽‍🏫", "\u{10FFFF}", "\u{F0000}", "tab\tline\ncr\r", "\u{FFFD}\u{FFFE}"] {
            #expect(XMLWriter.allCharactersAllowed(text.utf8) == (XMLWriter.firstForbiddenCharacter(in: text) == nil), "\(text.debugDescription)")
        }
    }

    /// The rule `checkName` applied before it had a fast path.
    func slowRule(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || $0.properties.numericType != nil || "_-.".unicodeScalars.contains($0)
        }
    }

    @Test(arguments: ["a", "_x", "item", "x-1.2", "schemaVersion", "1a", "-a", ".a", "", "a b", "a:b", "é", "naïve", "学校", "a\u{0}"])
    func namesAreCheckedAsBefore(name: String) {
        let accepted = (try? XMLWriter.checkName(name)) != nil
        #expect(accepted == slowRule(name))
    }

    let schema: XMLSchema

    init() throws {
        schema = try XMLSchema(
        data: Data(
            """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              <xs:element name="list"><xs:complexType><xs:sequence>
                <xs:element name="item" maxOccurs="unbounded"><xs:complexType><xs:simpleContent>
                  <xs:extension base="xs:string"><xs:attribute name="n" type="xs:positiveInteger" use="required"/></xs:extension>
                </xs:simpleContent></xs:complexType></xs:element>
              </xs:sequence></xs:complexType></xs:element>
            </xs:schema>
            """.utf8), name: "list.xsd")
    }

    @Test(arguments: [
        "<list>\n  <item n=\"1\">a &amp; b</item>\n  <item n=\"2\">café 🙂</item>\n</list>",
        "<list><item n=\"0\">zero is not positive</item><item>no n</item></list>",
        "<list><other/></list>",
    ])
    func oneParseReadsAndValidatesLikeTwo(document: String) throws {
        let data = Data(document.utf8)
        let (root, violations) = try schema.read(data, source: "doc.xml")
        #expect(root == (try XMLReader().read(data, source: "doc.xml")))
        #expect(violations == (try schema.validate(data, source: "doc.xml")))
    }

    @Test(arguments: [
        "<!DOCTYPE list [<!ENTITY x \"y\">]><list><item n=\"1\">&x;</item></list>",
        "<list><item n=\"1\">unclosed</list>",
        String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100),
    ])
    func oneParseRefusesWhatTheReaderRefuses(document: String) {
        let data = Data(document.utf8)
        let expected = #expect(throws: XMLError.self) { try XMLReader().read(data) }
        let actual = #expect(throws: XMLError.self) { try schema.read(data) }
        #expect(actual?.code == expected?.code)
        #expect(actual?.line == expected?.line)
    }
}
