import Foundation

/// Sessions kept in memory on the server. A restart signs everyone out, which is acceptable for
/// a single-process app; a shared store would sit behind the same methods.
///
/// hummingbird-auth's `SessionStorage` keeps sessions the same way but its expiry follows the
/// wall clock inside its persist driver; this store takes the app's clock so tests can expire
/// a session, and it enforces both an idle and an absolute limit.
actor SessionStore {
    private var sessions: [String: Session] = [:]
    private let idleTimeout: TimeInterval
    private let absoluteTimeout: TimeInterval
    private let now: @Sendable () -> Date

    init(idleTimeout: TimeInterval, absoluteTimeout: TimeInterval, now: @escaping @Sendable () -> Date) {
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.now = now
    }

    /// A new session (anonymous unless `user` is given) with a fresh id and CSRF token.
    func create(user: SignedInUser? = nil) -> Session {
        purge()
        let time = now()
        let session = Session(
            id: SecureToken.make(), csrfToken: SecureToken.make(), user: user, created: time, lastSeen: time)
        sessions[session.id] = session
        return session
    }

    /// The live session with this id, touched; nil if unknown or expired (an expired one is removed).
    func session(_ id: String) -> Session? {
        guard var session = sessions[id] else { return nil }
        let time = now()
        if time.timeIntervalSince(session.lastSeen) > idleTimeout || time.timeIntervalSince(session.created) > absoluteTimeout {
            sessions[id] = nil
            return nil
        }
        session.lastSeen = time
        sessions[id] = session
        return session
    }

    func setFlash(_ message: String?, session id: String) {
        sessions[id]?.flash = message
    }

    /// Returns and clears the flash message.
    func takeFlash(session id: String) -> String? {
        let message = sessions[id]?.flash
        sessions[id]?.flash = nil
        return message
    }

    func remove(_ id: String) {
        sessions[id] = nil
    }

    private func purge() {
        guard sessions.count > 1000 else { return }
        let time = now()
        sessions = sessions.filter {
            time.timeIntervalSince($0.value.lastSeen) <= idleTimeout && time.timeIntervalSince($0.value.created) <= absoluteTimeout
        }
    }
}
