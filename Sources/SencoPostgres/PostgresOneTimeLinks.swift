import Foundation
import PostgresNIO
import SencoStore

/// One-time links in the database. Redeeming is one `UPDATE … WHERE used IS NULL RETURNING`, so
/// of two servers given the same token at once, exactly one gets the link. Used links are kept
/// (marked, not deleted) so a provider can see that a link was used and when; a new link for the
/// same user and purpose deletes the unused ones, as `MemoryOneTimeLinks` forgets them.
public struct PostgresOneTimeLinks: OneTimeLinkRepository {
    public let database: SencoDatabase

    public init(database: SencoDatabase) {
        self.database = database
    }

    public func issue(_ link: OneTimeLink) async throws(StoreError) {
        try await database.transaction { connection in
            try await connection.execute(
                "DELETE FROM one_time_links WHERE user_id = \(link.userID) AND purpose = \(link.purpose.rawValue) AND used IS NULL")
            try await connection.execute(
                """
                INSERT INTO one_time_links (token_hash, user_id, purpose, created, expires)
                VALUES (\(link.tokenHash), \(link.userID), \(link.purpose.rawValue), \(link.created), \(link.expires))
                """)
        }
    }

    public func find(token: String, purpose: OneTimeLink.Purpose, now: Date) async throws(StoreError) -> OneTimeLink? {
        let rows = try await database.rows(
            """
            SELECT user_id, created, expires FROM one_time_links
            WHERE token_hash = \(OneTimeLink.hash(token)) AND purpose = \(purpose.rawValue) AND used IS NULL AND expires > \(now)
            """)
        guard let row = rows.first else { return nil }
        let fields: (String, Date, Date)
        do { fields = try row.decode((String, Date, Date).self) } catch {
            throw PostgresFailure.storeError(error, location: database.location)
        }
        return OneTimeLink(tokenHash: OneTimeLink.hash(token), userID: fields.0, purpose: purpose, created: fields.1, expires: fields.2)
    }

    /// A link of another purpose is left unused (the token may be meant for another page); an
    /// expired one is used up, as in memory.
    public func redeem(token: String, purpose: OneTimeLink.Purpose, now: Date) async throws(StoreError) -> OneTimeLink? {
        let rows = try await database.rows(
            """
            UPDATE one_time_links SET used = \(now)
            WHERE token_hash = \(OneTimeLink.hash(token)) AND purpose = \(purpose.rawValue) AND used IS NULL
            RETURNING token_hash, user_id, created, expires
            """)
        guard let row = rows.first else { return nil }
        let fields: (String, String, Date, Date)
        do { fields = try row.decode((String, String, Date, Date).self) } catch {
            throw PostgresFailure.storeError(error, location: database.location)
        }
        let link = OneTimeLink(tokenHash: fields.0, userID: fields.1, purpose: purpose, created: fields.2, expires: fields.3)
        return link.expires > now ? link : nil
    }
}
