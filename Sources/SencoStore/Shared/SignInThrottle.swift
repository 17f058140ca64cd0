import Foundation

/// Slows password guessing without letting a stranger lock a real user out for long.
///
/// Failures are counted twice, independently: per account name (known or not, so an unknown
/// name behaves like a known one) and per client (its address). Once a key has more than its
/// allowance of failures, each further attempt must wait a delay that doubles with every failure
/// (1 s, 2 s, 4 s… up to a cap): an attempt inside the delay is refused at once, before any
/// password is checked, and is not counted. A correct password after the delay signs in and
/// clears the account's count. The client's count is not cleared by a success, so signing in
/// to one's own account does not buy more guesses at others'.
///
/// `MemorySignInThrottle` serves one process; the PostgreSQL store keeps the same counts in the
/// database, so servers sharing it share a lock-out.
public protocol SignInThrottle: Sendable {
    /// When an attempt for this key may next be made, or nil if it may be made now.
    func notBefore(_ key: SignInThrottleKey) async throws(StoreError) -> Date?
    /// Records a failed attempt (a wrong password or an unknown name).
    func recordFailure(_ key: SignInThrottleKey) async throws(StoreError)
    /// Records a successful sign-in: the account's failures are forgotten.
    func recordSuccess(_ key: SignInThrottleKey) async throws(StoreError)
}

/// What a sign-in attempt is counted against. The account part is nil when the client is checked
/// before the form is read.
public struct SignInThrottleKey: Sendable, Hashable {
    public var account: String?
    public var client: String

    public init(account: String?, client: String) {
        self.account = account
        self.client = client
    }
}

/// How many failures a key is allowed before delays start, and how the delay grows.
public struct SignInThrottlePolicy: Sendable {
    /// Failures before the first delay.
    public var allowance: Int
    /// The longest delay.
    public var maxDelay: TimeInterval
    /// A key's failures are forgotten this long after its last one.
    public var forgetAfter: TimeInterval

    public init(allowance: Int, maxDelay: TimeInterval, forgetAfter: TimeInterval) {
        self.allowance = allowance
        self.maxDelay = maxDelay
        self.forgetAfter = forgetAfter
    }

    /// The wait after `failures` failures: none within the allowance, then 1 s, doubling, capped.
    public func delay(afterFailures failures: Int) -> TimeInterval {
        guard failures >= allowance else { return 0 }
        let doublings = failures - allowance
        return doublings >= 30 ? maxDelay : min(Double(1 << doublings), maxDelay)
    }
}

/// The sign-in throttle kept in this process's memory (a restart forgets it).
public actor MemorySignInThrottle: SignInThrottle {
    private struct Record {
        var failures: Int
        var last: Date
    }

    private enum Entry: Hashable {
        case account(String)
        case client(String)
    }

    private var records: [Entry: Record] = [:]
    private let accounts: SignInThrottlePolicy
    private let clients: SignInThrottlePolicy
    private let now: @Sendable () -> Date
    /// Past this many keys, forgotten and harmless ones are dropped, so a flood of made-up names
    /// cannot grow memory without bound.
    private let capacity: Int

    public init(
        accounts: SignInThrottlePolicy, clients: SignInThrottlePolicy, capacity: Int = 100_000,
        now: @escaping @Sendable () -> Date
    ) {
        self.accounts = accounts
        self.clients = clients
        self.capacity = capacity
        self.now = now
    }

    private func policy(_ entry: Entry) -> SignInThrottlePolicy {
        switch entry {
        case .account: accounts
        case .client: clients
        }
    }

    private func entries(_ key: SignInThrottleKey) -> [Entry] {
        [.client(key.client)] + (key.account.map { [.account($0.lowercased())] } ?? [])
    }

    /// The live record for an entry; nil once it has been forgotten.
    private func record(_ entry: Entry, at time: Date) -> Record? {
        guard let record = records[entry] else { return nil }
        if time.timeIntervalSince(record.last) > policy(entry).forgetAfter {
            records[entry] = nil
            return nil
        }
        return record
    }

    public func notBefore(_ key: SignInThrottleKey) -> Date? {
        let time = now()
        var latest: Date?
        for entry in entries(key) {
            guard let record = record(entry, at: time) else { continue }
            let until = record.last.addingTimeInterval(policy(entry).delay(afterFailures: record.failures))
            if until > time, until > (latest ?? .distantPast) { latest = until }
        }
        return latest
    }

    public func recordFailure(_ key: SignInThrottleKey) {
        let time = now()
        for entry in entries(key) {
            var current = record(entry, at: time) ?? Record(failures: 0, last: time)
            current.failures += 1
            current.last = time
            records[entry] = current
        }
        if records.count > capacity { prune(at: time) }
    }

    public func recordSuccess(_ key: SignInThrottleKey) {
        if let account = key.account { records[.account(account.lowercased())] = nil }
    }

    private func prune(at time: Date) {
        records = records.filter { time.timeIntervalSince($0.value.last) <= policy($0.key).forgetAfter }
        if records.count > capacity {
            records = records.filter { $0.value.failures >= policy($0.key).allowance }
        }
    }
}
