/// Why something to do with the DfE's API failed, in one line a provider can act on. It never
/// holds the API token: messages are built from status codes, field names and the API's own
/// error titles, never from request headers.
public struct DfEError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An extensible code, a struct over names (as swift-subprocess does), so callers can match
    /// on it and new codes do not break them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The policy file is not one senco can use.
        public static let policy = Code("policy")
        /// No token, or a token file that cannot be read.
        public static let token = Code("token")
        /// 401: the API does not know the token.
        public static let unauthorised = Code("unauthorised")
        /// 403: the token is known but may not do this.
        public static let forbidden = Code("forbidden")
        /// 404: the API has no such participant or declaration.
        public static let notFound = Code("not-found")
        /// 400 or 422: the API refused the request's content.
        public static let refused = Code("refused")
        /// 429 after every retry.
        public static let rateLimited = Code("rate-limited")
        /// 5xx, a dropped connection or a time-out, after every retry.
        public static let unavailable = Code("unavailable")
        /// The API answered with something the document does not describe.
        public static let badResponse = Code("bad-response")
        /// A saved response or other input file is not usable.
        public static let input = Code("input")
        /// 422: the DfE retired this participant id and keeps the participant under another.
        public static let participantReplaced = Code("participant-replaced")
        /// The API made the change, but senco's store could not record it (a sync records it later).
        public static let unrecorded = Code("unrecorded")
    }

    public var code: Code
    public var message: String
    /// For a 422: the field the API named (`errors[].title`).
    public var field: String?
    /// For `participantReplaced`: the DfE participant id that replaced the one sent.
    public var replacement: String?

    public init(_ code: Code, _ message: String, field: String? = nil, replacement: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.replacement = replacement
    }

    public var description: String { message }
}
