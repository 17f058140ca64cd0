import Foundation
import SencoCore
import SencoTestSupport
import Testing

@testable import SencoExport

/// The agreement report's two CSV files compared with golden files (re-record deliberately with
/// `SENCO_RECORD_GOLDEN=1`), with hostile text in names and notes, and a negative kappa that
/// must stay a number.
struct ModerationReportCSVTests {
    static let at = Date(timeIntervalSince1970: 1_760_000_000)

    static func judgement(_ statement: String, _ status: JudgementStatus, _ kind: Judgement.Kind, note: String = "")
        -> LogEvent
    {
        let (by, role): (String, Role) = kind == .first ? ("t-okafor", .tutor) : ("m-one", .moderator)
        return .judgement(
            Judgement(at: at, by: by, role: role, statement: statement, status: status, kind: kind, feedback: note))
    }

    static func report() -> ModerationReport {
        var a = Portfolio(
            participant: TestSupport.participant("p-a"), frameworks: ["npq-senco-2023"], stateSince: at)
        a.log = [
            judgement("1.1", .met, .first), judgement("1.1", .met, .second),
            judgement("1.2", .met, .first), judgement("1.2", .partiallyMet, .second),
            judgement(
                "1.2", .partiallyMet, .agreed, note: "=SUM(A1) agreed, after a “long” talk & <b>coffee</b>\nSecond line"
            ),
            judgement("1.3", .notMet, .first), judgement("1.3", .met, .second),
        ]
        var b = Portfolio(participant: TestSupport.participant("p-b"), frameworks: ["npq-senco-2023"], stateSince: at)
        b.log = [judgement("2.1", .met, .first), judgement("2.1", .met, .second)]
        let plan = ModerationPlan(
            id: "plan-x", cohort: "test-cohort", rate: 10, minimumPerTutor: 1, seed: 3, created: at,
            createdBy: "provider",
            entries: [
                .init(participant: "p-a", tutor: "t-okafor", borderline: 0.5, moderator: "m-one"),
                .init(participant: "p-b", tutor: "t-bell", borderline: 0, moderator: "m-one"),
            ])
        return ModerationReport(plan: plan, portfolios: [a, b])
    }

    static let names = ["t-okafor": "Dr Grace Okafor, PhD", "t-bell": "=Sam \"Bell\""]

    @Test func agreementByTutorMatchesGolden() throws {
        let csv = ModerationReportRenderer.agreementCSV(Self.report(), tutorNames: Self.names)
        try ExportGoldenTests().compare(Data(csv.utf8), golden: "agreement.csv")
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines.count == 5, "a header, two tutors, all tutors, and the final line break")
        #expect(lines[2].hasSuffix(",3,1,33.3,-0.200,2,1"), "t-okafor: a negative kappa stays a number")
        #expect(lines[1].contains(",\"'=Sam \"\"Bell\"\"\","), "a name that looks like a formula is defused and quoted")
        #expect(lines[3].hasPrefix("plan-x,test-cohort,,all tutors,2,4,2,50.0,"))
    }

    @Test func disagreementsMatchGolden() throws {
        let csv = ModerationReportRenderer.disagreementsCSV(Self.report(), tutorNames: Self.names)
        try ExportGoldenTests().compare(Data(csv.utf8), golden: "disagreements.csv")
        #expect(
            csv.contains("p-a,1.2,met,partially-met,partially-met,\"'=SUM(A1) agreed"), "the resolution and its note")
        #expect(csv.contains("p-a,1.3,not-met,met,,\r\n"), "one not yet agreed has empty cells")
        #expect(!csv.contains("p-b"), "agreements are not listed")
    }
}
