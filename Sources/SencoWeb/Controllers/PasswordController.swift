import Foundation
import Hummingbird
import HummingbirdBcrypt
import SencoCore
import SencoStore

/// The public page a one-time link leads to: the account's holder sets a new password, with no
/// sign-in. The link names the account, so the form asks for nothing else.
///
/// The password is checked and hashed first, and only then is the link redeemed (atomically: of
/// two submissions with one token exactly one gets through), so a mistyped password costs
/// nothing and a used or expired link changes nothing. Setting the password ends every session
/// of the account. Tokens are never logged (the request log has the route pattern, not the
/// path).
struct PasswordController {
    let services: WebServices

    func addRoutes(to router: Router<WebContext>) {
        router.get("/set-password/:token", use: show)
        router.post("/set-password/:token", use: save)
    }

    private func token(_ context: WebContext) throws -> String {
        let token = try context.parameters.require("token")
        // base64url of 32 bytes; anything else is not a link this site made.
        guard token.count <= 64,
            token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            return ""
        }
        return token
    }

    func show(_ request: Request, context: WebContext) async throws -> Response {
        let token = try token(context)
        guard !token.isEmpty,
            let link = try await services.links.find(token: token, purpose: .setPassword, now: services.now),
            let account = try await services.users.user(link.userID)
        else {
            return try await gone(context: context)
        }
        return try await form(token: token, account: account, errors: [], context: context)
    }

    /// The form, in the browser's session (an anonymous one is started when there is none, as
    /// for the sign-in page, so the form has a CSRF token to carry).
    private func form(
        token: String, account: UserAccount, errors: [(field: String, message: String)],
        status: HTTPResponse.Status = .ok,
        context: WebContext
    ) async throws -> Response {
        let session: Session
        var fresh = false
        if let current = context.session {
            session = current
        } else {
            session = try await services.sessions.create(user: nil)
            fresh = true
        }
        let problems = FormErrors(errors)
        let view = SetPasswordPage(
            gone: false, csrf: session.csrfToken, action: OneTimeLink.path(for: token), username: account.id,
            minimum: UserAccount.minimumPasswordLength, hasErrors: !problems.isEmpty, errors: problems.items,
            passwordError: problems.message(for: "password"), confirmError: problems.message(for: "confirm"))
        var chrome = await services.chrome(context)
        chrome.csrf = session.csrfToken
        var response = services.views.page(
            view, title: errors.isEmpty ? "Set your password" : "Error: Set your password", status: status,
            chrome: chrome)
        if fresh {
            response.setCookie(SessionMiddleware.cookie(for: session, secure: services.configuration.secureCookies))
        }
        return response
    }

    /// 410: the link is unknown, used or expired; the page says what to do next.
    private func gone(context: WebContext) async throws -> Response {
        services.views.page(
            SetPasswordPage.linkGone, title: "This link no longer works", status: .gone,
            chrome: await services.chrome(context))
    }

    func save(_ request: Request, context: WebContext) async throws -> Response {
        let token = try token(context)
        let submitted = try await services.form(request, context: context)
        guard !token.isEmpty,
            let pending = try await services.links.find(token: token, purpose: .setPassword, now: services.now),
            let account = try await services.users.user(pending.userID)
        else {
            return try await gone(context: context)
        }
        let password = submitted["password"]
        let confirmation = submitted["confirm"]
        var errors: [(field: String, message: String)] = []
        if password.isEmpty {
            errors.append(("password", "Enter a new password."))
        } else if let problem = UserAccount.passwordProblem(password) {
            errors.append(("password", Self.sentence(problem)))
        } else if confirmation != password {
            errors.append(("confirm", "The two passwords are not the same. Type the new password again in both boxes."))
        }
        if !errors.isEmpty {
            // What was typed is not sent back: a password never leaves the server in a page.
            return try await form(
                token: token, account: account, errors: errors, status: .unprocessableContent, context: context)
        }
        let cost = services.configuration.bcryptCost
        let hash = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: Bcrypt.hash(password, cost: cost)) }
        }
        guard let link = try await services.links.redeem(token: token, purpose: .setPassword, now: services.now) else {
            return try await gone(context: context)
        }
        do throws(StoreError) {
            try await services.users.update(link.userID) { $0.passwordHash = hash }
        } catch {
            guard error.code == .notFound else { throw error }
            return try await gone(context: context)
        }
        try await services.sessions.removeAll(forUser: link.userID)
        context.logger.info("password set through a one-time link", metadata: ["user": "\(link.userID)"])
        return Response(status: .seeOther, headers: [.location: "/login?password-set=1"])
    }

    /// "the password must be…" as a sentence for the page.
    static func sentence(_ problem: String) -> String {
        guard let first = problem.first else { return problem }
        return first.uppercased() + problem.dropFirst() + "."
    }
}
