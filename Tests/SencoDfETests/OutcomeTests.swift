import Foundation
import SencoCore
import SencoDfE
import SencoDfEFake
import SencoStore
import Testing

/// Outcomes: the v3 API makes the participant's outcome from the `completed` declaration's
/// `has_passed` and date; `POST …/participants/npq/{id}/outcomes` corrects it; sync reads
/// outcomes back (`GET …/participants/npq/outcomes`).
@Suite(.serialized)
struct OutcomeTests {
    @Test func theCompletedDeclarationCarriesTheOutcomeAndTheLogRecordsIt() async throws {
        try await DfEFakeSession.run { session in
            try session.signOff("p-dfe-1", .failed)
            let plan = try session.fixture.plan()
            let completed = try #require(plan.requests.first { $0.type == .completed })
            #expect(completed.hasPassed == false)
            #expect(plan.outcomes.isEmpty, "nothing to correct: the outcome goes with the declaration")
            let result = await session.submitter.submit(plan)
            #expect(result.succeeded, "\(result.failed.map(\.1.message))")
            let made = await session.fake.outcomes
            #expect(made.map(\.state) == ["failed"], "the API made the outcome from has_passed")
            let recorded = try #require(try session.portfolio("p-dfe-1").dfeOutcome)
            #expect(recorded.state == "failed" && recorded.completionDate == Day(completed.date))
            #expect(try session.fixture.plan().isEmpty, "nothing more to send")
        }
    }

    @Test func anOutcomeChangedAtASecondSignOffIsSentOnceAndRecorded() async throws {
        try await DfEFakeSession.run { session in
            try session.signOff("p-dfe-1", .failed, ago: 600)
            _ = await session.submitter.submit(try session.fixture.plan())
            // Reopened and signed off again as passed: the completed declaration stands, so the
            // outcome is corrected.
            try session.signOff("p-dfe-1", .passed, ago: 60)
            let plan = try session.fixture.plan()
            #expect(plan.requests.isEmpty)
            let correction = try #require(plan.outcomes.first)
            #expect(correction.state == .passed)
            let (attributes, problems) = OutcomeRequestSchema.check(correction.body)
            #expect(problems.isEmpty, "\(problems)")
            #expect(attributes["completion_date"] as? String == "\(correction.completionDate)T00:00:00+00:00")
            let result = await session.submitter.submit(plan)
            #expect(result.outcomes.count == 1 && result.succeeded, "\(result.outcomes.map(\.1))")
            #expect(await session.posts(to: correction.path) == 1)
            #expect(try session.portfolio("p-dfe-1").dfeOutcome?.state == "passed")
            #expect(try session.fixture.plan().outcomes.isEmpty, "recorded, so not planned again")
            // The first plan again: the API is asked first, so nothing is posted twice.
            let again = await session.submitter.submit(plan)
            #expect(again.succeeded)
            #expect(await session.posts(to: correction.path) == 1)
            #expect(await session.fake.outcomes.map(\.state) == ["failed", "passed"])
        }
    }

    @Test func anOutcomeWhoseAnswerWasLostIsFoundNotPostedAgain() async throws {
        try await DfEFakeSession.run { session in
            try session.signOff("p-dfe-1", .passed, ago: 600)
            _ = await session.submitter.submit(try session.fixture.plan())
            try session.signOff("p-dfe-1", .failed, ago: 60)
            let plan = try session.fixture.plan()
            let correction = try #require(plan.outcomes.first)
            // The GET asking what is held, then the POST, whose connection drops after the API
            // recorded it; asking again finds it.
            await session.fake.queue(.slow(.seconds(0)), .dropAfterRecording)
            let result = await session.submitter.submit(plan)
            guard case .found = try #require(result.outcomes.first?.1) else {
                Issue.record("the lost answer is found by asking: \(result.outcomes.map(\.1))")
                return
            }
            #expect(await session.posts(to: correction.path) == 1)
            #expect(await session.fake.outcomes.map(\.state) == ["passed", "failed"])
            #expect(try session.portfolio("p-dfe-1").dfeOutcome?.state == "failed")
        }
    }

    @Test func voidingTheCompletedDeclarationRetractsTheOutcomeAndItIsDeclaredAfresh() async throws {
        try await DfEFakeSession.run { session in
            try session.signOff("p-dfe-1", .passed)
            _ = await session.submitter.submit(try session.fixture.plan())
            let change = try await session.ledger.void(participant: "p-dfe-1", type: .completed)
            #expect(change.to == "voided")
            #expect(try session.portfolio("p-dfe-1").dfeOutcome?.state == "voided")
            #expect(await session.fake.outcomes.last?.state == "voided")
            let plan = try session.fixture.plan()
            #expect(plan.requests.map(\.type) == [.completed], "the milestone may be declared again")
            #expect(plan.outcomes.isEmpty)
        }
    }

    @Test func syncRecordsAnOutcomeTheLogDidNotKnow() async throws {
        try await DfEFakeSession.run { session in
            try session.signOff("p-dfe-1", .passed)
            _ = await session.submitter.submit(try session.fixture.plan())
            #expect(try await session.ledger.sync(cohort: session.fixture.cohort.id).outcomes.isEmpty)
            // Another system corrects it.
            await session.fake.state.addOutcome(
                .init(
                    id: UUID().uuidString.lowercased(), participant: DfEFixture.dfeID(1), course: "npq-senco",
                    state: "failed", completionDate: "2026-01-15T00:00:00+00:00", created: Date()))
            let report = try await session.ledger.sync(cohort: session.fixture.cohort.id)
            #expect(report.outcomes.map(\.to.state) == ["failed"])
            let recorded = try #require(try session.portfolio("p-dfe-1").dfeOutcome)
            #expect(recorded.state == "failed" && recorded.completionDate == Day("2026-01-15"))
            #expect(try await session.ledger.sync(cohort: session.fixture.cohort.id).outcomes.isEmpty)
            let asked = await session.fake.requests.filter { $0.hasPrefix("GET /api/v3/participants/npq/outcomes") }
            #expect(
                asked.count == 3 && asked.dropFirst().allSatisfy { $0.contains("filter[created_since]=") }, "\(asked)")
        }
    }

    @Test func theFakesOutcomeSchemaRefusesWhatTheAPIWould() {
        for body in [
            #"{"data":{"type":"npq-outcome-confirmation","attributes":{"course_identifier":"npq-senco","state":"voided","completion_date":"2026-01-15"}}}"#,
            #"{"data":{"type":"npq-outcome-confirmation","attributes":{"course_identifier":"npq-early-headship-coaching-offer","state":"passed","completion_date":"2026-01-15"}}}"#,
            #"{"data":{"type":"npq-outcome-confirmation","attributes":{"course_identifier":"npq-senco","state":"passed"}}}"#,
            #"{"data":{"type":"npq-outcome-confirmation","attributes":{"course_identifier":"npq-senco","state":"passed","completion_date":"15/01/2026"}}}"#,
        ] {
            #expect(!OutcomeRequestSchema.check(Data(body.utf8)).1.isEmpty, "\(body)")
        }
        let good = OutcomeRequest(
            participant: "p-1", dfeParticipantID: DfEFixture.dfeID(1), state: .failed,
            completionDate: Day("2026-01-15")!)
        #expect(
            String(decoding: good.body, as: UTF8.self)
                == #"{"data":{"attributes":{"completion_date":"2026-01-15T00:00:00+00:00","course_identifier":"npq-senco","state":"failed"},"type":"npq-outcome-confirmation"}}"#
        )
    }
}
