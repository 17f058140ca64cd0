import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// A tutor's form refused because someone else changed the portfolio meanwhile comes back with
/// what was typed and the latest version on the page (409), never an error page that loses the
/// text; saving again from it is then a decision made with the other change in view.
@Suite struct StaleTutorFormTests {
    @Test func aStaleJudgementKeepsTheFeedbackAndShowsTheOtherChange() async throws {
        let fixture = try WebFixture()
        let opened = try fixture.store.portfolio("p-demo-02")
        // Meanwhile, another judgement lands (another tab, or the CLI).
        try fixture.store.update("p-demo-02", expectedRevision: opened.revision) { (p: inout Portfolio) throws(StoreError) in
            do { try p.judge(statement: "1.2", status: .notMet, feedback: "Seen in the other window.", assessor: "t-okafor", role: .tutor, frameworks: try TestSupport.library().frameworks, at: Date(timeIntervalSince1970: 1_790_000_100)) } catch { throw StoreError(.invalidInput, "\(error)") }
        }
        try await fixture.app().test(.router) { client in
            var tutor = try await Browser.signIn(client, as: "tutor")
            _ = try await tutor.get(client, "/portfolios/p-demo-02/review")  // the page the form is on
            let typed = "The observation notes do not show the review meeting."
            let refused = try await tutor.post(
                client, "/portfolios/p-demo-02/review/1.1",
                [("revision", String(opened.revision)), ("status", "not-met"), ("feedback", typed)])
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(page.contains(typed), "the feedback is kept")
            #expect(page.contains("id=\"status-not-met\" name=\"status\" value=\"not-met\" checked"), "and the choice")
            #expect(page.contains("changed after you opened the page"))
            #expect(page.contains("name=\"revision\" value=\"\(opened.revision + 1)\""), "the form now names the latest revision")
            #expect(try fixture.store.portfolio("p-demo-02").status(of: "1.1") == opened.status(of: "1.1"), "nothing saved")
        }
    }

    @Test func aStaleReturnKeepsItsFeedback() async throws {
        let fixture = try WebFixture()
        let opened = try fixture.store.portfolio("p-demo-02")
        try fixture.store.update("p-demo-02", expectedRevision: opened.revision) { (p: inout Portfolio) throws(StoreError) in
            p.stateNote = p.stateNote
        }
        try await fixture.app().test(.router) { client in
            var tutor = try await Browser.signIn(client, as: "tutor")
            _ = try await tutor.get(client, "/portfolios/p-demo-02/review")  // the page the form is on
            let typed = "Add what you changed after the observation."
            let refused = try await tutor.post(
                client, "/portfolios/p-demo-02/return", [("revision", String(opened.revision)), ("feedback", typed)])
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains(typed))
            #expect(try fixture.store.portfolio("p-demo-02").state == opened.state)
        }
    }

    @Test func aSignOffWithoutAnOutcomeKeepsTheReason() async throws {
        let fixture = try WebFixture()
        let opened = try fixture.store.portfolio("p-demo-02")
        try await fixture.app().test(.router) { client in
            var tutor = try await Browser.signIn(client, as: "tutor")
            _ = try await tutor.get(client, "/portfolios/p-demo-02/review")  // the page the form is on
            let refused = try await tutor.post(
                client, "/portfolios/p-demo-02/signoff", [("revision", String(opened.revision)), ("reason", "Kept reason text")])
            #expect(refused.status == .unprocessableContent)
            let page = String(buffer: refused.body)
            #expect(page.contains("Choose passed or failed."))
            #expect(page.contains("Kept reason text"))
            #expect(page.contains("href=\"#outcome-passed\""))
        }
    }
}
