import Foundation

/// How the web application runs: where it listens, how long sessions last, what uploads may be.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Mark the session cookie `Secure`: set this when the app is served over TLS (directly or
    /// behind a proxy that terminates TLS).
    public var secureCookies: Bool
    /// A session ends after this long without a request…
    public var idleTimeout: TimeInterval
    /// …and after this long in any case.
    public var absoluteTimeout: TimeInterval
    /// The largest request body accepted (an attachment upload with its form fields).
    public var maxUploadBytes: Int
    /// Failed sign-ins for one account within `throttleWindow` before it is locked for that long.
    public var maxFailedSignIns: Int
    public var throttleWindow: TimeInterval
    /// bcrypt's cost for passwords hashed by the app (tests lower it to stay fast).
    public var bcryptCost: UInt8
    /// The clock; tests move it forward to expire sessions.
    public var now: @Sendable () -> Date

    public init(
        host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, idleTimeout: TimeInterval = 30 * 60,
        absoluteTimeout: TimeInterval = 8 * 60 * 60, maxUploadBytes: Int = 10 * 1024 * 1024, maxFailedSignIns: Int = 5,
        throttleWindow: TimeInterval = 15 * 60, bcryptCost: UInt8 = 12, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.maxUploadBytes = maxUploadBytes
        self.maxFailedSignIns = maxFailedSignIns
        self.throttleWindow = throttleWindow
        self.bcryptCost = bcryptCost
        self.now = now
    }
}
