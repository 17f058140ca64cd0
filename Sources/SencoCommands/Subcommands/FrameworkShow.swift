import ArgumentParser
import SencoCore
import SencoData

struct FrameworkShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a framework's statements, exactly as published.")

    @OptionGroup var frameworks: FrameworkOptions
    @Argument(help: "The framework id, e.g. npq-senco-2023 or national-award-2009.") var id: String
    @Option(name: .customLong("section"), help: "Only this section (NPQ) or area (National Award).")
    var sections: [Int] = []
    @Option(help: "Output format: text, json or xml.") var format: OutputFormat = .text

    func run() throws {
        print(try Self.render(try frameworks.load(), id: id, sections: sections, format: format), terminator: "")
    }

    static func render(_ library: FrameworkLibrary, id: String, sections: [Int], format: OutputFormat) throws -> String {
        guard let framework = library.framework(withID: id) else {
            throw CommandError(
                "unknown framework \"\(id)\"; known frameworks: \(library.frameworks.map(\.id).joined(separator: ", "))")
        }
        let available = framework.npqSections.map(\.number) + framework.awardAreas.map(\.number)
        for section in sections where !available.contains(section) {
            let noun = framework.npqSections.isEmpty ? "area" : "section"
            throw CommandError(
                "\(framework.id) has no \(noun) \(section); \(noun)s are \(available.first ?? 0)–\(available.last ?? 0)")
        }
        let filter = sections.isEmpty ? nil : Set(sections)
        switch format {
        case .text: return FrameworkText.show(framework, sections: filter)
        case .json: return try JSON.string(FrameworkJSON(framework: framework, sections: filter)) + "\n"
        case .xml: return String(decoding: try FrameworkEncoder.xml(framework, sections: filter), as: UTF8.self)
        }
    }
}
