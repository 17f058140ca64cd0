import Foundation
import Testing

@testable import SencoXML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Input that libxml2 2.9 would spend quadratic time on, or read in an encoding other than
/// UTF-8, is refused before it gets there: one line naming the problem and where, and nothing
/// written to stderr. (Speed is the benchmark's business; here it is enough that they finish.)
@Suite(.serialized)
struct XMLReaderLimitsTests {
    let reader = XMLReader()

    /// What `body` throws, with what was written to file descriptor 2 meanwhile. Other tests in
    /// the process may write to stderr in that window, so a non-empty capture is retried: libxml2
    /// writing would write every time, a neighbour's line would not come back three times.
    func refusal(_ body: () throws -> Void) -> (error: XMLError?, stderr: String) {
        var result: (error: XMLError?, stderr: String) = (nil, "")
        for _ in 0..<3 {
            var caught: (any Error)?
            let written = capturingStandardError {
                do { try body() } catch { caught = error }
            }
            #expect(caught is XMLError, "fails with an XMLError, not \(String(describing: caught))")
            result = (caught as? XMLError, written)
            if written.isEmpty { break }
        }
        if let error = result.error {
            #expect(!error.description.contains("\n"), "one line: \(error.description.debugDescription)")
        }
        return result
    }

    /// What `body` wrote to file descriptor 2, retried like `refusal` so that a neighbouring
    /// test's line is not taken for libxml2's.
    func quietly(_ body: () -> Void) -> String {
        var written = ""
        for _ in 0..<3 {
            written = capturingStandardError(body)
            if written.isEmpty { break }
        }
        return written
    }

