import Foundation
import SencoTestSupport
import Testing

/// `senco prompts [--type T] [--section N]`, run as a user would.
struct PromptsCommandTests {
    @Test func listsPromptsForATypeWithTheirSources() throws {
        let result = try SencoBinary.run(["prompts", "--type", "work-scrutiny"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Reflection prompts for Work scrutiny (work-scrutiny): 4\n"))
        #expect(result.stdout.contains("SENCO Induction Pack: supporting you at the start of your journey, Section 14: The SENCO, self-evaluation and Ofsted"))
        #expect(result.stdout.contains("  - Is there evidence that work from interventions is being generalised into classroom work?\n"))
        #expect(result.stdout.contains("  6. Progress tracking [progress-tracking]\n"), "the key ingredients are listed as tags")
        #expect(result.stdout.hasSuffix("Contains public sector information licensed under the Open Government Licence v3.0.\n"))
    }

    @Test func filtersBySectionAndType() throws {
        let result = try SencoBinary.run(["prompts", "--section", "7", "--type", "cpd-record", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        struct Output: Decodable {
            struct Prompt: Decodable { let id: String; let types: [String]; let npqSections: [Int] }
            let prompts: [Prompt]
        }
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(!output.prompts.isEmpty)
        #expect(output.prompts.allSatisfy { $0.types.contains("cpd-record") && $0.npqSections.contains(7) })
        #expect(output.prompts.map(\.id).contains("ip-cpd-1"))
    }

    @Test func refusesAnUnknownTypeOrSectionInOneLine() throws {
        let type = try SencoBinary.run(["prompts", "--type", "essay"])
        #expect(type.status != 0)
        #expect(type.stderr.contains("unknown evidence type \"essay\""))
        let section = try SencoBinary.run(["prompts", "--section", "9"])
        #expect(section.status != 0)
        #expect(section.stderr.contains("--section must be an NPQ section number from 1 to 8"))
    }
}
