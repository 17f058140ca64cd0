import Foundation
import SencoCore

#if canImport(Glibc)
    import Glibc
#endif

/// A cohort's list of summaries as this process last made it, kept with the state of the folders
/// it was made from, so that a dashboard of 5,000 participants asked for again and again costs a
/// few `stat` calls instead of one per participant.
///
/// Every change senco makes to a cohort's portfolios replaces or adds a file by `rename` in the
/// cohort's `portfolios/` folder, which gives the folder a new modification and change time,
/// whichever process makes it. A snapshot is used only while every folder it depends on still
/// has the times it had before the snapshot was made:
/// - `cohorts/` (a cohort added or removed: the check for a participant stored twice),
/// - `cohorts/C/` (its `cohort.xml` replaced),
/// - `cohorts/C/portfolios/` and every other cohort's `portfolios/` folder (the same check).
///
/// File times come from a clock that ticks only every few milliseconds, so a change made in the
/// same tick as the snapshot's `stat` could leave a folder's time unchanged (git's "racily
/// clean" index entries). A snapshot is therefore trusted only if every folder time it recorded
/// is at least `racyWindow` older than the moment it was read; otherwise the next list checks
/// every file again, as without snapshots. And a file changed in place (copied over with `cp`,
/// not renamed) leaves its folder's times alone, so a snapshot is also checked file by file once
/// it is `maximumAge` old.
final class CohortSnapshots: @unchecked Sendable {
    /// Nanoseconds: far longer than the file clock's tick (a few milliseconds). Every cache of
    /// the directory store that trusts a file's times uses this one.
    static let defaultRacyWindow: Int64 = 2_000_000_000
    let racyWindow: Int64
    /// Nanoseconds.
    let maximumAge: UInt64

    init(racyWindow: Int64 = defaultRacyWindow, maximumAge: UInt64 = 15_000_000_000) {
        self.racyWindow = racyWindow
        self.maximumAge = maximumAge
    }

    /// A folder's identity and times, as `stat` gives them.
    struct FolderStamp: Equatable, Sendable {
        var path: String
        var device: UInt64
        var inode: UInt64
        var modified: Int64
        var changed: Int64

        init?(path: String) {
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
            self.path = path
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        }

        /// Whether this stamp is still the folder's.
        var isCurrent: Bool { FolderStamp(path: path) == self }
    }

    private struct Snapshot {
        var stamps: [FolderStamp]
        var scan: CohortScan<PortfolioSummary>
        var made: UInt64
    }

    private let lock = NSLock()
    private var snapshots: [String: Snapshot] = [:]
    private var used = 0

    /// How many lists were answered from a snapshot (for tests and diagnostics).
    var hits: Int { lock.withLock { used } }

    private static func key(cohort: String, framework: String) -> String { "\(cohort)\u{0}\(framework)" }

    /// The kept scan of `cohort` against `framework`, if no folder it depends on has changed
    /// since and it is not too old to trust.
    func scan(cohort: String, framework: String) -> CohortScan<PortfolioSummary>? {
        let key = Self.key(cohort: cohort, framework: framework)
        guard let snapshot = lock.withLock({ snapshots[key] }) else { return nil }
        guard Self.monotonicNow() - snapshot.made < maximumAge, snapshot.stamps.allSatisfy(\.isCurrent) else {
            lock.withLock { _ = snapshots.removeValue(forKey: key) }
            return nil
        }
        lock.withLock { used += 1 }
        return snapshot.scan
    }

    /// Keeps `scan`, made after `stamps` were taken at `wallClock` (nanoseconds since 1970), if
    /// none of those folders changed within `racyWindow` before that moment.
    /// Returns the scan as kept (with its token), or as it was if it could not be kept.
    func keep(
        _ scan: CohortScan<PortfolioSummary>, cohort: String, framework: String, stamps: [FolderStamp], wallClock: Int64
    ) -> CohortScan<PortfolioSummary> {
        let key = Self.key(cohort: cohort, framework: framework)
        let settled = stamps.allSatisfy { wallClock - max($0.modified, $0.changed) >= racyWindow }
        var kept = scan
        kept.token = settled ? ScanTokens.next() : nil
        lock.withLock {
            if settled {
                snapshots[key] = Snapshot(stamps: stamps, scan: kept, made: Self.monotonicNow())
            } else {
                snapshots.removeValue(forKey: key)
            }
        }
        return kept
    }

    static func wallClockNow() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    static func monotonicNow() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
