import Foundation
import SencoCore
import SencoDfE
import SencoDfEFake
import SencoStore
import SencoTestSupport
import Testing

/// `senco dfe submit`'s work against the loopback fake: every ready milestone declared exactly
/// once and recorded with its DfE id, through every fault the fake can inject.
@Suite(.serialized)
struct SubmitTests {
    /// Runs `body` with a started fake (each fixture participant enrolled) and a client for it.
    func withFake(
        _ fixture: DfEFixture, participants: Int, token: String? = nil, retry: RetryPolicy = quickRetry,
        _ body: (FakeLeadProviderAPI, LeadProviderClient) async throws -> Void
    ) async throws {
        let fake = try await FakeLeadProviderAPI.start()
        for n in 1...participants { await fake.enrol(DfEFixture.dfeID(n)) }
        let client = try LeadProviderClient(
            baseURL: fake.baseURL, token: try LeadProviderToken(token ?? fake.token), retry: retry)
        do {
            try await body(fake, client)
        } catch {
            await client.shutdown()
            await fake.stop()
            throw error
        }
        await client.shutdown()
        await fake.stop()
    }

    /// Each (participant, type) the fake holds, and each the logs record, exactly once and agreeing.
    func expectExactlyOnce(_ fixture: DfEFixture, _ fake: FakeLeadProviderAPI, expected: Int) async throws {
        let held = await fake.declarations
        let keys = held.map { "\($0.participant) \($0.type)" }
        #expect(Set(keys).count == keys.count, "a milestone declared twice: \(keys.sorted())")
        #expect(held.count == expected)
        let records = try fixture.records()
        let recorded = records.map { "\($0.0) \($0.1.rawValue)" }
        #expect(Set(recorded).count == recorded.count, "a declaration recorded twice: \(recorded.sorted())")
        #expect(Set(records.map(\.2)) == Set(held.map(\.id)), "every declaration recorded with its DfE id")
        let violations = await fake.violations
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test func declaresEachReadyMilestoneOnceAndASecondRunSendsNothing() async throws {
        let fixture = try DfEFixture.make(participants: 2)
        let plan = try fixture.plan()
        #expect(plan.requests.count >= 2)
        try await withFake(fixture, participants: 2) { fake, client in
            let first = await DeclarationSubmitter(client: client, store: fixture.asyncStore).submit(plan.requests)
            #expect(first.succeeded && first.sent.count == plan.requests.count, "\(first.failed.map(\.1.message))")
            try await expectExactlyOnce(fixture, fake, expected: plan.requests.count)
            let posts = await fake.requests.filter { $0.hasPrefix("POST") }.count
            // The second plan is empty: the log says every one is declared.
            #expect(try fixture.plan().requests.isEmpty)
            // Even the first plan again posts nothing: the API is asked first.
            let again = await DeclarationSubmitter(client: client, store: fixture.asyncStore).submit(plan.requests)
            #expect(again.sent.isEmpty && again.failed.isEmpty)
            #expect(await fake.requests.filter { $0.hasPrefix("POST") }.count == posts)
            try await expectExactlyOnce(fixture, fake, expected: plan.requests.count)
        }
    }

    @Test func aCrashBetweenThePostAndTheRecordIsRecordedNotPostedAgain() async throws {
        let fixture = try DfEFixture.make(participants: 1, items: 2)
        let plan = try fixture.plan()
        let request = try #require(plan.requests.first)
        try await withFake(fixture, participants: 1) { fake, client in
            // The POST lands and the process dies before writing the record.
            _ = try await client.postDeclaration(request)
            #expect(try fixture.records().isEmpty)
            let result = await DeclarationSubmitter(client: client, store: fixture.asyncStore).submit(plan.requests)
            #expect(result.found.count == 1 && result.sent.isEmpty, "recorded from what the API holds")
            #expect(await fake.requests.filter { $0.hasPrefix("POST") }.count == 1)
            try await expectExactlyOnce(fixture, fake, expected: 1)
        }
    }

    @Test func aConnectionDroppedAfterTheAPIRecordedIsNotDeclaredTwice() async throws {
        let fixture = try DfEFixture.make(participants: 1, items: 2)
        let plan = try fixture.plan()
        try await withFake(fixture, participants: 1) { fake, client in
            // The first fault is the GET's (asking what is held), the second the POST's.
            await fake.queue(.slow(.seconds(0)), .dropAfterRecording)
            let result = await DeclarationSubmitter(client: client, store: fixture.asyncStore).submit(plan.requests)
            #expect(result.succeeded, "\(result.failed.map(\.1.message))")
            #expect(result.found.count == 1, "the lost answer is found by asking")
            try await expectExactlyOnce(fixture, fake, expected: 1)
        }
    }

    @Test func aSlowAnswerTimesOutAndTheDeclarationIsStillMadeOnce() async throws {
        let fixture = try DfEFixture.make(participants: 1, items: 2)
        let plan = try fixture.plan()
        try await withFake(fixture, participants: 1, retry: impatientRetry) { fake, client in
            await fake.queue(.slow(.seconds(0)), .slow(slowerThanTimeout))
            let result = await DeclarationSubmitter(client: client, store: fixture.asyncStore).submit(plan.requests)
            #expect(result.succeeded, "\(result.failed.map(\.1.message))")
            try await expectExactlyOnce(fixture, fake, expected: 1)
        }
    }

    @Test func a429IsWaitedOutAsRetryAfterSays() async throws {
        let fixture = try DfEFixture.make(participants: 1, items: 2)
        let plan = try fixture.plan()
        try await withFake(fixture, participants: 1) { fake, client in
            await fake.queue(.slow(.seconds(0)), .tooManyRequests(retryAfter: 1))
            let clock = ContinuousClock()
            let start = clock.now
            let result = await DeclarationSubmitter(client: client, store: fixture.asyncStore).submit(plan.requests)
            #expect(clock.now - start >= .seconds(1), "Retry-After honoured")
            #expect(result.succeeded && result.sent.count == 1)
            try await expectExactlyOnce(fixture, fake, expected: 1)
        }
    }

    @Test func serverErrorsAreRetriedThenSummarised() async throws {
        let fixture = try DfEFixture.make(participants: 1, items: 2)
        let plan = try fixture.plan()
        try await withFake(fixture, participants: 1) { fake, client in
            // The GET before posting, then every attempt at the POST, fail.
            // Enough 500s for every attempt at the POST and at the GETs between them.
            await fake.state.queue([.slow(.seconds(0))] + Array(repeating: .serverError, count: 30))
            let result = await DeclarationSubmitter(client: client, store: fixture.asyncStore).submit(plan.requests)
            #expect(!result.succeeded)
            #expect(result.failed.first?.1.code == .unavailable)
            #expect(result.failed.first?.1.message.contains("500") == true, "\(result.failed.map(\.1.message))")
            #expect(await fake.declarations.isEmpty)
            let records = try fixture.records()
            #expect(records.isEmpty)
        }
    }

    @Test func aWrongTokenStopsTheRunAndIsNeverShown() async throws {
        let fixture = try DfEFixture.make(participants: 2, items: 2)
        let plan = try fixture.plan()
        let secret = "not-the-token-\(UUID().uuidString)"
        try await withFake(fixture, participants: 2, token: secret) { fake, client in
            let result = await DeclarationSubmitter(client: client, store: fixture.asyncStore).submit(plan.requests)
            #expect(result.stopped?.code == .unauthorised)
            #expect(result.failed.count == plan.requests.count)
            #expect(await fake.requests.count == 1, "stops after the first 401")
            for (_, error) in result.failed {
                #expect(!error.message.contains(secret) && !error.message.contains(fake.token))
            }
            let shown = "\(try LeadProviderToken(secret))"
            #expect(!shown.contains(secret))
        }
    }

    @Test func a422NamesTheField() async throws {
        let fixture = try DfEFixture.make(participants: 1, items: 2)
        var request = try #require(try fixture.plan().requests.first)
        request.course = "npq-headship"
        try await withFake(fixture, participants: 1) { _, client in
            let error = await #expect(throws: DfEError.self) { try await client.postDeclaration(request) }
            #expect(error?.code == .refused)
            #expect(error?.field == "course_identifier")
            #expect(
                error?.message.contains("on course_identifier (422 Unprocessable Entity)") == true,
                "\(error?.message ?? "")")
        }
    }

