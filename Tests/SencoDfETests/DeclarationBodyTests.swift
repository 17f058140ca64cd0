import Foundation
import SencoCore
import SencoDfE
import SencoDfEFake
import SencoStore
import SencoTestSupport
import Testing

/// Request bodies against `ParticipantDeclarationRequest`, readiness against the policy, and the
/// DfE's rule that declarations start at the schedule's start.
struct DeclarationBodyTests {
    static let uuid = "db3a7848-7308-4879-942a-c4a70ced400a"
    static let partner = "524df095-f9bf-4f9d-ba4c-772545a99e60"

    @Test(arguments: DeclarationType.allCases)
    func everyDeclarationTypeMakesABodyTheSchemaAccepts(type: DeclarationType) throws {
        let request = DeclarationRequest(
            participant: "p-1", dfeParticipantID: Self.uuid, type: type,
            date: Date(timeIntervalSince1970: 1_760_000_000),
            hasPassed: type == .completed ? true : nil, deliveryPartner: Self.partner)
        let (attributes, problems) = DeclarationRequestSchema.check(request.body)
        #expect(problems.isEmpty, "\(problems)")
        #expect(attributes["participant_id"] as? String == Self.uuid)
        #expect(attributes["declaration_date"] as? String == "2025-10-09T08:53:20Z")
        #expect(attributes["course_identifier"] as? String == "npq-senco")
        #expect(attributes["delivery_partner_id"] as? String == Self.partner)
        #expect((attributes["has_passed"] != nil) == (type == .completed), "has_passed on completed only")
    }

