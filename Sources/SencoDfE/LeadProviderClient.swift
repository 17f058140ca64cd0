import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SencoCore

/// A declaration as the API holds it (`ParticipantDeclaration` in the OpenAPI document).
public struct HeldDeclaration: Sendable, Hashable {
    public var id: String
    public var participantID: String
    public var type: String
    public var course: String
    public var state: String

    public init(id: String, participantID: String, type: String, course: String, state: String) {
        self.id = id
        self.participantID = participantID
        self.type = type
        self.course = course
        self.state = state
    }

    /// Voided and clawed-back declarations no longer count: the milestone may be declared again.
    public var counts: Bool { !["voided", "awaiting_clawback", "clawed_back"].contains(state) }
}

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
}

/// The NPQ lead-provider API (v3) over async-http-client, TLS by default. One instance per run;
/// `shutdown()` when done.
public final class LeadProviderClient: Sendable {
    public let baseURL: URL
    private let token: LeadProviderToken
    private let http: HTTPClient
    public let retry: RetryPolicy
    /// Told of every wait, so a long run says why it is pausing (never with the token).
    private let onWait: @Sendable (String) -> Void

    /// Refuses a base URL that would send the token in clear over a network: `https`, or `http`
    /// only to this machine (the tests' loopback fake).
    public init(
        baseURL: String, token: LeadProviderToken, retry: RetryPolicy = RetryPolicy(),
        onWait: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(DfEError) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
            url.query == nil, url.user == nil
        else {
            throw DfEError(
                .input,
                "--base-url \(baseURL.quotedForMessage()) is not an http(s) address such as https://sandbox.register-npq.education.gov.uk"
            )
        }
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]"
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw DfEError(
                .input,
                "--base-url \(baseURL.quotedForMessage()) must be https (the token would cross the network in clear)")
        }
        self.baseURL = url
        self.token = token
        self.retry = retry
        self.onWait = onWait
        // No redirects: a redirect to another host would carry the Authorization header there.
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async {
        guard shutDown.claim() else { return }
        try? await http.shutdown()
    }

    /// A client dropped without `shutdown()` (an error on the way) shuts its connections down
    /// here rather than leaking them (async-http-client stops a debug build that leaks one).
    deinit {
        if shutDown.claim() { _ = http.shutdown() }
    }

    private let shutDown = Once()

    /// True the first time only: shutdown happens once, from `shutdown()` or `deinit`.
    private final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false

        func claim() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if done { return false }
            done = true
            return true
        }
    }

    // MARK: Endpoints

    /// `POST /api/v3/participant-declarations`. A dropped connection or a 5xx is not retried
    /// here: the API may have recorded the declaration, so the caller asks it before trying again.
    public func postDeclaration(_ request: DeclarationRequest) async throws(DfEError) -> HeldDeclaration {
        let (status, body) = try await send(
            .POST, path: "/api/v3/participant-declarations", body: request.body, retryUncertain: false)
        guard status == 200 || status == 201 else {
            throw failure(status: status, body: body, what: "\(request.participant) \(request.type.rawValue)")
        }
        guard let held = Self.declaration(from: body) else {
            throw DfEError(
                .badResponse,
                "the API accepted \(request.participant) \(request.type.rawValue) but its answer is not a participant declaration"
            )
        }
        return held
    }

    /// `PUT /api/v3/participant-declarations/{id}/void`: the declaration as it now stands
    /// (`voided`, or `awaiting_clawback` if it had been paid).
    public func voidDeclaration(id: String) async throws(DfEError) -> HeldDeclaration {
        if let problem = DfEIdentity.uuidProblem(id, field: "declaration id") { throw DfEError(.input, problem) }
        let path = "/api/v3/participant-declarations/\(id.lowercased())/void"
        // Voiding twice leaves it void, so a retry after a lost answer is safe.
        let (status, body) = try await send(.PUT, path: path, body: nil, retryUncertain: true)
        guard status == 200 else { throw failure(status: status, body: body, what: "declaration \(id)") }
        guard let held = Self.declaration(from: body) else {
            throw DfEError(.badResponse, "the API's answer to the void of \(id) is not a participant declaration")
        }
        return held
    }

    /// `GET /api/v3/participant-declarations?filter[participant_id]=…`, every page.
    public func declarations(forParticipant dfeID: String) async throws(DfEError) -> [HeldDeclaration] {
        try await pages(path: "/api/v3/participant-declarations", filter: ["participant_id": dfeID]).flatMap(
            Self.declarations(inPage:))
    }

    /// `GET /api/v3/participant-declarations?filter[updated_since]=…`, every page.
    public func declarations(updatedSince: Date?) async throws(DfEError) -> [HeldDeclaration] {
        let filter = updatedSince.map { ["updated_since": DeclarationRequest.rfc3339($0)] } ?? [:]
        return try await pages(path: "/api/v3/participant-declarations", filter: filter).flatMap(
            Self.declarations(inPage:))
    }

    /// `GET /api/v3/participants/npq`, every page, as the API sent them (`DfEParticipant.read` reads them).
    public func participantPages(updatedSince: Date?) async throws(DfEError) -> [Data] {
        let filter = updatedSince.map { ["updated_since": DeclarationRequest.rfc3339($0)] } ?? [:]
        return try await pages(path: "/api/v3/participants/npq", filter: filter)
    }

    // MARK: Paging

    static let perPage = 100

    /// The guidance's "Syncing data best practice": keep incrementing `page[page]` until a page
    /// comes back empty (a short page is the last one too). Each page's body, as sent.
    private func pages(path: String, filter: [String: String]) async throws(DfEError) -> [Data] {
        var bodies: [Data] = []
        var page = 1
        while true {
            var query = filter.sorted { $0.key < $1.key }.map { ("filter[\($0.key)]", $0.value) }
            query += [("page[page]", String(page)), ("page[per_page]", String(Self.perPage))]
            let (status, body) = try await send(.GET, path: path, query: query, body: nil, retryUncertain: true)
            guard status == 200 else { throw failure(status: status, body: body, what: "GET \(path)") }
            guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
                let data = object["data"] as? [Any]
            else { throw DfEError(.badResponse, "the API's answer to GET \(path) has no data list") }
            if data.isEmpty { break }
            bodies.append(body)
            if data.count < Self.perPage { break }
            page += 1
        }
        return bodies
    }

    static func declarations(inPage body: Data) -> [HeldDeclaration] {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let data = object["data"] as? [[String: Any]]
        else { return [] }
        return data.compactMap(declaration(fromResource:))
    }

    // MARK: Sending

    /// One request, retried on 429 (after Retry-After) and, when `retryUncertain`, on 5xx and
    /// dropped connections (with backoff). Returns the final status and body.
    private func send(
        _ method: HTTPMethod, path: String, query: [(String, String)] = [], body: Data?, retryUncertain: Bool
    ) async throws(DfEError) -> (Int, Data) {
        var url = baseURL.absoluteString + path
        if !query.isEmpty {
            url += "?" + query.map { "\(Self.percentEncode($0.0))=\(Self.percentEncode($0.1))" }.joined(separator: "&")
        }
        var wait = retry.firstWait
        var attempt = 1
        while true {
            var request = HTTPClientRequest(url: url)
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(token.value)")
            request.headers.add(name: "Accept", value: "application/json")
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            let outcome: Result<(Int, Data, String?), DfEError>
            do {
                let response = try await http.execute(request, timeout: .milliseconds(Self.milliseconds(retry.timeout)))
                let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
                outcome = .success(
                    (
                        Int(response.status.code), Data(bytes.readableBytesView),
                        response.headers.first(name: "Retry-After")
                    ))
            } catch {
                // Never the error's own text: it is the client's, and may echo the request.
                outcome = .failure(
                    DfEError(.unavailable, "\(method.rawValue) \(path): no answer (\(Self.kind(of: error)))"))
            }
            switch outcome {
            case .success(let (status, _, retryAfter)) where status == 429:
                let seconds = retryAfter.flatMap(Self.retryAfterSeconds) ?? Double(wait.components.seconds) + 1
                guard attempt < retry.attempts else {
                    throw DfEError(
                        .rateLimited,
                        "\(method.rawValue) \(path): the API is still limiting requests (429) after \(attempt) attempts"
                    )
                }
                guard Duration.seconds(seconds) <= retry.longestRetryAfter else {
                    throw DfEError(
                        .rateLimited,
                        "\(method.rawValue) \(path): the API asks to wait \(Int(seconds)) s (429 Retry-After); stopping instead"
                    )
                }
                onWait("the API is limiting requests (429); waiting \(Self.shown(seconds)) s as its Retry-After says")
                try await sleep(.milliseconds(Int64(seconds * 1000)))
            case .success(let (status, _, _)) where status >= 500 && retryUncertain && attempt < retry.attempts:
                onWait("\(method.rawValue) \(path): the API answered \(status); trying again in \(Self.shown(wait))")
                try await sleep(wait)
                wait = min(wait * 2, retry.longestWait)
            case .success(let (status, data, _)):
                return (status, data)
            case .failure(let error):
                guard retryUncertain && attempt < retry.attempts else { throw error }
                onWait("\(error.message); trying again in \(Self.shown(wait))")
                try await sleep(wait)
                wait = min(wait * 2, retry.longestWait)
            }
            attempt += 1
        }
    }

    func sendChange(path: String, body: Data) async throws(DfEError) -> (Int, Data) {
        try await send(.PUT, path: path, body: body, retryUncertain: true)
    }

    private func sleep(_ duration: Duration) async throws(DfEError) {
        do { try await Task.sleep(for: duration) } catch {
            throw DfEError(.unavailable, "stopped while waiting to try again")
        }
    }

    /// The error for a status the document describes, naming what was asked and, for a 422, the field.
    func failure(status: Int, body: Data, what: String) -> DfEError {
        switch status {
        case 401:
            return DfEError(
                .unauthorised,
                "the API does not accept the token (401 Unauthorized): check the token file or $SENCO_DFE_TOKEN")
        case 403:
            return DfEError(.forbidden, "the API refuses this token for \(what) (403 Forbidden)")
        case 404:
            return DfEError(.notFound, "the API has no record for \(what) (404 Not Found)")
        case 400, 422:
            let (field, detail) = Self.firstError(body)
            let label = status == 400 ? "400 Bad Request" : "422 Unprocessable Entity"
            let named = field.map { " on \($0)" } ?? ""
            return DfEError(
                .refused, "the API refused \(what)\(named) (\(label))\(detail.map { ": \($0)" } ?? "")", field: field)
        case 429:
            return DfEError(.rateLimited, "the API is limiting requests (429)")
        case 500...599:
            return DfEError(.unavailable, "the API failed on \(what) (\(status))")
        default:
            return DfEError(.badResponse, "the API answered \(status) to \(what)")
        }
    }

    // MARK: Parsing

    /// `errors[0].title` (the field, in a 422) and `errors[0].detail`, cut short and on one line.
    static func firstError(_ body: Data) -> (String?, String?) {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let errors = object["errors"] as? [[String: Any]], let first = errors.first
        else { return (nil, nil) }
        let clean: (Any?) -> String? = { value in
            (value as? String).map {
                String(
                    $0.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(200).map(Character.init))
            }
        }
        return (clean(first["title"]), clean(first["detail"]))
    }

    static func declaration(from body: Data) -> HeldDeclaration? {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let data = object["data"] as? [String: Any]
        else { return nil }
        return declaration(fromResource: data)
    }

    static func declaration(fromResource data: [String: Any]) -> HeldDeclaration? {
        guard let id = data["id"] as? String, let attributes = data["attributes"] as? [String: Any],
            let participant = attributes["participant_id"] as? String,
            let type = attributes["declaration_type"] as? String,
            let course = attributes["course_identifier"] as? String, let state = attributes["state"] as? String,
            DfEIdentity.uuidProblem(id, field: "id") == nil
        else { return nil }
        return HeldDeclaration(
            id: id.lowercased(), participantID: participant.lowercased(), type: type, course: course, state: state)
    }

    /// Retry-After as seconds, or as an HTTP date (RFC 9110 allows both).
    static func retryAfterSeconds(_ text: String) -> Double? {
        if let seconds = Double(text.trimmingCharacters(in: .whitespaces)), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text).map { max(0, $0.timeIntervalSinceNow) }
    }

    static func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func kind(of error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            case .remoteConnectionClosed: return "the connection was dropped"
            case .redirectLimitReached, .redirectCycleDetected: return "redirected"
            default: break
            }
        }
        return "the connection failed"
    }

    static func shown(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    static func shown(_ duration: Duration) -> String {
        let ms = milliseconds(duration)
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }
}

