import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SencoCore
import SencoDfE
import SencoDfEFake
import SencoStore
import Testing

@testable import SencoWeb

/// The web fixture with the DfE link in place: the demo cohort on the 2025 autumn schedule and
/// each demo participant with a fictional DfE participant id.
extension WebFixture {
    static func dfeID(_ n: Int) -> String { String(format: "0000%04d-aaaa-4bbb-8ccc-dddddddddddd", n) }

    /// Gives the cohort its DfE defaults and p-demo-01…03 their DfE ids.
    func giveDfEIdentities() throws {
        var cohort = try store.cohort("demo-cohort")
        cohort.dfe = Cohort.DfEDefaults(schedule: "npq-leadership-autumn", cohort: 2025)
        try store.saveCohort(cohort)
        for n in 1...3 {
            let id = "p-demo-0\(n)"
            let current = try store.portfolio(id)
            try store.update(id, expectedRevision: current.revision) { portfolio throws(StoreError) in
                portfolio.participant.dfe = DfEIdentity(participantID: Self.dfeID(n))
            }
        }
    }

    /// Runs `body` with a setup whose DfE settings point at a started loopback fake of the DfE's
    /// API (every demo participant enrolled), and stops the fake afterwards. `token`: the one the
    /// server sends instead of the fake's (a token the API does not accept).
    func withFakeAPI(token: String? = nil, _ body: (FakeLeadProviderAPI, WebSetup) async throws -> Void)
        async throws
    {
        let fake = try await FakeLeadProviderAPI.start()
        for n in 1...3 { await fake.enrol(Self.dfeID(n)) }
        var setup = self.setup
        // A time-out long enough for a loaded two-core machine, and quick retries.
        setup.configuration.dfe = try DfESettings(
            baseURL: fake.baseURL, token: try LeadProviderToken(token ?? fake.token),
            retry: RetryPolicy(
                attempts: 4, firstWait: .milliseconds(20), longestWait: .milliseconds(80),
                longestRetryAfter: .seconds(3), timeout: .seconds(30)))
        do { try await body(fake, setup) } catch {
            await fake.stop()
            throw error
        }
        let violations = await fake.violations
        #expect(violations.isEmpty, "every request as the API's document describes it: \(violations)")
        await fake.stop()
    }
}

extension Browser {
    /// Posts a multipart form with fields and one file, as the DfE import form does.
    mutating func upload(
        _ client: some TestClientProtocol, _ uri: String, fields: [(String, String)], file name: String,
        bytes: [UInt8], csrf override: String? = nil
    ) async throws -> TestResponse {
        let boundary = "DfEboundary9"
        var body = ByteBuffer()
        for (field, value) in [("csrf", override ?? csrf ?? "")] + fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/json\r\n\r\n"
        )
        body.writeBytes(bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        var h = headers
        h[.contentType] = "multipart/form-data; boundary=\(boundary)"
        let response = try await client.execute(uri: uri, method: .post, headers: h, body: body)
        remember(response)
        return response
    }
}

/// A hidden field's value in a page (unescaped only as far as the tests need).
func hiddenValue(_ name: String, in html: String) -> String? {
    guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
    let rest = html[range.upperBound...]
    return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
}

extension WebFixture {
    /// Makes p-demo-0`n`'s `type` declaration as a submission would have: held by the fake API in
    /// `state`, and recorded in the portfolio's log with its DfE id. Returns that id.
    @discardableResult
    func declare(
        _ n: Int, _ type: DeclarationType, state: String = "submitted", hasPassed: Bool? = nil,
        at fake: FakeLeadProviderAPI
    ) async throws -> String {
        let id = UUID().uuidString.lowercased()
        await fake.state.add(
            FakeLeadProviderAPI.Declaration(
                id: id, participant: Self.dfeID(n), type: type.rawValue, course: DfEIdentity.sencoCourse,
                date: "2025-11-03T09:00:00Z", state: state, hasPassed: hasPassed, updated: Date()))
        if type == .completed, let hasPassed {
            await fake.state.addOutcome(
                FakeLeadProviderAPI.Outcome(
                    id: UUID().uuidString.lowercased(), participant: Self.dfeID(n), course: DfEIdentity.sencoCourse,
                    state: hasPassed ? "passed" : "failed", completionDate: "2025-11-03T09:00:00Z", created: Date()))
        }
        try recordDeclaration("p-demo-0\(n)", type, id: id, state: state, hasPassed: hasPassed)
        return id
    }

    /// A `dfe-declared` entry in the log alone (the API may not know it).
    func recordDeclaration(
        _ participant: String, _ type: DeclarationType, id: String, state: String = "submitted",
        hasPassed: Bool? = nil
    ) throws {
        let current = try store.portfolio(participant)
        let at = clock.now
        try store.update(participant, expectedRevision: current.revision) { portfolio throws(StoreError) in
            portfolio.log.append(
                .activity(
                    Activity(
                        at: at, by: "senco", role: .system, action: Portfolio.declaredAction, note: "declared",
                        declaration: DeclarationRecord(type: type, dfeID: id, state: state),
                        dfeOutcome: hasPassed.map {
                            OutcomeRecord(
                                state: $0 ? "passed" : "failed", completionDate: Day(year: 2025, month: 11, day: 3))
                        })))
        }
    }
}
