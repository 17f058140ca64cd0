import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoExport
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// The agreement report of a moderation plan as a page and as CSV: the numbers of
/// `SencoCore.ModerationReport` (what `senco moderation report` prints), every disagreement
/// with its resolution, kept between views and made again after a sampled portfolio changes.
/// In the fixture plan-1 samples p-demo-02 (t-okafor: 1.1 and 1.2 met, 1.3 partially met) and
/// p-demo-03 (t-bell, the same marks) for "moderator".
@Suite struct AgreementReportPageTests {
    /// Second marks: p-demo-02 agrees on 1.1 and differs on 1.3; p-demo-03 differs on 1.2.
    static func secondMark(_ fixture: WebFixture) throws {
        let frameworks = try TestSupport.library().frameworks
        let at = fixture.clock.now
        for (participant, marks) in [
            ("p-demo-02", [("1.1", JudgementStatus.met), ("1.3", .notMet)]), ("p-demo-03", [("1.2", .notMet)]),
        ] {
            let revision = try fixture.store.portfolio(participant).revision
            try fixture.store.update(participant, expectedRevision: revision) {
                (p: inout Portfolio) throws(StoreError) in
                for (statement, status) in marks {
                    do throws(RuleError) {
                        try p.secondMark(
                            statement: statement, status: status, feedback: "", moderator: "moderator",
                            frameworks: frameworks, at: at)
                    } catch { throw StoreError(.invalidInput, error.message) }
                }
            }
        }
    }

    static func reconcile(_ fixture: WebFixture, note: String) throws {
        let frameworks = try TestSupport.library().frameworks
        let revision = try fixture.store.portfolio("p-demo-02").revision
        try fixture.store.update("p-demo-02", expectedRevision: revision) { (p: inout Portfolio) throws(StoreError) in
            do throws(RuleError) {
                try p.reconcile(
                    statement: "1.3", status: .partiallyMet, note: note, by: "moderator", role: .moderator,
                    frameworks: frameworks,
                    at: fixture.clock.now)
            } catch { throw StoreError(.invalidInput, error.message) }
        }
    }

    static func report(_ fixture: WebFixture) throws -> ModerationReport {
        let plan = try fixture.store.plan("plan-1")
        return ModerationReport(
            plan: plan, portfolios: try plan.entries.map { try fixture.store.portfolio($0.participant) })
    }

    @Test func thePageShowsAgreementByTutorAndEveryDisagreement() async throws {
        let fixture = try WebFixture()
        try Self.secondMark(fixture)
        let report = try Self.report(fixture)
        let okafor = try #require(report.tutors.first { $0.tutor == "t-okafor" })
        #expect(okafor.statementsDoubleMarked == 2 && okafor.agreements == 1, "the fixture is what the test says")
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let html = String(buffer: try await provider.get(client, "/moderation-reports/plan-1").body)
            #expect(html.contains("<h1>Agreement report: plan plan-1</h1>"))
            #expect(
                html.contains(
                    "<th scope=\"row\">Dr Grace Okafor (t-okafor)</th><td>1</td><td>2</td><td>1</td><td>\(String(format: "%.1f%%", okafor.percentAgreement ?? -1))</td>"
                ))
            #expect(html.contains("<th scope=\"row\">All tutors</th><td>2</td><td>3</td><td>1</td><td>33.3%</td>"))
            #expect(
                html.contains(
                    "<h3 id=\"disagreements-t-okafor\">Dr Grace Okafor (t-okafor): 1 disagreement, 1 not yet agreed</h3>"
                ))
            #expect(
                html.contains(
                    "<h3 id=\"disagreements-t-bell\">Sam Bell (t-bell): 1 disagreement, 1 not yet agreed</h3>"))
            #expect(
                html.contains(
                    "<th scope=\"row\"><a href=\"/portfolios/p-demo-02\">Priya Shah (p-demo-02)</a></th><td>1.3</td><td>partially met</td><td>not met</td><td>not yet agreed</td>"
                ),
                "the provider is taken to the portfolio")
            #expect(html.contains("href=\"/provider/cohorts/demo-cohort\">Back to the cohort"))
            #expect(html.contains("href=\"/moderation-reports/plan-1/agreement.csv\" download"))
            #expect(html.contains("href=\"/moderation-reports/plan-1/disagreements.csv\" download"))

            var moderator = try await Browser.signIn(client, as: "moderator")
            let theirs = String(buffer: try await moderator.get(client, "/moderation-reports/plan-1").body)
            #expect(
                theirs.contains("<a href=\"/moderation/p-demo-02/reconcile\">p-demo-02</a>"),
                "the moderator is taken to reconcile")
            #expect(!theirs.contains("Priya Shah"), "and sees participants by id, as on the moderation pages")
            #expect(!theirs.contains("href=\"/portfolios/"), "and never to the portfolio pages")
            #expect(!theirs.contains("Back to the cohort"))
        }
    }

    @Test func aResolutionShowsAfterReconcilingAndTheCSVFilesAgreeWithTheReport() async throws {
        let fixture = try WebFixture()
        try Self.secondMark(fixture)
        let note = "We agreed on \"partially\" met, = not yet <all> of it,\nafter a talk"
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let before = String(buffer: try await provider.get(client, "/moderation-reports/plan-1").body)
            #expect(before.contains("<td>not yet agreed</td>"))
            try Self.reconcile(fixture, note: note)
            let after = String(buffer: try await provider.get(client, "/moderation-reports/plan-1").body)
            #expect(
                after.contains(
                    "<td>partially met</td><td class=\"prewrap\">We agreed on &quot;partially&quot; met, = not yet &lt;all&gt; of it,\nafter a talk</td>"
                ),
                "a sampled portfolio's change makes the report again")
            #expect(after.contains("Dr Grace Okafor (t-okafor): 1 disagreement, 0 not yet agreed"))

            let report = try Self.report(fixture)
            let names = ["t-okafor": "Dr Grace Okafor", "t-bell": "Sam Bell"]
            let agreement = try await provider.get(client, "/moderation-reports/plan-1/agreement.csv")
            #expect(agreement.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(agreement.headers[.contentDisposition] == "attachment; filename=\"agreement-plan-1.csv\"")
            #expect(String(buffer: agreement.body) == ModerationReportRenderer.agreementCSV(report, tutorNames: names))
            let disagreements = String(
                buffer: try await provider.get(client, "/moderation-reports/plan-1/disagreements.csv").body)
            #expect(disagreements == ModerationReportRenderer.disagreementsCSV(report, tutorNames: names))
            #expect(
                disagreements.contains(
                    "p-demo-02,1.3,partially-met,not-met,partially-met,\"We agreed on \"\"partially\"\" met"))
            #expect(disagreements.contains("p-demo-03,1.2,met,not-met,,"))
        }
    }

    @Test func aPlanWithNothingDoubleMarkedSaysSo() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var moderator = try await Browser.signIn(client, as: "moderator")
            let html = String(buffer: try await moderator.get(client, "/moderation-reports/plan-1").body)
            #expect(html.contains("nothing double-marked yet"))
            #expect(html.contains("not defined"))
            #expect(html.contains("Nothing has been double-marked yet."))
            let csv = String(
                buffer: try await moderator.get(client, "/moderation-reports/plan-1/disagreements.csv").body)
            #expect(csv == "plan,tutor,tutor_name,participant,statement,first_mark,second_mark,agreed,note\r\n")
        }
    }
}
