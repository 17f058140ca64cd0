import ArgumentParser
import Foundation
import SencoCore
import SencoStore

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Check a store for damage and debris, or copy one store into another.",
        subcommands: [StoreCheck.self, StoreCopyCommand.self])
}

struct StoreCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "List every problem in the store; exit non-zero if there is any.",
        discussion: """
            Damage (a person must look; never changed): portfolios that do not read, are misfiled \
            (file name or folder not the participant's), stored twice, links or not regular files; \
            cohort, plan and users files that do not read; attachments referenced but missing or \
            altered. Debris (safe to remove with --repair): temporary files older than 10 minutes, \
            lock files nobody holds, attachment blobs no portfolio refers to.
            """)

    @OptionGroup var store: StoreOptions
    @Flag(help: "Remove the debris (never a portfolio or any other document).") var repair = false
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    struct Entry: Encodable {
        let kind, path, problem: String
        let removed: Bool
    }

    func run() throws {
        let workspace = try store.workspace()
        guard let directory = workspace.directoryStore else {
            throw CommandError(
                "store check reads a store directory's files; \(workspace.store.location) is a database, whose constraints and transactions keep it whole")
        }
        let problems = try directory.check()
        let removed = repair ? Set(directory.repair(problems)) : []
        let entries = problems.map {
            Entry(kind: $0.kind.rawValue, path: $0.path, problem: $0.message, removed: removed.contains($0))
        }
        let remaining = problems.filter { !removed.contains($0) }
        switch format {
        case .json: print(try JSON.string(entries))
        case .text:
            if problems.isEmpty {
                print("Store \(directory.root.path): no problems found.")
                return
            }
            for entry in entries {
                print("\(entry.kind)\t\(entry.path): \(SencoCommand.oneLine(entry.problem))\(entry.removed ? " (removed)" : "")")
            }
            let damage = problems.filter { $0.kind == .damage }.count
            let debris = problems.count - damage
            print(
                "\(damage) damaged entr\(damage == 1 ? "y" : "ies"), \(debris) piece\(debris == 1 ? "" : "s") of debris"
                    + (repair ? "; removed \(removed.count)" : (debris > 0 ? "; senco store check --repair removes the debris" : "")))
        }
        if !remaining.isEmpty { throw ExitCode.failure }
    }
}
