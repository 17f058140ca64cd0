import Foundation
import SencoCore
import SencoData
import SencoExport
import SencoTestSupport
import Testing

/// The coverage report's text, JSON and HTML say which National Award outcomes are sufficiently
/// evidenced and which are reached only through related links.
struct CoverageReportOutcomeTests {
    /// A portfolio whose one item, sufficient for 2.9 ("Learn that"), reaches NA-1.1.4 and NA-1.1.5
    /// only through related links, and NA-1.1.2 (2.8, partial) not at all.
    func report() throws -> CoverageReport {
        let library = try TestSupport.library()
        let npq = try #require(library.framework(withID: "npq-senco-2023"))
        let award = try #require(library.framework(withID: "national-award-2009"))
        let crosswalk = try #require(library.crosswalks.first)
        let rules = try TestSupport.schemas().rules
        var portfolio = Portfolio(participant: TestSupport.participant(), frameworks: [npq.id], stateSince: Date(timeIntervalSince1970: 0))
        let now = Date(timeIntervalSince1970: 1_760_000_000)
        try portfolio.addEvidence(
            EvidenceItem(
                id: "e1", title: "Reading log: KCSIE", type: "reading-log", date: Day("2025-10-10")!,
                reflection: String(repeating: "What safeguarding guidance means for pupils with SEND in our school. ", count: 6),
                added: now),
            by: "p", role: .participant, rules: rules, at: now, today: Day("2025-11-01")!)
        try portfolio.map(evidence: "e1", to: ["2.9"], claim: "c", frameworks: library.frameworks, by: "p", role: .participant, at: now)
        let coverage = Coverage(portfolio: portfolio, framework: npq, rules: rules, crosswalk: crosswalk, award: award)
        return CoverageReport(portfolio: portfolio, framework: npq, coverage: coverage, rules: rules)
    }

    @Test func textListsOutcomesReachedOnlyThroughRelatedLinks() throws {
        let text = try report().text()
        #expect(text.contains("National Award outcomes reached through the crosswalk: 2 of 55 evidenced, 0 sufficiently (through an exact or partial link)"))
        #expect(text.contains("Evidenced only through related links, so not sufficient (2):\n  NA-1.1.4   via 2.9 (related)\n  NA-1.1.5   via 2.9 (related)\n"))
    }

    @Test func jsonGivesEachRouteItsRelation() throws {
        let data = try JSONEncoder().encode(try report().jsonValue())
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let outcomes = try #require(json["nationalAward"] as? [[String: Any]])
        let safety = try #require(outcomes.first { $0["id"] as? String == "NA-1.1.4" })
        #expect(safety["evidenced"] as? Bool == true)
        #expect(safety["sufficient"] as? Bool == false)
        #expect(safety["onlyRelated"] as? Bool == true)
        let routes = try #require(safety["routes"] as? [[String: Any]])
        #expect(routes.count == 1)
        #expect(routes.first?["relation"] as? String == "related")
        #expect(routes.first?["statementSufficient"] as? Bool == true)
        #expect(routes.first?["counts"] as? Bool == false)
    }

    @Test func htmlSaysEvidencedThroughRelatedLinksOnly() throws {
        let html = try report().html(templates: try TemplateLibrary())
        #expect(html.contains("2.9 (related)"))
        #expect(html.contains("Evidenced through related links only, not sufficient"))
        #expect(html.contains("0 are sufficiently evidenced") || html.contains("; 0 are sufficiently evidenced"))
    }
}
