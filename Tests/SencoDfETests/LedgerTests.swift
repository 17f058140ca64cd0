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
            let changes = try await ledger.sync(cohort: fixture.cohort.id, since: nil)
            #expect(
                Set(changes.map { "\($0.participant) \($0.from ?? "-")→\($0.to)" }) == [
                    "p-dfe-1 submitted→paid", "p-dfe-2 submitted→eligible",
                ])
            #expect(try state(fixture, "p-dfe-1", .started) == "paid")
            #expect(
                try await ledger.sync(cohort: fixture.cohort.id, since: nil).isEmpty, "a second sync changes nothing")
            #expect(try await ledger.sync(cohort: fixture.cohort.id, since: Date().addingTimeInterval(3600)).isEmpty)
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
            cohort: fixture.cohort.id, since: nil)
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
struct TrainingStatusTests {
    @Test func withdrawDeferAndResumeSendTheDocumentsBodiesAndReadTheStatusBack() async throws {
        let fake = try await FakeLeadProviderAPI.start()
        let id = DfEFixture.dfeID(1)
        await fake.enrol(id)
        // A generous time-out: this test is about bodies and answers, and a status change retried
        // after a slow first answer is refused by the API as a repeat (see the client's note).
        var patient = quickRetry
        patient.timeout = .seconds(30)
        let client = try LeadProviderClient(
            baseURL: fake.baseURL, token: try LeadProviderToken(fake.token), retry: patient)
        #expect(try await client.change(.defer(reason: "parental-leave"), participant: id) == .deferred)
        #expect(try await client.change(.resume, participant: id) == .active)
        #expect(
            try await client.change(.withdraw(reason: "quality-of-programme-structure-not-suitable."), participant: id)
                == .withdrawn)
        #expect(await fake.state.trainingStatus(id) == "withdrawn")
        // The API refuses a second withdrawal; the message names the field it gave.
        let twice = await #expect(throws: DfEError.self) {
            try await client.change(.withdraw(reason: "other"), participant: id)
        }
        #expect(twice?.code == .refused && twice?.field == "participant_id")
        // A reason the DfE does not have is refused before anything is sent.
        let requests = await fake.requests.count
        let made = await #expect(throws: DfEError.self) {
            try await client.change(.withdraw(reason: "moved away"), participant: id)
        }
        #expect(made?.message.contains("is not one of the DfE's withdrawal reasons") == true)
        #expect(await fake.requests.count == requests)
        let violations = await fake.violations
        #expect(violations.isEmpty, "\(violations)")
        await client.shutdown()
        await fake.stop()
    }
}