/// The API token: from a file or `$SENCO_DFE_TOKEN`, never an argument. Its description hides it,
/// so it cannot reach a log or a message by accident.
public struct LeadProviderToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    fileprivate let value: String

    public static let environmentVariable = "SENCO_DFE_TOKEN"

    public init(_ value: String) throws(DfEError) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw DfEError(.token, "the API token is empty") }
        // A header value cannot hold a line break or control character: a token with one would
        // split the request (header injection).
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw DfEError(.token, "the API token holds a control character or line break")
        }
        self.value = trimmed
    }

    /// From `--token-file`, else `$SENCO_DFE_TOKEN`; a clear line when neither is there.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(DfEError) -> Self
    {
        if let file {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw DfEError(.token, "cannot read the token file \(file.quotedForMessage())")
            }
            guard data.count <= 4096, let text = String(data: data, encoding: .utf8) else {
                throw DfEError(.token, "the token file \(file.quotedForMessage()) does not hold a token")
            }
            do { return try Self(text) } catch {
                throw DfEError(.token, "\(error.message) (in \(file.quotedForMessage()))")
            }
        }
        if let value = environment[environmentVariable] { return try Self(value) }
        throw DfEError(.token, "no API token: give --token-file FILE or set $\(environmentVariable)")
    }

    public var description: String { "<token>" }
    public var debugDescription: String { "<token>" }
}

