import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// A cohort of a real size on the provider's dashboard: 50 participants a page, counts for the
/// whole cohort, and filters (state, tutor, a search on name or id) that the page links keep.
@Suite struct CohortPagingTests {
    /// The demo cohort's 3 participants and 120 more (`p-bulk-000`…), alternately each tutor's.
    static func bigFixture() throws -> WebFixture {
        let fixture = try WebFixture()
        let since = Date(timeIntervalSince1970: 1_790_000_000)
        for n in 0..<120 {
            var participant = TestSupport.participant(String(format: "p-bulk-%03d", n), cohort: "demo-cohort")
            participant.name = n == 77 ? "Zanele O’Brien" : "Bulk Person \(n)"
            participant.tutor = n.isMultiple(of: 2) ? "t-okafor" : "t-bell"
            try fixture.store.create(Portfolio(participant: participant, frameworks: ["npq-senco-2023"], stateSince: since))
        }
        return fixture
    }

    static func rows(_ page: String) -> [String] {
        page.components(separatedBy: "<th scope=\"row\"><a href=\"/portfolios/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func fiftyAPageWithLinksToTheOthers() async throws {
        let fixture = try Self.bigFixture()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "provider")
            let first = String(buffer: try await browser.get(client, "/provider/cohorts/demo-cohort").body)
            #expect(Self.rows(first).count == 50)
            #expect(first.contains("Showing 1 to 50 of 123 participants."))
            #expect(first.contains("123 participants:"), "counts are for the whole cohort")
            #expect(first.contains("href=\"/provider/cohorts/demo-cohort?page=2\" rel=\"next\""))
            #expect(first.contains("aria-current=\"page\">Page 1<"))
            #expect(!first.contains("rel=\"prev\""))

            let last = String(buffer: try await browser.get(client, "/provider/cohorts/demo-cohort?page=3").body)
            #expect(Self.rows(last).count == 23)
            #expect(last.contains("Showing 101 to 123 of 123 participants."))
            #expect(last.contains("rel=\"prev\""))
            #expect(!last.contains("rel=\"next\""))

            let beyond = String(buffer: try await browser.get(client, "/provider/cohorts/demo-cohort?page=999").body)
            #expect(Self.rows(beyond) == Self.rows(last), "a page past the end shows the last")
            let nonsense = String(buffer: try await browser.get(client, "/provider/cohorts/demo-cohort?page=abc").body)
            #expect(Self.rows(nonsense) == Self.rows(first))

            var all: [String] = []
            for page in 1...3 {
                all += Self.rows(String(buffer: try await browser.get(client, "/provider/cohorts/demo-cohort?page=\(page)").body))
            }
            #expect(all == (try fixture.store.participantIDs(inCohort: "demo-cohort")), "every participant once, in order")
        }
    }

    @Test func filtersNarrowTheListAndThePageLinksKeepThem() async throws {
        let fixture = try Self.bigFixture()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "provider")
            let found = String(buffer: try await browser.get(client, "/provider/cohorts/demo-cohort?q=o%E2%80%99brien").body)
            #expect(Self.rows(found) == ["p-bulk-077"], "a search ignores case and finds typographic apostrophes")
            #expect(found.contains("1 participant."))
            #expect(found.contains("value=\"o’brien\""), "the search box keeps what was typed")

            let byID = String(buffer: try await browser.get(client, "/provider/cohorts/demo-cohort?q=P-BULK-11").body)
            #expect(Self.rows(byID) == (110..<120).map { String(format: "p-bulk-%03d", $0) })

            let bell = String(buffer: try await browser.get(client, "/provider/cohorts/demo-cohort?tutor=t-bell&q=bulk").body)
            #expect(bell.contains("Showing 1 to 50 of 60 participants."))
            #expect(bell.contains("href=\"/provider/cohorts/demo-cohort?q=bulk&amp;tutor=t-bell&amp;page=2\" rel=\"next\""))
            #expect(bell.contains("<option value=\"t-bell\" selected>"))
            let bellAll = Self.rows(bell) + Self.rows(String(buffer: try await browser.get(client, "/provider/cohorts/demo-cohort?q=bulk&tutor=t-bell&page=2").body))
            #expect(bellAll == stride(from: 1, to: 120, by: 2).map { String(format: "p-bulk-%03d", $0) })

            let submitted = String(buffer: try await browser.get(client, "/provider/cohorts/demo-cohort?state=submitted").body)
            let expected = try fixture.store.portfolios(inCohort: "demo-cohort")
                .filter { $0.state == .submitted || $0.state == .inReview }.map(\.id)
            #expect(!expected.isEmpty)
            #expect(Self.rows(submitted) == expected)

            let none = String(buffer: try await browser.get(client, "/provider/cohorts/demo-cohort?q=nobody-by-this-name").body)
            #expect(none.contains("No participants match."))
            #expect(!none.contains("<table"))
            #expect(none.contains("Clear filters"))

            // An unknown state or tutor is no filter at all, never an error page.
            let unknown = try await browser.get(client, "/provider/cohorts/demo-cohort?state=lost&tutor=t-nobody")
            #expect(unknown.status == .ok)
            #expect(Self.rows(String(buffer: unknown.body)).count == 50)
        }
    }

    @Test func theTutorsHomePagesAndShowsThoseWaitingFirstWhenAsked() async throws {
        let fixture = try Self.bigFixture()
        let mine = try fixture.store.portfolios(inCohort: "demo-cohort").filter { $0.participant.tutor == "t-okafor" }
        let waiting = mine.filter { $0.state == .submitted || $0.state == .inReview }.map(\.id)
        #expect(!waiting.isEmpty)
        try await fixture.app().test(.router) { client in
            var tutor = try await Browser.signIn(client, as: "tutor")
            let home = String(buffer: try await tutor.get(client, "/tutor").body)
            #expect(home.contains("You tutor \(mine.count) participants; \(waiting.count) waiting for you."))
            #expect(home.contains("Showing 1 to 50 of \(mine.count) participants."))
            #expect(home.contains("href=\"/tutor?page=2\" rel=\"next\""))
            let only = String(buffer: try await tutor.get(client, "/tutor?waiting=1").body)
            #expect(Self.rows(only) == waiting)
            #expect(only.contains("id=\"waiting\" name=\"waiting\" value=\"1\" checked"))
            let found = String(buffer: try await tutor.get(client, "/tutor?q=p-bulk-00").body)
            #expect(Self.rows(found) == ["p-bulk-000", "p-bulk-002", "p-bulk-004", "p-bulk-006", "p-bulk-008"])
        }
    }
}

/// A completion report is made once and served again until a portfolio of the cohort changes.
struct CompletionFileTests {
    @Test func aReportIsMadeAgainOnlyAfterAChange() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let first = String(buffer: try await provider.get(client, "/provider/cohorts/demo-cohort/completion/csv").body)
            let again = String(buffer: try await provider.get(client, "/provider/cohorts/demo-cohort/completion/csv").body)
            #expect(first == again)
            let before = try fixture.store.portfolio("p-demo-01")
            try fixture.store.update("p-demo-01", expectedRevision: before.revision) { (p: inout Portfolio) throws(StoreError) in
                p.participant.name = "Alexandra Rivers"
            }
            let after = String(buffer: try await provider.get(client, "/provider/cohorts/demo-cohort/completion/csv").body)
            #expect(!first.contains("Alexandra Rivers"))
            #expect(after.contains("Alexandra Rivers"), "a change to any portfolio makes the file again")
            #expect(try await provider.get(client, "/provider/cohorts/demo-cohort/completion/pdf").status == .notFound)
        }
    }
}
