import Foundation

/// Someone who signs in to the web application. Only a bcrypt hash of the password is kept.
///
/// An account a provider creates in the browser has no password until its holder sets one
/// through a one-time link: `passwordHash` is nil until then (never an empty or placeholder
/// string, so no code path can mistake "no password" for a hash to check), and such an account
/// cannot sign in.
public struct UserAccount: Sendable, Hashable, Identifiable {
    public var id: String
    public var role: Role
    public var name: String
    /// For a participant: whose portfolio is theirs.
    public var participant: String?
    /// For a tutor: the tutor id used in cohorts and portfolios.
    public var tutor: String?
    /// The bcrypt hash of the password; nil until the account's holder has set one.
    public var passwordHash: String?
    public var created: Date
    /// A disabled account cannot sign in; it is kept (with its link to a portfolio) so it can be
    /// enabled again.
    public var disabled: Bool
    /// When the account last signed in, if ever.
    public var lastSignIn: Date?

    public init(
        id: String, role: Role, name: String, participant: String? = nil, tutor: String? = nil, passwordHash: String?,
        created: Date, disabled: Bool = false, lastSignIn: Date? = nil
    ) {
        self.id = id
        self.role = role
        self.name = name
        self.participant = participant
        self.tutor = tutor
        self.passwordHash = passwordHash
        self.created = created
        self.disabled = disabled
        self.lastSignIn = lastSignIn
    }

    /// Whether the account may sign in at all (before its password is checked).
    public var canSignIn: Bool { !disabled && passwordHash != nil }

    /// The roles a person can sign in as (`system` is for automated log entries only).
    public static let signInRoles: [Role] = [.participant, .tutor, .moderator, .provider]

    /// Checks the account's fields: a valid id, a role people sign in as, the link its role needs,
    /// and either no password yet or a hash that looks like bcrypt's.
    public static func validate(_ account: UserAccount) throws(RuleError) {
        if let problem = Identifier.problem(with: account.id, what: "user") { throw RuleError(problem) }
        guard signInRoles.contains(account.role) else {
            throw RuleError("role \(account.role.rawValue) cannot sign in; use participant, tutor, moderator or provider")
        }
        if account.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw RuleError("user \(account.id) needs a name")
        }
        switch account.role {
        case .participant:
            guard let participant = account.participant else {
                throw RuleError("a participant account needs --participant-id (whose portfolio it is)")
            }
            if let problem = Identifier.problem(with: participant, what: "participant") { throw RuleError(problem) }
        case .tutor:
            guard let tutor = account.tutor else {
                throw RuleError("a tutor account needs --tutor-id (the tutor id used in cohorts)")
            }
            if let problem = Identifier.problem(with: tutor, what: "tutor") { throw RuleError(problem) }
        default:
            break
        }
        if let hash = account.passwordHash, !isBcryptHash(hash) {
            throw RuleError("user \(account.id): the stored password is not a bcrypt hash")
        }
    }

    /// `$2a$`, `$2b$` or `$2y$`, a two-digit cost, then 53 characters of bcrypt's base 64.
    public static func isBcryptHash(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 60, text.hasPrefix("$2"), ["a", "b", "y"].contains(String(scalars[2])), scalars[3] == "$",
            scalars[4].properties.numericType != nil, scalars[5].properties.numericType != nil, scalars[6] == "$"
        else { return false }
        return scalars[7...].allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "/"
        }
    }

    /// The minimum length of a new password.
    public static let minimumPasswordLength = 12

    /// Why a new password is refused, or nil. Length is what matters; no composition rules.
    public static func passwordProblem(_ password: String) -> String? {
        if password.count < minimumPasswordLength {
            return "the password must be at least \(minimumPasswordLength) characters long"
        }
        if password.utf8.count > 72 {
            return "the password must be at most 72 bytes long (bcrypt ignores anything after that)"
        }
        return nil
    }
}
