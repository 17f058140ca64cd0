import Foundation
import Hummingbird
import Logging
import NIOCore
import SencoCore

/// A loopback stand-in for the DfE's NPQ lead-provider API (v3), written from its OpenAPI
/// document (`public/api/docs/v3/swagger.yaml` in DFE-Digital/npq-registration). It checks every
/// request's method, path, headers and body against the document and records each departure in
/// `violations` (a test that sees one fails: the real API would have refused the request), keeps
/// declarations, answers as the document says (401 `UnauthorisedResponse`, 422
/// `UnprocessableEntityResponse`, pages of `data`), and injects the faults a test queues.
public final class FakeLeadProviderAPI: Sendable {
    public enum Fault: Sendable {
        /// Answer after this long (the client's time-out is shorter in tests).
        case slow(Duration)
        /// 500, before anything is recorded.
        case serverError
        /// 429 with this Retry-After, before anything is recorded.
        case tooManyRequests(retryAfter: Int)
        /// Record the declaration, then drop the connection without an answer.
        case dropAfterRecording
    }

    public struct Enrolment: Sendable {
        var course: String
        var schedule: String
        var cohort: String
        var from: Date
        var trainingStatus = "active"
        var reason: String?
    }

    public struct Declaration: Sendable {
        public var id: String
        public var participant: String
        public var type: String
        public var course: String
        public var date: String
        public var state: String
        public var hasPassed: Bool?
        public var deliveryPartner: String?
        public var updated: Date

        public init(
            id: String, participant: String, type: String, course: String, date: String, state: String,
            hasPassed: Bool? = nil,
            deliveryPartner: String? = nil, updated: Date
        ) {
            self.id = id
            self.participant = participant
            self.type = type
            self.course = course
            self.date = date
            self.state = state
            self.hasPassed = hasPassed
            self.deliveryPartner = deliveryPartner
            self.updated = updated
        }
    }

    public let token: String
    public let state: FakeState
    private let serverTask: Task<Void, any Error>
    public let port: Int

    public actor FakeState {
        var enrolments: [String: Enrolment] = [:]
        var declarations: [Declaration] = []
        var violations: [String] = []
        var requests: [String] = []
        var faults: [Fault] = []
        /// The participants `GET /api/v3/participants/npq` lists, each as its JSON.
        var participants: [String] = []

        func violation(_ text: String) { violations.append(text) }
        func log(_ text: String) { requests.append(text) }
        func nextFault() -> Fault? { faults.isEmpty ? nil : faults.removeFirst() }
        public func queue(_ more: [Fault]) { faults += more }
        public func clearFaults() { faults = [] }
        func enrol(_ id: String, _ enrolment: Enrolment) { enrolments[id] = enrolment }
        public func trainingStatus(_ id: String) -> String? { enrolments[id.lowercased()]?.trainingStatus }
        /// Applies a withdraw, defer or resume; the refusal's (title, detail) if the API would refuse it.
        func change(_ id: String, action: String, reason: String?) -> (String, String)? {
            guard var enrolment = enrolments[id] else {
                return ("participant_id", "The '#/participant_id' is not recognised.")
            }
            switch (action, enrolment.trainingStatus) {
            case ("withdraw", "withdrawn"): return ("participant_id", "The participant is already withdrawn")
            case ("defer", "deferred"), ("defer", "withdrawn"):
                return ("participant_id", "The participant cannot be deferred")
            case ("resume", "active"): return ("participant_id", "The participant is already active")
            default: break
            }
            enrolment.trainingStatus =
                ["withdraw": "withdrawn", "defer": "deferred", "resume": "active"][action] ?? "active"
            enrolment.reason = reason
            enrolments[id] = enrolment
            return nil
        }
        public func add(_ declaration: Declaration) { declarations.append(declaration) }
        public func setParticipants(_ list: [String]) { participants = list }
        /// The DfE moving a declaration on (eligible, payable, paid…), as its own processes do.
        public func setState(_ id: String, to state: String) {
            for index in declarations.indices where declarations[index].id == id {
                declarations[index].state = state
                declarations[index].updated = Date()
            }
        }
        /// `PUT …/{id}/void`: voided, or awaiting_clawback if it was paid (the guidance's
        /// "Void a declaration"); nil if there is no such declaration.
        func void(_ id: String) -> Declaration? {
            guard let index = declarations.firstIndex(where: { $0.id == id }) else { return nil }
            declarations[index].state = declarations[index].state == "paid" ? "awaiting_clawback" : "voided"
            declarations[index].hasPassed = nil
            declarations[index].updated = Date()
            return declarations[index]
        }
    }