/// A change of training status sent to the API (`PUT /api/v3/participants/npq/{id}/withdraw`,
/// `/defer`, `/resume`), with the reason values the OpenAPI document enumerates.
public enum TrainingStatusChange: Sendable, Hashable {
    case withdraw(reason: String)
    case `defer`(reason: String)
    case resume

    /// `ParticipantWithdrawRequest.data.attributes.reason`'s enum, as published (the trailing
    /// dot of `quality-of-programme-structure-not-suitable.` included).
    public static let withdrawalReasons = [
        "insufficient-capacity-to-undertake-programme", "personal-reason-health-or-pregnancy-related",
        "personal-reason-moving-school", "personal-reason-other", "insufficient-capacity",
        "change-in-developmental-or-personal-priorities", "change-in-school-circumstances",
        "change-in-school-leadership",
        "quality-of-programme-structure-not-suitable.", "quality-of-programme-content-not-suitable",
        "quality-of-programme-facilitation-not-effective", "quality-of-programme-accessibility",
        "quality-of-programme-other",
        "programme-not-appropriate-for-role-and-cpd-needs", "started-in-error", "expected-commitment-unclear",
        "assessment-requirements-not-met", "change-in-career", "disengaged-and-unresponsive", "non-payment-of-invoice",
        "other",
    ]
    /// `ParticipantDeferRequest.data.attributes.reason`'s enum.
    public static let deferralReasons = [
        "bereavement", "long-term-sickness", "parental-leave", "career-break", "other",
    ]

