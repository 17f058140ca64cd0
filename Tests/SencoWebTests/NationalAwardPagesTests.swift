import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// The National Award through the crosswalk in the browser: one participant's outcomes (as
/// `senco coverage` reports them), and a cohort's table of how many participants reach each,
/// counted from summaries and checked here against each portfolio's own coverage.
@Suite struct NationalAwardPagesTests {
    static func coverage(_ portfolio: Portfolio) throws -> Coverage {
        let library = try TestSupport.library()
        let npq = try #require(library.framework(withID: "npq-senco-2023"))
        let award = try #require(library.framework(withID: "national-award-2009"))
        let crosswalk = try #require(library.crosswalks.first { $0.from == npq.id })
        return Coverage(
            portfolio: portfolio, framework: npq, rules: try TestSupport.schemas().rules, crosswalk: crosswalk,
            award: award)
    }

    /// Outcome ids in the order a page lists them.
    static func outcomeIDs(_ html: String) -> [String] {
        html.components(separatedBy: "<th scope=\"row\"><strong>").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// Maps p-demo-01's reading log to more statements, so its outcomes stand in every place.
    static func broaden(_ fixture: WebFixture) throws {
        let frameworks = try TestSupport.library().frameworks
        let at = fixture.clock.now
        let revision = try fixture.store.portfolio("p-demo-01").revision
        try fixture.store.update("p-demo-01", expectedRevision: revision) { (p: inout Portfolio) throws(StoreError) in
            do throws(RuleError) {
                try p.map(
                    evidence: "e1", to: ["2.1", "2.6", "2.15", "2.b", "3.1", "4.a", "6.1"], claim: "More of it.",
                    frameworks: frameworks, by: "p-demo-01",
                    role: .participant, at: at)
            } catch { throw StoreError(.invalidInput, error.message) }
        }
    }

    @Test func aParticipantSeesEveryOutcomeWhereItStandsAndHowToReachTheRest() async throws {
        let fixture = try WebFixture()
        try Self.broaden(fixture)
        let coverage = try Self.coverage(try fixture.store.portfolio("p-demo-01"))
        let standings = Dictionary(grouping: coverage.outcomes, by: \.standing)
        #expect(
            standings[.sufficient] != nil && standings[.notReached] != nil,
            "the fixture reaches some outcomes and not others")
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let portfolio = String(buffer: try await participant.get(client, "/portfolios/p-demo-01").body)
            #expect(
                portfolio.contains("href=\"/portfolios/p-demo-01/national-award\""), "linked from the portfolio page")

