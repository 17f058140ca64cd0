import Foundation

/// Slows password guessing: after `limit` failed sign-ins for one account name within `window`,
/// that name is refused until `window` has passed since the last failure. A success clears it.
actor LoginThrottle {
    private var failures: [String: [Date]] = [:]
    private let limit: Int
    private let window: TimeInterval
    private let now: @Sendable () -> Date

    init(limit: Int, window: TimeInterval, now: @escaping @Sendable () -> Date) {
        self.limit = limit
        self.window = window
        self.now = now
    }

    private func recent(_ key: String) -> [Date] {
        let time = now()
        return (failures[key] ?? []).filter { time.timeIntervalSince($0) < window }
    }

    func isLocked(_ name: String) -> Bool {
        recent(name.lowercased()).count >= limit
    }

    func recordFailure(_ name: String) {
        let key = name.lowercased()
        failures[key] = recent(key) + [now()]
        if failures.count > 10_000 { failures = failures.filter { !recent($0.key).isEmpty } }
    }

    func recordSuccess(_ name: String) {
        failures[name.lowercased()] = nil
    }

    var lockMinutes: Int { Int((window / 60).rounded(.up)) }
}
