import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import Testing

/// Portfolio schema version 2: the DfE identity and declaration records round-trip through the
/// schema; version 1 documents still read; a version 1 document cannot claim version 2's parts.
struct DfEIdentityCodecTests {
    static let uuid = "db3a7848-7308-4879-942a-c4a70ced400a"

    func portfolio() -> Portfolio {
        var participant = TestSupport.participant()
        participant.dfe = DfEIdentity(
            participantID: Self.uuid, schedule: "npq-leadership-spring", cohort: 2025,
            deliveryPartner: "524df095-f9bf-4f9d-ba4c-772545a99e60", fundedPlace: false, trainingStatus: .deferred)
        let at = Date(timeIntervalSince1970: 1_760_000_000)
        return Portfolio(
            revision: 3, participant: participant, frameworks: ["npq-senco-2023"], stateSince: at,
            log: [
                .activity(
                    Activity(
                        at: at, by: "senco", role: .system, action: Portfolio.declaredAction, note: "declared & <sent>",
                        declaration: DeclarationRecord(
                            type: .retained1, dfeID: "d0b4a32e-a272-489e-b30a-cb17131457fc", state: "eligible")))
            ])
    }

    @Test func theDfEIdentityAndDeclarationRecordsRoundTripThroughTheSchema() throws {
        let schemas = try TestSupport.schemas()
        let original = portfolio()
        let data = try PortfolioCodec.encode(original)
        #expect(String(decoding: data, as: UTF8.self).contains("schemaVersion=\"2\""))
        let read = try schemas.readPortfolio(data, source: "p.xml")
        #expect(read == original)
        #expect(read.isDeclared(.retained1) && !read.isDeclared(.started))
    }

