import ArgumentParser
import SencoCore
import SencoData

struct FrameworkList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the frameworks with their counts of sections and statements.")

    @OptionGroup var frameworks: FrameworkOptions
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    func run() throws {
        print(try Self.render(try frameworks.load(), format: format), terminator: "")
    }

    struct Entry: Encodable {
        let id, title, shortTitle, version, kind: String
        let divisions: Int
        let statements: Int
        let learnThat: Int?
        let learnHowTo: Int?
        let subareas: Int?
        let outcomes: Int?
    }

    static func render(_ library: FrameworkLibrary, format: TextOrJSON) throws -> String {
        switch format {
        case .text:
            return FrameworkText.list(library.frameworks)
        case .json:
            let entries = library.frameworks.map { framework in
                let sections = framework.npqSections
                let areas = framework.awardAreas
                let isNPQ = !sections.isEmpty
                return Entry(
                    id: framework.id, title: framework.title, shortTitle: framework.shortTitle,
                    version: framework.version, kind: isNPQ ? "npq" : "national-award",
                    divisions: framework.divisionCount, statements: framework.statements.count,
                    learnThat: isNPQ ? sections.reduce(0) { $0 + $1.learnThat.count } : nil,
                    learnHowTo: isNPQ ? sections.reduce(0) { $0 + $1.learnHowTo.count } : nil,
                    subareas: isNPQ ? nil : areas.reduce(0) { $0 + $1.subareas.count },
                    outcomes: isNPQ ? nil : framework.statements.count)
            }
            return try JSON.string(entries) + "\n"
        }
    }
}
