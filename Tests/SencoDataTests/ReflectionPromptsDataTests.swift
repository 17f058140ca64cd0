import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import SencoXML
import Testing

/// `Portfolios/reflection-prompts.xml`: valid, every prompt copied from the section of the seed
/// it names, and every evidence type served.
struct ReflectionPromptsDataTests {
    let schemas: PortfolioSchemas
    var prompts: ReflectionPrompts { schemas.prompts }

    init() throws {
        schemas = try TestSupport.schemas()
    }

    /// A seed's lines, and the same with converter markup removed: list markers, numbering,
    /// emphasis asterisks, heading hashes and runs of white space.
    static func seed(_ file: String) throws -> [String] {
        try String(contentsOf: TestSupport.seedsDirectory.appendingPathComponent(file), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    static func plain(_ line: String) -> String {
        var text = line.replacingOccurrences(of: "*", with: "")
        while text.hasPrefix("#") { text.removeFirst() }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func promptsFileValidatesAgainstItsSchema() throws {
        let directory = TestSupport.portfoliosDirectory
        let schema = try XMLSchema(contentsOf: directory.appendingPathComponent("reflection-prompts.xsd"))
        let file = directory.appendingPathComponent("reflection-prompts.xml")
        let violations = try schema.validate(try Data(contentsOf: file), source: file.path)
        #expect(violations.isEmpty, "\(violations)")
        #expect(prompts.check(against: schemas.rules).isEmpty)
    }

    /// Each prompt's section and heading are headings of the named seed, printed above the
    /// prompt's line, and the prompt's words are on that line, character for character.
    @Test func everyPromptNamesASeedSectionThatExists() throws {
        #expect(!prompts.prompts.isEmpty)
        for prompt in prompts.prompts {
            let source = try #require(prompts.source(withID: prompt.source), "\(prompt.id)")
            let lines = try Self.seed(source.file)
            #expect(prompt.line >= 1 && prompt.line <= lines.count, "\(prompt.id) line \(prompt.line)")
            guard prompt.line >= 1 && prompt.line <= lines.count else { continue }
            let above = Set(lines[..<(prompt.line - 1)].map(Self.plain))
            let sectionAbove = above.contains(prompt.section)
            #expect(sectionAbove, "\(prompt.id): section “\(prompt.section)” is not a line above it in \(source.file)")
            if let heading = prompt.heading {
                let headingAbove = above.contains(heading)
                #expect(headingAbove, "\(prompt.id): heading “\(heading)” is not a line above it in \(source.file)")
            }
            let line = Self.plain(lines[prompt.line - 1])
            #expect(line.contains(prompt.text), "\(prompt.id): the text is not on line \(prompt.line) of \(source.file)")
            if let label = prompt.label {
                #expect(line.contains("\(label) – \(prompt.text)"), "\(prompt.id): label as printed")
            }
            if let stem = prompt.stem {
                let recent = lines[max(0, prompt.line - 12)..<(prompt.line - 1)].map(Self.plain)
                let stemAbove = recent.contains { $0.hasSuffix(stem) }
                #expect(stemAbove, "\(prompt.id): the stem “\(stem)” does not end a line just above it")
            }
        }
    }

    @Test func everyEvidenceTypeHasAtLeastOnePrompt() throws {
        for type in schemas.rules.types {
            #expect(!prompts.prompts(type: type.id).isEmpty, "no prompt for \(type.id)")
        }
        for prompt in prompts.prompts {
            #expect(prompt.types.allSatisfy { schemas.rules.type(withID: $0) != nil }, "\(prompt.id): \(prompt.types)")
            #expect(!prompt.npqSections.isEmpty && prompt.npqSections.allSatisfy { (1...8).contains($0) }, "\(prompt.id)")
        }
    }

    @Test func promptsPerSourceAreAsEncoded() {
        let bySource = Dictionary(grouping: prompts.prompts, by: \.source).mapValues(\.count)
        #expect(bySource == ["effective-leadership-2006": 12, "senco-induction-pack-2019": 58])
        let pauses = prompts.prompts.filter { $0.heading == "Pause for reflection" }
        #expect(pauses.count == 12, "every “Pause for reflection” question of Effective leadership")
        #expect(prompts.prompts.filter { $0.heading == "Key questions" }.count == 7, "the person-centred review questions")
        #expect(prompts.prompts.filter { $0.heading == "Assess" }.count == 7)
    }

    /// The seven key ingredients, named as the introduction lists them, each with its heading.
    @Test func sevenKeyIngredientsAreTagsFromEffectiveSENSupport() throws {
        #expect(prompts.ingredients.map(\.number) == Array(1...7))
        for ingredient in prompts.ingredients {
            let source = try #require(prompts.source(withID: ingredient.source))
            let lines = try Self.seed(source.file)
            #expect(Self.plain(lines[ingredient.line - 1]) == "\(ingredient.number). \(ingredient.name)", "\(ingredient.id)")
            let headed = lines.map(Self.plain).contains(ingredient.section)
            #expect(headed, "\(ingredient.id): \(ingredient.section)")
        }
        #expect(prompts.ingredients.first?.name == "Inclusive culture, leadership and management")
    }

    @Test func filtersByTypeAndSection() {
        let both = prompts.prompts(type: "work-scrutiny", section: 4)
        #expect(!both.isEmpty)
        #expect(both.allSatisfy { $0.types.contains("work-scrutiny") && $0.npqSections.contains(4) })
        #expect(prompts.prompts(type: "no-such-type").isEmpty)
    }
}

/// The evidence types the seeds ask for, as shipped in `Portfolios/evidence-rules.xml`.
struct EvidenceTypesDataTests {
    @Test func workScrutinyAndTheBaselineAndImpactTypesAreShipped() throws {
        let rules = try TestSupport.schemas().rules
        #expect(rules.type(withID: "work-scrutiny")?.shows == .practice)
        #expect(rules.type(withID: "intervention-review")?.impact == .required)
        #expect(rules.type(withID: "provision-review")?.impact == .required)
        #expect(rules.type(withID: "provision-map")?.impact == .optional)
        #expect(rules.types.filter { $0.impact == .required }.count == 2)
    }
}

/// A broken or hostile prompts file stops the load with a located, one-line reason.
struct ReflectionPromptsHostileInputTests {
    /// A copy of `Portfolios/` with `reflection-prompts.xml` replaced by `text`.
    static func directory(with text: String) throws -> URL {
        let directory = try TestSupport.temporaryDirectory("senco-prompts")
        let source = TestSupport.portfoliosDirectory
        for name in ["reflection-prompts.xsd", "evidence-rules.xml", "evidence-rules.xsd", "portfolio.xsd", "cohort.xsd", "moderation-plan.xsd", "summary.xsd"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        try text.write(to: directory.appendingPathComponent("reflection-prompts.xml"), atomically: true, encoding: .utf8)
        return directory
    }

    static var shipped: String {
        get throws {
            try String(contentsOf: TestSupport.portfoliosDirectory.appendingPathComponent("reflection-prompts.xml"), encoding: .utf8)
        }
    }

    func loadError(_ text: String) throws -> DataError? {
        let directory = try Self.directory(with: text)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try PortfolioSchemas(directory: directory)
            return nil
        } catch {
            return error
        }
    }

    @Test func refusesADoctype() throws {
        let hostile = try Self.shipped.replacingOccurrences(
            of: "<reflectionPrompts version=\"1\">",
            with: "<!DOCTYPE r [<!ENTITY x \"boom\">]>\n<reflectionPrompts version=\"1\">")
        let error = try #require(try loadError(hostile), "a DOCTYPE is refused")
        #expect(error.findings.allSatisfy { $0.file.hasSuffix("reflection-prompts.xml") })
    }

    @Test func refusesAPromptForAnUnknownEvidenceType() throws {
        let broken = try Self.shipped.replacingOccurrences(of: "types=\"work-scrutiny\"", with: "types=\"essay\"")
        let error = try #require(try loadError(broken))
        #expect(error.description.contains("names evidence type \"essay\", which the evidence rules do not have"))
    }

    @Test func refusesAPromptWithNoText() throws {
        let broken = try Self.shipped.replacingOccurrences(
            of: "<text>What factors may be inhibiting progress?</text>", with: "")
        let error = try #require(try loadError(broken))
        #expect(error.findings.contains { $0.line > 0 }, "schema errors carry a line")
    }
}
