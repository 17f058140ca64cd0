/// The sign-in form (`login.mustache`).
struct LoginPage: PageView {
    static let template = "login"

    var csrf: String
    var username: String
    /// A notice above the form: the session ended, or the password was set.
    var notice: String?
    var error: String?
}

/// Setting a password from a one-time link, or saying the link no longer works
/// (`set-password.mustache`).
struct SetPasswordPage: PageView {
    static let template = "set-password"

    /// The link is unknown, used, replaced or expired: the page says so, with no form.
    var gone: Bool
    var csrf: String?
    var action: String
    var username: String
    var minimum: Int

    var hasErrors: Bool
    var errors: [FieldError]
    var passwordError: String?
    var confirmError: String?

    static let linkGone = SetPasswordPage(
        gone: true, csrf: nil, action: "", username: "", minimum: 0, hasErrors: false, errors: [], passwordError: nil,
        confirmError: nil)
}
