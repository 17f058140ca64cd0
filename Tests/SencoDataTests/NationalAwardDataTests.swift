import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import SencoXML
import Testing

/// The shipped National Award outcomes, read through the project's own reader, against Section 3
/// of the 2009 specification: areas, sub-areas with their stems, outcome counts and ids.
struct NationalAwardDataTests {
    let framework: Framework

    init() throws {
        let file = TestSupport.frameworksDirectory.appendingPathComponent("national-award-2009.xml")
        framework = try FrameworkDecoder.framework(from: try XMLReader().read(contentsOf: file), file: file.path)
    }

    /// Outcomes per sub-area, area by area, as printed.
    static let outcomes: [[Int]] = [[6, 4, 4], [4, 3, 4], [8, 2, 2], [5, 5], [6, 2]]

    @Test func areasSubareasAndOutcomesMatchTheDocument() throws {
        #expect(framework.id == "national-award-2009")
        let areas = framework.awardAreas
        #expect(areas.map(\.number) == [1, 2, 3, 4, 5])
        #expect(areas.map { $0.subareas.map(\.outcomes.count) } == Self.outcomes)
        #expect(framework.statements.count == 55)
        for area in areas {
            for (s, subarea) in area.subareas.enumerated() {
                #expect(subarea.number == "\(area.number).\(s + 1)")
                #expect(subarea.outcomes.map(\.id) == (1...subarea.outcomes.count).map { "NA-\(area.number).\(s + 1).\($0)" })
                #expect(subarea.stem.hasPrefix("Training should enable SENCOs to"), "stem of \(subarea.number): \(subarea.stem)")
            }
        }
    }

    @Test func areaAndSubareaTitlesAreThePrintedHeadings() throws {
        let areas = framework.awardAreas
        #expect(areas.map { $0.title.uppercased() } == [
            "PROFESSIONAL CONTEXT", "STRATEGIC DEVELOPMENT OF SEN POLICY AND PROCEDURES", "COORDINATING PROVISION",
            "LEADING, DEVELOPING AND SUPPORTING COLLEAGUES", "WORKING IN PARTNERSHIP WITH PUPILS, FAMILIES AND OTHER PROFESSIONALS",
        ])
        #expect(areas[0].subareas[0].title == "Statutory and regulatory frameworks and relevant developments at national and local level")
        #expect(areas[2].subareas[0].stem == "Training should enable SENCOs to develop, monitor, evaluate and review systems for:")
        #expect(areas[1].subareas[1].stem == "Training should enable SENCOs to know:")
    }

    @Test func outcomesAreVerbatim() throws {
        #expect(framework.statement(withID: "NA-1.1.3")?.text == "local interpretations of national guidance")
        #expect(framework.statement(withID: "NA-3.1.7")?.text.hasPrefix("ensuring appropriate arrangements are put in place") == true, "the list continues after the converter's blank line")
        #expect(framework.statement(withID: "NA-4.1.4")?.text.contains("fulfill") == true, "spelling as printed")
        for outcome in framework.statements {
            #expect(!outcome.text.hasPrefix("- ") && !outcome.text.contains("**") && !outcome.text.contains("<sup>"), "\(outcome.id)")
        }
    }

    /// Every list in Section 3 ends its second-to-last bullet with ", and", so each sub-area,
    /// 5.2 included, is complete as encoded (Frameworks/README.md, notes on the data).
    @Test func everySubareaEndsItsSecondToLastOutcomeWithAnd() throws {
        for subarea in framework.awardAreas.flatMap(\.subareas) {
            let outcomes = subarea.outcomes
            #expect(outcomes.count >= 2, "\(subarea.number)")
            #expect(outcomes[outcomes.count - 2].text.hasSuffix(", and"), "\(subarea.number): \(outcomes[outcomes.count - 2].id)")
            #expect(!outcomes[outcomes.count - 1].text.hasSuffix(", and"), "\(subarea.number): the last bullet")
        }
    }

    @Test func licenceAndAttributionAgree() throws {
        #expect(framework.source.licence.hasPrefix("Crown copyright 2009"))
        #expect(framework.source.licence.contains("Open Government Licence v3.0"))
        #expect(framework.source.attribution.contains("Crown copyright 2009"))
        #expect(framework.source.attribution.contains("Open Government Licence v3.0"))
    }

    @Test func keepsTheNineKeyFeaturesOfTheRole() throws {
        guard case .nationalAward(let stem, let features, _) = framework.content else {
            Issue.record("not a National Award framework")
            return
        }
        #expect(features.count == 9)
        #expect(features.first == "contributing to strategic development of SEN provision")
        #expect(features.last == "liaising with external agencies")
        #expect(stem.hasSuffix("the key features of which are:"))
    }
}

/// Every shipped file validates against its schema and the semantic checks, through the library.
struct ShippedDataValidationTests {
    @Test func everyShippedFileIsValid() throws {
        let directory = TestSupport.frameworksDirectory
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "xml" }
        #expect(files.count == 3)
        #expect(FrameworkLibrary.validate(files: files, schemaDirectory: directory).isEmpty)
        let library = try TestSupport.library()
        #expect(library.frameworks.map(\.id).sorted() == ["national-award-2009", "npq-senco-2023"])
        #expect(library.crosswalks.count == 1)
    }

    @Test func crosswalkCoversEveryOutcome() throws {
        let library = try TestSupport.library()
        let crosswalk = try #require(library.crosswalks.first)
        let award = try #require(library.framework(withID: "national-award-2009"))
        for outcome in award.statements {
            let linked = !crosswalk.links(toOutcome: outcome.id).isEmpty
            let gap = crosswalk.gap(forOutcome: outcome.id) != nil
            #expect(linked != gap, "\(outcome.id) is linked or has no equivalent, not both or neither")
        }
        #expect(crosswalk.links.allSatisfy { !$0.rationale.isEmpty })
        #expect(crosswalk.noEquivalent.allSatisfy { !$0.reason.isEmpty })
    }
}
