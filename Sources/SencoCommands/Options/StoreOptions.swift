import ArgumentParser
import Foundation
import SencoCore
import SencoData
import SencoStore

/// The store and the frameworks, shared by every command that reads or writes portfolios.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp("The store directory (default: $SENCO_STORE, else ~/.local/share/senco).", valueName: "dir"))
    var storePath: String?

    @OptionGroup var frameworks: FrameworkOptions

    func workspace() throws -> Workspace {
        let frameworksDirectory = try frameworks.locate()
        let library = try FrameworkLibrary(directory: frameworksDirectory)
        let schemas = try PortfolioSchemas(directory: PortfolioSchemas.locate(frameworks: frameworksDirectory))
        let store = DirectoryStore(root: DirectoryStore.location(explicit: storePath), schemas: schemas)
        return Workspace(library: library, schemas: schemas, store: store)
    }
}

/// Everything a portfolio command works with.
struct Workspace {
    let library: FrameworkLibrary
    let schemas: PortfolioSchemas
    let store: DirectoryStore

    var rules: EvidenceRules { schemas.rules }

    /// Reads a portfolio and checks the caller's idea of its revision, if they gave one.
    func portfolio(_ id: String, revision: Int?) throws -> Portfolio {
        let portfolio = try store.portfolio(id)
        if let revision, revision != portfolio.revision {
            throw StoreError(
                .staleRevision,
                "portfolio \"\(id)\" is at revision \(portfolio.revision), not \(revision): it has changed since you read it; reload and try again"
            )
        }
        return portfolio
    }

    /// Reads, changes and stores a portfolio under its lock, refusing stale revisions.
    @discardableResult
    func update(_ id: String, revision: Int?, _ change: (inout Portfolio) throws -> Void) throws -> Portfolio {
        let current = try portfolio(id, revision: revision)
        var changed = current
        try change(&changed)
        return try store.update(id, expectedRevision: current.revision) { (stored: inout Portfolio) throws(StoreError) in
            let revision = stored.revision
            stored = changed
            stored.revision = revision
        }
    }

    /// The NPQ framework and the National Award with the crosswalk between them, if loaded.
    func coverageFrameworks(primary id: String?) throws -> (Framework, Crosswalk?, Framework?) {
        let wanted = id ?? "npq-senco-2023"
        guard let framework = library.framework(withID: wanted) else {
            throw CommandError("unknown framework \"\(wanted)\"; known: \(library.frameworks.map(\.id).joined(separator: ", "))")
        }
        let crosswalk = library.crosswalks.first { $0.from == framework.id }
        let award = crosswalk.flatMap { library.framework(withID: $0.to) }
        return (framework, crosswalk, award)
    }
}

/// The revision the caller read, for commands that change a portfolio.
struct RevisionOption: ParsableArguments {
    @Option(help: "Refuse the change unless the portfolio is still at this revision (as shown by `participant show`).")
    var revision: Int?
}
