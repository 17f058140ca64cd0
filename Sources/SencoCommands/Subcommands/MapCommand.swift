import ArgumentParser
import Foundation
import SencoCore

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map", abstract: "Map a piece of evidence to the statements it shows.")

    @OptionGroup var store: StoreOptions
    @Option(name: [.short, .long], help: "Participant id.") var participant: String
    @Argument(help: "Evidence id.") var evidenceID: String
    @Argument(help: "Statement ids, e.g. 1.1 2.e.") var statementIDs: [String]
    @Option(help: "How the evidence shows the statements.") var claim: String
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        let result = try workspace.update(participant, revision: revision.revision) { portfolio in
            try portfolio.map(
                evidence: evidenceID, to: statementIDs, claim: try pasted(claim, "--claim"), frameworks: workspace.library.frameworks,
                by: participant, role: .participant, at: Date().wholeSeconds)
        }
        let stretched = Set(result.mappings(forEvidence: evidenceID).map(\.statement)).count
        print("Mapped \(evidenceID) to \(statementIDs.joined(separator: ", ")) (revision \(result.revision))")
        if stretched > workspace.rules.stretchWarnAbove {
            print("warning: \(evidenceID) is now mapped to \(stretched) statements. \(workspace.rules.stretchExplanation)")
        }
    }
}

struct UnmapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmap", abstract: "Remove mappings from a piece of evidence.")

    @OptionGroup var store: StoreOptions
    @Option(name: [.short, .long], help: "Participant id.") var participant: String
    @Argument(help: "Evidence id.") var evidenceID: String
    @Argument(help: "Statement ids.") var statementIDs: [String]
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        let result = try workspace.update(participant, revision: revision.revision) { portfolio in
            try portfolio.unmap(evidence: evidenceID, from: statementIDs, by: participant, role: .participant, at: Date().wholeSeconds)
        }
        print("Unmapped \(evidenceID) from \(statementIDs.joined(separator: ", ")) (revision \(result.revision))")
    }
}
