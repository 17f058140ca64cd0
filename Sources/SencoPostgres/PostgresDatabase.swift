import Foundation
import Logging
import PostgresNIO
import SencoStore

/// A running client and where it points: what every PostgreSQL repository holds. Every driver
/// error leaves through here as a `StoreError` naming the store by its password-free location.
public struct SencoDatabase: Sendable {
    public let client: PostgresClient
    public let location: String

    /// The driver logs queries and their bound values at debug level; values are participants'
    /// words, so its logger writes nowhere.
    static let logger = Logger(label: "senco.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    public init(client: PostgresClient, location: String) {
        self.client = client
        self.location = location
    }

    /// Runs `body` on a leased connection, errors made `StoreError`s.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw PostgresFailure.storeError(error, location: location)
        }
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if anything in it
    /// throws (a `StoreError` from a check as much as a failed query), so nothing of a refused
    /// change is kept.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        try await withConnection { connection in
            try await connection.query("BEGIN", logger: Self.logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: Self.logger)
                return value
            } catch {
                // If the connection is gone the server has rolled back already.
                _ = try? await connection.query("ROLLBACK", logger: Self.logger)
                throw error
            }
        }
    }

    /// Every row of a query, from a pooled connection.
    func rows(_ query: PostgresQuery) async throws(StoreError) -> [PostgresRow] {
        do {
            return try await client.query(query, logger: Self.logger).collect()
        } catch {
            throw PostgresFailure.storeError(error, location: location)
        }
    }

    /// Runs a statement whose rows (if any) are not needed.
    func execute(_ query: PostgresQuery) async throws(StoreError) {
        _ = try await rows(query)
    }
}

extension PostgresConnection {
    /// Every row of `query` on this connection (inside a transaction).
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await self.query(query, logger: SencoDatabase.logger).collect()
    }

    func execute(_ query: PostgresQuery) async throws {
        _ = try await self.query(query, logger: SencoDatabase.logger).collect()
    }
}