    /// Starts the fake on 127.0.0.1 in 18600–18699 and returns once it listens.
    public static func start(token: String = "test-token-\(UUID().uuidString)") async throws -> FakeLeadProviderAPI {
        let state = FakeState()
        for port in (18600...18699).shuffled().prefix(20) {
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

    // MARK: Routes

    private static func routes(_ router: Router<BasicRequestContext>, token: String, state: FakeState) {
        router.post("/api/v3/participant-declarations") { request, _ -> Response in
            await state.log("POST \(request.uri.path)")
            if let refusal = await check(request, token: token, state: state, body: true) { return refusal }
            let body = try await request.body.collect(upTo: 1 << 20)
            let fault = await state.nextFault()
            switch fault {
            case .slow(let duration): try await Task.sleep(for: duration)
            case .serverError: return json(.internalServerError, ["error": "Internal server error"])
            case .tooManyRequests(let seconds):
                var response = json(HTTPResponse.Status(code: 429), ["error": "Too many requests"])
                response.headers[.retryAfter] = String(seconds)
                return response
            default: break
            }
            let (attributes, problems) = DeclarationRequestSchema.check(Data(body.readableBytesView))
            if !problems.isEmpty {
                for problem in problems { await state.violation("POST body: \(problem)") }
                return json(
                    HTTPResponse.Status(code: 422), ["errors": problems.map { ["title": "body", "detail": $0] }])
            }
            let participant = attributes["participant_id"] as! String
            let type = attributes["declaration_type"] as! String
            let course = attributes["course_identifier"] as! String
            let dateText = attributes["declaration_date"] as! String
            guard let enrolment = await state.enrolments[participant.lowercased()] else {
                return json(
                    HTTPResponse.Status(code: 422),
                    [
                        "errors": [
                            [
                                "title": "participant_id",
                                "detail": "Your update cannot be made as the '#/participant_id' is not recognised.",
                            ]
                        ]
                    ])
            }
            if enrolment.course != course {
                return json(
                    HTTPResponse.Status(code: 422),
                    [
                        "errors": [
                            [
                                "title": "course_identifier",
                                "detail":
                                    "The entered '#/course_identifier' is not recognised for the given participant.",
                            ]
                        ]
                    ])
            }
            let date = DeclarationRequestSchema.date(dateText)!
            if date > Date().addingTimeInterval(60) {
                return json(
                    HTTPResponse.Status(code: 422),
                    [
                        "errors": [
                            [
                                "title": "declaration_date",
                                "detail": "The '#/declaration_date' value cannot be a future date.",
                            ]
                        ]
                    ])
            }
            if date < enrolment.from {
                return json(
                    HTTPResponse.Status(code: 422),
                    [
                        "errors": [
                            [
                                "title": "declaration_date",
                                "detail": "Enter a '#/declaration_date' that's on or after the schedule start.",
                            ]
                        ]
                    ])
            }
            let held = await state.declarations.contains {
                $0.participant == participant.lowercased() && $0.type == type && $0.course == course
                    && !["voided", "awaiting_clawback", "clawed_back"].contains($0.state)
            }
            if held {
                return json(
                    HTTPResponse.Status(code: 422),
                    [
                        "errors": [
                            [
                                "title": "participant_id",
                                "detail":
                                    "A declaration has already been submitted that will be, or has been, paid for this event",
                            ]
                        ]
                    ])
            }
            let declaration = Declaration(
                id: UUID().uuidString.lowercased(), participant: participant.lowercased(), type: type, course: course,
                date: dateText,
                state: "submitted", hasPassed: attributes["has_passed"] as? Bool,
                deliveryPartner: attributes["delivery_partner_id"] as? String,
                updated: Date())
            await state.add(declaration)
            if case .dropAfterRecording = fault {
                // The head goes out, then the body fails: the connection closes with no answer.
                return Response(status: .ok, body: ResponseBody { _ in throw CancellationError() })
            }
            return json(.ok, ["data": resource(declaration)])
        }

        router.get("/api/v3/participant-declarations") { request, _ -> Response in
            await state.log("GET \(request.uri.path)")
            if let refusal = await check(request, token: token, state: state, body: false) { return refusal }
            switch await state.nextFault() {
            case .slow(let duration): try await Task.sleep(for: duration)
            case .serverError: return json(.internalServerError, ["error": "Internal server error"])
            case .tooManyRequests(let seconds):
                var response = json(HTTPResponse.Status(code: 429), ["error": "Too many requests"])
                response.headers[.retryAfter] = String(seconds)
                return response
            default: break
            }
            let query = decodedQuery(request.uri.query)
            let known: Set = [
                "filter[participant_id]", "filter[updated_since]", "filter[cohort]", "page[page]", "page[per_page]",
            ]
            for key in query.keys.sorted() where !known.contains(key) {
                await state.violation("GET participant-declarations: unknown query parameter \(key)")
            }
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
            await state.log("PUT \(request.uri.path)")
            if let refusal = await check(request, token: token, state: state, body: false) { return refusal }
            let id = context.parameters.get("id") ?? ""
            if !DeclarationRequestSchema.isUUID(id) { await state.violation("PUT void: id \(id) is not a UUID") }
            guard let declaration = await state.void(id.lowercased()) else {
                return json(.notFound, ["error": "Resource not found"])
            }
            return json(.ok, ["data": resource(declaration)])
        }

        for action in ["withdraw", "defer", "resume"] {
            router.put("/api/v3/participants/npq/:id/\(action)") { request, context -> Response in
                await state.log("PUT \(request.uri.path)")
                if let refusal = await check(request, token: token, state: state, body: true) { return refusal }
                let id = (context.parameters.get("id") ?? "").lowercased()
                let body = try await request.body.collect(upTo: 1 << 20)
                let problems = TrainingStatusSchema.check(Data(body.readableBytesView), action: action)
                if !problems.isEmpty {
                    for problem in problems { await state.violation("PUT \(action) body: \(problem)") }
                    return json(
                        HTTPResponse.Status(code: 422), ["errors": problems.map { ["title": "body", "detail": $0] }])
                }
                let reason = TrainingStatusSchema.reason(Data(body.readableBytesView))
                if let refusal = await state.change(id, action: action, reason: reason) {
                    let code = refusal.1.contains("not recognised") ? 404 : 422
                    return json(
                        HTTPResponse.Status(code: code), ["errors": [["title": refusal.0, "detail": refusal.1]]])
                }
                guard let enrolment = await state.enrolments[id] else {
                    return json(.notFound, ["error": "Resource not found"])
                }
                return json(.ok, ["data": participantResource(id, enrolment)])
            }
        }

        router.get("/api/v3/participants/npq") { request, _ -> Response in
            await state.log("GET \(request.uri.path)")
            if let refusal = await check(request, token: token, state: state, body: false) { return refusal }
            return await page(state.participants, query: decodedQuery(request.uri.query), state: state)
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

    /// A `Participant` resource with its one enrolment, as the document's examples show it.
    static func participantResource(_ id: String, _ e: Enrolment) -> [String: Any] {
        let stamp = DeclarationRequestSchema.stamp(Date())
        let detail: Any = e.reason.map { ["reason": $0, "date": stamp] as [String: Any] } ?? NSNull()
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
                "participant_id_changes": [Any](),
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
    public var requests: [String] { get async { await state.requests } }
}

/// `ParticipantDeclarationRequest` and its three attribute schemas, as the document gives them.
public enum DeclarationRequestSchema {
    static let courses: Set = [
        "npq-senior-leadership", "npq-headship", "npq-executive-leadership", "npq-early-years-leadership",
        "npq-leading-teaching",
        "npq-leading-behaviour-culture", "npq-leading-teaching-development", "npq-leading-literacy",
        "npq-leading-primary-mathematics", "npq-additional-support-offer", "npq-early-headship-coaching-offer",
        "npq-senco",
    ]

    /// The attributes, and every way the body departs from the schema (empty: the API's schema accepts it).
    public static func check(_ body: Data) -> ([String: Any], [String]) {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            return ([:], ["not a JSON object"])
        }
        var problems: [String] = []
        if Set(object.keys) != ["data"] { problems.append("top-level keys \(object.keys.sorted()) are not [data]") }
        guard let data = object["data"] as? [String: Any] else { return ([:], problems + ["data is not an object"]) }
        if data["type"] as? String != "participant-declaration" {
            problems.append("data.type is not participant-declaration")
        }
        if !Set(data.keys).isSubset(of: ["type", "attributes"]) {
            problems.append("data has keys beyond type and attributes")
        }
        guard let attributes = data["attributes"] as? [String: Any] else {
            return ([:], problems + ["data.attributes is not an object"])
        }
        let type = attributes["declaration_type"] as? String
        // additionalProperties: false in each of the Started, Retained and Completed schemas.
        var allowed: Set = [
            "participant_id", "declaration_type", "declaration_date", "course_identifier", "delivery_partner_id",
            "secondary_delivery_partner_id",
        ]
        var required: Set = ["participant_id", "declaration_type", "declaration_date", "course_identifier"]
        switch type {
        case "started", "retained-1", "retained-2": break
        case "completed":
            allowed.insert("has_passed")
            required.insert("has_passed")
        default:
            problems.append("declaration_type \(type ?? "missing") is not started, retained-1, retained-2 or completed")
        }
        for key in attributes.keys.sorted() where !allowed.contains(key) {
            problems.append("attribute \(key) is not allowed for \(type ?? "?")")
        }
        for key in required.sorted() where attributes[key] == nil || attributes[key] is NSNull {
            problems.append("attribute \(key) is required")
        }
        if let id = attributes["participant_id"], !((id as? String).map(isUUID) ?? false) {
            problems.append("participant_id is not a UUID")
        }
        for key in ["delivery_partner_id", "secondary_delivery_partner_id"] {
            if let value = attributes[key], !((value as? String).map(isUUID) ?? false) {
                problems.append("\(key) is not a UUID")
            }
        }
        if let course = attributes["course_identifier"], !((course as? String).map(courses.contains) ?? false) {
            problems.append("course_identifier is not one of the document's courses")
        }
        if let date = attributes["declaration_date"], (date as? String).flatMap(Self.date) == nil {
            problems.append("declaration_date is not an RFC 3339 date-time")
        }
        if attributes["has_passed"] != nil {
            // A JSON boolean, not a string or a number: JSONDecoder takes only true or false.
            struct Body: Decodable {
                struct Part: Decodable {
                    struct Attributes: Decodable { let has_passed: Bool }
                    let attributes: Attributes
                }
                let data: Part
            }
            if (try? JSONDecoder().decode(Body.self, from: body)) == nil {
                problems.append("has_passed is not a boolean")
            }
        }
        return (attributes, problems)
    }

    public static func isUUID(_ text: String) -> Bool { DfEIdentity.uuidProblem(text, field: "") == nil }

    /// RFC 3339 date-time (`format: date-time`): a date, T, a time, and a zone.
    public static func date(_ text: String) -> Date? {
        let pattern = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#
        guard text.range(of: pattern, options: .regularExpression) != nil else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func stamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// `ParticipantWithdrawRequest`, `ParticipantDeferRequest` and `ParticipantResumeRequest`.
enum TrainingStatusSchema {
    static let withdrawalReasons: Set = [
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
    static let deferralReasons: Set = ["bereavement", "long-term-sickness", "parental-leave", "career-break", "other"]

    static func check(_ body: Data, action: String) -> [String] {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let data = object["data"] as? [String: Any], let attributes = data["attributes"] as? [String: Any]
        else { return ["not {\"data\":{\"type\":…,\"attributes\":{…}}}"] }
        var problems: [String] = []
        if Set(object.keys) != ["data"] { problems.append("top-level keys beyond data") }
        if data["type"] as? String != "participant-\(action)" {
            problems.append("data.type is not participant-\(action)")
        }
        if let course = attributes["course_identifier"] as? String, DeclarationRequestSchema.courses.contains(course) {
        } else {
            problems.append("course_identifier is missing or not one of the document's courses")
        }
        switch action {
        case "withdraw":
            if !((attributes["reason"] as? String).map(withdrawalReasons.contains) ?? false) {
                problems.append("reason is not a withdrawal reason")
            }
        case "defer":
            if !((attributes["reason"] as? String).map(deferralReasons.contains) ?? false) {
                problems.append("reason is not a deferral reason")
            }
        default:
            if attributes["reason"] != nil { problems.append("resume takes no reason") }
        }
        return problems
    }

    static func reason(_ body: Data) -> String? {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]).flatMap { $0["data"] as? [String: Any] }
            .flatMap { $0["attributes"] as? [String: Any] }.flatMap { $0["reason"] as? String }
    }
}
