import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoTestSupport
import Testing

@testable import SencoStore
@testable import SencoWeb

/// Lists rendered once are served again while nothing they were made from changed, and never
/// once it has: a change to a portfolio (by anyone) shows on the next view. The store's racy
/// window is shortened to 50 ms here, so that its snapshots are trusted within a test.
@Suite struct KeptListTests {
    static func fixture() throws -> WebFixture {
        let fixture = try WebFixture(snapshots: CohortSnapshots(racyWindow: 50_000_000, maximumAge: 60_000_000_000))
        settle()
        return fixture
    }

    /// Long enough for the store's folders to fall outside the racy window.
    static func settle() { usleep(120_000) }

    static func rename(_ participant: String, to name: String, in fixture: WebFixture) throws {
        let revision = try fixture.store.portfolio(participant).revision
        try fixture.store.update(participant, expectedRevision: revision) { $0.participant.name = name }
    }

    @Test(arguments: [
        ("provider", "/provider/cohorts/demo-cohort"), ("provider", "/provider/cohorts/demo-cohort/completion"),
        ("tutor", "/tutor"),
    ])
    func aListIsServedAgainUntilAPortfolioChanges(user: String, path: String) async throws {
        let fixture = try Self.fixture()
        let kept = fixture.setup.renderedContents
        let participant = try #require(
            try fixture.store.portfolios(inCohort: "demo-cohort").first { $0.participant.tutor == "t-okafor" }?.id)
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: user)
            let first = String(buffer: try await browser.get(client, path).body)
            let again = String(buffer: try await browser.get(client, path).body)
            #expect(kept.hits == 1, "the second view is the kept content")
            #expect(again == first)

            try Self.rename(participant, to: "Renamed & <Checked>", in: fixture)
            let beforeChange = kept.hits
            let changed = String(buffer: try await browser.get(client, path).body)
            #expect(changed.contains("Renamed &amp; &lt;Checked&gt;"), "a change shows on the very next view")
            #expect(kept.hits == beforeChange, "made again, not served from what was kept")

            Self.settle()
            _ = try await browser.get(client, path)
            let beforeRepeat = kept.hits
            let keptAgain = String(buffer: try await browser.get(client, path).body)
            #expect(kept.hits == beforeRepeat + 1)
            #expect(keptAgain.contains("Renamed &amp; &lt;Checked&gt;"))

            // Another filter or page is another list.
            let beforeFilter = kept.hits
            let filtered = String(buffer: try await browser.get(client, path + "?q=Renamed").body)
            #expect(kept.hits == beforeFilter)
            #expect(filtered.contains("Renamed &amp; &lt;Checked&gt;"))
        }
    }

    /// The portfolio page is kept for the same portfolio and viewer, with each session's own
    /// CSRF token put into it: a form on a page served from what was kept still works.
    @Test func aPortfolioPageIsKeptWithEachSessionsOwnToken() async throws {
        let fixture = try Self.fixture()
        let kept = fixture.setup.renderedContents
        try await fixture.app().test(.router) { client in
            var first = try await Browser.signIn(client, as: "participant")
            var second = try await Browser.signIn(client, as: "participant")
            let one = String(buffer: try await first.get(client, "/portfolios/p-demo-01").body)
            let two = String(buffer: try await second.get(client, "/portfolios/p-demo-01").body)
            #expect(kept.hits == 1, "the second session's view is the kept content")
            let tokenOne = try #require(Browser.csrfToken(in: one))
            let tokenTwo = try #require(Browser.csrfToken(in: two))
            #expect(tokenOne != tokenTwo, "each page carries its own session's token")
            #expect(!two.contains(RenderedContents.csrfPlaceholder))
            #expect(
                one.replacingOccurrences(of: tokenOne, with: "T") == two.replacingOccurrences(of: tokenTwo, with: "T"))

            // A form on the kept page is accepted: submitting the portfolio.
            let revision = try fixture.store.portfolio("p-demo-01").revision
            let response = try await second.post(
                client, "/portfolios/p-demo-01/submit",
                [("revision", "\(revision)"), ("logged", "\(try fixture.store.portfolio("p-demo-01").log.count)")])
            #expect(response.status == .seeOther)
            let after = String(buffer: try await second.get(client, "/portfolios/p-demo-01").body)
            #expect(after.contains("Submitted") || after.contains("submitted"), "the change shows on the next view")
            #expect(kept.hits == 1)
        }
    }

    @Test func theDayIsPartOfWhatAListWasMadeFrom() async throws {
        let fixture = try Self.fixture()
        let kept = fixture.setup.renderedContents
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "provider")
            _ = try await browser.get(client, "/provider/cohorts/demo-cohort")
            fixture.clock.advance(24 * 60 * 60)
            _ = try await browser.get(client, "/provider/cohorts/demo-cohort")
            #expect(kept.hits == 0, "declarations fall due with the day")
        }
    }

    @Test(arguments: [
        ("", [""]), ("no marker", ["no marker"]), ("M", ["", ""]), ("aMbMc", ["a", "b", "c"]),
        ("éMMü🧾", ["é", "", "ü🧾"]),
        ("MMM", ["", "", "", ""]),
    ])
    func contentIsCutAtEveryMarker(text: String, parts: [String]) {
        #expect(RenderedContents.Rendered.cut(text, at: "M") == parts)
        #expect(RenderedContents.Rendered.cut(text, at: "M") == text.components(separatedBy: "M"))
    }

    @Test func whatIsKeptIsBounded() {
        let kept = RenderedContents(capacity: 2)
        for key in ["a", "b", "c"] {
            _ = kept.rendered(for: key, version: 1) { .init(title: key, content: key) }
        }
        var made = false
        _ = kept.rendered(for: "a", version: 1) {
            made = true
            return .init(title: "a", content: "a")
        }
        #expect(made, "the oldest was dropped")
        let never = kept.rendered(for: "n", version: nil) { .init(title: "n", content: "made") }
        #expect(never.content == "made")
    }
}
