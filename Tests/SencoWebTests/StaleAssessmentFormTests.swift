import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// The tutor's, the moderator's and the provider's forms after someone else changed the
/// portfolio since the page was opened: nothing is stored, 409 with what was typed and what
/// changed (only what that person may see), and a second, deliberate send saves.
@Suite struct StaleAssessmentFormTests {
    static let typed = "Typed in this window: the notes <do not> show the review & the plan."

    @Test func aStaleJudgementListsTheOtherJudgementThenSavesWhenSentAgain() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var tutor = try await Browser.signIn(client, as: "tutor")
            let action = "/portfolios/p-demo-02/review/1.1"
            let opened = String(buffer: try await tutor.get(client, action).body)
            let hidden = try StaleForm.hidden(opened, action: action)
            try StaleForm.judge(fixture, "p-demo-02", "1.1", .notMet, feedback: "Judged in the other window.")
            let before = fixture.snapshot()

            // A rule's refusal first: it keeps the version the form was opened at.
            let ruled = try await tutor.post(client, action, hidden + [("feedback", Self.typed)])
            #expect(ruled.status == .unprocessableContent)
            let ruledForm = try StaleForm.hidden(String(buffer: ruled.body), action: action)
            #expect(StaleForm.value("revision", in: ruledForm) == StaleForm.value("revision", in: hidden))

