import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import SencoXML
import Testing

/// The NPQ file beyond its statements: the shared bibliography, the document's definitions of
/// its two kinds of statement, the introduction on the role of the SENCO, the statute flags,
/// and the copyright line and licence address.
struct NPQNotesDataTests {
    let framework: Framework
    let seed: [String]

    init() throws {
        let file = TestSupport.frameworksDirectory.appendingPathComponent("npq-senco-2023.xml")
        framework = try FrameworkDecoder.framework(from: try XMLReader().read(contentsOf: file), file: file.path)
        seed = try String(
            contentsOf: TestSupport.seedsDirectory.appendingPathComponent("npq-senco-framework-2023.txt"), encoding: .utf8
        ).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    var bibliography: [FrameworkNotes.Reference] { framework.notes.bibliography }

    @Test func everyPrintedReferenceNamesOneSharedEntry() throws {
        let sections = framework.npqSections
        #expect(sections.map(\.references.count).reduce(0, +) == 97)
        #expect(bibliography.count == 83, "97 printed references, 14 of them repeats")
        #expect(Set(bibliography.map(\.id)).count == bibliography.count, "ids are unique")
        var cited: Set<String> = []
        for section in sections {
            #expect(section.referenceIDs.count == section.references.count, "section \(section.number)")
            for (printed, id) in zip(section.references, section.referenceIDs) {
                let entry = try #require(framework.notes.reference(withID: id), "section \(section.number): \(id)")
                cited.insert(id)
                #expect(printed.contains(String(entry.year)), "\(id): year")
                // Merged repeats print authors with different spacing ("M. A." and "M.A."): compare the first name.
                if let first = (entry.authors ?? entry.body)?.split(separator: ",").first {
                    #expect(printed.hasPrefix(first), "\(id): \(first)")
                }
            }
        }
        #expect(cited == Set(bibliography.map(\.id)), "every entry is cited")
    }

    /// Duplicates are merged: no two entries share first author (or body), year and title.
    @Test func duplicatesAreMerged() {
        func key(_ entry: FrameworkNotes.Reference) -> String {
            let who = (entry.authors ?? entry.body ?? "").split(separator: ",").first.map(String.init) ?? ""
            let title = entry.title.lowercased().filter { $0.isLetter || $0.isNumber }
            return "\(who)|\(entry.year)|\(title)"
        }
        #expect(Set(bibliography.map(key)).count == bibliography.count)
        let code = bibliography.filter { $0.title.hasPrefix("Special educational needs and disabilities Code of Practice") }
        #expect(code.count == 1)
        let citing = framework.npqSections.filter { $0.referenceIDs.contains(code.first?.id ?? "") }.map(\.number)
        #expect(citing == [1, 2, 3, 5, 6])
    }

    /// Titles and addresses come from the printed text; the two addresses the converter dropped
    /// are restored from the hyperlink targets at the lines the README names.
    @Test func fieldsComeFromThePrintedTextAndDroppedLinksAreRestored() throws {
        let printed = framework.npqSections.flatMap { zip($0.referenceIDs, $0.references) }
        for entry in bibliography {
            let texts = printed.filter { $0.0 == entry.id }.map(\.1)
            #expect(texts.contains { $0.contains(entry.title) }, "\(entry.id): title “\(entry.title)”")
            for address in entry.addresses {
                if let line = address.restoredFromLine {
                    #expect(seed[line - 1].contains("](\(address.url))"), "\(entry.id): link target on line \(line)")
                    #expect(!texts.contains { $0.contains(address.url) }, "\(entry.id): not printed, so restored")
                } else {
                    #expect(texts.contains { $0.contains(address.url) }, "\(entry.id): \(address.url)")
                }
            }
        }
        let restored = bibliography.flatMap { entry in entry.addresses.compactMap { $0.restoredFromLine.map { (entry.id, $0) } } }
        #expect(restored.map(\.1).sorted() == [425, 427])
        let gutman = try #require(bibliography.first { $0.authors?.hasPrefix("Gutman") == true })
        #expect(gutman.addresses.map(\.url) == ["https://www.ucl.ac.uk/education/research/gutman-schoon-2013-non-cognitive-skills-literature-review.pdf"])
        #expect(bibliography.first { $0.title == "Equality Act" }.map { $0.authors == nil && $0.body == nil } == true)
    }

    @Test func definitionsOfTheTwoKindsOfStatementAreVerbatim() throws {
        let learnThat = try #require(framework.notes.definition(of: .learnThat))
        let learnHowTo = try #require(framework.notes.definition(of: .learnHowTo))
        #expect(learnThat.term == "key evidence statements")
        #expect(learnHowTo.term == "practice statements")
        // Lines 117 and 119 are one paragraph split by a page break (README, corrections).
        let paragraph = seed[116] + " " + seed[118]
        #expect(paragraph.contains(learnThat.text))
        #expect(paragraph.contains(learnHowTo.text))
        #expect(learnThat.text.hasPrefix("Within each area, key evidence statements (“Learn that...”)"))
        #expect(learnHowTo.text.hasSuffix("and other sector representatives."))
    }

    @Test func introductionOnTheRoleOfTheSENCOIsVerbatim() throws {
        let introduction = try #require(framework.notes.introduction)
        #expect(introduction.title == "The role of the SENCO")
        #expect(introduction.paragraphs.count == 7)
        for paragraph in introduction.paragraphs {
            #expect(seed[134..<151].contains(paragraph), "\(paragraph.prefix(40))")
        }
    }

    @Test func statementsThatCiteStatuteAreFlagged() {
        let flagged = framework.statements.filter { $0.statute != nil }
        #expect(flagged.map(\.id) == ["2.1", "2.4", "2.7", "2.8", "2.c"])
        for statement in flagged {
            let act = statement.statute ?? ""
            let name = act.dropLast(5)  // "Children and Families Act", without " 2014"
            #expect(statement.text.contains(name) && statement.text.contains(act.suffix(4)), "\(statement.id) cites \(act)")
        }
        let guidanceOnly = framework.statements.filter { $0.text.contains("SEND Code of Practice 2015") && $0.statute != nil }
        #expect(guidanceOnly.isEmpty, "the Code is statutory guidance, not statute")
    }

    @Test func copyrightAndLicenceAddressAreInTheFile() {
        #expect(framework.source.copyright == "Crown copyright 2023")
        #expect(seed.contains("Crown copyright 2023"))
        let url = framework.source.licenceURL ?? ""
        #expect(url == "https://nationalarchives.gov.uk/doc/open-government-licence/version/3")
        #expect(seed.contains { $0.contains("(\(url))") }, "the address the document links to")
    }
}