            let html = String(buffer: try await participant.get(client, "/portfolios/p-demo-01/national-award").body)
            #expect(html.contains("<h1>My National Award outcomes</h1>"))
            #expect(Self.outcomeIDs(html) == coverage.outcomes.map(\.outcome.id), "every outcome, in the award's order")
            #expect(
                html.contains(
                    "<dd>\(coverage.outcomes.filter(\.evidenced).count) of \(coverage.outcomes.count) outcomes</dd>"))
            #expect(
                html.contains(
                    "<dd>\(coverage.outcomes.filter(\.sufficient).count) of \(coverage.outcomes.count) outcomes</dd>"))
            for standing in Coverage.OutcomeCoverage.Standing.allCases {
                let count = standings[standing]?.count ?? 0
                #expect(
                    html.contains(
                        "?status=\(standing.rawValue)\">\(NationalAwardController.word(standing)) (\(count))</a>"))
            }
            #expect(html.contains("Area 1: Professional context"), "area titles are not shouted")
            // The routes that make an outcome sufficient, with their relation; related links apart.
            let reached = try #require(
                coverage.outcomes.first { $0.standing == .sufficient && $0.routes.contains { $0.relation == .related } }
            )
            let showing = reached.routes.filter(\.counts).map { "\($0.statement) (\($0.relation.rawValue))" }.joined(
                separator: ", ")
            let related = reached.routes.filter { $0.relation == .related }.map(\.statement).joined(separator: ", ")
            #expect(html.contains("<li>Exact or partial links, sufficiently evidenced: \(showing)</li>"))
            #expect(html.contains("<li>Related links: \(related)</li>"))
            let thin = try #require(
                coverage.outcomes.first { $0.routes.contains { $0.relation.showsOutcome && !$0.statementSufficient } })
            let thinList = thin.routes.filter { $0.relation.showsOutcome && !$0.statementSufficient }
                .map { "\($0.statement) (\($0.relation.rawValue))" }.joined(separator: ", ")
            #expect(html.contains("<li>Exact or partial links, evidence not yet sufficient: \(thinList)</li>"))
            // An outcome not reached offers the statements that could show it, each a new-evidence form.
            let missing = try #require(coverage.outcomes.first { $0.standing == .notReached })
            let library = try TestSupport.library()
            let link = try #require(
                library.crosswalks[0].links(toOutcome: missing.outcome.id).first { $0.relation.showsOutcome })
            #expect(
                html.contains(
                    "<a href=\"/portfolios/p-demo-01/evidence/new?statement=\(link.statement)\">Add evidence for \(link.statement)</a> (\(link.relation.rawValue))"
                ))
        }
    }

    @Test func aStatusShowsOnlyTheOutcomesStandingThere() async throws {
        let fixture = try WebFixture()
        try Self.broaden(fixture)
        let coverage = try Self.coverage(try fixture.store.portfolio("p-demo-01"))
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            for standing in Coverage.OutcomeCoverage.Standing.allCases {
                let html = String(
                    buffer: try await participant.get(
                        client, "/portfolios/p-demo-01/national-award?status=\(standing.rawValue)"
                    ).body)
                let expected = coverage.outcomes.filter { $0.standing == standing }.map(\.outcome.id)
                #expect(Self.outcomeIDs(html) == expected, "\(standing)")
                #expect(html.contains("aria-current=\"page\">\(NationalAwardController.word(standing))"))
                if expected.isEmpty { #expect(html.contains("No outcome stands there.")) }
            }
            let unknown = String(
                buffer: try await participant.get(client, "/portfolios/p-demo-01/national-award?status=lost").body)
            #expect(Self.outcomeIDs(unknown).count == coverage.outcomes.count, "an unknown status is no filter")
        }
    }

    @Test func theTutorAndTheProviderSeeTheSameOutcomesButNoEvidenceForms() async throws {
        let fixture = try WebFixture()
        let coverage = try Self.coverage(try fixture.store.portfolio("p-demo-02"))
        try await fixture.app().test(.router) { client in
            for role in ["tutor", "provider"] {
                var browser = try await Browser.signIn(client, as: role)
                let html = String(buffer: try await browser.get(client, "/portfolios/p-demo-02/national-award").body)
                #expect(html.contains("<h1>National Award outcomes of Priya Shah</h1>"), "\(role)")
                #expect(Self.outcomeIDs(html) == coverage.outcomes.map(\.outcome.id), "\(role)")
                #expect(!html.contains("/evidence/new?statement="), "\(role): only the participant adds evidence")
            }
            // In review, the participant cannot add evidence either: no forms offered.
            var participant = try await Browser.signIn(client, as: "participant-2")
            let own = String(buffer: try await participant.get(client, "/portfolios/p-demo-02/national-award").body)
            #expect(!own.contains("/evidence/new?statement="), "the nav offers Add evidence, the outcomes do not")
        }
    }

    /// The cohort's table, compared with counts made here from every portfolio's own coverage.
    @Test func theCohortTableCountsWhatEachParticipantsCoverageShows() async throws {
        let fixture = try CohortPagingTests.bigFixture()
        try Self.broaden(fixture)
        let portfolios = try fixture.store.portfolios(inCohort: "demo-cohort")
        let coverages = try portfolios.map(Self.coverage)
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let html = String(
                buffer: try await provider.get(client, "/provider/cohorts/demo-cohort/national-award").body)
            #expect(html.contains("Counting 123 of the cohort's 123 participants."))
            #expect(Self.outcomeIDs(html) == coverages[0].outcomes.map(\.outcome.id))
            for (index, outcome) in coverages[0].outcomes.enumerated() {
                let evidenced = coverages.filter { $0.outcomes[index].evidenced }.count
                let sufficient = coverages.filter { $0.outcomes[index].sufficient }.count
                let related = coverages.filter { $0.outcomes[index].onlyRelated }.count
                func cell(_ n: Int) -> String { "\(n) (\(Int((100 * Double(n) / 123).rounded()))%)" }
                let row = try #require(
                    html.components(separatedBy: "<strong>\(outcome.outcome.id)</strong>").dropFirst().first)
                let cells = row.components(separatedBy: "</tr>")[0]
                #expect(
                    cells.contains(
                        "<td class=\"nowrap\">\(cell(evidenced))</td><td class=\"nowrap\">\(cell(sufficient))</td><td>\(related)</td>"
                    ),
                    "\(outcome.outcome.id)")
            }
            #expect(coverages.contains { $0.outcomes.contains(where: \.sufficient) }, "some outcome is reached")

            // One tutor's participants only.
            let bell = String(
                buffer: try await provider.get(client, "/provider/cohorts/demo-cohort/national-award?tutor=t-bell").body
            )
            let bellCount = portfolios.filter { $0.participant.tutor == "t-bell" }.count
            #expect(bell.contains("Counting \(bellCount) of the cohort's 123 participants."))
            #expect(bell.contains("<option value=\"t-bell\" selected>"))
        }
    }

    @Test func theCohortTableFollowsAChange() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let before = String(
                buffer: try await provider.get(client, "/provider/cohorts/demo-cohort/national-award").body)
            let again = String(
                buffer: try await provider.get(client, "/provider/cohorts/demo-cohort/national-award").body)
            #expect(before == again)
            try Self.broaden(fixture)
            let after = String(
                buffer: try await provider.get(client, "/provider/cohorts/demo-cohort/national-award").body)
            #expect(after != before, "a portfolio's change counts at once")
            let coverages = try fixture.store.portfolios(inCohort: "demo-cohort").map(Self.coverage)
            let total = coverages.map { $0.outcomes.filter(\.evidenced).count }.reduce(0, +)
            let shown = after.components(separatedBy: "<th scope=\"row\"><strong>").dropFirst().compactMap {
                row -> Int? in
                guard let cell = row.components(separatedBy: "<td class=\"nowrap\">").dropFirst().first else {
                    return nil
                }
                return Int(cell.prefix { $0.isNumber })
            }.reduce(0, +)
            #expect(shown == total, "the evidenced counts add up to every participant's evidenced outcomes")
            #expect(total > 0)
        }
    }
}
