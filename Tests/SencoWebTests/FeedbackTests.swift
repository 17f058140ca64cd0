import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// The participant's feedback page: status, the tutor's feedback and the history per statement,
/// the return note, the sign-off outcome and a fail's reason, and a link from each gap to a new
/// evidence form with the statement chosen. In the fixture p-demo-02 (participant-2's, tutored
/// by "tutor") is in review with 1.1 and 1.2 met and 1.3 partially met with feedback.
@Suite struct FeedbackTests {
    static let judgedFeedback = "Say more about what you would change."

    @Test func aParticipantReadsTheirTutorsFeedbackAndItsHistory() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant-2")
            let portfolio = String(buffer: try await participant.get(client, "/portfolios/p-demo-02").body)
            #expect(portfolio.contains("href=\"/portfolios/p-demo-02/feedback\""), "linked from the portfolio page")
            let response = try await participant.get(client, "/portfolios/p-demo-02/feedback")
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(html.contains("Feedback on my portfolio"))
            #expect(html.contains(Self.judgedFeedback))
            #expect(html.contains("partially met"))
            #expect(html.contains("Dr Grace Okafor (tutor)"))
            #expect(html.contains("History of judgements of 1.3 (1)"))
            #expect(!html.contains("/evidence/new?statement="), "in review: nothing can be added, so no gap links")
        }
    }

    @Test func aReturnedPortfolioShowsTheNoteTheHistoryAndLinksEachGapToANewEvidenceForm() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var tutor = try await Browser.signIn(client, as: "tutor")
            try await tutor.get(client, "/portfolios/p-demo-02/review/1.3")
            let judged = try await tutor.post(
                client, "/portfolios/p-demo-02/review/1.3",
                [("revision", "1"), ("status", "not-met"), ("feedback", "Now say what changed & for whom <pupils>.")])
            #expect(judged.status == .seeOther)
            try await tutor.get(client, "/portfolios/p-demo-02/review")
            let returned = try await tutor.post(
                client, "/portfolios/p-demo-02/return",
                [("revision", "2"), ("feedback", "Please add a case study for section 1.")])
            #expect(returned.status == .seeOther)

            var participant = try await Browser.signIn(client, as: "participant-2")
            let html = String(buffer: try await participant.get(client, "/portfolios/p-demo-02/feedback").body)
            #expect(html.contains("Please add a case study for section 1."), "the return note")
            #expect(
                html.contains("Now say what changed &amp; for whom &lt;pupils&gt;."), "the latest feedback, escaped")
            #expect(html.contains("History of judgements of 1.3 (2)"))
            #expect(html.contains(Self.judgedFeedback), "the earlier feedback is in the history")
            #expect(
                html.contains("href=\"/portfolios/p-demo-02/evidence/new?statement=1.3\""),
                "a gap links to a new evidence form")
            #expect(!html.contains("evidence/new?statement=1.1\""), "a met statement is not a gap")
            let form = String(
                buffer: try await participant.get(client, "/portfolios/p-demo-02/evidence/new?statement=1.3").body)
            #expect(form.contains("value=\"1.3\" id=\"st-1-3\" checked"), "the statement is chosen")
        }
    }

    @Test func aFailedSignOffShowsTheOutcomeAndTheReason() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var tutor = try await Browser.signIn(client, as: "tutor")
            try await tutor.get(client, "/portfolios/p-demo-02/review")
            let signed = try await tutor.post(
                client, "/portfolios/p-demo-02/signoff",
                [("revision", "1"), ("outcome", "failed"), ("reason", "Left the school before the final assessment.")])
            #expect(signed.status == .seeOther)
            var participant = try await Browser.signIn(client, as: "participant-2")
            let html = String(buffer: try await participant.get(client, "/portfolios/p-demo-02/feedback").body)
            #expect(html.contains("failed"))
            #expect(html.contains("Left the school before the final assessment."))
        }
    }

    @Test func oneSectionAtATime() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let html = String(
                buffer: try await participant.get(client, "/portfolios/p-demo-01/feedback?section=2").body)
            #expect(html.contains("<h2>Section 2."))
            #expect(!html.contains("<h2>Section 1."))
            #expect(html.contains("aria-current=\"page\">Section 2</a>"))
            #expect(
                html.contains("href=\"/portfolios/p-demo-01/evidence/new?statement=2.1\""),
                "a draft's gaps link to new evidence")
            let all = String(
                buffer: try await participant.get(client, "/portfolios/p-demo-01/feedback?section=99").body)
            #expect(
                all.contains("<h2>Section 1.") && all.contains("<h2>Section 8."), "an unknown section shows them all")
        }
    }
}
