import Foundation

/// Sessions kept in this process's memory: the embedded default beside the directory store.
///
/// hummingbird-auth's `SessionStorage` keeps sessions the same way but its expiry follows the
/// wall clock inside its persist driver; this store takes the app's clock so tests can expire
/// a session, and it enforces both an idle and an absolute limit.
public actor MemorySessionStore: SessionRepository {
    private var sessions: [String: Session] = [:]
    private let limits: SessionLimits
    private let now: @Sendable () -> Date

    public init(limits: SessionLimits, now: @escaping @Sendable () -> Date) {
        self.limits = limits
        self.now = now
    }

    public func create(user: SignedInUser? = nil) -> Session {
        purge()
        let time = now()
        let session = Session(
            id: SecureToken.make(), csrfToken: SecureToken.make(), user: user, created: time, lastSeen: time)
        sessions[session.id] = session
        return session
    }

    public func session(_ id: String) -> Session? {
        guard var session = sessions[id] else { return nil }
        let time = now()
        if session.hasExpired(at: time, idleTimeout: limits.idleTimeout, absoluteTimeout: limits.absoluteTimeout) {
            sessions[id] = nil
            return nil
        }
        session.lastSeen = time
        sessions[id] = session
        return session
    }

    public func setFlash(_ message: String?, session id: String) {
        sessions[id]?.flash = message
    }

    public func takeFlash(session id: String) -> String? {
        let message = sessions[id]?.flash
        sessions[id]?.flash = nil
        return message
    }

    public func remove(_ id: String) {
        sessions[id] = nil
    }

    public func removeAll(forUser userID: String) {
        sessions = sessions.filter { $0.value.user?.id != userID }
    }

    private func purge() {
        guard sessions.count > 1000 else { return }
        let time = now()
        sessions = sessions.filter {
            !$0.value.hasExpired(at: time, idleTimeout: limits.idleTimeout, absoluteTimeout: limits.absoluteTimeout)
        }
    }
}
