import ArgumentParser
import Foundation
import SencoCore
import SencoStore

/// Hidden: rewrites one portfolio many times in a row with deterministic content, so the crash
/// test can kill it mid-write and check the file is always one whole revision.
struct StressWrite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress-write", abstract: "Test support: rewrite a portfolio repeatedly.", shouldDisplay: false)

    @OptionGroup var store: StoreOptions
    @Option(name: [.short, .long]) var participant: String
    @Option var count: Int = 1000

    /// The item the write that produces `revision` adds; the test recomputes it to compare.
    static func item(forRevision revision: Int) -> EvidenceItem {
        EvidenceItem(
            id: "s\(revision)", title: "Stress item \(revision) & <markup> “quotes” café",
            type: "reflective-account", date: Day("2025-11-01")!,
            reflection: String(repeating: "Revision \(revision): pupils’ voice & families <together>. ", count: 20),
            sensitive: revision % 2 == 0, added: Date(timeIntervalSince1970: 1_760_000_000 + Double(revision)))
    }

    func run() throws {
        let workspace = try store.workspace()
        var written = 0
        while written < count {
            if try writeOnce(workspace) { written += 1 }
        }
    }

    /// One update; false when another writer got there first and it should be retried.
    private func writeOnce(_ workspace: Workspace) throws -> Bool {
        let current = try workspace.store.portfolio(participant)
        let item = Self.item(forRevision: current.revision + 1)
        let result: Result<Portfolio, StoreError> = Result { () throws(StoreError) -> Portfolio in
            try workspace.store.update(participant, expectedRevision: current.revision) { (portfolio: inout Portfolio) throws(StoreError) in
                portfolio.evidence.append(item)
            }
        }
        switch result {
        case .success: return true
        case .failure(let error) where error.code == .busy || error.code == .staleRevision: return false
        case .failure(let error): throw error
        }
    }
}
