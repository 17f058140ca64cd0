import Foundation

/// Where signed-in sessions are kept. `MemorySessionStore` serves one process (a restart signs
/// everyone out); the PostgreSQL store keeps them in the database, so a sign-in through one
/// server is valid on every server that shares it, and survives a restart.
///
/// Both enforce the same two limits: a session ends after `idleTimeout` without a request and
/// after `absoluteTimeout` in any case; an ended session is never returned.
public protocol SessionRepository: Sendable {
    /// A new session (anonymous unless `user` is given) with a fresh id and CSRF token.
    func create(user: SignedInUser?) async throws(StoreError) -> Session
    /// The live session with this id, its last use set to now (a store may record uses to the
    /// minute, so the idle limit can end a session up to a minute early); nil if unknown or ended.
    func session(_ id: String) async throws(StoreError) -> Session?
    func setFlash(_ message: String?, session id: String) async throws(StoreError)
    /// Returns and clears the one-off message.
    func takeFlash(session id: String) async throws(StoreError) -> String?
    func remove(_ id: String) async throws(StoreError)
    /// Ends every session of an account (a disabled account, a new password).
    func removeAll(forUser userID: String) async throws(StoreError)
}

/// How long sessions last; one value shared by both stores.
public struct SessionLimits: Sendable {
    public var idleTimeout: TimeInterval
    public var absoluteTimeout: TimeInterval

    public init(idleTimeout: TimeInterval, absoluteTimeout: TimeInterval) {
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
    }
}
