import Foundation
import Testing

@testable import SencoXML

/// Every hostile document must be refused quickly, with a clear code and a location, and without
/// reading anything it points at.
@Suite(.serialized)
struct XMLReaderHostileInputTests {
    let reader = XMLReader()

    /// Runs `body`, checks it throws an `XMLError`, and that it took under a second.
    func refusal(_ body: () throws -> Void) -> XMLError? {
        let clock = ContinuousClock()
        var caught: (any Error)?
        let elapsed = clock.measure {
            do { try body() } catch { caught = error }
        }
        #expect(caught is XMLError, "fails with an XMLError, not \(String(describing: caught))")
        #expect(elapsed < .seconds(1), "hostile input must be refused in under a second, took \(elapsed)")
        return caught as? XMLError
    }

    @Test func refusesBillionLaughs() throws {
        var doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            doc += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
        }
        doc += "]>\n<lolz>&lol9;</lolz>"
        let error = try #require(refusal { _ = try reader.read(doc) })
        #expect(error.code == .doctypeForbidden)
        #expect(error.line == 2, "the DOCTYPE is on line 2")
        #expect(error.description.contains("DOCTYPE"))
    }

    @Test func refusesExternalEntityPointingAtLocalFile() throws {
        let doc = """
            <?xml version="1.0"?>
            <!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <foo>&xxe;</foo>
            """
        let error = try #require(refusal { _ = try reader.read(doc) })
        #expect(error.code == .doctypeForbidden)
        #expect(!error.message.contains("root:"), "nothing from /etc/passwd may appear")
    }

    @Test func refusesExternalDTD() throws {
        let doc = """
            <?xml version="1.0"?>
            <!DOCTYPE portfolio SYSTEM "http://127.0.0.1:9/evil.dtd">
            <portfolio/>
            """
        let error = try #require(refusal { _ = try reader.read(doc) })
        #expect(error.code == .doctypeForbidden)
    }

    @Test func refusesUndeclaredEntityWithoutDoctype() throws {
        let error = try #require(refusal { _ = try reader.read("<a>&xxe;</a>") })
        #expect(error.code == .notWellFormed)
        #expect(error.line == 1)
    }

    @Test func refusesHundredThousandLevelsOfNesting() throws {
        let depth = 100_000
        let doc = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        let error = try #require(refusal { _ = try reader.read(doc) })
        #expect(error.code == .tooDeep)
        #expect(error.line == 1)
    }

    @Test func refusesNestingBeyondTheConfiguredDepth() throws {
        let strict = XMLReader(options: XMLReadOptions(maximumDepth: 5))
        let doc = String(repeating: "<a>", count: 6) + String(repeating: "</a>", count: 6)
        let error = try #require(refusal { _ = try strict.read(doc) })
        #expect(error.code == .tooDeep)
        #expect(throws: Never.self) { _ = try strict.read("<a><a><a><a><a/></a></a></a></a>") }
    }

    @Test func refusesFiftyMegabyteTextNode() throws {
        var data = Data("<a>".utf8)
        data.append(Data(repeating: UInt8(ascii: "x"), count: 50 * 1024 * 1024))
        data.append(Data("</a>".utf8))
        let error = try #require(refusal { _ = try reader.read(data) })
        #expect(error.code == .tooLarge)
        #expect(error.message.contains("limit"))
    }

    @Test func refusesInvalidUTF8() throws {
        var data = Data("<a>caf".utf8)
        data.append(contentsOf: [0xC3, 0x28])  // a lead byte followed by a non-continuation byte
        data.append(Data("</a>".utf8))
        let error = try #require(refusal { _ = try reader.read(data) })
        #expect(error.code == .invalidEncoding)
        #expect(error.line == 1)
    }

    @Test func refusesControlCharacter() throws {
        let error = try #require(refusal { _ = try reader.read("<a>\nbell\u{07}</a>") })
        #expect(error.code == .forbiddenCharacter || error.code == .notWellFormed)
        #expect(error.line == 2)
        #expect(error.column > 0)
    }

    @Test func refusesTruncatedDocument() throws {
        let error = try #require(refusal { _ = try reader.read("<portfolio>\n  <participant id=\"p1\">\n    <name>Ann") })
        #expect(error.code == .notWellFormed)
        #expect(error.line >= 3)
    }

    @Test func refusesEmptyInputAndNonXML() throws {
        #expect(refusal { _ = try reader.read("") }?.code == .notWellFormed)
        #expect(refusal { _ = try reader.read("%PDF-1.4 not xml") }?.code == .notWellFormed)
    }

    @Test func refusesDirectoriesAndMissingFiles() throws {
        let directory = FileManager.default.temporaryDirectory
        #expect(refusal { _ = try reader.read(contentsOf: directory) }?.message.contains("directory") == true)
        let missing = directory.appendingPathComponent("no-such-\(UUID()).xml")
        #expect(refusal { _ = try reader.read(contentsOf: missing) }?.source == missing.path)
    }

    @Test func readsAnOrdinaryDocument() throws {
        let root = try reader.read(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment is dropped -->
            <framework id="x">
              <title>Caf\u{E9} &amp; “quotes” <![CDATA[<raw>]]></title>
              <item n="1"/><item n="2"/>
            </framework>
            """)
        #expect(root.name == "framework")
        #expect(root[attribute: "id"] == "x")
        #expect(root.element(named: "title")?.text == "Café & “quotes” <raw>")
        #expect(root.elements(named: "item").map { $0[attribute: "n"] } == ["1", "2"])
        #expect(root.element(named: "title")?.line == 4)
    }

    @Test func concurrentParsesKeepTheirErrorsApart() async throws {
        try await withThrowingTaskGroup(of: (Bool, XMLError?).self) { group in
            for index in 0..<40 {
                group.addTask {
                    let good = index.isMultiple(of: 2)
                    do {
                        _ = try XMLReader().read(good ? "<a>\(index)</a>" : "<a>\n\n<b></a>")
                        return (good, nil)
                    } catch {
                        return (good, error as? XMLError)
                    }
                }
            }
            for try await (good, error) in group {
                if good {
                    #expect(error == nil)
                } else {
                    #expect(error?.line == 3)
                }
            }
        }
    }
}
