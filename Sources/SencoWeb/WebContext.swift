import Foundation
import SencoStore
import Hummingbird
import NIOCore

/// The request context: the signed-in session (if any) and where the request came from.
///
/// A form is not part of the context: a handler reads it with `WebServices.form(_:context:)`
/// after checking who may make the request, so a body is never read for someone refused.
public struct WebContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `SessionMiddleware` when the request carries a live session cookie.
    var session: Session?
    /// Set by `SessionMiddleware` when the cookie named a session that has ended.
    var sessionExpired = false
    /// The connected peer (nil in router tests).
    public let remoteAddress: SocketAddress?

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The signed-in user; routes behind `RequireUserMiddleware` can rely on it.
    func requireUser() throws -> SignedInUser {
        guard let user = session?.user else { throw WebError.forbidden }
        return user
    }
}
