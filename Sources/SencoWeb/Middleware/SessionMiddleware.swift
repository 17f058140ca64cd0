import Foundation
import SencoStore
import Hummingbird

/// Loads the session named by the cookie. The cookie holds only a random id; it is HttpOnly,
/// SameSite=Lax, and Secure when the app is configured for TLS.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebContext
    static let cookieName = "senco_session"

    let sessions: any SessionRepository
    let configuration: WebConfiguration
    /// Set when sessions live in this process but accounts can be disabled from outside it (the
    /// command line on a directory store): each signed-in request then checks that its account
    /// is still there and enabled, and ends the session if not. (With PostgreSQL, disabling an
    /// account deletes its sessions in the same database, so no check is needed.)
    var accounts: (any AsyncUserRepository)? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let id = request.cookies[Self.cookieName]?.value {
            if let session = try await sessions.session(id) {
                if let user = session.user, let accounts, await !Self.isEnabled(user.id, in: accounts) {
                    try await sessions.remove(id)
                    context.sessionExpired = true
                } else {
                    context.session = session
                }
            } else {
                context.sessionExpired = true
            }
        }
        return try await next(request, context)
    }

    /// Whether the account exists and is enabled; an account that cannot be read counts as not.
    static func isEnabled(_ id: String, in accounts: any AsyncUserRepository) async -> Bool {
        guard let account = try? await accounts.user(id) else { return false }
        return !account.disabled
    }

    static func cookie(for session: Session, secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: session.id, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    static func clearingCookie(secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

/// Pages behind sign-in: without a live signed-in session, go to the sign-in page (saying the
/// session ended, when it did). Nothing behind this runs for an anonymous request.
struct RequireUserMiddleware: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.session?.user != nil else {
            let location = context.sessionExpired || context.session != nil ? "/login?expired=1" : "/login"
            return Response(status: .seeOther, headers: [.location: location])
        }
        return try await next(request, context)
    }
}

/// A state-changing request (anything but GET and HEAD) must come from a browser that holds a
/// session, since the CSRF token it must echo belongs to one. Without one it is refused here,
/// before any handler runs and before a byte of its body is read: 403 (or, for a session that
/// has ended, back to sign-in). With one, the handler checks who may make the request and only
/// then reads the form (`WebServices.form`), which checks the token.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .get || request.method == .head || context.session != nil {
            return try await next(request, context)
        }
        // A signed-in session that has ended: sign in again (the request is dropped unread).
        if context.sessionExpired && request.uri.path != "/login" {
            return Response(status: .seeOther, headers: [.location: "/login?expired=1", .connection: "close"])
        }
        var refusal = WebError.csrf
        refusal.headers[.connection] = "close"
        throw refusal
    }
}