    @Test func everyPageIsReadUntilAShortOrEmptyOne() async throws {
        let fixture = try DfEFixture.make(participants: 1, items: 1)
        try await withFake(fixture, participants: 1) { fake, client in
            for n in 0..<250 {
                await fake.state.add(
                    .init(
                        id: UUID().uuidString.lowercased(), participant: DfEFixture.dfeID(n % 3 + 1), type: "started",
                        course: "npq-senco",
                        date: "2025-10-09T08:53:20Z", state: "submitted", updated: Date()))
            }
            #expect(try await client.declarations(updatedSince: nil).count == 250)
            #expect(await fake.requests.count == 3, "pages of 100, 100 and 50")
            let one = try await client.declarations(forParticipant: DfEFixture.dfeID(1))
            #expect(one.count == 84 && one.allSatisfy { $0.participantID == DfEFixture.dfeID(1) })
            let violations = await fake.violations
            #expect(violations.isEmpty, "\(violations)")
        }
    }

    @Test func theTokenIsReadFromAFileOrTheEnvironmentNeverAnArgument() throws {
        let dir = try TestSupport.temporaryDirectory("senco-token")
        let file = dir.appendingPathComponent("token")
        try Data("  abc123\n".utf8).write(to: file)
        #expect(throws: Never.self) { try LeadProviderToken.load(file: file.path, environment: [:]) }
        #expect(throws: Never.self) { try LeadProviderToken.load(file: nil, environment: ["SENCO_DFE_TOKEN": "abc"]) }
        let missing = #expect(throws: DfEError.self) { try LeadProviderToken.load(file: nil, environment: [:]) }
        #expect(missing?.message.contains("--token-file") == true)
        try Data("abc\r\nX-Evil: 1".utf8).write(to: file)
        #expect(throws: DfEError.self) { try LeadProviderToken.load(file: file.path, environment: [:]) }
        let clear = #expect(throws: DfEError.self) {
            try LeadProviderClient(baseURL: "http://api.example.org", token: LeadProviderToken("abc"))
        }
        #expect(clear?.message.contains("must be https") == true)
    }

    /// Random fault sequences: whatever fails along the way, a later run finishes the job and no
    /// milestone is ever declared twice or recorded without its DfE id.
    @Test(arguments: 1...4)
    func randomFaultSequencesEndWithEachMilestoneDeclaredOnce(seed: UInt64) async throws {
        let fixture = try DfEFixture.make(participants: 2, items: 12)
        let expected = try fixture.plan().requests.count
        var generator = TestSupport.SeededGenerator(seed: seed)
        try await withFake(fixture, participants: 2, retry: impatientRetry) { fake, client in
            for _ in 0..<4 {
                let faults: [FakeLeadProviderAPI.Fault] = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                    switch Int.random(in: 0...3, using: &generator) {
                    case 0: .serverError
                    case 1: .tooManyRequests(retryAfter: 0)
                    case 2: .dropAfterRecording
                    default: .slow(slowerThanTimeout)
                    }
                }
                await fake.state.queue(faults)
                _ = await DeclarationSubmitter(client: client, store: fixture.asyncStore).submit(
                    try fixture.plan().requests)
            }
            await fake.state.clearFaults()
            // The last run, with no faults, waits as long as a loaded machine needs.
            let patient = try LeadProviderClient(
                baseURL: fake.baseURL, token: try LeadProviderToken(fake.token), retry: quickRetry)
            let last = await DeclarationSubmitter(client: patient, store: fixture.asyncStore).submit(
                try fixture.plan().requests)
            await patient.shutdown()
            #expect(last.failed.isEmpty, "\(last.failed.map(\.1.message))")
            try await expectExactlyOnce(fixture, fake, expected: expected)
        }
    }
}
