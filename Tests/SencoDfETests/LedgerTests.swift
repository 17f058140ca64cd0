import Foundation
import SencoCore
import SencoDfE
import SencoDfEFake
import SencoStore
import SencoTestSupport
import Testing

/// After a declaration is made: the DfE's states recorded by sync, and voiding.
@Suite(.serialized)
struct LedgerTests {
    func withSubmitted(_ body: (DfEFixture, FakeLeadProviderAPI, LeadProviderClient) async throws -> Void) async throws
    {
        let fixture = try DfEFixture.make(participants: 2, items: 2)
        let fake = try await FakeLeadProviderAPI.start()
        for n in 1...2 { await fake.enrol(DfEFixture.dfeID(n)) }
        let client = try LeadProviderClient(
            baseURL: fake.baseURL, token: try LeadProviderToken(fake.token), retry: quickRetry)
        do {
            let result = await DeclarationSubmitter(client: client, store: fixture.asyncStore).submit(
                try fixture.plan().requests)
            #expect(result.sent.count == 2)
            try await body(fixture, fake, client)
        } catch {
            await client.shutdown()
            await fake.stop()
            throw error
        }
        await client.shutdown()
        await fake.stop()
    }

    func state(_ fixture: DfEFixture, _ participant: String, _ type: DeclarationType) throws -> String? {
        try fixture.store.portfolio(participant).declarationRecords[type]?.state
    }

    @Test func syncRecordsEachStateTheDfEMovesADeclarationTo() async throws {
        try await withSubmitted { fixture, fake, client in
            let held = await fake.declarations
            await fake.state.setState(try #require(held.first { $0.participant == DfEFixture.dfeID(1) }).id, to: "paid")
            await fake.state.setState(
                try #require(held.first { $0.participant == DfEFixture.dfeID(2) }).id, to: "eligible")
            let ledger = DeclarationLedger(client: client, store: fixture.asyncStore)
            let changes = try await ledger.sync(cohort: fixture.cohort.id).changes
            #expect(
                Set(changes.map { "\($0.participant) \($0.from ?? "-")→\($0.to)" }) == [
                    "p-dfe-1 submitted→paid", "p-dfe-2 submitted→eligible",
                ])
            #expect(try state(fixture, "p-dfe-1", .started) == "paid")
            #expect(
                try await ledger.sync(cohort: fixture.cohort.id).changes.isEmpty, "a second sync changes nothing")
            #expect(
                try await ledger.sync(cohort: fixture.cohort.id, since: Date().addingTimeInterval(3600)).changes.isEmpty
            )
            let violations = await fake.violations
            #expect(violations.isEmpty, "\(violations)")
        }
    }

    @Test func syncRecordsADeclarationTheLogDidNotKnowSoItIsNeverPostedAgain() async throws {
        let fixture = try DfEFixture.make(participants: 1, items: 2)
        let fake = try await FakeLeadProviderAPI.start()
        await fake.enrol(DfEFixture.dfeID(1))
        let client = try LeadProviderClient(
            baseURL: fake.baseURL, token: try LeadProviderToken(fake.token), retry: quickRetry)
        let request = try #require(try fixture.plan().requests.first)
        _ = try await client.postDeclaration(request)
        let changes = try await DeclarationLedger(client: client, store: fixture.asyncStore).sync(
            cohort: fixture.cohort.id
        ).changes
        #expect(changes.map(\.from) == [nil])
        #expect(try fixture.plan().requests.isEmpty)
        await client.shutdown()
        await fake.stop()
    }

    @Test func voidingRecordsTheNewStateAndTheMilestoneMayBeDeclaredAgain() async throws {
        try await withSubmitted { fixture, fake, client in
            let ledger = DeclarationLedger(client: client, store: fixture.asyncStore)
            let change = try await ledger.void(participant: "p-dfe-1", type: .started)
            #expect(change.from == "submitted" && change.to == "voided")
            #expect(try state(fixture, "p-dfe-1", .started) == "voided")
            #expect(try fixture.plan().requests.map(\.participant) == ["p-dfe-1"], "declarable again")
            let again = await #expect(throws: DfEError.self) {
                try await ledger.void(participant: "p-dfe-1", type: .started)
            }
            #expect(again?.message.contains("has no started declaration to void") == true)
            // A paid declaration is clawed back rather than voided.
            let paid = try #require(await fake.declarations.first { $0.participant == DfEFixture.dfeID(2) })
            await fake.state.setState(paid.id, to: "paid")
            #expect(try await ledger.void(participant: "p-dfe-2", type: .started).to == "awaiting_clawback")
        }
    }
}