            let refused = try await tutor.post(
                client, action, ruledForm + [("status", "partially-met"), ("feedback", Self.typed)])
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(fixture.snapshot() == before, "nothing stored")
            #expect(page.contains(Self.typed.htmlEscapedForTest))
            #expect(page.contains("value=\"partially-met\" checked"))
            #expect(
                page.contains(
                    "1.1 judged not met (Dr Grace Okafor): <span class=\"prewrap\">“Judged in the other window.”</span>"
                ))
            #expect(!page.contains("id=\"judgement-error\""), "the conflict is about the form, not the choice")

            let saved = try await tutor.post(
                client, action,
                try StaleForm.hidden(page, action: action) + [("status", "partially-met"), ("feedback", Self.typed)])
            #expect(saved.status == .seeOther)
            #expect(try fixture.store.portfolio("p-demo-02").status(of: "1.1") == .partiallyMet)
        }
    }

    @Test func aJudgementListsTheRestOfThePortfolioWhenItsStatementDidNotChange() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var tutor = try await Browser.signIn(client, as: "tutor")
            let action = "/portfolios/p-demo-02/review/1.1"
            let hidden = try StaleForm.hidden(String(buffer: try await tutor.get(client, action).body), action: action)
            try StaleForm.judge(fixture, "p-demo-02", "1.2", .notMet, feedback: "About another statement.")
            let refused = try await tutor.post(client, action, hidden + [("status", "met"), ("feedback", "")])
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("1.2 judged not met"))
        }
    }

    @Test func aStaleReturnKeepsItsFeedbackListsTheChangeThenReturns() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var tutor = try await Browser.signIn(client, as: "tutor")
            let action = "/portfolios/p-demo-02/return"
            let hidden = try StaleForm.hidden(
                String(buffer: try await tutor.get(client, "/portfolios/p-demo-02/review").body), action: action)
            try StaleForm.judge(fixture, "p-demo-02", "1.3", .met, feedback: "Met after all.")
            let before = fixture.snapshot()
            let refused = try await tutor.post(client, action, hidden + [("feedback", Self.typed)])
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(fixture.snapshot() == before)
            #expect(page.contains(Self.typed.htmlEscapedForTest))
            #expect(page.contains("1.3 judged met"))
            let returned = try await tutor.post(
                client, action, try StaleForm.hidden(page, action: action) + [("feedback", Self.typed)])
            #expect(returned.status == .seeOther)
            #expect(try fixture.store.portfolio("p-demo-02").state == .returned)
        }
    }

    @Test func aStaleSignOffKeepsItsReasonListsTheChangeThenSignsOff() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var tutor = try await Browser.signIn(client, as: "tutor")
            let action = "/portfolios/p-demo-02/signoff"
            let hidden = try StaleForm.hidden(
                String(buffer: try await tutor.get(client, "/portfolios/p-demo-02/review").body), action: action)
            try StaleForm.judge(fixture, "p-demo-02", "1.3", .notMet, feedback: "Not there yet.")
            let before = fixture.snapshot()
            let refused = try await tutor.post(
                client, action, hidden + [("outcome", "failed"), ("reason", Self.typed)])
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(fixture.snapshot() == before)
            #expect(
                page.contains(Self.typed.htmlEscapedForTest)
                    && page.contains("value=\"failed\" aria-describedby=\"outcome-hint\" checked"))
            #expect(page.contains("1.3 judged not met"))
            let signed = try await tutor.post(
                client, action,
                try StaleForm.hidden(page, action: action) + [("outcome", "failed"), ("reason", Self.typed)])
            #expect(signed.status == .seeOther)
            #expect(try fixture.store.portfolio("p-demo-02").state == .signedOff)
        }
    }

    /// Second marking is blind: a first mark made meanwhile is a change the moderator is told
    /// happened, never what it was.
    @Test func aStaleSecondMarkNeverShowsAFirstMarkThenSavesWhenSentAgain() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var moderator = try await Browser.signIn(client, as: "moderator")
            let action = "/moderation/p-demo-02/statements/1.1"
            let hidden = try StaleForm.hidden(
                String(buffer: try await moderator.get(client, action).body), action: action)
            try StaleForm.judge(
                fixture, "p-demo-02", "1.1", .notMet, feedback: "A first mark the moderator must not see.")
            let before = fixture.snapshot()
            let refused = try await moderator.post(
                client, action, hidden + [("status", "met"), ("feedback", Self.typed)])
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(fixture.snapshot() == before)
            #expect(page.contains(Self.typed.htmlEscapedForTest) && page.contains("value=\"met\" checked"))
            #expect(!page.contains("must not see") && !page.contains("judged not met"), "blind")
            #expect(page.contains("Nothing this page shows has changed"))
            let saved = try await moderator.post(
                client, action,
                try StaleForm.hidden(page, action: action) + [("status", "met"), ("feedback", Self.typed)])
            #expect(saved.status == .seeOther)
            #expect(
                try fixture.store.portfolio("p-demo-02").judgements.contains {
                    $0.kind == .second && $0.statement == "1.1"
                })
        }
    }

    @Test func aStaleReconciliationKeepsItsNoteListsTheMarksThenAgrees() async throws {
        let fixture = try WebFixture()
        let frameworks = try TestSupport.library().frameworks
        // 1.1 is first-marked met; the moderator's blind mark disagrees.
        try StaleForm.elsewhere(fixture, "p-demo-02") { p in
            try p.secondMark(
                statement: "1.1", status: .notMet, feedback: "Second look.", moderator: "moderator",
                frameworks: frameworks,
                at: StaleForm.elsewhereTime)
        }
        try await fixture.app().test(.router) { client in
            var moderator = try await Browser.signIn(client, as: "moderator")
            let action = "/moderation/p-demo-02/reconcile/1.1"
            let opened = String(buffer: try await moderator.get(client, "/moderation/p-demo-02/reconcile").body)
            let hidden = try StaleForm.hidden(opened, action: action)
            // Meanwhile the tutor marks 1.1 again, still not agreeing with the second mark.
            try StaleForm.judge(fixture, "p-demo-02", "1.1", .partiallyMet, feedback: "Revised first mark.")
            let before = fixture.snapshot()
            let refused = try await moderator.post(
                client, action, hidden + [("status", "partially-met"), ("note", Self.typed)])
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(fixture.snapshot() == before)
            #expect(page.contains(Self.typed.htmlEscapedForTest))
            #expect(page.contains("1.1 judged partially met"))
            let agreed = try await moderator.post(
                client, action,
                try StaleForm.hidden(page, action: action) + [("status", "partially-met"), ("note", Self.typed)])
            #expect(agreed.status == .seeOther)
            #expect(
                try fixture.store.portfolio("p-demo-02").judgements.contains {
                    $0.kind == .agreed && $0.statement == "1.1"
                })
        }
    }

    @Test func aReconciliationWithoutAnOutcomeKeepsTheNote() async throws {
        let fixture = try WebFixture()
        let frameworks = try TestSupport.library().frameworks
        try StaleForm.elsewhere(fixture, "p-demo-02") { p in
            try p.secondMark(
                statement: "1.1", status: .notMet, feedback: "", moderator: "moderator", frameworks: frameworks,
                at: StaleForm.elsewhereTime)
        }
        try await fixture.app().test(.router) { client in
            var moderator = try await Browser.signIn(client, as: "moderator")
            let action = "/moderation/p-demo-02/reconcile/1.1"
            let hidden = try StaleForm.hidden(
                String(buffer: try await moderator.get(client, "/moderation/p-demo-02/reconcile").body), action: action)
            let refused = try await moderator.post(client, action, hidden + [("note", Self.typed)])
            #expect(refused.status == .unprocessableContent)
            let page = String(buffer: refused.body)
            #expect(page.contains(Self.typed.htmlEscapedForTest))
            #expect(page.contains("href=\"#agree-1-1-status\""))
            #expect(page.contains("id=\"agree-1-1-status-error\""))
        }
    }

    @Test func aStaleReopeningKeepsItsReasonListsTheChangeThenReopens() async throws {
        let fixture = try WebFixture()
        let framework = try #require(try TestSupport.library().framework(withID: "npq-senco-2023"))
        try StaleForm.elsewhere(fixture, "p-demo-02") { p in
            try p.signOff(
                by: "t-okafor", outcome: .failed, reason: "Not enough evidence.", framework: framework,
                at: StaleForm.elsewhereTime)
        }
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let action = "/provider/portfolios/p-demo-02/reopen"
            let hidden = try StaleForm.hidden(
                String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-02/workflow").body),
                action: action)
            try StaleForm.elsewhere(fixture, "p-demo-02") { p in
                p.log.append(
                    .activity(
                        Activity(
                            at: StaleForm.elsewhereTime, by: "t-okafor", role: .tutor, action: "note",
                            note: "A note made in the other window")))
            }
            let before = fixture.snapshot()
            let refused = try await provider.post(client, action, hidden + [("reason", Self.typed), ("dfeReason", "other")])
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(fixture.snapshot() == before)
            #expect(page.contains(Self.typed.htmlEscapedForTest))
            #expect(page.contains("A note made in the other window (Dr Grace Okafor)"))
            let reopened = try await provider.post(
                client, action, try StaleForm.hidden(page, action: action) + [("reason", Self.typed)])
            #expect(reopened.status == .seeOther)
            #expect(try fixture.store.portfolio("p-demo-02").state != .signedOff)
        }
    }

    @Test func aStaleWithdrawalKeepsItsReasonListsTheChangeThenWithdraws() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let action = "/provider/portfolios/p-demo-01/withdraw"
            let hidden = try StaleForm.hidden(
                String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-01/workflow").body),
                action: action)
            try StaleForm.retitle(fixture, to: "Retitled in the other window")
            let before = fixture.snapshot()
            let refused = try await provider.post(client, action, hidden + [("reason", Self.typed), ("dfeReason", "other")])
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(fixture.snapshot() == before)
            #expect(page.contains(Self.typed.htmlEscapedForTest))
            #expect(page.contains("Edited evidence e1 (Alex Rivers)"))
            let withdrawn = try await provider.post(
                client, action, try StaleForm.hidden(page, action: action) + [("reason", Self.typed), ("dfeReason", "other")])
            #expect(withdrawn.status == .seeOther)
            #expect(try fixture.store.portfolio("p-demo-01").state == .withdrawn)
        }
    }
}