    @Test func theBodyIsExactlyThePublishedShape() {
        let request = DeclarationRequest(
            participant: "p-1", dfeParticipantID: Self.uuid, type: .completed,
            date: Date(timeIntervalSince1970: 1_760_000_000), hasPassed: false)
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == #"{"data":{"attributes":{"course_identifier":"npq-senco","declaration_date":"2025-10-09T08:53:20Z","declaration_type":"completed","has_passed":false,"participant_id":"db3a7848-7308-4879-942a-c4a70ced400a"},"type":"participant-declaration"}}"#
        )
    }

    @Test func theFakesSchemaRefusesWhatTheAPIWouldRefuse() {
        let bad = [
            #"{"data":{"type":"participant-declaration","attributes":{"participant_id":"p-01","declaration_type":"started","declaration_date":"2025-10-09T08:53:20Z","course_identifier":"npq-senco"}}}"#,
            #"{"data":{"type":"participant-declaration","attributes":{"participant_id":"db3a7848-7308-4879-942a-c4a70ced400a","declaration_type":"started","declaration_date":"2025-10-09","course_identifier":"npq-senco"}}}"#,
            #"{"data":{"type":"participant-declaration","attributes":{"participant_id":"db3a7848-7308-4879-942a-c4a70ced400a","declaration_type":"started","declaration_date":"2025-10-09T08:53:20Z","course_identifier":"npq-senco","has_passed":true}}}"#,
            #"{"data":{"type":"participant-declaration","attributes":{"participant_id":"db3a7848-7308-4879-942a-c4a70ced400a","declaration_type":"completed","declaration_date":"2025-10-09T08:53:20Z","course_identifier":"npq-senco","has_passed":"true"}}}"#,
            #"{"data":{"type":"participant-declaration","attributes":{"participant_id":"db3a7848-7308-4879-942a-c4a70ced400a","declaration_type":"completed","declaration_date":"2025-10-09T08:53:20Z","course_identifier":"npq-senco"}}}"#,
        ]
        for body in bad { #expect(!DeclarationRequestSchema.check(Data(body.utf8)).1.isEmpty, "\(body)") }
    }

    @Test func aParticipantWithoutADfEIDGetsNoBodyAndALineSayingWhy() throws {
        let fixture = try DfEFixture.make(participants: 1, items: 2, withoutDfE: 1)
        let plan = try fixture.plan()
        #expect(plan.requests.map(\.participant) == ["p-dfe-1"])
        #expect(plan.held.count == 1)
        #expect(plan.held.first?.hasPrefix("p-dfe-2: no DfE participant id") == true, "\(plan.held)")
        #expect(!plan.held.joined().contains("Test Person"), "never a name")
    }

    @Test func declarationsWaitForTheSchedulesStart() throws {
        let fixture = try DfEFixture.make(participants: 1, items: 2)
        // Evidence from October 2025; a schedule opening in 2030 holds everything back.
        var policy = DeclarationPolicy()
        policy.scheduleStarts = [.init(schedule: "npq-leadership-autumn", cohort: 2025, from: Day("2030-01-01")!)]
        let held = try fixture.plan(policy: policy)
        #expect(held.requests.isEmpty)
        #expect(held.held.first?.contains("cannot be declared before 2030-01-01") == true, "\(held.held)")
        // One opening after the evidence moves the declaration date up to the start, never before it.
        policy.scheduleStarts = [.init(schedule: "npq-leadership-autumn", cohort: 2025, from: Day("2025-12-01")!)]
        let moved = try fixture.plan(policy: policy)
        let started = try #require(moved.requests.first { $0.type == .started })
        #expect(DeclarationRequest.rfc3339(started.date) == "2025-12-01T00:00:00Z")
    }

    @Test func aScheduleThePolicyDoesNotKnowIsHeldBackNamed() throws {
        let fixture = try DfEFixture.make(participants: 1, items: 2)
        var policy = DeclarationPolicy()
        policy.scheduleStarts = []
        let plan = try fixture.plan(policy: policy)
        #expect(plan.requests.isEmpty)
        #expect(plan.held.first?.contains("no declaration start for npq-leadership-autumn in DfE cohort 2025") == true)
    }

    @Test func thePolicyFileChangesThresholdsAndRefusesUnknownKeys() throws {
        let policy = try DeclarationPolicy.read(
            Data(
                #"{"retained1Share": 0.1, "scheduleStarts": [{"schedule": "npq-leadership-spring", "cohort": 2026, "from": "2026-02-01"}]}"#
                    .utf8),
            file: "p.json")
        #expect(policy.rules.retained1Share == 0.1)
        #expect(policy.declarationsFrom(schedule: "npq-leadership-spring", cohort: 2026) == Day("2026-02-01"))
        #expect(
            policy.declarationsFrom(schedule: "npq-leadership-autumn", cohort: 2024) == Day("2024-10-01"),
            "published starts kept")
        #expect(!policy.summariesApply)
        for (text, phrase) in [
            (#"{"retained1share": 0.1}"#, "unknown key \"retained1share\""),
            (#"{"retained1Share": 2}"#, "retained1Share must be a number above 0 and at most 1"),
            (#"{"retained1Share": 0.9, "retained2Share": 0.5}"#, "retained1Share is above retained2Share"),
            (
                #"{"scheduleStarts": [{"schedule": "npq-aso-march", "cohort": 2025, "from": "2025-01-01"}]}"#,
                "is not an NPQ for SENCOs schedule"
            ),
            (#"{"completedMonths": true}"#, "completedMonths has the wrong type"),
            (#"{"retained1Months": 6.5}"#, "retained1Months has the wrong type"),
            ("[1]", "not a JSON object"),
        ] {
            let error = #expect(throws: DfEError.self) { try DeclarationPolicy.read(Data(text.utf8), file: "p.json") }
            #expect(error?.message.contains(phrase) == true, "\(text): \(error?.message ?? "")")
            #expect(error?.message.hasPrefix("p.json: ") == true)
        }
    }

    @Test func alreadyDeclaredMilestonesAreNotPlannedAgain() throws {
        let fixture = try DfEFixture.make(participants: 1, items: 2)
        try fixture.store.update("p-dfe-1", expectedRevision: 1) { portfolio throws(StoreError) in
            portfolio.log.append(
                .activity(
                    Activity(
                        at: Date().wholeSeconds, by: "senco", role: .system, action: Portfolio.declaredAction,
                        declaration: DeclarationRecord(type: .started, dfeID: Self.uuid, state: "submitted"))))
        }
        #expect(try fixture.plan().requests.filter { $0.type == .started }.isEmpty)
        // A voided declaration may be made again.
        try fixture.store.update("p-dfe-1", expectedRevision: 2) { portfolio throws(StoreError) in
            portfolio.log.append(
                .activity(
                    Activity(
                        at: Date().wholeSeconds, by: "senco", role: .system, action: "dfe-state",
                        declaration: DeclarationRecord(type: .started, dfeID: Self.uuid, state: "voided"))))
        }
        #expect(try fixture.plan().requests.contains { $0.type == .started })
    }
}

/// The sample cohorts' declaration bodies, as `report completion --format dfe-json` and
/// `dfe submit` make them, against the published request schema.
struct SampleCohortDeclarationTests {
    @Test(arguments: ["2025-autumn", "2026-spring"])
    func theSampleCohortsBodiesValidateAgainstTheRequestSchema(cohortID: String) throws {
        let copy = try TestSupport.temporaryDirectory("senco-sample")
        let root = copy.appendingPathComponent("store")
        try FileManager.default.copyItem(at: TestSupport.sampleStore, to: root)
        let schemas = try TestSupport.schemas()
        let framework = try #require(try TestSupport.library().framework(withID: "npq-senco-2023"))
        let store = DirectoryStore(root: root, schemas: schemas, summaryFramework: framework)
        let cohort = try store.cohort(cohortID)
        var plan = DeclarationPlanner.Plan()
        for id in try store.participantIDs(inCohort: cohortID) {
            plan.add(
                DeclarationPlanner.plan(
                    portfolio: try store.portfolio(id), cohort: cohort, framework: framework, rules: schemas.rules,
                    policy: DeclarationPolicy(), now: Date()))
        }
        if cohortID == "2025-autumn" { #expect(!plan.requests.isEmpty, "the autumn sample has ready milestones") }
        for request in plan.requests {
            let (attributes, problems) = DeclarationRequestSchema.check(request.body)
            #expect(problems.isEmpty, "\(request.participant) \(request.type): \(problems)")
            #expect(attributes["participant_id"] as? String != request.participant, "the DfE's id, never senco's")
            #expect(request.date <= Date())
        }
        for line in plan.held { #expect(line.hasPrefix("p-"), "held lines name the participant by id: \(line)") }
    }
}
