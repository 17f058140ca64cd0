import Foundation
import SencoCore
import SencoDfE
import SencoDfEFake
import SencoTestSupport
import Testing

/// Saved `GET /api/v3/participants/npq` pages brought into a cohort: new, repeated, conflicting,
/// other courses.
struct ParticipantImportTests {
    static func participant(
        _ id: String, trn: String?, course: String = "npq-senco", cohort: String = "2025", status: String = "active",
        name: String = "Isabelle MacDonald"
    ) -> String {
        let trnText = trn.map { "\"\($0)\"" } ?? "null"
        return """
            {"id":"\(id)","type":"npq-participant","attributes":{"full_name":"\(name)","previous_names":[],
            "teacher_reference_number":\(trnText),"updated_at":"2025-09-01T10:00:00.000Z",
            "npq_enrolments":[{"course_identifier":"\(course)","schedule_identifier":"npq-leadership-autumn","cohort":"\(cohort)",
            "cohort_suffix":"a","npq_application_id":"db3a7848-7308-4879-942a-c4a70ced400a","eligible_for_funding":true,
            "training_status":"\(status)","school_urn":"106286","targeted_delivery_funding_eligibility":false,"funded_place":true,
            "email":"person@school.example.org","withdrawal":null,"deferral":null,"created_at":"2025-06-01T10:00:00.000Z"}],
            "participant_id_changes":[]}}
            """
    }

    static let a = "aaaaaaaa-1111-4111-8111-111111111111"
    static let b = "bbbbbbbb-2222-4222-8222-222222222222"
    static let c = "cccccccc-3333-4333-8333-333333333333"

    func plan(_ file: String, existing: [Participant] = []) throws -> ParticipantImportPlan {
        var cohort = TestSupport.cohort()
        cohort.dfe.cohort = 2025
        return ParticipantImportPlan(
            participants: try DfEParticipant.read(Data(file.utf8), file: "participants.json"), cohort: cohort,
            tutor: "t-one",
            dfeCohort: 2025, existing: existing, frameworks: ["npq-senco-2023"], now: Date())
    }

    @Test func newParticipantsArriveWithTheirDfEIdentityAndPagesMayBeConcatenated() throws {
        let page1 = "{\"data\":[\(Self.participant(Self.a, trn: "1234567"))]}"
        let page2 = "{\"data\":[\(Self.participant(Self.b, trn: nil, name: "Tom & \\\"Jerry\\\" <x>"))]}\n"
        let plan = try plan(page1 + "\n" + page2)
        #expect(plan.creates.count == 2)
        let first = try #require(plan.creates.first)
        #expect(first.id == "dfe-aaaaaaaa")
        #expect(
            first.participant.dfe
                == DfEIdentity(
                    participantID: Self.a, schedule: "npq-leadership-autumn", cohort: 2025, fundedPlace: true))
        #expect(first.participant.trn == "1234567")
        #expect(plan.creates[1].participant.name == "Tom & \"Jerry\" <x>")
    }

    @Test func aSecondImportUpdatesAndNeverDuplicates() throws {
        let file = "{\"data\":[\(Self.participant(Self.a, trn: "1234567"))]}"
        let first = try plan(file)
        let existing = first.creates.map(\.participant)
        let again = try plan(file, existing: existing)
        #expect(again.creates.isEmpty && again.updates.isEmpty && again.unchanged == ["dfe-aaaaaaaa"])
        let deferred = try plan(
            "{\"data\":[\(Self.participant(Self.a, trn: "1234567", status: "deferred"))]}", existing: existing)
        #expect(deferred.creates.isEmpty)
        #expect(deferred.updates.first?.dfe?.trainingStatus == .deferred)
    }

    @Test func aTRNHeldUnderAnotherDfEIDIsAConflictNotAGuess() throws {
        var held = TestSupport.participant("p-held")
        held.trn = "7654321"
        held.dfe = DfEIdentity(participantID: Self.c)
        let plan = try plan("{\"data\":[\(Self.participant(Self.a, trn: "7654321"))]}", existing: [held])
        #expect(plan.creates.isEmpty && plan.updates.isEmpty)
        #expect(plan.conflicts == ["\(Self.a): TRN 7654321 is already p-held's, under DfE id \(Self.c)"])
    }

    @Test func aTRNWithNoDfEIDYetIsAdopted() throws {
        var held = TestSupport.participant("p-held", cohort: "test-cohort")
        held.trn = "7654321"
        let plan = try plan("{\"data\":[\(Self.participant(Self.a, trn: "7654321"))]}", existing: [held])
        #expect(plan.creates.isEmpty)
        #expect(plan.updates.map(\.id) == ["p-held"])
        #expect(plan.updates.first?.dfe?.participantID == Self.a)
    }

    @Test func otherCoursesAndCohortsAreSkippedAndListed() throws {
        let file =
            "{\"data\":[\(Self.participant(Self.a, trn: nil, course: "npq-headship")),\(Self.participant(Self.b, trn: nil, cohort: "2024"))]}"
        let plan = try plan(file)
        #expect(plan.creates.isEmpty)
        #expect(plan.skipped.count == 2)
        #expect(plan.skipped[0].contains("has npq-headship 2025"))
        #expect(plan.skipped[1].contains("has npq-senco 2024"))
    }

    @Test func aMalformedPageIsRefusedNamingWhere() throws {
        for (text, phrase) in [
            (
                "{\"data\":[{\"id\":\"x\",\"type\":\"npq-participant\",\"attributes\":{}}]}",
                "participants.json, page 1, data[0]: id is not a UUID"
            ),
            ("{\"errors\":[]}", "page 1: no \"data\" list"),
            ("", "no JSON in the file"),
            ("{\"data\":[]}{\"data\":[{\"type\":\"npq-participant\"}]}", "page 2, data[0]: id is not a UUID"),
        ] {
            let error = #expect(throws: DfEError.self) {
                try DfEParticipant.read(Data(text.utf8), file: "participants.json")
            }
            #expect(error?.message.contains(phrase) == true, "\(text): \(error?.message ?? "")")
        }
    }
}
