import Foundation
import SencoCore

#if canImport(Glibc)
    import Glibc
#endif

/// Summaries this process has already read or made, each kept with the identity of the
/// portfolio file it was made from (device, inode, size, modification time). Every write
/// replaces a portfolio file with a new one (a new inode, by rename), whether it is made by this
/// server, another process or a copy from a backup, so a summary whose file identity still
/// matches is the summary of the portfolio on disk: a list of a cohort then costs one `lstat`
/// per participant instead of reading and parsing two files each.
final class SummaryCache: @unchecked Sendable {
    struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int64
        var modifiedNanoseconds: Int64

        /// The identity of the regular file at `path`, not following a link; nil otherwise.
        init?(path: String) {
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            self.init(info)
        }

        /// The identity `info` (from `lstat` or `fstatat`) gives, if it is of a regular file.
        init?(_ info: stat) {
            guard info.st_mode & S_IFMT == S_IFREG else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
        }

        /// Whether the file's modification time is at least `window` nanoseconds in the past, so
        /// that a change in place would give it another time (see `CohortSnapshots`).
        func isSettled(within window: Int64) -> Bool {
            CohortSnapshots.wallClockNow() - (modified * 1_000_000_000 + modifiedNanoseconds) >= window
        }
    }

    private struct Entry {
        var identity: FileIdentity
        var framework: String
        var summary: PortfolioSummary
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// The summary kept for a portfolio (`key`: cohort/participant), if its file is still the one it was
    /// made from and it was made against `framework`.
    func summary(forPortfolio key: String, identity: FileIdentity, framework: String) -> PortfolioSummary? {
        lock.withLock {
            guard let entry = entries[key], entry.identity == identity, entry.framework == framework else { return nil }
            return entry.summary
        }
    }

    func keep(_ summary: PortfolioSummary, forPortfolio key: String, identity: FileIdentity, framework: String) {
        lock.withLock { entries[key] = Entry(identity: identity, framework: framework, summary: summary) }
    }
}
