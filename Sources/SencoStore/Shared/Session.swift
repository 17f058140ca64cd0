import Foundation
import SencoCore

/// Who is signed in: a snapshot of the account taken at sign-in, without the password hash.
public struct SignedInUser: Sendable, Hashable {
    public var id: String
    public var role: Role
    public var name: String
    public var participant: String?
    public var tutor: String?

    public init(id: String, role: Role, name: String, participant: String?, tutor: String?) {
        self.id = id
        self.role = role
        self.name = name
        self.participant = participant
        self.tutor = tutor
    }

    public init(_ account: UserAccount) {
        id = account.id
        role = account.role
        name = account.name
        participant = account.participant
        tutor = account.tutor
    }
}

/// A server-side session. The cookie holds only its random id. Every session, signed in or not,
/// has a CSRF token that state-changing forms must echo.
public struct Session: Sendable, Hashable {
    public var id: String
    public var csrfToken: String
    public var user: SignedInUser?
    public var created: Date
    public var lastSeen: Date
    /// A one-off message for the next page ("Evidence e3 saved").
    public var flash: String?

    public init(id: String, csrfToken: String, user: SignedInUser?, created: Date, lastSeen: Date, flash: String? = nil) {
        self.id = id
        self.csrfToken = csrfToken
        self.user = user
        self.created = created
        self.lastSeen = lastSeen
        self.flash = flash
    }

    /// Whether the session has ended at `time`: idle too long, or too old in any case.
    public func hasExpired(at time: Date, idleTimeout: TimeInterval, absoluteTimeout: TimeInterval) -> Bool {
        time.timeIntervalSince(lastSeen) > idleTimeout || time.timeIntervalSince(created) > absoluteTimeout
    }
}

public enum SecureToken {
    /// 32 random bytes from the system's cryptographic generator, base64url without padding.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Compares without stopping at the first difference.
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
