import ArgumentParser
import Foundation
import SencoCore
import SencoData
import SencoStore

struct PortfolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portfolio", abstract: "Validate, import and export portfolio documents.",
        subcommands: [PortfolioValidate.self, PortfolioImport.self, PortfolioExport.self])
}

/// Checks a portfolio file: well-formed and safe XML, the schema, and the rules the schema cannot
/// express (statement ids exist in the frameworks followed, evidence types are known, no dates in
/// the future).
func checkPortfolioFile(_ path: String, workspace: Workspace) -> (Portfolio?, [Finding]) {
    let data: Data
    do { data = try RegularFile.read(path, limit: 32 * 1024 * 1024, what: "portfolio file") } catch {
        return (nil, [.error(error.message, file: path)])
    }
    let portfolio: Portfolio
    do { portfolio = try workspace.schemas.readPortfolio(data, source: path) } catch { return (nil, error.findings) }
    var findings: [Finding] = []
    let frameworks = workspace.library.frameworks.filter { portfolio.frameworks.contains($0.id) }
    for id in portfolio.frameworks where workspace.library.framework(withID: id) == nil {
        findings.append(.error("follows unknown framework \(id)", file: path))
    }
    for mapping in portfolio.mappings where !frameworks.contains(where: { $0.statement(withID: mapping.statement) != nil }) {
        findings.append(.error("evidence \(mapping.evidence) is mapped to unknown statement \(mapping.statement)", file: path))
    }
    let today = Day.today
    for item in portfolio.evidence {
        do { try Portfolio.validate(item, rules: workspace.rules, today: today) } catch {
            findings.append(.error(error.message, file: path))
        }
    }
    if let problem = Identifier.problem(with: portfolio.id, what: "participant") { findings.append(.error(problem, file: path)) }
    return (portfolio, findings)
}

struct PortfolioValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check portfolio files against the schema and the rules.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Portfolio XML files.") var files: [String]

    func run() throws {
        let workspace = try store.workspace()
        var failed = false
        for file in files {
            let (portfolio, findings) = checkPortfolioFile(file, workspace: workspace)
            for finding in findings { print(finding) }
            if findings.hasErrors {
                failed = true
            } else if let portfolio {
                print("\(file): valid portfolio for \(portfolio.id), revision \(portfolio.revision), \(portfolio.evidence.count) items")
            }
        }
        if failed { throw ExitCode.failure }
    }
}

struct PortfolioImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add a portfolio document to the store (its cohort must exist).")

    @OptionGroup var store: StoreOptions
    @Argument(help: "A portfolio XML file.") var file: String

    func run() throws {
        let workspace = try store.workspace()
        var (portfolio, findings) = checkPortfolioFile(file, workspace: workspace)
        if let portfolio {
            findings += importFindings(portfolio, workspace: workspace)
        }
        guard let portfolio, !findings.hasErrors else {
            let errors = findings.filter { $0.severity == .error }
            if errors.count == 1 { throw CommandError("\(errors[0]); nothing was imported") }
            for finding in findings { SencoCommand.printError(SencoCommand.oneLine(finding.description)) }
            throw CommandError("\(file.quotedForMessage()) was not imported: \(findings.filter { $0.severity == .error }.count) problem(s) above")
        }
        _ = try workspace.store.importPortfolio(portfolio)
        // The store writes the current schema version whatever version the file had, so an
        // older document is upgraded here, once, by the same checked write as any other.
        print("Imported portfolio \(portfolio.id) into cohort \(portfolio.participant.cohort) (schemaVersion \(Portfolio.schemaVersion))")
    }

    /// What the store needs beyond a valid document: its cohort, the tutor, the attachments it
    /// names, a log that makes sense, and a file name that agrees with the participant.
    func importFindings(_ portfolio: Portfolio, workspace: Workspace) -> [Finding] {
        var findings: [Finding] = []
        let stem = (URL(fileURLWithPath: file).lastPathComponent as NSString).deletingPathExtension
        if Identifier.isValid(stem), stem != portfolio.id, file.hasSuffix(".xml") {
            findings.append(.error("the file is named \(stem).xml but holds participant \(portfolio.id)", file: file))
        }
        let cohort: Cohort
        do { cohort = try workspace.store.cohort(portfolio.participant.cohort) } catch {
            return findings + [.error(error.message, file: file)]
        }
        for problem in portfolio.importProblems(cohort: cohort, now: Date()) { findings.append(.error(problem, file: file)) }
        for item in portfolio.evidence {
            for attachment in item.attachments
            where Attachment.nameProblem(attachment.name) == nil && (try? workspace.store.attachmentData(sha256: attachment.sha256)) == nil {
                findings.append(
                    .error(
                        "evidence \(item.id) names attachment \(attachment.name.quotedForMessage()), which the store does not hold (sha256 \(attachment.sha256.prefix(12))…)",
                        file: file))
            }
        }
        return findings
    }
}

struct PortfolioExport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a portfolio document.")

    enum Format: String, ExpressibleByArgument { case xml }

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @Option(help: "Output format (xml).") var format: Format = .xml
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        let workspace = try store.workspace()
        if let output { try OutputFile.check(output, option: "--output", store: workspace.store.directory) }
        let data = try PortfolioCodec.encode(try workspace.store.portfolio(participant))
        if let output {
            try OutputFile.write(data, to: output)
            print("Wrote portfolio \(participant) to \(output) (\(data.count) bytes)")
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
