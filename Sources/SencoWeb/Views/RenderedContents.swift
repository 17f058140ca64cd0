import Foundation
import SencoCore
import SencoStore

#if canImport(Glibc)
    import Glibc
#endif

/// The content of list pages as last rendered (without the layout, which holds the user's name,
/// flash and CSRF token), kept while what it was made from is the same: the same cohort scan
/// (its token), the same filters and page, the same day. A provider's dashboard of 5,000
/// participants is looked at far more often than its portfolios change, and rendering its 50
/// rows was most of each request; now a request for an unchanged list renders only the layout.
///
/// Bounded: at most `capacity` contents, the one used longest ago dropped first.
final class RenderedContents: @unchecked Sendable {
    struct Rendered: Sendable {
        var title: String
        var content: String
        /// The content cut where `csrfPlaceholder` stands, once, so that each request only joins.
        private let parts: [String]

        init(title: String, content: String) {
            self.title = title
            self.content = content
            parts = Self.cut(content, at: RenderedContents.csrfPlaceholder)
        }

        /// `text` cut at every `marker`, searched for as bytes (`components(separatedBy:)`
        /// compares characters, and cost as much as rendering the rows).
        static func cut(_ text: String, at marker: String) -> [String] {
            var text = text
            var marker = marker
            return text.withUTF8 { bytes in
                marker.withUTF8 { needle in
                    guard let base = bytes.baseAddress, let pattern = needle.baseAddress, !needle.isEmpty else {
                        return [String(decoding: bytes, as: UTF8.self)]
                    }
                    var parts: [String] = []
                    var start = 0
                    var from = 0
                    // memchr finds each candidate first byte; memcmp checks the rest.
                    while bytes.count - from >= needle.count,
                        let hit = memchr(base + from, Int32(pattern[0]), bytes.count - from - needle.count + 1)
                    {
                        let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                        if memcmp(base + offset, pattern, needle.count) == 0 {
                            parts.append(
                                String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self))
                            start = offset + needle.count
                            from = start
                        } else {
                            from = offset + 1
                        }
                    }
                    parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
                    return parts
                }
            }
        }

        /// The content with `token` where the placeholder stands.
        func content(csrf token: String) -> String { parts.joined(separator: token) }
    }

    private struct Entry {
        var version: AnyHashable
        var rendered: Rendered
        var used: UInt64
    }

    /// Stands for the CSRF token in content kept for every session, and is put back per request.
    /// Random for each process, so no text a user types can be taken for it; letters, digits,
    /// `-` and `_` only, so escaping leaves it as it is.
    static let csrfPlaceholder = "csrf-" + SecureToken.make()

    let capacity: Int
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0
    private var used = 0

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// How many pages were answered from what was kept (for tests).
    var hits: Int { lock.withLock { used } }

    /// The content for `key` made from `version`: kept, or made by `make` and kept. A nil
    /// version (what it depends on cannot be told apart from a change) is never kept.
    func rendered(for key: String, version: AnyHashable?, make: () -> Rendered) -> Rendered {
        guard let version else { return make() }
        let kept: Rendered? = lock.withLock {
            guard var entry = entries[key], entry.version == version else { return nil }
            clock += 1
            used += 1
            entry.used = clock
            entries[key] = entry
            return entry.rendered
        }
        if let kept { return kept }
        let made = make()
        lock.withLock {
            clock += 1
            if entries[key] == nil, entries.count >= capacity,
                let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key
            {
                entries.removeValue(forKey: oldest)
            }
            entries[key] = Entry(version: version, rendered: made, used: clock)
        }
        return made
    }
}

/// What a list page made from cohort scans depends on besides its filters.
struct ListVersion: Hashable {
    var tokens: [UInt64]
    var cohorts: [Cohort]
    var today: Day
}