/// Withdraw, defer and resume with the DfE's own reason values.
@Suite(.serialized)
struct TrainingStatusTests {
    /// A fake with one enrolled participant who has a `started` declaration (the API withdraws or
    /// defers only a participant with declarations), and a client for it.
    func withStarted(
        retry: RetryPolicy = quickRetry, _ body: (FakeLeadProviderAPI, LeadProviderClient, String) async throws -> Void
    ) async throws {
        let fake = try await FakeLeadProviderAPI.start()
        let id = DfEFixture.dfeID(1)
        await fake.enrol(id)
        await fake.state.add(
            .init(
                id: UUID().uuidString.lowercased(), participant: id, type: "started", course: "npq-senco",
                date: "2025-10-09T08:53:20Z", state: "submitted", updated: Date()))
        let client = try LeadProviderClient(
            baseURL: fake.baseURL, token: try LeadProviderToken(fake.token), retry: retry)
        do { try await body(fake, client, id) } catch {
            await client.shutdown()
            await fake.stop()
            throw error
        }
        let violations = await fake.violations
        #expect(violations.isEmpty, "\(violations)")
        await client.shutdown()
        await fake.stop()
    }

    @Test func withdrawDeferAndResumeSendTheDocumentsBodiesAndReadTheStatusBack() async throws {
        try await withStarted { fake, client, id in
            let deferred = try await client.change(.defer(reason: "parental-leave"), participant: id)
            #expect(deferred.status == .deferred && deferred.reason == "parental-leave" && deferred.since != nil)
            #expect(!deferred.alreadyHeld)
            #expect(try await client.change(.resume, participant: id).status == .active)
            let withdrawn = try await client.change(
                .withdraw(reason: "quality-of-programme-structure-not-suitable."), participant: id)
            #expect(
                withdrawn.status == .withdrawn && withdrawn.reason == "quality-of-programme-structure-not-suitable.")
            #expect(await fake.state.trainingStatus(id) == "withdrawn")
            // A reason the DfE does not have is refused before anything is sent.
            let requests = await fake.requests.count
            let made = await #expect(throws: DfEError.self) {
                try await client.change(.withdraw(reason: "moved away"), participant: id)
            }
            #expect(made?.message.contains("is not one of the DfE's withdrawal reasons") == true)
            #expect(await fake.requests.count == requests)
        }
    }

    @Test func aRefusalTheAPIMeansIsReportedWithItsField() async throws {
        let fake = try await FakeLeadProviderAPI.start()
        let id = DfEFixture.dfeID(1)
        await fake.enrol(id)
        let client = try LeadProviderClient(
            baseURL: fake.baseURL, token: try LeadProviderToken(fake.token), retry: quickRetry)
        // No started declaration: the API will not withdraw, and reading back shows it active.
        let refused = await #expect(throws: DfEError.self) {
            try await client.change(.withdraw(reason: "other"), participant: id)
        }
        #expect(refused?.code == .refused && refused?.field == "participant_id", "\(refused?.message ?? "")")
        #expect(refused?.message.contains("has not got a started declaration") == true)
        #expect(await fake.state.trainingStatus(id) == "active")
        #expect(await fake.requests.contains { $0.hasPrefix("GET /api/v3/participants/npq/\(id)") }, "read back")
        await client.shutdown()
        await fake.stop()
    }

    /// The change lands but its answer is lost: the retry is refused as a repeat (422), and
    /// reading the participant back shows the change was made, so it is reported as made.
    @Test func aChangeRetriedAfterALostAnswerIsReportedAsMade() async throws {
        try await withStarted { fake, client, id in
            await fake.queue(.dropAfterRecording)
            let withdrawn = try await client.change(.withdraw(reason: "change-in-career"), participant: id)
            #expect(withdrawn.status == .withdrawn && withdrawn.alreadyHeld)
            #expect(withdrawn.reason == "change-in-career", "the reason the DfE holds")
            let puts = await fake.requests.filter { $0.hasPrefix("PUT") }
            #expect(puts.count == 2, "the first attempt and its retry: \(puts)")
            // Asked again later: the API already holds it, so it is still reported as made.
            #expect(try await client.change(.withdraw(reason: "change-in-career"), participant: id).alreadyHeld)
        }
    }

    @Test func aChangeRetriedAfterASlowAnswerIsReportedAsMade() async throws {
        try await withStarted(retry: impatientRetry) { fake, client, id in
            await fake.queue(.slow(slowerThanTimeout))
            let deferred = try await client.change(.defer(reason: "career-break"), participant: id)
            #expect(deferred.status == .deferred)
            #expect(await fake.state.trainingStatus(id) == "deferred")
        }
    }
}
