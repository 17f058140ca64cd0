import Foundation
import Testing

@testable import SencoXML

struct XMLSchemaTests {
    let schema: XMLSchema

    init() throws {
        schema = try XMLSchema(
            data: Data(
                """
                <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
                  <xs:element name="list">
                    <xs:complexType><xs:sequence>
                      <xs:element name="item" maxOccurs="unbounded">
                        <xs:complexType>
                          <xs:simpleContent><xs:extension base="xs:string">
                            <xs:attribute name="n" type="xs:positiveInteger" use="required"/>
                          </xs:extension></xs:simpleContent>
                        </xs:complexType>
                      </xs:element>
                    </xs:sequence></xs:complexType>
                  </xs:element>
                </xs:schema>
                """.utf8), name: "list.xsd")
    }

    @Test func acceptsAValidDocument() throws {
        #expect(try schema.validate(Data("<list><item n=\"1\">a</item></list>".utf8)).isEmpty)
    }

    @Test func reportsEveryViolationWithItsLine() throws {
        let findings = try schema.validate(
            Data("<list>\n<item n=\"0\">a</item>\n<item>b</item>\n<other/>\n</list>".utf8), source: "bad.xml")
        #expect(findings.count >= 3)
        #expect(findings.allSatisfy { $0.code == .schemaInvalid && $0.source == "bad.xml" })
        #expect(findings.map(\.line).contains(2))
        #expect(findings.map(\.line).contains(3))
        #expect(findings.first?.description.hasPrefix("bad.xml:2") == true)
    }

    @Test func refusesHostileInstancesBeforeValidating() throws {
        let error = #expect(throws: XMLError.self) {
            try schema.validate(Data("<!DOCTYPE list [<!ENTITY a \"b\">]><list/>".utf8))
        }
        #expect(error?.code == .doctypeForbidden)
    }

    @Test func reportsAnUnusableSchema() throws {
        let error = #expect(throws: XMLError.self) {
            try XMLSchema(data: Data("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:bogus/></xs:schema>".utf8), name: "broken.xsd")
        }
        #expect(error?.code == .schemaUnusable)
    }
}
