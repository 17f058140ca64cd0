import Foundation
import Hummingbird

/// Loads the session named by the cookie. The cookie holds only a random id; it is HttpOnly,
/// SameSite=Lax, and Secure when the app is configured for TLS.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebContext
    static let cookieName = "senco_session"

    let sessions: SessionStore
    let configuration: WebConfiguration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.uploadLimit = configuration.maxUploadBytes
        if let id = request.cookies[Self.cookieName]?.value {
            if let session = await sessions.session(id) {
                context.session = session
            } else {
                context.sessionExpired = true
            }
        }
        return try await next(request, context)
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

/// Every state-changing request must carry the session's CSRF token in its form (`csrf`); if it
/// is missing or wrong the request is refused with 403 before any handler runs, so nothing
/// changes. The parsed form is handed on in the context.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .get || request.method == .head {
            return try await next(request, context)
        }
        // A signed-in session that has ended: sign in again (the request is dropped unread).
        if context.session == nil && context.sessionExpired && request.uri.path != "/login" {
            return Response(status: .seeOther, headers: [.location: "/login?expired=1"])
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: context.maxUploadSize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw WebError.tooLarge
        }
        let form: FormData
        do {
            form = try FormData.parse(contentType: request.headers[.contentType], body: Data(body.readableBytesView))
        } catch {
            throw WebError.badForm
        }
        guard let session = context.session, SecureToken.equal(form["csrf"], session.csrfToken) else {
            throw WebError.csrf
        }
        var context = context
        context.form = form
        return try await next(request, context)
    }
}
