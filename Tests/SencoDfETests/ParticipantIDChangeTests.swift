import Foundation
import SencoCore
import SencoDfE
import SencoDfEFake
import SencoStore
import SencoTestSupport
import Testing

/// `participant_id_changes`: when the DfE merges a duplicate, import and pull follow it (the
/// portfolio keeps the new id, the old one is recorded) and nothing is posted under the old id.
@Suite(.serialized)
struct ParticipantIDChangeTests {
    static let new = "ac3d1243-7308-4879-942a-c4a70ced400a"

    static func page(_ id: String, retired: [String]) -> String {
        let changes = retired.map {
            #"{"from_participant_id":"\#($0)","to_participant_id":"\#(id)","changed_at":"2026-02-01T10:00:00.000Z"}"#
        }.joined(separator: ",")
        return """
            {"data":[{"id":"\(id)","type":"npq-participant","attributes":{"full_name":"Fictional Person","previous_names":[],
            "teacher_reference_number":"1000001","updated_at":"2026-02-01T10:00:00.000Z","npq_enrolments":[{"course_identifier":"npq-senco",
            "schedule_identifier":"npq-leadership-autumn","cohort":"2025","npq_application_id":"db3a7848-7308-4879-942a-c4a70ced400a",
            "eligible_for_funding":true,"training_status":"active","targeted_delivery_funding_eligibility":false,"email":null,
            "withdrawal":null,"deferral":null}],"participant_id_changes":[\(changes)]}}]}
            """
    }

    func importPlan(_ text: String, existing: [Participant]) throws -> ParticipantImportPlan {
        var cohort = TestSupport.cohort()
        cohort.dfe.cohort = 2025
        return ParticipantImportPlan(
            participants: try DfEParticipant.read(Data(text.utf8), file: "participants.json"), cohort: cohort,
            tutor: "t-one", dfeCohort: 2025, existing: existing, frameworks: ["npq-senco-2023"], now: Date())
    }

    @Test func importFollowsAMergedIDAndRecordsTheOldOne() throws {
        let old = DfEFixture.dfeID(1)
        var held = TestSupport.participant("p-held")
        held.trn = "1000001"
        held.dfe = DfEIdentity(participantID: old, deliveryPartner: "524df095-f9bf-4f9d-ba4c-772545a99e60")
        let plan = try importPlan(Self.page(Self.new, retired: [old]), existing: [held])
        #expect(plan.creates.isEmpty && plan.conflicts.isEmpty, "\(plan.conflicts)")
        let updated = try #require(plan.updates.first)
        #expect(updated.dfe?.participantID == Self.new)
        #expect(updated.dfe?.deliveryPartner == "524df095-f9bf-4f9d-ba4c-772545a99e60", "the provider's choice is kept")
        #expect(plan.idChanges == ["p-held": old])
        var portfolio = Portfolio(participant: held, frameworks: [], stateSince: Date())
        plan.apply(updated, to: &portfolio, by: "senco", at: Date())
        #expect(portfolio.participant.dfe?.participantID == Self.new)
        #expect(portfolio.retiredDfEIDs == [old])
        #expect(portfolio.activities.last?.note.contains("replaced the participant id \(old) with \(Self.new)") == true)
    }

