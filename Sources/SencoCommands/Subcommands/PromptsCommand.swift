import ArgumentParser
import Foundation
import SencoCore
import SencoData

/// `senco prompts`: the reflection prompts from the source documents, for an evidence type or an
/// NPQ section, each with where it comes from.
struct PromptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompts",
        abstract: "Show reflection prompts for writing an evidence entry.",
        discussion: """
            The prompts are questions copied from Effective leadership (2006) and the SENCO Induction Pack \
            (2019), each naming its document, section and line. Filter by evidence type (as in \
            `senco evidence add --type`) and by NPQ section. The key ingredients of effective SEN support, \
            which evidence can be tagged with, are listed at the end.
            """)

    @OptionGroup var frameworks: FrameworkOptions
    @Option(name: .customLong("type"), help: ArgumentHelp("Only prompts that suit this evidence type.", valueName: "type"))
    var type: String?
    @Option(name: .customLong("section"), help: ArgumentHelp("Only prompts for this NPQ section (1–8).", valueName: "n"))
    var section: Int?
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    func run() throws {
        let directory = PortfolioSchemas.locate(frameworks: try frameworks.locate())
        let schemas = try PortfolioSchemas(directory: directory)
        print(try Self.render(schemas.prompts, rules: schemas.rules, type: type, section: section, format: format), terminator: "")
    }

    struct PromptJSON: Encodable {
        let id, text, source, section: String
        let heading, stem, label: String?
        let line: Int
        let types: [String]
        let npqSections: [Int]
    }

    struct IngredientJSON: Encodable {
        let id, name: String
        let number: Int
    }

    struct ResultJSON: Encodable {
        let type: String?
        let section: Int?
        let prompts: [PromptJSON]
        let ingredients: [IngredientJSON]
        let attribution: String
    }

    static func render(
        _ prompts: ReflectionPrompts, rules: EvidenceRules, type: String?, section: Int?, format: TextOrJSON
    ) throws -> String {
        if let type, rules.type(withID: type) == nil {
            throw CommandError(
                "unknown evidence type \"\(type)\"; the types are \(rules.types.map(\.id).joined(separator: ", "))")
        }
        if let section, !(1...8).contains(section) {
            throw CommandError("--section must be an NPQ section number from 1 to 8, not \(section)")
        }
        let found = prompts.prompts(type: type, section: section)
        switch format {
        case .json:
            return try JSON.string(
                ResultJSON(
                    type: type, section: section,
                    prompts: found.map {
                        PromptJSON(
                            id: $0.id, text: $0.text, source: prompts.source(withID: $0.source)?.title ?? $0.source,
                            section: $0.section, heading: $0.heading, stem: $0.stem, label: $0.label, line: $0.line,
                            types: $0.types, npqSections: $0.npqSections)
                    },
                    ingredients: prompts.ingredients.map { IngredientJSON(id: $0.id, name: $0.name, number: $0.number) },
                    attribution: prompts.attribution)) + "\n"
        case .text:
            var filters: [String] = []
            if let type { filters.append("for \(rules.type(withID: type)?.label ?? type) (\(type))") }
            if let section { filters.append("for NPQ section \(section)") }
            var out = "Reflection prompts\(filters.isEmpty ? "" : " " + filters.joined(separator: ", ")): \(found.count)\n"
            if found.isEmpty { out += "\n  none\n" }
            var lastPlace = ""
            for prompt in found {
                let place = prompts.place(of: prompt)
                if place != lastPlace {
                    out += "\n\(place)\n"
                    if let stem = prompt.stem { out += "  \(stem)\n" }
                    lastPlace = place
                }
                out += "  - \(prompt.displayText)\n"
                out += "    [\(prompt.id); line \(prompt.line); types: \(prompt.types.joined(separator: ", ")); NPQ sections: "
                out += "\(prompt.npqSections.map(String.init).joined(separator: ", "))]\n"
            }
            if !prompts.ingredients.isEmpty {
                let source = prompts.ingredients.first.flatMap { prompts.source(withID: $0.source)?.title } ?? ""
                out += "\nKey ingredients of effective SEN support (tags for evidence; \(source)):\n"
                for ingredient in prompts.ingredients {
                    out += "  \(ingredient.number). \(ingredient.name) [\(ingredient.id)]\n"
                }
            }
            out += "\n\(prompts.attribution)\n"
            return out
        }
    }
}
