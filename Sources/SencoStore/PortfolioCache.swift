import Foundation
import SencoCore

/// Portfolios this process has recently read, each with what identifies the stored version it
/// was read from (the file's device, inode, size and modification time in the directory store;
/// the row's revision and row version in PostgreSQL). A tutor working through 224 statements
/// reads the same portfolio for every page: parsing and schema-checking 250 KB each time was
/// most of each page's time. A version that no longer matches is read again, never trusted.
///
/// Bounded: at most `capacity` portfolios (a 100-item portfolio is a few hundred kilobytes in
/// memory); when full, the one used longest ago goes.
public final class PortfolioCache<Version: Hashable & Sendable>: @unchecked Sendable {
    private struct Entry {
        var version: Version
        var portfolio: Portfolio
        var used: UInt64
    }

    public let capacity: Int
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0

    public init(capacity: Int = 128) {
        self.capacity = capacity
    }

    public func portfolio(_ participant: String, version: Version) -> Portfolio? {
        lock.withLock {
            guard var entry = entries[participant], entry.version == version else { return nil }
            clock += 1
            entry.used = clock
            entries[participant] = entry
            return entry.portfolio
        }
    }

    public func keep(_ portfolio: Portfolio, version: Version) {
        guard capacity > 0 else { return }
        lock.withLock {
            clock += 1
            if entries[portfolio.id] == nil, entries.count >= capacity,
                let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key
            {
                entries.removeValue(forKey: oldest)
            }
            entries[portfolio.id] = Entry(version: version, portfolio: portfolio, used: clock)
        }
    }

    public var count: Int { lock.withLock { entries.count } }
}