    /// Why this change cannot be sent, or nil.
    public var problem: String? {
        switch self {
        case .withdraw(let reason) where !Self.withdrawalReasons.contains(reason):
            "--reason \(reason.quotedForMessage(limit: 60)) is not one of the DfE's withdrawal reasons: \(Self.withdrawalReasons.joined(separator: ", "))"
        case .defer(let reason) where !Self.deferralReasons.contains(reason):
            "--reason \(reason.quotedForMessage(limit: 60)) is not one of the DfE's deferral reasons: \(Self.deferralReasons.joined(separator: ", "))"
        default: nil
        }
    }

    var action: String {
        switch self {
        case .withdraw: "withdraw"
        case .defer: "defer"
        case .resume: "resume"
        }
    }

    /// The training status the participant has once the API accepts it.
    public var status: DfEIdentity.TrainingStatus {
        switch self {
        case .withdraw: .withdrawn
        case .defer: .deferred
        case .resume: .active
        }
    }

    /// The body: `{"data":{"type":"participant-withdraw","attributes":{"course_identifier":…,"reason":…}}}`.
    func body(course: String) -> Data {
        var attributes: [String: JSONValue] = ["course_identifier": .string(course)]
        switch self {
        case .withdraw(let reason), .defer(let reason): attributes["reason"] = .string(reason)
        case .resume: break
        }
        let body: JSONValue = .object([
            "data": .object(["type": .string("participant-\(action)"), "attributes": .object(attributes)])
        ])
        return Data(body.serialised.utf8)
    }
}

extension LeadProviderClient {
    /// Sends a withdrawal, deferral or resumption; returns the enrolment's training status as
    /// the API now gives it.
    public func change(
        _ change: TrainingStatusChange, participant dfeID: String, course: String = DfEIdentity.sencoCourse
    )
        async throws(DfEError) -> DfEIdentity.TrainingStatus
    {
        if let problem = change.problem { throw DfEError(.input, problem) }
        if let problem = DfEIdentity.uuidProblem(dfeID, field: "DfE participant id") { throw DfEError(.input, problem) }
        let path = "/api/v3/participants/npq/\(dfeID.lowercased())/\(change.action)"
        // A retry after a lost answer cannot change the status twice, but the API answers the
        // repeat with 422 ("cannot be deferred"), which is reported as a refusal although the
        // change was made; `senco dfe sync` then shows the status the API holds.
        let (status, body) = try await sendChange(path: path, body: change.body(course: course))
        guard status == 200 else { throw failure(status: status, body: body, what: "\(change.action) of \(dfeID)") }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let data = object["data"] as? [String: Any], let attributes = data["attributes"] as? [String: Any],
            let enrolments = attributes["npq_enrolments"] as? [[String: Any]],
            let enrolment = enrolments.first(where: { $0["course_identifier"] as? String == course }),
            let text = enrolment["training_status"] as? String, let now = DfEIdentity.TrainingStatus(rawValue: text)
        else {
            throw DfEError(
                .badResponse, "the API's answer to the \(change.action) of \(dfeID) has no \(course) enrolment")
        }
        return now
    }
}