    @Test func twoSencoParticipantsMergedIntoOneAreAConflict() throws {
        var first = TestSupport.participant("p-one")
        first.trn = nil
        first.dfe = DfEIdentity(participantID: DfEFixture.dfeID(1))
        var second = TestSupport.participant("p-two")
        second.trn = nil
        second.dfe = DfEIdentity(participantID: Self.new)
        let plan = try importPlan(Self.page(Self.new, retired: [DfEFixture.dfeID(1)]), existing: [first, second])
        #expect(plan.updates.isEmpty && plan.creates.isEmpty)
        #expect(
            plan.conflicts == [
                "\(Self.new): the DfE merged the DfE ids of p-two and p-one into this one; merge them by hand"
            ])
    }

    @Test func aRetiredIDIsRefusedByTheAPIAndNeverPostedBySubmit() async throws {
        try await DfEFakeSession.run { session in
            let request = try #require(try session.fixture.plan().requests.first)
            await session.fake.enrol(Self.new)
            await session.fake.state.retire(DfEFixture.dfeID(1), into: Self.new)
            let refused = await #expect(throws: DfEError.self) { try await session.client.postDeclaration(request) }
            #expect(refused?.code == .participantReplaced && refused?.replacement == Self.new)
            #expect(refused?.message.contains("senco dfe pull") == true)
            #expect(await session.posts(to: "/api/v3/participant-declarations") == 1, "refused once, not retried")
            // The submitter asks first, and posts nothing under the retired id.
            let result = await session.submitter.submit([request])
            let failure = try #require(result.failed.first?.1)
            #expect(failure.code == .participantReplaced && failure.replacement == Self.new)
            #expect(failure.message.contains("nothing was sent under the old id"))
            #expect(await session.posts(to: "/api/v3/participant-declarations") == 1, "nothing more was posted")
            let asked = await session.fake.requests.filter { $0.contains("filter[from_participant_id]=") }
            #expect(asked.count == 1, "\(asked)")
            #expect(await session.fake.declarations.isEmpty)
        }
    }

    /// The whole round: a declaration made under the old id, the DfE merges, a pull follows it,
    /// and the next declaration goes under the new id; a duplicate still holding the old id gets
    /// nothing sent.
    @Test func afterAPullEverythingGoesUnderTheNewID() async throws {
        try await DfEFakeSession.run(items: 30) { session in
            let old = DfEFixture.dfeID(1)
            let plan = try session.fixture.plan()
            let started = try #require(plan.requests.first { $0.type == .started })
            _ = await session.submitter.submit([started])
            await session.fake.state.retire(old, into: Self.new)
            await session.fake.state.setParticipants([
                String(Self.page(Self.new, retired: [old]).dropFirst(9).dropLast(2))
            ])
            let pages = try await session.client.participantPages(updatedSince: nil)
            let incoming = try pages.flatMap { try DfEParticipant.read($0, file: "page") }
            var existing: [Participant] = []
            for id in try session.fixture.store.participantIDs(inCohort: session.fixture.cohort.id) {
                existing.append(try session.portfolio(id).participant)
            }
            let importPlan = ParticipantImportPlan(
                participants: incoming, cohort: session.fixture.cohort, tutor: "t-one", dfeCohort: 2025,
                existing: existing, frameworks: ["npq-senco-2023"], now: Date())
            #expect(importPlan.idChanges == ["p-dfe-1": old])
            for updated in importPlan.updates {
                try session.change(updated.id) { importPlan.apply(updated, to: &$0, by: "senco", at: Date()) }
            }
            #expect(try session.portfolio("p-dfe-1").participant.dfe?.participantID == Self.new)
            let next = try session.fixture.plan()
            #expect(!next.requests.isEmpty, "retained milestones still to declare")
            #expect(next.requests.allSatisfy { $0.dfeParticipantID == Self.new })
            // The started declaration moved with the merge: asking under the new id finds it.
            let result = await session.submitter.submit(next)
            #expect(result.succeeded, "\(result.failed.map(\.1.message))")
            #expect(await session.fake.declarations.allSatisfy { $0.participant == Self.new })
            #expect(await session.fake.declarations.filter { $0.type == "started" }.count == 1)

            // A duplicate portfolio still on the old id is held back, named, by the cohort's plan.
            let duplicate = DeclarationRequest(
                participant: "p-dup", dfeParticipantID: old, type: .started, date: started.date)
            let combined = DeclarationPlanner.combine([
                (plan: DeclarationPlanner.Plan(requests: [duplicate]), retired: []),
                (plan: DeclarationPlanner.Plan(), retired: [old]),
            ])
            #expect(combined.requests.isEmpty)
            #expect(combined.held.first?.hasPrefix("p-dup: its DfE participant id was retired by the DfE") == true)
        }
    }
}
