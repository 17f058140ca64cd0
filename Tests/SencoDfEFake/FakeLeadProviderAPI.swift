import Foundation
import Hummingbird
import Logging
import NIOCore
import SencoCore

/// A loopback stand-in for the DfE's NPQ lead-provider API (v3), written from its OpenAPI
/// document (`public/api/docs/v3/swagger.yaml` in DFE-Digital/npq-registration) and its
/// guidance. It checks every request's method, path, headers and body against the document and
/// records each departure in `violations` (a test that sees one fails: the real API would have
/// refused the request), keeps participants, declarations and outcomes, answers as the document
/// says (401 `UnauthorisedResponse`, 422 `UnprocessableEntityResponse`, pages of `data`), and
/// injects the faults a test queues.
public final class FakeLeadProviderAPI: Sendable {
    public enum Fault: Sendable {
        /// Answer after this long (longer than the client's time-out in the tests that queue it).
        case slow(Duration)
        /// 500, before anything is recorded.
        case serverError
        /// 429 with this Retry-After, before anything is recorded.
        case tooManyRequests(retryAfter: Int)
        /// Record the request, then drop the connection without an answer.
        case dropAfterRecording
    }

    public let token: String
    public let state: FakeState
    private let serverTask: Task<Void, any Error>
    public let port: Int

