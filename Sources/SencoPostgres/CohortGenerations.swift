import Foundation
import SencoCore
import SencoStore

/// Each cohort's list of summaries as this process last made it, with the cohort's generation
/// at the time (`cohort_changes`, changed by a trigger in the same transaction as any change to
/// the cohort's portfolios, whichever server makes it). While the generation is the same, the
/// list is the cohort's: a dashboard of 5,000 participants then costs one narrow query.
final class CohortGenerations: @unchecked Sendable {
    private struct Snapshot {
        var generation: Int64
        var scan: CohortScan<PortfolioSummary>
    }

    private let lock = NSLock()
    private var snapshots: [String: Snapshot] = [:]

    private static func key(cohort: String, framework: String) -> String { "\(cohort)\u{0}\(framework)" }

    func scan(cohort: String, framework: String, generation: Int64) -> CohortScan<PortfolioSummary>? {
        lock.withLock {
            guard let snapshot = snapshots[Self.key(cohort: cohort, framework: framework)],
                snapshot.generation == generation
            else { return nil }
            return snapshot.scan
        }
    }

    /// Keeps `scan`, made after `generation` was read (so a change made meanwhile gives a newer
    /// generation, and the next list makes the scan again rather than trust this one).
    /// Returns the scan as kept, with its token.
    func keep(_ scan: CohortScan<PortfolioSummary>, cohort: String, framework: String, generation: Int64) -> CohortScan<
        PortfolioSummary
    > {
        var kept = scan
        kept.token = ScanTokens.next()
        lock.withLock {
            snapshots[Self.key(cohort: cohort, framework: framework)] = Snapshot(generation: generation, scan: kept)
        }
        return kept
    }
}