    /// What was captured, without the test runner's own progress lines (Swift Testing writes
    /// "✔ Test … passed" to stderr from other threads while a capture is open).
    static func withoutRunnerLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in !["✔", "✘", "◇", "↳", "⚠"].contains { line.hasPrefix($0) } }
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func capturingStandardError(_ body: () -> Void) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("senco-stderr-\(UUID()).txt").path
        let file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        let saved = dup(2)
        fflush(nil)
        dup2(file, 2)
        body()
        fflush(nil)
        dup2(saved, 2)
        close(saved)
        close(file)
        defer { unlink(path) }
        return Self.withoutRunnerLines((try? String(contentsOfFile: path, encoding: .utf8)) ?? "<unreadable capture>")
    }

    func attributes(_ count: Int, name: (Int) -> String = { "a\($0)" }) -> String {
        var text = ""
        for index in 0..<count { text += " \(name(index))=\"\"" }
        return text
    }

    // MARK: Attributes, names, values

    @Test func refusesSixtyThousandAttributesOnOneElement() throws {
        let (error, stderr) = refusal { _ = try reader.read("<r>\n  <a" + attributes(60_000) + "/></r>") }
        let found = try #require(error)
        #expect(found.code == .tooManyAttributes)
        #expect(found.message == "<a> has more than 256 attributes")
        #expect(found.line == 2)
        #expect(found.column == 1_944, "at the 257th attribute: \(found)")
        #expect(stderr.isEmpty)
    }

    @Test func refusesSixtyThousandCopiesOfOneAttribute() throws {
        let (error, _) = refusal { _ = try reader.read("<a" + attributes(60_000) { _ in "x" } + "/>") }
        #expect(error?.code == .tooManyAttributes)
    }

    @Test func readsTheMostAttributesAllowedAndNoMore() throws {
        let root = try reader.read("<a" + attributes(256) + "/>")
        #expect(root.attributes.count == 256)
        let strict = XMLReader(options: XMLReadOptions(maximumAttributes: 3))
        #expect(throws: Never.self) { _ = try strict.read("<a x='1' y='2' z='3'/>") }
        #expect(refusal { _ = try strict.read("<a x='1' y='2' z='3' w='4'/>") }.error?.code == .tooManyAttributes)
    }

    @Test func refusesManyNamespaceDeclarations() throws {
        let (error, stderr) = refusal { _ = try reader.read("<a" + attributes(65) { "xmlns:p\($0)" } + "/>") }
        #expect(error?.code == .tooManyNamespaces)
        #expect(error?.message.contains("more than 64 namespaces") == true)
        #expect(stderr.isEmpty)
    }

    @Test func refusesLongNames() throws {
        let long = String(repeating: "n", count: 100_000)
        for (document, what) in [
            ("<\(long)/>", "an element name"), ("<a \(long)='1'/>", "an attribute name on <a>"),
            ("<a>\n</\(long)>", "an element name"),
        ] {
            let (error, stderr) = refusal { _ = try reader.read(document) }
            let found = try #require(error)
            #expect(found.code == .nameTooLong)
            #expect(found.message == "\(what) is 100000 bytes; the limit is 1000", "\(what)")
            #expect(found.line >= 1 && found.column >= 2)
            #expect(stderr.isEmpty)
        }
        #expect(throws: Never.self) { _ = try reader.read("<\(String(repeating: "n", count: 1_000))/>") }
    }

    @Test func refusesALongAttributeValue() throws {
        let value = String(repeating: "v", count: 2 * 1024 * 1024)
        let (error, stderr) = refusal { _ = try reader.read("<a>\n<b name=\"\(value)\"/></a>") }
        let found = try #require(error)
        #expect(found.code == .valueTooLong)
        #expect(found.message == "attribute 'name' on <b> is 2097152 bytes; the limit is 1048576")
        #expect(found.line == 2 && found.column == 10)
        #expect(stderr.isEmpty)
        let allowed = String(repeating: "v", count: 1024 * 1024)
        #expect(try reader.read("<b name='\(allowed)'/>")[attribute: "name"]?.count == allowed.count)
    }

    /// Markup inside comments, CDATA and attribute values is not markup: the pass must not count
    /// it, or refuse a document libxml2 reads.
    @Test func countsOnlyRealStartTags() throws {
        let crowded = "<a" + attributes(1_000) + ">"
        let root = try reader.read(
            "<r t='a > b'><!-- \(crowded) --><![CDATA[\(crowded)]]><?pi \(crowded)?><x y=\"-->\"/></r>")
        #expect(root.element(named: "x")?[attribute: "y"] == "-->")
        #expect(root.text == crowded)
    }

    /// libxml2 goes on parsing after most errors; if it did here, it would read the comment's
    /// contents as markup after the bad character, including a tag the pass never counted.
    @Test func stopsAtTheFirstErrorSoHiddenTagsAreNeverParsed() throws {
        let hidden = "<a" + attributes(60_000) + ">"
        let (error, stderr) = refusal { _ = try reader.read("<r>\n<!-- \u{1} \(hidden) --></r>") }
        let found = try #require(error)
        #expect(found.code == .forbiddenCharacter || found.code == .notWellFormed)
        #expect(found.line == 2)
        #expect(stderr.isEmpty)
    }

    @Test(arguments: [
        ("<a b='<'/>", "'<' in the value of attribute 'b' on <a>", 1, 7),
        ("<a b='1'c='2'/>", "attributes of <a> must be separated by white space", 1, 9),
        ("<a b/>", "attribute 'b' on <a> has no value", 1, 4),
        ("<a b=1/>", "the value of attribute 'b' on <a> is not quoted", 1, 6),
        ("<a>\n<b c='1", "the value of attribute 'c' on <b> is not closed", 2, 6),
        ("<a>\r\n\r<b c='1", "the value of attribute 'c' on <b> is not closed", 3, 6),
        ("<a>\n<!-- x", "a comment is not closed with '-->'", 2, 1),
        ("<a><![CDATA[x</a>", "a CDATA section is not closed with ']]>'", 1, 4),
        ("<a><!ELEMENT a ANY></a>", "'<!' starts neither a comment nor a CDATA section", 1, 4),
        ("<a>< b/></a>", "'<' is not followed by an element name", 1, 4),
        ("<a></a x='1'>", "the end tag </a> is not closed with '>'", 1, 4),
        ("<a>café</a><", "the document ends with '<'", 1, 12),
    ])
    func refusesMarkupItCannotFollow(document: String, message: String, line: Int, column: Int) throws {
        let (error, stderr) = refusal { _ = try reader.read(document) }
        let found = try #require(error)
        #expect(found.code == .notWellFormed)
        #expect(found.message == message)
        #expect(found.line == line && found.column == column, "\(found)")
        #expect(stderr.isEmpty)
    }

    // MARK: Many errors

    @Test func refusesAHundredThousandMismatchedTagsWithOneError() throws {
        let (error, stderr) = refusal {
            _ = try reader.read("<r>\n" + String(repeating: "<a></b>\n", count: 100_000) + "</r>")
        }
        #expect(error?.code == .notWellFormed)
        #expect(error?.line == 2)
        #expect(stderr.isEmpty)
    }

    @Test func refusesAHundredThousandForbiddenCharactersWithOneError() throws {
        let (error, stderr) = refusal {
            _ = try reader.read("<r>\n" + String(repeating: "\u{1}<b>\u{2}</b>", count: 100_000) + "</r>")
        }
        #expect(error?.code == .forbiddenCharacter || error?.code == .notWellFormed)
        #expect(error?.line == 2 && error?.column == 1)
        #expect(stderr.isEmpty)
    }

    @Test func refusesAHundredThousandUnclosedTags() throws {
        let (error, stderr) = refusal { _ = try reader.read(String(repeating: "<a x='1'>", count: 100_000)) }
        #expect(error?.code == .tooDeep)
        #expect(stderr.isEmpty)
    }

    @Test func keepsTwentySchemaViolationsOfAHundredThousand() throws {
        let schema = try XMLSchema(
            data: Data(
                """
                <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
                  <xs:element name="list"><xs:complexType><xs:sequence>
                    <xs:element name="item" maxOccurs="unbounded"><xs:complexType>
                      <xs:attribute name="n" type="xs:positiveInteger" use="required"/>
                    </xs:complexType></xs:element>
                  </xs:sequence></xs:complexType></xs:element>
                </xs:schema>
                """.utf8), name: "list.xsd")
        let document = Data(("<list>" + String(repeating: "<item n='0'/>\n", count: 100_000) + "</list>").utf8)
        var violations: [XMLError] = []
        let written = quietly { violations = (try? schema.validate(document)) ?? [] }
        #expect(violations.count == 21)
        #expect(violations.last?.message == "99980 more schema violations not listed")
        #expect(violations.allSatisfy { !$0.description.contains("\n") })
        #expect(written.isEmpty)
    }

    // MARK: Encodings

    @Test(arguments: ["EBCDIC-US", "ISO-8859-1", "Shift_JIS", "US-ASCII", "UTF-32"])
    func refusesAnyDeclaredEncodingButUTF8(encoding: String) throws {
        var data = Data("<?xml version=\"1.0\" encoding=\"\(encoding)\"?>\n<a>caf".utf8)
        data.append(0xE9)  // é in ISO-8859-1, not UTF-8
        data.append(Data("</a>".utf8))
        let (error, stderr) = refusal { _ = try reader.read(data) }
        let found = try #require(error)
        #expect(found.code == .invalidEncoding)
        #expect(
            found.message
                == "declares encoding \"\(encoding)\"; only UTF-8, or UTF-16 with a byte order mark, is accepted")
        #expect(found.line == 1 && found.column == 31)
        #expect(stderr.isEmpty)
    }

    @Test func refusesEBCDICBytes() throws {
        // "<?xml version="1.0"?><a/>" in EBCDIC (code page 37).
        let ebcdic: [UInt8] = [
            0x4C, 0x6F, 0xA7, 0x94, 0x93, 0x40, 0xA5, 0x85, 0x99, 0xA2, 0x89, 0x96, 0x95, 0x7E, 0x7F, 0xF1, 0x4B, 0xF0,
            0x7F, 0x6F, 0x6E, 0x4C, 0x81, 0x61, 0x6E,
        ]
        let (error, stderr) = refusal { _ = try reader.read(Data(ebcdic)) }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.message == "document is not UTF-8: it starts like EBCDIC")
        #expect(stderr.isEmpty)
    }

    @Test func readsUTF16WithAByteOrderMark() throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<a n=\"é\">café 🙂 &amp; “quotes”</a>"
        let expected = try reader.read(text.replacingOccurrences(of: "UTF-16", with: "UTF-8"))
        for bigEndian in [true, false] {
            var data = Data(bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE])
            for unit in text.utf16 {
                data.append(
                    contentsOf: bigEndian
                        ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)])
            }
            var root: XMLElement?
            let written = quietly { root = try? reader.read(data) }
            #expect(root == expected, "big-endian: \(bigEndian)")
            #expect(written.isEmpty)
        }
        // With no declaration at all, the byte order mark is enough.
        var bare = Data([0xFF, 0xFE])
        for unit in "<a>x</a>".utf16 { bare.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        #expect(try reader.read(bare).text == "x")
    }

    @Test func refusesBrokenUTF16() throws {
        func utf16LE(_ units: [UInt16]) -> Data {
            var data = Data([0xFF, 0xFE])
            for unit in units { data.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
            return data
        }
        let lone = utf16LE(Array("<a>\nab".utf16) + [0xD800] + Array("</a>".utf16))
        let (error, stderr) = refusal { _ = try reader.read(lone) }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.message == "invalid UTF-16: unpaired surrogate 0xD800")
        #expect(error?.line == 2 && error?.column == 3)
        #expect(stderr.isEmpty)

        var odd = utf16LE(Array("<a>x</a>".utf16))
        odd.append(0x20)
        #expect(
            refusal { _ = try reader.read(odd) }.error?.message
                == "invalid UTF-16: the document has an odd number of bytes")

        let mislabelled = utf16LE(Array("<?xml version='1.0' encoding='UTF-8'?><a/>".utf16))
        #expect(
            refusal { _ = try reader.read(mislabelled) }.error?.message
                == "declares encoding \"UTF-8\" but starts with a UTF-16 byte order mark")
    }

    @Test func refusesUTF16WithoutAByteOrderMark() throws {
        let declared = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>"
        #expect(
            refusal { _ = try reader.read(declared) }.error?.message
                == "declares encoding \"UTF-16\" but has no UTF-16 byte order mark")
        var bare = Data()
        for unit in "<a>x</a>".utf16 { bare.append(contentsOf: [UInt8(unit >> 8), UInt8(unit & 0xFF)]) }
        let (error, stderr) = refusal { _ = try reader.read(bare) }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.line == 1 && error?.column == 1)
        #expect(stderr.isEmpty)
    }

    @Test(
        arguments: [
            [0xC0, 0xAF],  // overlong '/'
            [0xED, 0xA0, 0x80],  // a UTF-16 surrogate encoded as UTF-8
            [0xF5, 0x80, 0x80, 0x80],  // beyond U+10FFFF
            [0xE2, 0x82],  // truncated sequence
            [0x80],  // a continuation byte alone
        ] as [[UInt8]])
    func refusesBytesThatAreNotUTF8(bad: [UInt8]) throws {
        for place in ["text", "attribute", "comment"] {
            var data = Data(
                place == "attribute" ? "<a>\n<b c='x".utf8 : place == "comment" ? "<a>\n<!--x".utf8 : "<a>\nx".utf8)
            data.append(contentsOf: bad)
            data.append(Data((place == "attribute" ? "'/></a>" : place == "comment" ? "--></a>" : "</a>").utf8))
            let (error, stderr) = refusal { _ = try reader.read(data) }
            let found = try #require(error, "\(bad) in \(place)")
            #expect(found.code == .invalidEncoding || found.code == .forbiddenCharacter, "\(bad) in \(place): \(found)")
            #expect(found.line == 2, "\(bad) in \(place): \(found)")
            #expect(stderr.isEmpty)
        }
    }

    @Test func readsUTF8WithAByteOrderMark() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("<?xml version='1.0' encoding='utf-8'?><a>é</a>".utf8))
        #expect(try reader.read(data).text == "é")
    }
}
