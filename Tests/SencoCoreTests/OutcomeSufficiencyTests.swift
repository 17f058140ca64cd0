import Foundation
import Testing

@testable import SencoCore

/// Sufficiency through the crosswalk: an outcome is evidenced through any link, but sufficiently
/// evidenced only through an exact or partial link whose statement's evidence is sufficient.
struct OutcomeSufficiencyTests {
    let now = Date(timeIntervalSince1970: 1_760_000_000)
    let today = Day("2025-11-20")!

    static let award = Framework(
        id: "national-award-2009", version: "2009", title: "NA", shortTitle: "NA",
        source: FrameworkSource(document: "", publisher: "", published: "", licence: "", attribution: ""),
        content: .nationalAward(roleFeaturesStem: "s", roleFeatures: ["f"], areas: [
            AwardArea(number: 1, title: "A", subareas: [
                AwardSubarea(number: "1.1", title: "S", stem: "Training should enable SENCOs to:", outcomes: [
                    Statement(id: "NA-1.1.1", kind: .outcome, text: "reached through a related link only", section: 1, group: "1.1", order: 0),
                    Statement(id: "NA-1.1.2", kind: .outcome, text: "reached through a partial link", section: 1, group: "1.1", order: 1),
                    Statement(id: "NA-1.1.3", kind: .outcome, text: "reached through related and exact links", section: 1, group: "1.1", order: 2),
                    Statement(id: "NA-1.1.4", kind: .outcome, text: "partial link, thin evidence", section: 1, group: "1.1", order: 3),
                ])
            ])
        ]))

    /// 1.1 and 1.2 are "Learn that" statements: a reflective account of 40 characters is
    /// sufficient for them (the fixture's minimum is 20); 2.1 gets a 5-character one, which is not.
    static let crosswalk = Crosswalk(
        id: "x", from: "npq-senco-2023", to: "national-award-2009", version: "2", title: "t", note: nil,
        links: [
            CrosswalkLink(statement: "1.1", outcome: "NA-1.1.1", relation: .related, rationale: "r"),
            CrosswalkLink(statement: "1.2", outcome: "NA-1.1.1", relation: .related, rationale: "r"),
            CrosswalkLink(statement: "1.1", outcome: "NA-1.1.2", relation: .partial, rationale: "r"),
            CrosswalkLink(statement: "1.2", outcome: "NA-1.1.3", relation: .related, rationale: "r"),
            CrosswalkLink(statement: "1.1", outcome: "NA-1.1.3", relation: .exact, rationale: "r"),
            CrosswalkLink(statement: "2.1", outcome: "NA-1.1.4", relation: .partial, rationale: "r"),
        ],
        noEquivalent: [])

    func coverage() throws -> Coverage {
        var p = Fixture.portfolio()
        try p.addEvidence(Fixture.item("e1"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        try p.addEvidence(Fixture.item("e2", reflection: "short"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        try p.map(evidence: "e1", to: ["1.1", "1.2"], claim: "c", frameworks: [Fixture.framework], by: "p-1", role: .participant, at: now)
        try p.map(evidence: "e2", to: ["2.1"], claim: "c", frameworks: [Fixture.framework], by: "p-1", role: .participant, at: now)
        #expect(Self.crosswalk.check(from: Fixture.framework, to: Self.award).isEmpty)
        return Coverage(portfolio: p, framework: Fixture.framework, rules: Fixture.rules, crosswalk: Self.crosswalk, award: Self.award)
    }

    @Test func outcomeReachedOnlyThroughRelatedLinksIsEvidencedNotSufficient() throws {
        let outcome = try #require(try coverage().outcomes.first { $0.outcome.id == "NA-1.1.1" })
        #expect(outcome.evidenced)
        #expect(outcome.routes.allSatisfy { $0.statementSufficient }, "both statements are themselves sufficiently evidenced")
        #expect(!outcome.sufficient, "a related link never makes an outcome sufficient")
        #expect(outcome.onlyRelated)
        #expect(outcome.sufficientVia.isEmpty)
    }

    @Test func partialOrExactLinkToASufficientStatementMakesTheOutcomeSufficient() throws {
        let outcomes = try coverage().outcomes
        let partial = try #require(outcomes.first { $0.outcome.id == "NA-1.1.2" })
        #expect(partial.evidenced && partial.sufficient && !partial.onlyRelated)
        let mixed = try #require(outcomes.first { $0.outcome.id == "NA-1.1.3" })
        #expect(mixed.sufficient)
        #expect(mixed.sufficientVia == ["1.1"], "only the exact link counts")
        #expect(mixed.routes.map(\.relation) == [.exact, .related], "strongest link first")
    }

    @Test func partialLinkToThinEvidenceIsEvidencedNotSufficient() throws {
        let outcome = try #require(try coverage().outcomes.first { $0.outcome.id == "NA-1.1.4" })
        #expect(outcome.evidenced && !outcome.sufficient && !outcome.onlyRelated)
    }

    @Test func onlyExactAndPartialShowTheOutcome() {
        #expect(CrosswalkRelation.allCases.filter(\.showsOutcome) == [.exact, .partial])
    }
}
