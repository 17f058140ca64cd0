import Foundation
import Hummingbird

/// The request context: the signed-in session (if any) and the parsed form of a POST.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `SessionMiddleware` when the request carries a live session cookie.
    var session: Session?
    /// Set by `CSRFMiddleware` for state-changing requests, after the token has been checked.
    var form: FormData?
    /// Set by `SessionMiddleware` when the cookie named a session that has ended.
    var sessionExpired = false
    var uploadLimit = 10 * 1024 * 1024

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { uploadLimit }

    /// The signed-in user; routes behind `RequireUserMiddleware` can rely on it.
    func requireUser() throws -> SignedInUser {
        guard let user = session?.user else { throw WebError.forbidden }
        return user
    }
}
