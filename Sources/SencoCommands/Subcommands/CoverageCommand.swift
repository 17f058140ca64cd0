import ArgumentParser
import Foundation
import SencoCore
import SencoExport

enum CoverageFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, html
}

struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Show which statements a participant has evidenced, which are sufficient, and the gaps.",
        discussion: "National Award outcomes are derived through the crosswalk from the NPQ statements evidenced.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @Option(help: "The framework to report against (default: npq-senco-2023).") var framework: String?
    @Option(help: "Output format: text, json or html.") var format: CoverageFormat = .text
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        let workspace = try store.workspace()
        if let output { try OutputFile.check(output, option: "--output", store: workspace.store.directory) }
        let portfolio = try workspace.store.portfolio(participant)
        let (framework, crosswalk, award) = try workspace.coverageFrameworks(primary: self.framework)
        let coverage = Coverage(
            portfolio: portfolio, framework: framework, rules: workspace.rules, crosswalk: crosswalk, award: award)
        let report = CoverageReport(portfolio: portfolio, framework: framework, coverage: coverage, rules: workspace.rules)
        let text: String
        switch format {
        case .text: text = report.text()
        case .json: text = try JSON.string(report.jsonValue()) + "\n"
        case .html: text = try report.html(templates: try TemplateLibrary())
        }
        if let output {
            try OutputFile.write(Data(text.utf8), to: output)
            print("Wrote \(format.rawValue) coverage report for \(participant) to \(output)")
        } else {
            print(text, terminator: "")
        }
    }
}
