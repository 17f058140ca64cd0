import Foundation
import SencoCore

/// Who is signed in: a snapshot of the account taken at sign-in, without the password hash.
struct SignedInUser: Sendable, Hashable {
    var id: String
    var role: Role
    var name: String
    var participant: String?
    var tutor: String?

    init(_ account: UserAccount) {
        id = account.id
        role = account.role
        name = account.name
        participant = account.participant
        tutor = account.tutor
    }
}

/// A server-side session. The cookie holds only its random id. Every session, signed in or not,
/// has a CSRF token that state-changing forms must echo.
struct Session: Sendable, Hashable {
    var id: String
    var csrfToken: String
    var user: SignedInUser?
    var created: Date
    var lastSeen: Date
    /// A one-off message for the next page ("Evidence e3 saved").
    var flash: String?
}

enum SecureToken {
    /// 32 random bytes from the system's cryptographic generator, base64url without padding.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Compares without stopping at the first difference.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
