import Foundation
import PostgresNIO
import SencoCore
import SencoStore

/// Sessions in the database, so a sign-in through one server holds on every server sharing it
/// and survives a restart. Same limits and clock as `MemorySessionStore`.
///
/// Only the SHA-256 of a session id is stored: a copy of the table (a backup, a dump sent for
/// support) holds no cookie anyone could present. A session past either limit is never
/// returned, and is deleted when it is next asked for or when a new session is made.
public struct PostgresSessions: SessionRepository {
    public let database: SencoDatabase
    let limits: SessionLimits
    let now: @Sendable () -> Date

    public init(database: SencoDatabase, limits: SessionLimits, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.limits = limits
        self.now = now
    }

    static func key(_ id: String) -> String { OneTimeLink.hash(id) }

    public func create(user: SignedInUser?) async throws(StoreError) -> Session {
        let time = now()
        let session = Session(id: SecureToken.make(), csrfToken: SecureToken.make(), user: user, created: time, lastSeen: time)
        let idleCutoff = time.addingTimeInterval(-limits.idleTimeout)
        let absoluteCutoff = time.addingTimeInterval(-limits.absoluteTimeout)
        try await database.execute("DELETE FROM sessions WHERE last_seen < \(idleCutoff) OR created < \(absoluteCutoff)")
        try await database.execute(
            """
            INSERT INTO sessions (id_hash, csrf_token, user_id, user_role, user_name, user_participant, user_tutor, created, last_seen)
            VALUES (\(Self.key(session.id)), \(session.csrfToken), \(user?.id), \(user?.role.rawValue), \(user?.name),
                    \(user?.participant), \(user?.tutor), \(time), \(time))
            """)
        return session
    }

    /// How stale `last_seen` may be before a request records its use again. Writing it on every
    /// request was a write (and, with `fsync` on, a flush of the log) per page view, all on one
    /// row for a user's every tab; a minute is nothing against a 30-minute idle limit.
    static let touchInterval: TimeInterval = 60

    /// One statement finds a live session and, if its use was last recorded more than
    /// `touchInterval` ago, records this one, so a session that ends between a check and an
    /// update is never returned.
    public func session(_ id: String) async throws(StoreError) -> Session? {
        let time = now()
        let idleCutoff = time.addingTimeInterval(-limits.idleTimeout)
        let absoluteCutoff = time.addingTimeInterval(-limits.absoluteTimeout)
        let touchCutoff = time.addingTimeInterval(-Self.touchInterval)
        let key = Self.key(id)
        let rows = try await database.rows(
            """
            WITH live AS (
                SELECT id_hash, csrf_token, user_id, user_role, user_name, user_participant, user_tutor, created, flash, last_seen
                FROM sessions WHERE id_hash = \(key) AND last_seen >= \(idleCutoff) AND created >= \(absoluteCutoff)
            ), touched AS (
                UPDATE sessions SET last_seen = \(time) FROM live
                WHERE sessions.id_hash = live.id_hash AND live.last_seen < \(touchCutoff)
                RETURNING sessions.id_hash
            )
            SELECT csrf_token, user_id, user_role, user_name, user_participant, user_tutor, created, flash FROM live
            """)
        guard let row = rows.first else {
            try await database.execute("DELETE FROM sessions WHERE id_hash = \(key)")
            return nil
        }
        let fields: (String, String?, String?, String?, String?, String?, Date, String?)
        do {
            fields = try row.decode((String, String?, String?, String?, String?, String?, Date, String?).self)
        } catch {
            throw PostgresFailure.storeError(error, location: database.location)
        }
        let (csrf, userID, roleText, name, participant, tutor, created, flash) = fields
        var user: SignedInUser?
        if let userID {
            guard let roleText, let role = Role(rawValue: roleText), let name else {
                throw StoreError(.invalidData, "a session in the database at \(database.location) names a user without a valid role or name")
            }
            user = SignedInUser(id: userID, role: role, name: name, participant: participant, tutor: tutor)
        }
        return Session(id: id, csrfToken: csrf, user: user, created: created, lastSeen: time, flash: flash)
    }

    public func setFlash(_ message: String?, session id: String) async throws(StoreError) {
        try await database.execute("UPDATE sessions SET flash = \(message) WHERE id_hash = \(Self.key(id))")
    }

    /// Reads and clears in one statement, so two requests of one session never both show it.
    public func takeFlash(session id: String) async throws(StoreError) -> String? {
        let rows = try await database.rows(
            """
            UPDATE sessions AS s SET flash = NULL FROM (SELECT id_hash, flash FROM sessions WHERE id_hash = \(Self.key(id)) FOR UPDATE) AS old
            WHERE s.id_hash = old.id_hash RETURNING old.flash
            """)
        guard let row = rows.first else { return nil }
        do { return try row.decode(String?.self) } catch {
            throw PostgresFailure.storeError(error, location: database.location)
        }
    }

    public func remove(_ id: String) async throws(StoreError) {
        try await database.execute("DELETE FROM sessions WHERE id_hash = \(Self.key(id))")
    }

    public func removeAll(forUser userID: String) async throws(StoreError) {
        try await database.execute("DELETE FROM sessions WHERE user_id = \(userID)")
    }
}
