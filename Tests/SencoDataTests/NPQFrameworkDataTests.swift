import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import SencoXML
import Testing

/// The shipped NPQ framework, read through the project's own reader, against the published
/// document: counts per section (transcribed from the DfE PDF), ids without gaps, and the ids
/// found in the converted source text itself.
struct NPQFrameworkDataTests {
    let framework: Framework

    init() throws {
        let file = TestSupport.frameworksDirectory.appendingPathComponent("npq-senco-2023.xml")
        let root = try XMLReader().read(contentsOf: file)
        framework = try FrameworkDecoder.framework(from: root, file: file.path)
    }

    struct Expected: Sendable, CustomTestStringConvertible {
        let number: Int
        let title: String
        let learnThat: Int
        let learnHowTo: Int
        let groups: Int
        var testDescription: String { "section \(number)" }
    }

    static let sections = [
        Expected(number: 1, title: "School culture", learnThat: 11, learnHowTo: 10, groups: 2),
        Expected(number: 2, title: "Statutory framework", learnThat: 15, learnHowTo: 17, groups: 4),
        Expected(number: 3, title: "Identification of need", learnThat: 9, learnHowTo: 15, groups: 2),
        Expected(number: 4, title: "Teaching", learnThat: 13, learnHowTo: 13, groups: 2),
        Expected(number: 5, title: "Behaviour", learnThat: 17, learnHowTo: 17, groups: 5),
        Expected(number: 6, title: "Leading and managing provision", learnThat: 8, learnHowTo: 21, groups: 4),
        Expected(number: 7, title: "Professional development", learnThat: 13, learnHowTo: 13, groups: 3),
        Expected(number: 8, title: "Implementation", learnThat: 12, learnHowTo: 20, groups: 5),
    ]

    @Test func hasEightSectionsAndTwoHundredAndTwentyFourStatements() {
        #expect(framework.id == "npq-senco-2023")
        #expect(framework.npqSections.map(\.number) == Array(1...8))
        #expect(framework.statements.count == 224)
        #expect(framework.statements.filter { $0.kind == .learnThat }.count == 98)
        #expect(framework.statements.filter { $0.kind == .learnHowTo }.count == 126)
    }

    @Test(arguments: sections)
    func sectionMatchesTheDocument(expected: Expected) throws {
        let section = try #require(framework.npqSections.first { $0.number == expected.number })
        #expect(section.title == expected.title)
        #expect(section.learnThat.map(\.id) == (1...expected.learnThat).map { "\(expected.number).\($0)" })
        let letters = "abcdefghijklmnopqrstuvwxyz".map(String.init)
        #expect(section.learnHowTo.map(\.id) == letters.prefix(expected.learnHowTo).map { "\(expected.number).\($0)" })
        #expect(section.groups.count == expected.groups)
        #expect(section.groups.allSatisfy { $0.heading.hasSuffix("including by:") }, "every group heading is a bold \"…including by:\" line")
        #expect(!section.references.isEmpty, "every section has references")
        #expect(section.intro == nil || expected.number == 4, "only Section Four has an introduction")
    }

    @Test func sectionFourKeepsItsIntroduction() throws {
        let intro = try #require(framework.npqSections[3].intro)
        #expect(intro.hasPrefix("This framework focusses on the knowledge and skills SENCOs learn"))
        #expect(intro.hasSuffix("including those set out in the Early Career Framework."))
    }

    @Test func splitRowsAreRejoinedAndTheMisreadIDIsFixed() throws {
        #expect(framework.statement(withID: "2.11")?.text == "The governing body or proprietor are responsible for setting the strategic direction for SEND policy, and for ensuring the school uses its best endeavours to secure special education provision to meet a pupil's need (SEND Code of Practice 2015).")
        #expect(framework.statement(withID: "2.l")?.text == "Ensuring teachers are aware of the full package of provision around a pupil.")
        #expect(framework.statement(withID: "2.1")?.text.hasPrefix("The Children and Families Act (2014), Part 3") == true)
        #expect(framework.statement(withID: "2.l")?.group == "Work closely with other agencies and specialists including by:")
    }

    @Test func textIsVerbatimWithoutConverterTags() {
        for statement in framework.statements {
            #expect(!statement.text.contains("<p"), "\(statement.id) carries a converter tag")
            #expect(!statement.text.contains("<b>") && !statement.text.contains("data-bbox"), "\(statement.id)")
            #expect(statement.text == statement.text.trimmingCharacters(in: .whitespacesAndNewlines), "\(statement.id) has stray spaces")
            #expect(!statement.text.contains("  "), "\(statement.id) has doubled spaces")
            #expect(statement.text.last.map { ".;:)".contains($0) } == true, "\(statement.id) ends as a sentence: \(statement.text.suffix(20))")
        }
        #expect(framework.statement(withID: "2.4")?.text.contains("family’s wish") == true, "curly apostrophe as published")
    }

    /// Every id printed in the converted source's framework tables is in the XML (2.1 appears
    /// twice there: once as itself and once as the misread 2.l), and nothing else is.
    @Test func idsMatchTheConvertedSourceDocument() throws {
        let source = TestSupport.seedsDirectory.appendingPathComponent("npq-senco-framework-2023.txt")
        let text = try String(contentsOf: source, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix("## One – School culture") })
        let end = try #require(lines.firstIndex { $0.hasPrefix("# References") })
        let body = lines[start..<end].joined(separator: "\n")
        let pattern = try Regex(#"<p[^>]*>([1-8])\.([0-9]+|[a-z]) "#)
        var printed = body.matches(of: pattern).map { String(body[$0.range]).split(separator: ">").last!.trimmingCharacters(in: .whitespaces) }
        let misread = try #require(printed.lastIndex(of: "2.1"))
        printed[misread] = "2.l"
        #expect(Set(printed) == Set(framework.statements.map(\.id)))
        #expect(printed.count == 224)
    }
}