    /// The training status's date and reason, a withdrawal kept to send, a status the DfE
    /// recorded, an outcome and a retired participant id, all through the schema and back.
    @Test func theDfEsStatusesOutcomesAndMergedIDsRoundTripThroughTheSchema() throws {
        let schemas = try TestSupport.schemas()
        var original = portfolio()
        let at = Date(timeIntervalSince1970: 1_760_000_000)
        original.participant.dfe?.statusSince = at
        original.participant.dfe?.statusReason = "quality-of-programme-structure-not-suitable."
        original.log += [
            .activity(
                Activity(
                    at: at, by: "t-one", role: .provider, action: "withdrawn", note: "Withdrawn",
                    trainingStatus: TrainingStatusRecord(status: .withdrawn, reason: "change-in-career"))),
            .activity(
                Activity(
                    at: at, by: "senco", role: .system, action: Portfolio.dfeStatusAction, note: "withdraw sent",
                    trainingStatus: TrainingStatusRecord(status: .withdrawn, since: at, reason: "change-in-career"))),
            .activity(
                Activity(
                    at: at, by: "senco", role: .system, action: Portfolio.dfeOutcomeAction,
                    dfeOutcome: OutcomeRecord(
                        state: "voided", completionDate: Day("2026-01-15")!,
                        dfeID: "d0b4a32e-a272-489e-b30a-cb17131457fc"))),
            .activity(
                Activity(
                    at: at, by: "senco", role: .system, action: Portfolio.dfeIdentityAction,
                    previousDfEID: "23dd8d66-e11f-4139-9001-86b4f9abcb02")),
        ]
        let read = try schemas.readPortfolio(try PortfolioCodec.encode(original), source: "p.xml")
        #expect(read == original)
        #expect(read.dfeOutcome?.state == "voided")
        #expect(read.retiredDfEIDs == ["23dd8d66-e11f-4139-9001-86b4f9abcb02"])
        let framework = try #require(try TestSupport.library().framework(withID: "npq-senco-2023"))
        let summary = PortfolioSummary(portfolio: read, framework: framework, rules: schemas.rules)
        #expect(
            try schemas.readSummary(try PortfolioCodec.encode(summary), source: "s.xml").participant == read.participant
        )
        // A made-up reason is refused by the schema.
        let text = String(decoding: try PortfolioCodec.encode(original), as: UTF8.self)
            .replacingOccurrences(of: "dfeReason=\"change-in-career\"", with: "dfeReason=\"Change in career!\"")
        #expect(throws: (any Error).self) { try schemas.readPortfolio(Data(text.utf8), source: "p.xml") }
    }

    @Test func theSummaryCarriesTheDfEIdentity() throws {
        let schemas = try TestSupport.schemas()
        let framework = try #require(try TestSupport.library().framework(withID: "npq-senco-2023"))
        let summary = PortfolioSummary(portfolio: portfolio(), framework: framework, rules: schemas.rules)
        let read = try schemas.readSummary(try PortfolioCodec.encode(summary), source: "s.xml")
        #expect(read.participant.dfe == portfolio().participant.dfe)
        #expect(
            read.declared == [
                DeclarationRecord(type: .retained1, dfeID: "d0b4a32e-a272-489e-b30a-cb17131457fc", state: "eligible")
            ])
        #expect(CompletionReport.row(for: read).declarations.map(\.dfeState) == [nil, "eligible", nil, nil])
    }

    @Test func aCohortKeepsItsDfEDefaults() throws {
        let schemas = try TestSupport.schemas()
        var cohort = TestSupport.cohort()
        cohort.dfe = Cohort.DfEDefaults(schedule: "npq-leadership-autumn", cohort: 2025)
        #expect(try schemas.readCohort(try PortfolioCodec.encode(cohort), source: "c.xml") == cohort)
        let plain = TestSupport.cohort()
        #expect(try schemas.readCohort(try PortfolioCodec.encode(plain), source: "c.xml") == plain)
    }

    @Test func aVersionOneDocumentStillReads() throws {
        let schemas = try TestSupport.schemas()
        var old = portfolio()
        old.participant.dfe = nil
        old.log = []
        let text = String(decoding: try PortfolioCodec.encode(old), as: UTF8.self).replacingOccurrences(
            of: "schemaVersion=\"2\"", with: "schemaVersion=\"1\"")
        #expect(try schemas.readPortfolio(Data(text.utf8), source: "old.xml") == old)
    }

    @Test func aVersionOneDocumentCannotHoldVersionTwosParts() throws {
        let schemas = try TestSupport.schemas()
        let text = String(decoding: try PortfolioCodec.encode(portfolio()), as: UTF8.self).replacingOccurrences(
            of: "schemaVersion=\"2\"", with: "schemaVersion=\"1\"")
        let error = #expect(throws: DataError.self) { try schemas.readPortfolio(Data(text.utf8), source: "old.xml") }
        #expect(error?.description.contains("<dfe> needs schemaVersion 2") == true, "\(error?.description ?? "")")
    }

    @Test(arguments: [
        ("participantId=\"db3a7848-7308-4879-942a-c4a70ced400a\"", "participantId=\"p-01\""),
        ("schedule=\"npq-leadership-spring\"", "schedule=\"npq-aso-march\""),
        ("cohort=\"2025\"", "cohort=\"1999\""),
        ("trainingStatus=\"deferred\"", "trainingStatus=\"paused\""),
        ("declarationState=\"eligible\"", "declarationState=\"approved\""),
    ])
    func theSchemaRefusesAMalformedDfEValue(good: String, bad: String) throws {
        let schemas = try TestSupport.schemas()
        let text = String(decoding: try PortfolioCodec.encode(portfolio()), as: UTF8.self)
        #expect(text.contains(good))
        #expect(throws: DataError.self) {
            try schemas.readPortfolio(Data(text.replacingOccurrences(of: good, with: bad).utf8), source: "p.xml")
        }
    }

    @Test func identitiesAreValidated() {
        #expect(DfEIdentity.uuidProblem(Self.uuid, field: "--dfe-id") == nil)
        #expect(DfEIdentity.uuidProblem(Self.uuid.uppercased(), field: "--dfe-id") == nil)
        for bad in [
            "", "p-01", "db3a7848730848799 42ac4a70ced400a", "db3a7848-7308-4879-942a-c4a70ced400g", Self.uuid + "0",
        ] {
            #expect(DfEIdentity.uuidProblem(bad, field: "--dfe-id")?.hasPrefix("--dfe-id ") == true, "\(bad)")
        }
        #expect(DfEIdentity.scheduleProblem("npq-specialist-autumn", field: "--schedule") != nil)
        #expect(DfEIdentity.cohortProblem(2020, field: "--dfe-cohort") != nil)
        #expect(DfEIdentity.cohortProblem(2025, field: "--dfe-cohort", today: Day("2025-06-01")!) == nil)
    }
}
