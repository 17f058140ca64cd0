import Foundation
import Logging
import PostgresNIO
import SencoCore
import SencoData
import SencoStore

/// A PostgreSQL store opened from a URL: the pooled client, its `run()` task, the schema brought
/// up to date, and the repositories over them. One per process; every repository made from it
/// shares its pool.
///
///     let backend = try await PostgresBackend.open(url: "postgres://senco:secret@db:5432/senco")
///     let store = backend.store(schemas: schemas, summaryFramework: npq)
///     let sessions = backend.sessions(limits: limits, now: { Date() })
///     …
///     await backend.shutdown()
///
/// A server that runs its services in a ServiceLifecycle group can instead make a
/// `PostgresClient` from `PostgresLocation.configuration`, run it in the group, and build
/// `SencoDatabase` and `PostgresMigrations.run(on:)` itself.
public final class PostgresBackend: Sendable {
    public let location: PostgresLocation
    public let database: SencoDatabase
    private let running: Task<Void, Never>

    private init(location: PostgresLocation, client: PostgresClient) {
        self.location = location
        self.database = SencoDatabase(client: client, location: location.description)
        running = Task { await client.run() }
    }

    /// Connects, checks that the server answers (so a wrong host, password or database is one
    /// clear error now, not a stalled first request), then applies any pending migrations
    /// (`migrate: false` refuses a database that needs them instead).
    public static func open(url: String, migrate: Bool = true) async throws(StoreError) -> PostgresBackend {
        try await open(location: try PostgresLocation(url: url), migrate: migrate)
    }

    public static func open(location: PostgresLocation, migrate: Bool = true) async throws(StoreError) -> PostgresBackend {
        try await probe(location)
        let backend = PostgresBackend(
            location: location, client: PostgresClient(configuration: location.configuration, backgroundLogger: SencoDatabase.logger))
        do {
            if migrate {
                try await PostgresMigrations.run(on: backend.database)
            } else {
                try await PostgresMigrations.requireCurrent(backend.database)
            }
        } catch {
            await backend.shutdown()
            throw error
        }
        return backend
    }

    /// One connection, opened and closed, outside the pool: the pool would retry a failing
    /// connection for a minute before giving up, and say less about why.
    static func probe(_ location: PostgresLocation) async throws(StoreError) {
        let configuration = try location.connectionConfiguration()
        do {
            let connection = try await PostgresConnection.connect(
                configuration: configuration, id: 0, logger: SencoDatabase.logger)
            try await connection.close()
        } catch {
            throw PostgresFailure.storeError(error, location: location.description)
        }
    }

    /// Stops the client: queries after this fail.
    public func shutdown() async {
        running.cancel()
        await running.value
    }

    public func store(
        schemas: PortfolioSchemas, attachmentLimit: Int = DirectoryStore.defaultAttachmentLimit, summaryFramework: Framework? = nil
    ) -> PostgresStore {
        PostgresStore(database: database, schemas: schemas, attachmentLimit: attachmentLimit, summaryFramework: summaryFramework)
    }

    public func users() -> PostgresUsers { PostgresUsers(database: database) }

    public func sessions(limits: SessionLimits, now: @escaping @Sendable () -> Date) -> PostgresSessions {
        PostgresSessions(database: database, limits: limits, now: now)
    }

    public func signInThrottle(
        accounts: SignInThrottlePolicy, clients: SignInThrottlePolicy, now: @escaping @Sendable () -> Date
    ) -> PostgresSignInThrottle {
        PostgresSignInThrottle(database: database, accounts: accounts, clients: clients, now: now)
    }

    public func oneTimeLinks() -> PostgresOneTimeLinks { PostgresOneTimeLinks(database: database) }

    /// Whether the database answers a trivial query now: what a server's `/ready` reports.
    public func isAnswering() async -> Bool {
        do {
            try await database.withConnection { connection in
                _ = try await connection.query("SELECT 1", logger: SencoDatabase.logger)
            }
            return true
        } catch {
            return false
        }
    }
}
