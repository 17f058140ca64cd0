import Foundation
import PostgresNIO
import SencoStore

/// The sign-in throttle in the database, so servers sharing it share a lock-out: the same counts
/// and arithmetic as `MemorySignInThrottle` (`SignInThrottlePolicy`), per account name (in lower
/// case) and per client, the same clock.
///
/// A failure is counted in one statement per key (an upsert that starts again from one once the
/// last failure is older than the policy forgets), so two servers failing the same account at
/// once both count. Forgotten rows are deleted as failures are recorded; there is no capacity
/// limit as in memory, since rows cost disk, not the server's memory.
public struct PostgresSignInThrottle: SignInThrottle {
    public let database: SencoDatabase
    let accounts: SignInThrottlePolicy
    let clients: SignInThrottlePolicy
    let now: @Sendable () -> Date

    public init(
        database: SencoDatabase, accounts: SignInThrottlePolicy, clients: SignInThrottlePolicy,
        now: @escaping @Sendable () -> Date
    ) {
        self.database = database
        self.accounts = accounts
        self.clients = clients
        self.now = now
    }

    private func entries(_ key: SignInThrottleKey) -> [(kind: String, key: String, policy: SignInThrottlePolicy)] {
        [("client", key.client, clients)] + (key.account.map { [("account", $0.lowercased(), accounts)] } ?? [])
    }

    public func notBefore(_ key: SignInThrottleKey) async throws(StoreError) -> Date? {
        let time = now()
        var latest: Date?
        for entry in entries(key) {
            let rows = try await database.rows(
                "SELECT failures, last FROM sign_in_failures WHERE kind = \(entry.kind) AND key = \(entry.key)")
            guard let row = rows.first else { continue }
            let fields: (Int, Date)
            do { fields = try row.decode((Int, Date).self) } catch {
                throw PostgresFailure.storeError(error, location: database.location)
            }
            let (failures, last) = fields
            if time.timeIntervalSince(last) > entry.policy.forgetAfter { continue }
            let until = last.addingTimeInterval(entry.policy.delay(afterFailures: failures))
            if until > time, until > (latest ?? .distantPast) { latest = until }
        }
        return latest
    }

    public func recordFailure(_ key: SignInThrottleKey) async throws(StoreError) {
        let time = now()
        for entry in entries(key) {
            let forgotten = time.addingTimeInterval(-entry.policy.forgetAfter)
            try await database.execute(
                """
                INSERT INTO sign_in_failures (kind, key, failures, last) VALUES (\(entry.kind), \(entry.key), 1, \(time))
                ON CONFLICT (kind, key) DO UPDATE SET
                    failures = CASE WHEN sign_in_failures.last < \(forgotten) THEN 1 ELSE sign_in_failures.failures + 1 END,
                    last = \(time)
                """)
        }
        let accountsForgotten = time.addingTimeInterval(-accounts.forgetAfter)
        let clientsForgotten = time.addingTimeInterval(-clients.forgetAfter)
        try await database.execute(
            """
            DELETE FROM sign_in_failures
            WHERE (kind = 'account' AND last < \(accountsForgotten)) OR (kind = 'client' AND last < \(clientsForgotten))
            """)
    }

    public func recordSuccess(_ key: SignInThrottleKey) async throws(StoreError) {
        guard let account = key.account else { return }
        try await database.execute("DELETE FROM sign_in_failures WHERE kind = 'account' AND key = \(account.lowercased())")
    }
}
