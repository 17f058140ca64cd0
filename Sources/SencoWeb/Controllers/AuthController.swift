import Foundation
import SencoStore
import Hummingbird
import HummingbirdBcrypt
import SencoCore

/// Signing in and out. Passwords are checked with bcrypt; failures are counted per account name
/// and per client, and past an allowance each further attempt must wait a growing delay
/// (`SignInThrottle`); a successful sign-in starts a new session (new id and CSRF token),
/// so a session id seen before sign-in is worthless after it.
struct AuthController {
    let services: WebServices

    /// A bcrypt hash of a random string, checked when the account name is unknown so that a
    /// wrong name takes as long as a wrong password.
    static let decoyHash = Bcrypt.hash(SecureToken.make(), cost: 12)

    func addRoutes(to router: Router<WebContext>) {
        router.get("/login", use: show)
        router.post("/login", use: signIn)
        router.post("/logout", use: signOut)
    }

    func show(_ request: Request, context: WebContext) async throws -> Response {
        if let user = context.session?.user {
            return Response(status: .seeOther, headers: [.location: Navigation.home(for: user)])
        }
        let query = request.uri.queryParameters
        var notice: String?
        if query["expired"] != nil { notice = "Your session ended, so you have been signed out. Sign in again to carry on." }
        if query["password-set"] != nil { notice = "Your password is set. Sign in with your user name and the new password." }
        return try await loginPage(context: context, username: "", notice: notice)
    }

    /// The sign-in form, in an anonymous session whose CSRF token the form carries.
    private func loginPage(
        context: WebContext, username: String, notice: String? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let session: Session
        if let current = context.session, current.user == nil {
            session = current
        } else {
            session = try await services.sessions.create(user: nil)
        }
        var response = services.views.page(
            LoginPage(csrf: session.csrfToken, username: username, notice: notice, error: error),
            title: error == nil ? "Sign in" : "Error: Sign in", status: status, chrome: PageChrome())
        response.setCookie(SessionMiddleware.cookie(for: session, secure: services.configuration.secureCookies))
        return response
    }

    func signIn(_ request: Request, context: WebContext) async throws -> Response {
        // The client's own delay is checked before its form is read.
        let client = services.client(request, context: context)
        if let until = try await services.throttle.notBefore(SignInThrottleKey(account: nil, client: client)) {
            return try await throttled(until: until, username: "", context: context)
        }
        let form = try await services.form(request, context: context)
        let username = form["username"].trimmingCharacters(in: .whitespaces).lowercased()
        let password = form["password"]
        if username.isEmpty || password.isEmpty {
            return try await loginPage(
                context: context, username: username, error: "Enter your user name and password.", status: .unprocessableContent)
        }
        let key = SignInThrottleKey(account: username, client: client)
        if let until = try await services.throttle.notBefore(key) {
            return try await throttled(until: until, username: username, context: context)
        }
        // A disabled account, or one whose password is not set yet, is checked against the decoy
        // like an unknown name: the answer and its timing are those of a wrong password.
        let account = try await services.users.user(username)
        let usable = account.flatMap { $0.canSignIn ? $0.passwordHash : nil }
        let hash = usable ?? Self.decoyHash
        let matches = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: Bcrypt.verify(password, hash: hash)) }
        }
        guard let account, usable != nil, matches else {
            return try await refuse(key, username: username, context: context)
        }
        try await services.throttle.recordSuccess(key)
        if let old = context.session?.id { try await services.sessions.remove(old) }
        let user = SignedInUser(account)
        let session = try await services.sessions.create(user: user)
        // The sign-in's time, recorded against the account as it is now: if it was disabled (or
        // its password changed) since it was read, the new session ends and the sign-in is
        // refused. A store too busy to record the time does not stop the sign-in.
        let now = services.now
        do throws(StoreError) {
            try await services.users.update(account.id) { (stored: inout UserAccount) throws(StoreError) in
                guard stored.canSignIn, stored.passwordHash == hash else {
                    throw StoreError(.invalidInput, "the account changed during sign-in")
                }
                stored.lastSignIn = now
            }
        } catch {
            if error.code == .invalidInput || error.code == .notFound {
                try await services.sessions.remove(session.id)
                return try await refuse(key, username: username, context: context)
            }
            context.logger.notice("last sign-in not recorded", metadata: ["reason": "\(error.code)"])
        }
        context.logger.info("signed in", metadata: ["user": "\(account.id)", "role": "\(account.role.rawValue)"])
        var response = Response(status: .seeOther, headers: [.location: Navigation.home(for: user)])
        response.setCookie(SessionMiddleware.cookie(for: session, secure: services.configuration.secureCookies))
        return response
    }

    /// 401: the same answer for a wrong name, a wrong password, a disabled account and one with
    /// no password yet; the failure counts against the name and the client.
    private func refuse(_ key: SignInThrottleKey, username: String, context: WebContext) async throws -> Response {
        try await services.throttle.recordFailure(key)
        context.logger.notice("sign-in refused")
        return try await loginPage(
            context: context, username: username, error: "The user name or password is not right. Check them and try again.",
            status: .unauthorized)
    }

    /// 429: the sign-in form again, saying how long to wait, with `Retry-After`. No password is
    /// checked and nothing is counted.
    private func throttled(until: Date, username: String, context: WebContext) async throws -> Response {
        let seconds = max(1, Int(until.timeIntervalSince(services.configuration.now()).rounded(.up)))
        let wait: String
        if seconds < 60 {
            wait = seconds == 1 ? "1 second" : "\(seconds) seconds"
        } else {
            let minutes = (seconds + 59) / 60
            wait = minutes == 1 ? "1 minute" : "\(minutes) minutes"
        }
        context.logger.notice("sign-in delayed")
        var response = try await loginPage(
            context: context, username: username,
            error: "There have been too many failed attempts to sign in. Wait \(wait) and try again, or ask your provider to help.",
            status: .tooManyRequests)
        response.headers[.retryAfter] = "\(seconds)"
        return response
    }

    func signOut(_ request: Request, context: WebContext) async throws -> Response {
        _ = try await services.form(request, context: context)
        if let id = context.session?.id { try await services.sessions.remove(id) }
        var response = Response(status: .seeOther, headers: [.location: "/login"])
        response.setCookie(SessionMiddleware.clearingCookie(secure: services.configuration.secureCookies))
        return response
    }
}

struct HomeController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/") { _, context in
            Response(status: .seeOther, headers: [.location: Navigation.home(for: try context.requireUser())])
        }
    }
}
