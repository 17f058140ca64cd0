import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// The provider reopens, withdraws and draws a moderation sample in the browser, by the CLI's
/// rules; a refused form comes back with what was typed; nobody else can.
@Suite struct ProviderWorkflowTests {
    @Test func onlyTheProviderSeesOrUsesTheWorkflowPages() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            for user in ["participant", "tutor", "moderator"] {
                var browser = try await Browser.signIn(client, as: user)
                #expect(try await browser.get(client, "/provider/portfolios/p-demo-01/workflow").status == .forbidden, "\(user)")
                #expect(try await browser.get(client, "/provider/cohorts/demo-cohort/moderation/new").status == .forbidden, "\(user)")
                _ = try await browser.get(client, "/login")
                let before = TestSupport.snapshot(fixture.root)
                #expect(try await browser.post(client, "/provider/portfolios/p-demo-01/withdraw", [("revision", "1"), ("reason", "x")]).status == .forbidden)
                #expect(try await browser.post(client, "/provider/cohorts/demo-cohort/moderation", [("rate", "100"), ("minimum", "1"), ("plan", "p")]).status == .forbidden)
                #expect(TestSupport.snapshot(fixture.root) == before, "nothing written")
            }
            var provider = try await Browser.signIn(client, as: "provider")
            _ = try await provider.get(client, "/provider/portfolios/p-demo-01/workflow")
            let before = TestSupport.snapshot(fixture.root)
            for path in ["/provider/portfolios/p-demo-01/withdraw", "/provider/portfolios/p-demo-01/reopen", "/provider/cohorts/demo-cohort/moderation"] {
                let forged = try await provider.post(client, path, [("revision", "1"), ("reason", "x"), ("rate", "100"), ("minimum", "1"), ("plan", "x")], omitCSRF: true)
                #expect(forged.status == .forbidden, "\(path) without the CSRF token")
            }
            #expect(TestSupport.snapshot(fixture.root) == before)
            #expect(try await provider.get(client, "/provider/portfolios/p-nobody/workflow").status == .notFound)
            #expect(try await provider.get(client, "/provider/cohorts/no-cohort/moderation/new").status == .notFound)
        }
    }

    @Test func withdrawThenReopenNeedReasonsAndKeepWhatWasTyped() async throws {
        let fixture = try WebFixture()
        let opened = try fixture.store.portfolio("p-demo-01")
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let page = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-01/workflow").body)
            #expect(page.contains("Withdraw the participant"))
            #expect(!page.contains("Reopen the signed-off portfolio"))

            let before = TestSupport.snapshot(fixture.root)
            let empty = try await provider.post(client, "/provider/portfolios/p-demo-01/withdraw", [("revision", String(opened.revision)), ("reason", "  ")])
            #expect(empty.status == .unprocessableContent)
            #expect(String(buffer: empty.body).contains("href=\"#withdraw-reason\""))
            #expect(TestSupport.snapshot(fixture.root) == before)

            // The DfE's own reason is needed too: missing or not one of the API's, refused, with
            // both reasons kept and nothing stored.
            for (dfeReason, message) in [("", "Choose the DfE&#39;s reason"), ("moved-away", "Choose one of the DfE&#39;s reasons")] {
                let refused = try await provider.post(
                    client, "/provider/portfolios/p-demo-01/withdraw",
                    [("revision", String(opened.revision)), ("reason", "Moved school"), ("dfeReason", dfeReason)])
                #expect(refused.status == .unprocessableContent)
                let html = String(buffer: refused.body)
                #expect(html.contains("href=\"#dfe-reason\""))
                #expect(html.contains(message))
                #expect(html.contains(">Moved school</textarea>"), "the reason is kept")
                #expect(TestSupport.snapshot(fixture.root) == before)
            }
            let unchosen = try await provider.post(
                client, "/provider/portfolios/p-demo-01/withdraw",
                [("revision", String(opened.revision)), ("reason", ""), ("dfeReason", "change-in-career")])
            #expect(String(buffer: unchosen.body).contains(#"<option value="change-in-career" selected>Change in career</option>"#))

            let stale = try await provider.post(
                client, "/provider/portfolios/p-demo-01/withdraw",
                [("revision", String(opened.revision - 1)), ("reason", "Moved school"), ("dfeReason", "personal-reason-moving-school")])
            #expect(stale.status == .conflict)
            #expect(String(buffer: stale.body).contains("Moved school"), "the reason is kept")
            #expect(TestSupport.snapshot(fixture.root) == before)

            let done = try await provider.post(
                client, "/provider/portfolios/p-demo-01/withdraw",
                [("revision", String(opened.revision)), ("reason", "Moved school"), ("dfeReason", "personal-reason-moving-school")])
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == "/provider/cohorts/demo-cohort")
            let withdrawnPortfolio = try fixture.store.portfolio("p-demo-01")
            #expect(withdrawnPortfolio.state == .withdrawn)
            let cohortPage = String(buffer: try await provider.get(client, "/provider/cohorts/demo-cohort").body)
            #expect(cohortPage.contains("kept to send from the cohort&#39;s DfE page"))
            #expect(withdrawnPortfolio.pendingDfEWithdrawal == "personal-reason-moving-school", "kept in the log, to send")
            let withdrawn = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-01/workflow").body)
            #expect(withdrawn.contains("cannot be changed"))
            #expect(!withdrawn.contains("action=\"/provider/portfolios/p-demo-01/"), "nothing more to do")
        }
    }

    @Test func aSignedOffPortfolioIsReopenedWithAReason() async throws {
        let fixture = try WebFixture()
        let start = try fixture.store.portfolio("p-demo-02")
        let npq = try #require(fixture.setup.library.framework(withID: "npq-senco-2023"))
        let portfolio = try fixture.store.update("p-demo-02", expectedRevision: start.revision) { (p: inout Portfolio) throws(StoreError) in
            do throws(RuleError) {
                try p.signOff(by: "t-okafor", outcome: .failed, reason: "Not enough evidence yet", framework: npq, at: Date(timeIntervalSince1970: 1_790_000_500))
            } catch { throw StoreError(.invalidInput, error.message) }
        }
        #expect(portfolio.state == .signedOff)
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let page = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-02/workflow").body)
            #expect(page.contains("Reopen the signed-off portfolio"))
            #expect(!page.contains("Withdraw the participant"), "a signed-off portfolio is reopened before a withdrawal")
            let done = try await provider.post(
                client, "/provider/portfolios/p-demo-02/reopen", [("revision", String(portfolio.revision)), ("reason", "Appeal upheld")])
            #expect(done.status == .seeOther)
            let reopened = try fixture.store.portfolio("p-demo-02")
            #expect(reopened.state != .signedOff)
            #expect(reopened.revision == portfolio.revision + 1)
        }
    }

    @Test func aSampleIsDrawnRecordedAndNeverRedrawn() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let form = String(buffer: try await provider.get(client, "/provider/cohorts/demo-cohort/moderation/new").body)
            #expect(form.contains("<option value=\"moderator\">"))

            let before = TestSupport.snapshot(fixture.root)
            let badRate = try await provider.post(
                client, "/provider/cohorts/demo-cohort/moderation", [("rate", "150"), ("minimum", "1"), ("plan", "web-plan"), ("seed", "7")])
            #expect(badRate.status == .unprocessableContent)
            #expect(String(buffer: badRate.body).contains("value=\"150\""), "what was typed is kept")
            #expect(String(buffer: badRate.body).contains("href=\"#rate\""))
            let taken = try await provider.post(
                client, "/provider/cohorts/demo-cohort/moderation", [("rate", "100"), ("minimum", "1"), ("plan", "plan-1"), ("seed", "7")])
            #expect(taken.status == .unprocessableContent)
            #expect(String(buffer: taken.body).contains("already exists"))
            let ownTutor = try await provider.post(
                client, "/provider/cohorts/demo-cohort/moderation",
                [("rate", "100"), ("minimum", "1"), ("plan", "web-plan"), ("seed", "7"), ("moderator", "tutor")])
            #expect(ownTutor.status == .unprocessableContent, "a tutor account is not a moderator")
            #expect(TestSupport.snapshot(fixture.root) == before, "nothing written by a refused form")

            let drawn = try await provider.post(
                client, "/provider/cohorts/demo-cohort/moderation",
                [("rate", "100"), ("minimum", "1"), ("plan", "web-plan"), ("seed", "7"), ("moderator", "moderator")])
            #expect(drawn.status == .seeOther)
            #expect(drawn.headers[.location] == "/moderation-reports/web-plan")
            let plan = try fixture.store.plan("web-plan")
            #expect(!plan.entries.isEmpty)
            #expect(plan.entries.allSatisfy { $0.moderator == "moderator" })
            let again = try Moderation.plan(
                id: "web-plan", cohort: "demo-cohort", portfolios: try fixture.store.portfolios(inCohort: "demo-cohort"), rate: 100,
                minimumPerTutor: 1, seed: 7, by: "provider", at: plan.created)
            #expect(again.entries.map(\.participant) == plan.entries.map(\.participant), "the CLI's draw for the same seed")
        }
    }
}