    /// Starts the fake on 127.0.0.1 at `port`, or at a free one in 18600–18699, and returns once
    /// it listens.
    public static func start(token: String = "test-token-\(UUID().uuidString)", port: Int? = nil) async throws
        -> FakeLeadProviderAPI
    {
        let state = FakeState()
        let candidates = port.map { [$0] } ?? Array((18600...18699).shuffled().prefix(20))
        for port in candidates {
            let (stream, continuation) = AsyncStream<Bool>.makeStream()
            let router = Router()
            Self.routes(router, token: token, state: state)
            var logger = Logger(label: "fake-lead-provider")
            logger.logLevel = .critical
            let app = Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                onServerRunning: { _ in continuation.yield(true) }, logger: logger)
            let task = Task {
                do { try await app.runService() } catch {
                    continuation.yield(false)
                    throw error
                }
            }
            var started = false
            for await value in stream {
                started = value
                break
            }
            if started { return FakeLeadProviderAPI(token: token, state: state, task: task, port: port) }
            task.cancel()
        }
        throw CancellationError()
    }

    private init(token: String, state: FakeState, task: Task<Void, any Error>, port: Int) {
        self.token = token
        self.state = state
        serverTask = task
        self.port = port
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func stop() async {
        serverTask.cancel()
        _ = await serverTask.result
    }

    /// Returns when the server has stopped: on SIGTERM or SIGINT, which its service lifecycle
    /// answers by shutting down gracefully.
    public func untilStopped() async {
        _ = await serverTask.result
    }

    // MARK: Routes

    private static func routes(_ router: Router<BasicRequestContext>, token: String, state: FakeState) {
        declarationRoutes(router, token: token, state: state)
        participantRoutes(router, token: token, state: state)
        outcomeRoutes(router, token: token, state: state)
    }

    private static func declarationRoutes(_ router: Router<BasicRequestContext>, token: String, state: FakeState) {
        router.post("/api/v3/participant-declarations") { request, _ -> Response in
            await state.log(line(request))
            if let refusal = await check(request, token: token, state: state, body: true) { return refusal }
            let body = try await request.body.collect(upTo: 1 << 20)
            let fault = await state.nextFault()
            if let early = try await apply(fault) { return early }
            let (attributes, problems) = DeclarationRequestSchema.check(Data(body.readableBytesView))
            if !problems.isEmpty {
                for problem in problems { await state.violation("POST body: \(problem)") }
                return json(
                    HTTPResponse.Status(code: 422), ["errors": problems.map { ["title": "body", "detail": $0] }])
            }
            let participant = (attributes["participant_id"] as! String).lowercased()
            let type = attributes["declaration_type"] as! String
            let course = attributes["course_identifier"] as! String
            let dateText = attributes["declaration_date"] as! String
            if let replacement = await state.retired[participant] {
                return refuse(
                    "participant_id", "The participant_id '\(participant)' has been replaced with '\(replacement)'.")
            }
            guard let enrolment = await state.enrolments[participant] else {
                return refuse(
                    "participant_id", "Your update cannot be made as the '#/participant_id' is not recognised.")
            }
            if enrolment.course != course {
                return refuse(
                    "course_identifier",
                    "The entered '#/course_identifier' is not recognised for the given participant.")
            }
            let date = DeclarationRequestSchema.date(dateText)!
            if date > Date().addingTimeInterval(60) {
                return refuse("declaration_date", "The '#/declaration_date' value cannot be a future date.")
            }
            if date < enrolment.from {
                return refuse("declaration_date", "Enter a '#/declaration_date' that's on or after the schedule start.")
            }
            // The API's ParticipantNotWithdrawnValidator: a declaration dated on or after the
            // withdrawal is refused.
            if enrolment.trainingStatus == "withdrawn", let withdrawn = enrolment.statusDate, withdrawn <= date {
                return refuse(
                    "participant_id",
                    "This participant withdrew from this course on \(DeclarationRequestSchema.stamp(withdrawn)). Enter a '#/declaration_date' that's on or before the withdrawal date."
                )
            }
            let held = await state.declarations.contains {
                $0.participant == participant && $0.type == type && $0.course == course && $0.counts
            }
            if held {
                return refuse(
                    "participant_id",
                    "A declaration has already been submitted that will be, or has been, paid for this event")
            }
            let declaration = Declaration(
                id: UUID().uuidString.lowercased(), participant: participant, type: type, course: course,
                date: dateText, state: "submitted", hasPassed: attributes["has_passed"] as? Bool,
                deliveryPartner: attributes["delivery_partner_id"] as? String, updated: Date())
            await state.add(declaration)
            // A completed declaration makes the participant's outcome (the guidance: "outcomes
            // are submitted by providers within completed declaration submissions").
            if type == "completed", let passed = declaration.hasPassed {
                await state.addOutcome(
                    Outcome(
                        id: UUID().uuidString.lowercased(), participant: participant, course: course,
                        state: passed ? "passed" : "failed", completionDate: dateText, created: Date()))
            }
            if case .dropAfterRecording = fault { return dropped() }
            return json(.ok, ["data": resource(declaration)])
        }

        router.get("/api/v3/participant-declarations") { request, _ -> Response in
            await state.log(line(request))
            if let refusal = await check(request, token: token, state: state, body: false) { return refusal }
            if let early = try await apply(await state.nextFault()) { return early }
            let query = decodedQuery(request.uri.query)
            await expect(
                query, known: ["filter[participant_id]", "filter[updated_since]", "filter[cohort]"], in: state,
                what: "GET participant-declarations")
            var list = await state.declarations
            if let participant = query["filter[participant_id]"] {
                if !DeclarationRequestSchema.isUUID(participant) {
                    await state.violation("filter[participant_id] \(participant) is not a UUID")
                }
                list = list.filter { $0.participant == participant.lowercased() }
            }
            if let since = query["filter[updated_since]"] {
                guard let date = DeclarationRequestSchema.date(since) else {
                    await state.violation("filter[updated_since] \(since) is not ISO 8601")
                    return json(.badRequest, ["errors": [["title": "Bad request", "detail": "updated_since"]]])
                }
                list = list.filter { $0.updated >= date }
            }
            return await page(list.map { json(resource($0)) }, query: query, state: state)
        }

        router.put("/api/v3/participant-declarations/:id/void") { request, context -> Response in
            await state.log(line(request))
            if let refusal = await check(request, token: token, state: state, body: false) { return refusal }
            let id = context.parameters.get("id") ?? ""
            if !DeclarationRequestSchema.isUUID(id) { await state.violation("PUT void: id \(id) is not a UUID") }
            if let early = try await apply(await state.nextFault()) { return early }
            guard let declaration = await state.void(id.lowercased()) else {
                return json(.notFound, ["error": "Resource not found"])
            }
            return json(.ok, ["data": resource(declaration)])
        }
    }

    private static func participantRoutes(_ router: Router<BasicRequestContext>, token: String, state: FakeState) {
        for action in ["withdraw", "defer", "resume"] {
            router.put("/api/v3/participants/npq/:id/\(action)") { request, context -> Response in
                await state.log(line(request))
                if let refusal = await check(request, token: token, state: state, body: true) { return refusal }
                let id = (context.parameters.get("id") ?? "").lowercased()
                if !DeclarationRequestSchema.isUUID(id) { await state.violation("PUT \(action): id is not a UUID") }
                let body = try await request.body.collect(upTo: 1 << 20)
                let fault = await state.nextFault()
                if let early = try await apply(fault) { return early }
                let problems = TrainingStatusSchema.check(Data(body.readableBytesView), action: action)
                if !problems.isEmpty {
                    for problem in problems { await state.violation("PUT \(action) body: \(problem)") }
                    return json(
                        HTTPResponse.Status(code: 422), ["errors": problems.map { ["title": "body", "detail": $0] }])
                }
                let reason = TrainingStatusSchema.reason(Data(body.readableBytesView))
                if let refusal = await state.change(id, action: action, reason: reason, at: Date()) {
                    return json(
                        HTTPResponse.Status(code: refusal.0), ["errors": [["title": refusal.1, "detail": refusal.2]]])
                }
                if case .dropAfterRecording = fault { return dropped() }
                guard let enrolment = await state.enrolments[id] else {
                    return json(.notFound, ["error": "Resource not found"])
                }
                return json(.ok, ["data": participantResource(id, enrolment, changes: await changes(to: id, state))])
            }
        }

        router.get("/api/v3/participants/npq") { request, _ -> Response in
            await state.log(line(request))
            if let refusal = await check(request, token: token, state: state, body: false) { return refusal }
            let query = decodedQuery(request.uri.query)
            await expect(
                query,
                known: ["filter[updated_since]", "filter[training_status]", "filter[from_participant_id]", "sort"],
                in: state, what: "GET participants/npq")
            if let since = query["filter[updated_since]"], DeclarationRequestSchema.date(since) == nil {
                await state.violation("filter[updated_since] \(since) is not ISO 8601")
            }
            // `from_participant_id`: the participant a retired id was merged into, if any.
            if let from = query["filter[from_participant_id]"] {
                if !DeclarationRequestSchema.isUUID(from) {
                    await state.violation("filter[from_participant_id] \(from) is not a UUID")
                }
                guard let to = await state.retired[from.lowercased()], let enrolment = await state.enrolments[to] else {
                    return await page([], query: query, state: state)
                }
                return await page(
                    [json(participantResource(to, enrolment, changes: await changes(to: to, state)))], query: query,
                    state: state)
            }
            return await page(state.participants, query: query, state: state)
        }

        router.get("/api/v3/participants/npq/:id") { request, context -> Response in
            await state.log(line(request))
            if let refusal = await check(request, token: token, state: state, body: false) { return refusal }
            if let early = try await apply(await state.nextFault()) { return early }
            let id = (context.parameters.get("id") ?? "").lowercased()
            if !DeclarationRequestSchema.isUUID(id) { await state.violation("GET participant: id is not a UUID") }
            guard let enrolment = await state.enrolments[id] else {
                return json(.notFound, ["error": "Resource not found"])
            }
            return json(.ok, ["data": participantResource(id, enrolment, changes: await changes(to: id, state))])
        }
    }

    private static func outcomeRoutes(_ router: Router<BasicRequestContext>, token: String, state: FakeState) {
        router.get("/api/v3/participants/npq/outcomes") { request, _ -> Response in
            await state.log(line(request))
            if let refusal = await check(request, token: token, state: state, body: false) { return refusal }
            if let early = try await apply(await state.nextFault()) { return early }
            let query = decodedQuery(request.uri.query)
            await expect(query, known: ["filter[created_since]"], in: state, what: "GET participants/npq/outcomes")
            var list = await state.outcomes
            if let since = query["filter[created_since]"] {
                guard let date = DeclarationRequestSchema.date(since) else {
                    await state.violation("filter[created_since] \(since) is not ISO 8601")
                    return json(.badRequest, ["errors": [["title": "Bad request", "detail": "created_since"]]])
                }
                list = list.filter { $0.created >= date }
            }
            return await page(list.map { json(outcomeResource($0)) }, query: query, state: state)
        }

        router.get("/api/v3/participants/npq/:id/outcomes") { request, context -> Response in
            await state.log(line(request))
            if let refusal = await check(request, token: token, state: state, body: false) { return refusal }
            if let early = try await apply(await state.nextFault()) { return early }
            let id = (context.parameters.get("id") ?? "").lowercased()
            let query = decodedQuery(request.uri.query)
            await expect(query, known: [], in: state, what: "GET participants/npq/{id}/outcomes")
            guard await state.enrolments[id] != nil else { return json(.notFound, ["error": "Resource not found"]) }
            let list = await state.outcomes.filter { $0.participant == id }
            return await page(list.map { json(outcomeResource($0)) }, query: query, state: state)
        }

        router.post("/api/v3/participants/npq/:id/outcomes") { request, context -> Response in
            await state.log(line(request))
            if let refusal = await check(request, token: token, state: state, body: true) { return refusal }
            let id = (context.parameters.get("id") ?? "").lowercased()
            let body = try await request.body.collect(upTo: 1 << 20)
            let fault = await state.nextFault()
            if let early = try await apply(fault) { return early }
            let (attributes, problems) = OutcomeRequestSchema.check(Data(body.readableBytesView))
            if !problems.isEmpty {
                for problem in problems { await state.violation("POST outcome body: \(problem)") }
                return json(
                    HTTPResponse.Status(code: 422), ["errors": problems.map { ["title": "body", "detail": $0] }])
            }
            let course = attributes["course_identifier"] as! String
            let outcomeState = attributes["state"] as! String
            let dateText = attributes["completion_date"] as! String
            if let replacement = await state.retired[id] {
                return refuse("participant_id", "The participant_id '\(id)' has been replaced with '\(replacement)'.")
            }
            guard await state.enrolments[id] != nil else {
                return refuse(
                    "participant_id",
                    "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again."
                )
            }
            let completed = await state.declarations.contains {
                $0.participant == id && $0.course == course && $0.type == "completed" && $0.counts
            }
            guard completed else {
                return refuse(
                    "base",
                    "The participant has not had a 'completed' declaration submitted for them. Therefore you cannot update their outcome."
                )
            }
            if let day = OutcomeRequestSchema.day(dateText), day > Date() {
                return refuse(
                    "completion_date",
                    "The '#/completion_date' value cannot be a future date. Check the date and try again.")
            }
            // The same outcome again (both passed, or the same state and date) is the one held.
            let mine = await state.outcomes.filter { $0.participant == id && $0.course == course }
            if let latest = mine.last,
                (latest.state == "passed" && outcomeState == "passed")
                    || (latest.state == outcomeState && latest.completionDate.prefix(10) == dateText.prefix(10))
            {
                return json(.ok, ["data": outcomeResource(latest)])
            }
            let outcome = Outcome(
                id: UUID().uuidString.lowercased(), participant: id, course: course, state: outcomeState,
                completionDate: String(dateText.prefix(10)) + "T00:00:00+00:00", created: Date())
            await state.addOutcome(outcome)
            if case .dropAfterRecording = fault { return dropped() }
            return json(.ok, ["data": outcomeResource(outcome)])
        }
    }

    // MARK: Answers

    /// What the request log keeps: the method, the path and the query as the API reads it
    /// (`GET /api/v3/participant-declarations?filter[updated_since]=…&page[page]=1`).
    private static func line(_ request: Request) -> String {
        let query = decodedQuery(request.uri.query).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "\(request.method) \(request.uri.path)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// A queued fault that answers before anything is recorded, or nil to carry on (a slow
    /// answer waits first; a dropped connection is the caller's, after recording).
    private static func apply(_ fault: Fault?) async throws -> Response? {
        switch fault {
        case .slow(let duration):
            try await Task.sleep(for: duration)
            return nil
        case .serverError: return json(.internalServerError, ["error": "Internal server error"])
        case .tooManyRequests(let seconds):
            var response = json(HTTPResponse.Status(code: 429), ["error": "Too many requests"])
            response.headers[.retryAfter] = String(seconds)
            return response
        case .dropAfterRecording, nil: return nil
        }
    }

    /// The head goes out, then the body fails: the connection closes with no answer.
    private static func dropped() -> Response {
        Response(status: .ok, body: ResponseBody { _ in throw CancellationError() })
    }

    /// A 422 `UnprocessableEntityResponse` naming the field, with the API's wording.
    private static func refuse(_ title: String, _ detail: String) -> Response {
        json(HTTPResponse.Status(code: 422), ["errors": [["title": title, "detail": detail]]])
    }

    /// Records a query parameter the document does not give the endpoint; paging is always allowed.
    private static func expect(_ query: [String: String], known: Set<String>, in state: FakeState, what: String) async {
        for key in query.keys.sorted() where !known.contains(key) && key != "page[page]" && key != "page[per_page]" {
            await state.violation("\(what): unknown query parameter \(key)")
        }
    }

    /// The document's `PaginationFilter`: `page[page]` from 1, `page[per_page]` default 100,
    /// at most 3000; past the end, an empty `data`.
    private static func page(_ items: [String], query: [String: String], state: FakeState) async -> Response {
        let pageNumber = query["page[page]"].flatMap { Int($0) } ?? 1
        let perPage = min(query["page[per_page]"].flatMap { Int($0) } ?? 100, 3000)
        if pageNumber < 1 || perPage < 1 {
            await state.violation("page[page] \(pageNumber) or page[per_page] \(perPage) below 1")
        }
        let start = max(0, (pageNumber - 1) * perPage)
        let slice = start < items.count ? Array(items[start..<min(items.count, start + perPage)]) : []
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"data\":[" + slice.joined(separator: ",") + "]}")))
    }

    /// The query as the real API (Rails) reads it: keys and values percent-decoded, so
    /// `filter%5Bparticipant_id%5D` is `filter[participant_id]`.
    private static func decodedQuery(_ query: String?) -> [String: String] {
        var result: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ")
            }
            guard let key = parts.first?.removingPercentEncoding else { continue }
            result[key] = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
        }
        return result
    }

    /// The headers every request needs (the document's `api_key` scheme: `Authorization: Bearer`).
    private static func check(_ request: Request, token: String, state: FakeState, body: Bool) async -> Response? {
        if request.headers[.authorization] != "Bearer \(token)" {
            if request.headers[.authorization]?.hasPrefix("Bearer ") != true {
                await state.violation("\(request.method) \(request.uri.path): no Authorization: Bearer header")
            }
            return json(.unauthorized, ["error": "HTTP Token: Access denied"])
        }
        if body && request.headers[.contentType]?.hasPrefix("application/json") != true {
            await state.violation("\(request.method) \(request.uri.path): Content-Type is not application/json")
        }
        return nil
    }

    private static func changes(to id: String, _ state: FakeState) async -> [(String, String)] {
        await state.retired.filter { $0.value == id }.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }
    }

    /// A `Participant` resource with its one enrolment, as the document's examples show it.
    static func participantResource(_ id: String, _ e: Enrolment, changes: [(String, String)] = []) -> [String: Any] {
        let stamp = DeclarationRequestSchema.stamp(Date())
        let detail: Any =
            e.reason.map {
                ["reason": $0, "date": DeclarationRequestSchema.stamp(e.statusDate ?? Date())] as [String: Any]
            } ?? NSNull()
        return [
            "id": id, "type": "npq-participant",
            "attributes": [
                "full_name": "Fictional Person", "previous_names": [String](), "teacher_reference_number": NSNull(),
                "updated_at": stamp,
                "npq_enrolments": [
                    [
                        "course_identifier": e.course, "schedule_identifier": e.schedule, "cohort": e.cohort,
                        "cohort_suffix": "a",
                        "npq_application_id": id, "eligible_for_funding": true, "training_status": e.trainingStatus,
                        "school_urn": NSNull(), "targeted_delivery_funding_eligibility": false, "funded_place": true,
                        "email": NSNull(),
                        "withdrawal": e.trainingStatus == "withdrawn" ? detail : NSNull(),
                        "deferral": e.trainingStatus == "deferred" ? detail : NSNull(), "created_at": stamp,
                    ] as [String: Any]
                ],
                "participant_id_changes": changes.map {
                    ["from_participant_id": $0.0, "to_participant_id": $0.1, "changed_at": stamp]
                },
            ] as [String: Any],
        ]
    }

    static func resource(_ d: Declaration) -> [String: Any] {
        let stamp = DeclarationRequestSchema.stamp(d.updated)
        return [
            "id": d.id, "type": "participant-declaration",
            "attributes": [
                "participant_id": d.participant, "declaration_type": d.type, "declaration_date": d.date,
                "course_identifier": d.course,
                "state": d.state, "has_passed": d.hasPassed.map { $0 as Any } ?? NSNull(), "statement_id": NSNull(),
                "clawback_statement_id": NSNull(), "uplift_paid": false, "lead_provider_name": "Example Institute",
                "ineligible_for_funding_reason": NSNull(), "created_at": stamp,
                "delivery_partner_id": d.deliveryPartner.map { $0 as Any } ?? NSNull(),
                "delivery_partner_name": NSNull(),
                "secondary_delivery_partner_id": NSNull(), "secondary_delivery_partner_name": NSNull(),
                "application_id": d.participant, "updated_at": stamp,
            ] as [String: Any],
        ]
    }

    static func outcomeResource(_ o: Outcome) -> [String: Any] {
        let stamp = DeclarationRequestSchema.stamp(o.created)
        return [
            "id": o.id, "type": "participant-outcome",
            "attributes": [
                "state": o.state, "completion_date": o.completionDate, "course_identifier": o.course,
                "participant_id": o.participant, "created_at": stamp, "updated_at": stamp,
            ] as [String: Any],
        ]
    }

    static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Test helpers

    public func enrol(
        _ dfeID: String, schedule: String = "npq-leadership-autumn", cohort: String = "2025",
        from: String = "2025-08-01"
    ) async {
        await state.enrol(
            dfeID.lowercased(),
            Enrolment(
                course: "npq-senco", schedule: schedule, cohort: cohort,
                from: DeclarationRequestSchema.date(from + "T00:00:00Z")!))
    }

    public func queue(_ faults: Fault...) async { await state.queue(faults) }
    public var violations: [String] { get async { await state.violations } }
    public var declarations: [Declaration] { get async { await state.declarations } }
    public var outcomes: [Outcome] { get async { await state.allOutcomes } }
    public var requests: [String] { get async { await state.requests } }
}
