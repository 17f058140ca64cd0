import Foundation
import HTTPTypes
import SencoDfE
import SencoStore

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
    /// The largest attachment accepted. This one number is the limit the evidence page states,
    /// the size an uploaded file is checked against, and (with `maxFormBytes` for the form's
    /// other fields and the multipart framing) the upload route's body cap.
    public var maxUploadBytes: Int
    /// The largest body of a form that does not upload a file.
    public var maxFormBytes: Int
    /// The most fields (and file parts) a form may have.
    public var maxFormFields: Int
    /// Failed sign-ins for one account name before each further attempt must wait (1 s, 2 s,
    /// 4 s… up to `maxSignInDelay`).
    public var maxFailedSignIns: Int
    /// Failed sign-ins from one client (whatever names it tries) before its attempts must wait
    /// in the same way, independently of the account names.
    public var maxFailedSignInsPerClient: Int
    /// The longest wait the sign-in throttle imposes.
    public var maxSignInDelay: TimeInterval
    /// Failures are forgotten this long after the last one.
    public var throttleWindow: TimeInterval
    /// The request header a trusted reverse proxy sets to the client's address (for example
    /// `X-Forwarded-For`, whose last entry is used, or `X-Real-IP`). Leave nil when browsers
    /// connect directly: then the socket's address is used and the header is ignored, since a
    /// client could set it to anything.
    public var clientAddressHeader: HTTPField.Name?
    /// The address people reach the application at (`https://senco.example.org`), for the
    /// one-time links providers hand out. Nil: the address the provider's own request was made
    /// to.
    public var publicBaseURL: String?
    /// The DfE's lead-provider API, if this server may send to it; nil: the DfE pages show what
    /// would be sent and offer nothing to send.
    public var dfe: DfESettings?
    /// When milestones are ready and schedules open (`senco serve --dfe-policy`, as `--policy`).
    public var declarationPolicy: DeclarationPolicy
    /// bcrypt's cost for passwords hashed by the app (tests lower it to stay fast).
    public var bcryptCost: UInt8
    /// The clock; tests move it forward to expire sessions and sign-in delays.
    public var now: @Sendable () -> Date

    public init(
        host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, idleTimeout: TimeInterval = 30 * 60,
        absoluteTimeout: TimeInterval = 8 * 60 * 60, maxUploadBytes: Int = 10 * 1024 * 1024,
        maxFormBytes: Int = 64 * 1024, maxFormFields: Int = 200, maxFailedSignIns: Int = 5,
        maxFailedSignInsPerClient: Int = 20, maxSignInDelay: TimeInterval = 15 * 60, throttleWindow: TimeInterval = 24 * 60 * 60,
        clientAddressHeader: HTTPField.Name? = nil, publicBaseURL: String? = nil, dfe: DfESettings? = nil,
        declarationPolicy: DeclarationPolicy = DeclarationPolicy(), bcryptCost: UInt8 = 12,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.dfe = dfe
        self.declarationPolicy = declarationPolicy
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.maxUploadBytes = maxUploadBytes
        self.maxFormBytes = maxFormBytes
        self.maxFormFields = maxFormFields
        self.maxFailedSignIns = maxFailedSignIns
        self.maxFailedSignInsPerClient = maxFailedSignInsPerClient
        self.maxSignInDelay = maxSignInDelay
        self.throttleWindow = throttleWindow
        self.clientAddressHeader = clientAddressHeader
        self.publicBaseURL = publicBaseURL
        self.bcryptCost = bcryptCost
        self.now = now
    }

    /// The upload route's body cap: the attachment, plus room for the form's other fields and
    /// the multipart framing. The file itself is then checked against `maxUploadBytes`.
    var maxUploadBodyBytes: Int { maxUploadBytes + maxFormBytes }

    public var sessionLimits: SessionLimits { SessionLimits(idleTimeout: idleTimeout, absoluteTimeout: absoluteTimeout) }

    public var accountThrottlePolicy: SignInThrottlePolicy {
        SignInThrottlePolicy(allowance: maxFailedSignIns, maxDelay: maxSignInDelay, forgetAfter: throttleWindow)
    }

    public var clientThrottlePolicy: SignInThrottlePolicy {
        SignInThrottlePolicy(allowance: maxFailedSignInsPerClient, maxDelay: maxSignInDelay, forgetAfter: throttleWindow)
    }
}
