import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SencoCore

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
        self.baseURL = try Self.checkedBaseURL(baseURL)
        self.token = token
        self.retry = retry
        self.onWait = onWait
        // No redirects: a redirect to another host would carry the Authorization header there.
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The base URL as the client uses it, or why it cannot be one: `https`, or `http` only to
    /// this machine (the tests' loopback fake), with no query or user.
    public static func checkedBaseURL(_ baseURL: String, option: String = "--base-url") throws(DfEError) -> URL {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
            url.query == nil, url.user == nil
        else {
            throw DfEError(
                .input,
                "\(option) \(baseURL.quotedForMessage()) is not an http(s) address such as https://sandbox.register-npq.education.gov.uk"
            )
        }
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]"
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw DfEError(
                .input,
                "\(option) \(baseURL.quotedForMessage()) must be https (the token would cross the network in clear)")
        }
        return url
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
    func pages(path: String, filter: [String: String]) async throws(DfEError) -> [Data] {
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
    func send(
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
            if status == 422, let detail, let replacement = Self.replacement(in: detail) {
                return DfEError(
                    .participantReplaced,
                    "the DfE has replaced the participant id in \(what) with \(replacement): nothing was sent under the old id; senco dfe pull (or import) follows the change",
                    field: field, replacement: replacement)
            }
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

    /// The new id in the API's refusal of a retired participant id ("The participant_id '…' has
    /// been replaced with '…'."), if that is what the detail says.
    static func replacement(in detail: String) -> String? {
        guard let range = detail.range(of: "has been replaced with '") else { return nil }
        let id = String(detail[range.upperBound...].prefix(36))
        return DfEIdentity.uuidProblem(id, field: "") == nil ? id.lowercased() : nil
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
        let passed = attributes["has_passed"]
        return HeldDeclaration(
            id: id.lowercased(), participantID: participant.lowercased(), type: type, course: course, state: state,
            hasPassed: (passed as? Bool) ?? (passed as? String).flatMap { ["true": true, "false": false][$0] },
            date: (attributes["declaration_date"] as? String).flatMap { Day(String($0.prefix(10))) })
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
