/// One account as the accounts pages show it.
struct AccountSummary {
    var id: String
    var name: String
    var role: String
    /// `active`, `waiting for a password` or `disabled`.
    var state: String
    var lastSignIn: String
    var created: String
    var disabled: Bool
    var participant: String?
    var tutor: String?
    var tutorName: String?
}

/// Every account, searched and filtered, a page at a time (`users.mustache`).
struct UsersPage: PageView {
    static let template = "users"

    var none: Bool
    var search: String
    var roles: [SelectOption]
    var states: [SelectOption]
    var filtered: Bool
    var shown: String
    var noMatch: Bool
    var users: [AccountSummary]
    var paging: PageNavigation
}

/// A new account (`user-new.mustache`).
struct NewAccountPage: PageView {
    static let template = "user-new"

    var csrf: String?
    var id: String
    var name: String
    var roles: [RadioChoice]
    var participant: String
    var tutors: [SelectOption]

    var hasErrors: Bool
    var errors: [FieldError]
    var idError: String?
    var nameError: String?
    var roleError: String?
    var participantError: String?
    var tutorError: String?
}

/// One account, with a new set-password link and disabling or enabling (`user.mustache`).
struct AccountPage: PageView {
    static let template = "user"

    var account: AccountSummary
    /// The provider's own account, which they cannot disable.
    var isSelf: Bool
    var hasPassword: Bool
    var csrf: String?
}

/// A one-time set-password link, shown once (`user-link.mustache`).
struct AccountLinkPage: PageView {
    static let template = "user-link"

    var id: String
    var name: String
    var isNew: Bool
    var url: String
    var expires: String
    var disabled: Bool
}
