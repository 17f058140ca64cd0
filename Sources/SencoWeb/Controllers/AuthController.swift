import Foundation
import Hummingbird
import HummingbirdBcrypt
import SencoCore

/// Signing in and out. Passwords are checked with bcrypt; failures are counted per account name
/// and lock it for a while; a successful sign-in starts a new session (new id and CSRF token),
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
        let expired = request.uri.queryParameters["expired"] != nil
        return await loginPage(
            context: context, username: "",
            notice: expired ? "Your session ended, so you have been signed out. Sign in again to carry on." : nil)
    }

    /// The sign-in form, in an anonymous session whose CSRF token the form carries.
    private func loginPage(
        context: WebContext, username: String, notice: String? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async -> Response {
        let session: Session
        if let current = context.session, current.user == nil {
            session = current
        } else {
            session = await services.sessions.create()
        }
        var values: [String: Any] = ["csrf": session.csrfToken, "username": username]
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        var response = services.views.page(
            "login", title: error == nil ? "Sign in" : "Error: Sign in", status: status, context: values,
            chrome: PageChrome())
        response.setCookie(SessionMiddleware.cookie(for: session, secure: services.configuration.secureCookies))
        return response
    }

    func signIn(_ request: Request, context: WebContext) async throws -> Response {
        guard let form = context.form else { throw WebError.csrf }
        let username = form["username"].trimmingCharacters(in: .whitespaces).lowercased()
        let password = form["password"]
        if username.isEmpty || password.isEmpty {
            return await loginPage(
                context: context, username: username, error: "Enter your user name and password.", status: .unprocessableContent)
        }
        if await services.throttle.isLocked(username) {
            return await loginPage(
                context: context, username: username,
                error: "Too many failed attempts to sign in to this account. Wait \(await services.throttle.lockMinutes) minutes and try again, or ask your provider to help.",
                status: .tooManyRequests)
        }
        let account = try? services.users.user(username)
        let hash = account?.passwordHash ?? Self.decoyHash
        let matches = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: Bcrypt.verify(password, hash: hash)) }
        }
        guard let account, matches else {
            await services.throttle.recordFailure(username)
            context.logger.notice("sign-in refused")
            return await loginPage(
                context: context, username: username, error: "The user name or password is not right. Check them and try again.",
                status: .unauthorized)
        }
        await services.throttle.recordSuccess(username)
        if let old = context.session?.id { await services.sessions.remove(old) }
        let user = SignedInUser(account)
        let session = await services.sessions.create(user: user)
        context.logger.info("signed in", metadata: ["user": "\(account.id)", "role": "\(account.role.rawValue)"])
        var response = Response(status: .seeOther, headers: [.location: Navigation.home(for: user)])
        response.setCookie(SessionMiddleware.cookie(for: session, secure: services.configuration.secureCookies))
        return response
    }

    func signOut(_ request: Request, context: WebContext) async throws -> Response {
        if let id = context.session?.id { await services.sessions.remove(id) }
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
