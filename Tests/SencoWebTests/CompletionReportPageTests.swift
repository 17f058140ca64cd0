import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// The completion report as a page: the rows the downloads hold, 50 a page, filtered as the
/// cohort page is, with the downloads beside it; and the links to it.
@Suite struct CompletionReportPageTests {
    static let path = "/provider/cohorts/demo-cohort/completion"

    @Test func pagesFiftyAtATimeAndTheLinksKeepTheFilters() async throws {
        let fixture = try CohortPagingTests.bigFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let first = String(buffer: try await provider.get(client, Self.path).body)
            #expect(CohortPagingTests.rows(first).count == 50)
            #expect(first.contains("Showing 1 to 50 of 123 participants."))
            #expect(first.contains("123 participants:"), "counts are for the whole cohort")
            #expect(first.contains("href=\"\(Self.path)?page=2\" rel=\"next\""))
            #expect(first.contains("<nav class=\"pagination\" aria-label=\"Pages of the completion report\">"))
            for format in ["csv", "html", "xml", "json"] {
                #expect(
                    first.contains("href=\"/provider/cohorts/demo-cohort/completion/\(format)\" download"),
                    "the \(format) download")
            }
            var all: [String] = []
            for page in 1...3 {
                all += CohortPagingTests.rows(
                    String(buffer: try await provider.get(client, "\(Self.path)?page=\(page)").body))
            }
            #expect(
                all == (try fixture.store.participantIDs(inCohort: "demo-cohort")), "every participant once, in order")

            let bell = String(buffer: try await provider.get(client, "\(Self.path)?tutor=t-bell&q=bulk").body)
            #expect(bell.contains("Showing 1 to 50 of 60 participants."))
            #expect(bell.contains("href=\"\(Self.path)?q=bulk&amp;tutor=t-bell&amp;page=2\" rel=\"next\""))
            #expect(bell.contains("<option value=\"t-bell\" selected>"))
            #expect(bell.contains("value=\"bulk\""), "the search box keeps what was typed")

            let submitted = String(buffer: try await provider.get(client, "\(Self.path)?state=submitted").body)
            let expected = try fixture.store.portfolios(inCohort: "demo-cohort")
                .filter { $0.state == .submitted || $0.state == .inReview }.map(\.id)
            #expect(!expected.isEmpty)
            #expect(CohortPagingTests.rows(submitted) == expected)

            let none = String(buffer: try await provider.get(client, "\(Self.path)?q=nobody-by-this-name").body)
            #expect(none.contains("No participants match."))
            #expect(!none.contains("<table"))
            #expect(none.contains("href=\"\(Self.path)#participants\">Clear filters"))
        }
    }

    /// Every number on the page is the completion report's own, worked out here from each
    /// portfolio (not from summaries) by `CompletionReport.row`.
    @Test func eachRowShowsWhatTheReportHoldsForThatParticipant() async throws {
        let fixture = try WebFixture()
        let today = Day(fixture.clock.now)
        let npq = try #require(try TestSupport.library().framework(withID: "npq-senco-2023"))
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let html = String(buffer: try await provider.get(client, Self.path).body)
            for portfolio in try fixture.store.portfolios(inCohort: "demo-cohort") {
                let row = CompletionReport.row(
                    for: portfolio, framework: npq, rules: fixture.store.schemas.rules, today: today)
                let t = row.total
                #expect(
                    html.contains(
                        "<td>\(row.state.label)</td><td>\(row.outcome?.rawValue ?? "none yet")</td><td>\(t.evidenced) of \(t.total)</td><td>\(t.sufficient) of \(t.total)</td><td>\(t.met) of \(t.total)</td>"
                    ),
                    "\(portfolio.id)'s totals")
                let sections = row.sections.map { s in
                    "<td>\(s.learnThat.evidenced + s.learnHowTo.evidenced) of \(s.learnThat.total + s.learnHowTo.total)<br><span class=\"hint\">\(s.learnThat.sufficient + s.learnHowTo.sufficient) sufficient, \(s.learnThat.met + s.learnHowTo.met) met</span></td>"
                }.joined()
                #expect(
                    html.contains("<th scope=\"row\">\(portfolio.participant.name)</th>\(sections)</tr>"),
                    "\(portfolio.id)'s sections")
                let started = try #require(row.declarations.first)
                #expect(started.status == .ready, "every demo participant has evidence")
                let date = Day(try #require(started.date)).description
                #expect(
                    html.contains("<th scope=\"row\">\(portfolio.participant.name)</th><td>ready, \(date)</td>"),
                    "\(portfolio.id)'s started declaration")
            }
            #expect(html.contains("Section 8: "), "the sections are named")
        }
    }

    /// The page reads summaries, which follow every change: a change shows at once.
    @Test func aChangeShowsOnTheNextView() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let before = String(buffer: try await provider.get(client, Self.path).body)
            #expect(before.contains("Alex Rivers"))
            let portfolio = try fixture.store.portfolio("p-demo-01")
            try fixture.store.update("p-demo-01", expectedRevision: portfolio.revision) {
                (p: inout Portfolio) throws(StoreError) in
                p.participant.name = "Alexandra <Rivers> & Co"
            }
            let after = String(buffer: try await provider.get(client, Self.path).body)
            #expect(after.contains("Alexandra &lt;Rivers&gt; &amp; Co"), "escaped, and current")
            #expect(!after.contains("Alex Rivers"))
        }
    }

    @Test func theProvidersHomeAndTheCohortPageLinkToTheReports() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let home = String(buffer: try await provider.get(client, "/provider").body)
            let cohort = String(buffer: try await provider.get(client, "/provider/cohorts/demo-cohort").body)
            for page in [home, cohort] {
                #expect(page.contains("href=\"/provider/cohorts/demo-cohort/completion\""))
                #expect(page.contains("href=\"/provider/cohorts/demo-cohort/national-award\""))
                #expect(page.contains("href=\"/provider/cohorts/demo-cohort/moderation\""))
            }
            let moderation = String(
                buffer: try await provider.get(client, "/provider/cohorts/demo-cohort/moderation").body)
            #expect(moderation.contains("<a href=\"/moderation-reports/plan-1\">Agreement report for plan plan-1</a>"))
            #expect(moderation.contains("href=\"/provider/cohorts/demo-cohort/moderation/new\""))
        }
    }

    @Test func aCohortWithoutSamplesSaysSo() async throws {
        let fixture = try WebFixture()
        try fixture.store.createCohort(
            Cohort(
                id: "empty-cohort", title: "Empty", provider: "P", start: Day("2026-01-05")!,
                tutors: [.init(id: "t-x", name: "X")]))
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let moderation = String(
                buffer: try await provider.get(client, "/provider/cohorts/empty-cohort/moderation").body)
            #expect(moderation.contains("No sample has been drawn for this cohort yet."))
            let report = String(
                buffer: try await provider.get(client, "/provider/cohorts/empty-cohort/completion").body)
            #expect(report.contains("No participants in this cohort yet."))
            #expect(!report.contains("<table"))
        }
    }
}
