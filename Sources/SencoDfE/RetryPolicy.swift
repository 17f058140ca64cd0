/// How hard the client tries before it gives up on a request.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts at one request, the first included.
    public var attempts: Int
    /// The wait before the second attempt; each later wait doubles, up to `longestWait`.
    public var firstWait: Duration
    public var longestWait: Duration
    /// The longest Retry-After honoured; a longer one ends the run with a summary instead.
    public var longestRetryAfter: Duration
    /// How long one request may take, connection included.
    public var timeout: Duration

    public init(
        attempts: Int = 5, firstWait: Duration = .milliseconds(500), longestWait: Duration = .seconds(8),
        longestRetryAfter: Duration = .seconds(120), timeout: Duration = .seconds(30)
    ) {
        self.attempts = attempts
        self.firstWait = firstWait
        self.longestWait = longestWait
        self.longestRetryAfter = longestRetryAfter
        self.timeout = timeout
    }

    /// For a request a person waits on in the browser: fewer and shorter waits, so that a page
    /// answers well inside the minute a proxy in front of the server usually allows.
    public static let forPages = RetryPolicy(
        attempts: 3, firstWait: .milliseconds(500), longestWait: .seconds(2), longestRetryAfter: .seconds(10),
        timeout: .seconds(10))
}
