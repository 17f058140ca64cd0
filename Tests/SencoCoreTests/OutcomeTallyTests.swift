import Foundation
import Testing

@testable import SencoCore

/// Where each National Award outcome stands for one participant, and a cohort's tally of them
/// made from summaries: the same rule, so the tally counts exactly what each participant's own
/// coverage shows.
struct OutcomeTallyTests {
    let now = Date(timeIntervalSince1970: 1_760_000_000)
    let today = Day("2025-11-20")!

    static func outcome(_ n: Int, _ text: String) -> Statement {
        Statement(id: "NA-1.1.\(n)", kind: .outcome, text: text, section: 1, group: "1.1", order: n)
    }

    static let award = Framework(
        id: "national-award-2009", version: "2009", title: "NA", shortTitle: "NA",
        source: FrameworkSource(document: "", publisher: "", published: "", licence: "", attribution: ""),
        content: .nationalAward(
            roleFeaturesStem: "s", roleFeatures: ["f"],
            areas: [
                AwardArea(
                    number: 1, title: "A",
                    subareas: [
                        AwardSubarea(
                            number: "1.1", title: "S", stem: "Training should enable SENCOs to:",
                            outcomes: [
                                outcome(1, "related links only"), outcome(2, "a partial link"),
                                outcome(3, "related and exact links"),
                                outcome(4, "a partial link from thin evidence"), outcome(5, "no NPQ equivalent"),
                                outcome(6, "an exact link from a how-to statement"),
                            ])
                    ])
            ]))

    static let crosswalk = Crosswalk(
        id: "x", from: "npq-senco-2023", to: "national-award-2009", version: "2", title: "t", note: nil,
        links: [
            CrosswalkLink(statement: "1.1", outcome: "NA-1.1.1", relation: .related, rationale: "r"),
            CrosswalkLink(statement: "1.2", outcome: "NA-1.1.1", relation: .related, rationale: "r"),
            CrosswalkLink(statement: "1.1", outcome: "NA-1.1.2", relation: .partial, rationale: "r"),
            CrosswalkLink(statement: "1.2", outcome: "NA-1.1.3", relation: .related, rationale: "r"),
            CrosswalkLink(statement: "1.1", outcome: "NA-1.1.3", relation: .exact, rationale: "r"),
            CrosswalkLink(statement: "2.1", outcome: "NA-1.1.4", relation: .partial, rationale: "r"),
            CrosswalkLink(statement: "2.a", outcome: "NA-1.1.6", relation: .exact, rationale: "r"),
        ],
        noEquivalent: [CrosswalkGap(outcome: "NA-1.1.5", reason: "The NPQ leaves it to schools.")])

    /// `id`'s portfolio with each item mapped to its statements. Items are sufficient for
    /// "Learn that" statements (reflective accounts of 40 characters) unless `thin`.
    func portfolio(_ id: String, _ items: [(evidence: String, type: String, thin: Bool, statements: [String])]) throws
        -> Portfolio
    {
        var p = Fixture.portfolio()
        p.participant.id = id
        for item in items {
            try p.addEvidence(
                Fixture.item(
                    item.evidence, type: item.type, reflection: item.thin ? "short" : String(repeating: "r", count: 40)),
                by: id, role: .participant, rules: Fixture.rules, at: now, today: today)
            try p.map(
                evidence: item.evidence, to: item.statements, claim: "c", frameworks: [Fixture.framework], by: id,
                role: .participant, at: now)
        }
        return p
    }

    /// A: sufficient 1.1 and 1.2, thin 2.1. B: nothing. C: sufficient 1.2 only. D: an
    /// observation for 2.a.
    func cohort() throws -> [Portfolio] {
        [
            try portfolio(
                "p-a",
                [("e1", "reflective-account", false, ["1.1", "1.2"]), ("e2", "reflective-account", true, ["2.1"])]),
            try portfolio("p-b", []),
            try portfolio("p-c", [("e1", "reflective-account", false, ["1.2"])]),
            try portfolio("p-d", [("e1", "observation", false, ["2.a"])]),
        ]
    }

    var links: OutcomeLinks {
        get throws { try #require(OutcomeLinks(crosswalk: Self.crosswalk, from: Fixture.framework, to: Self.award)) }
    }

    @Test func eachOutcomeStandsInOneOfFivePlaces() throws {
        let a = try cohort()[0]
        let coverage = Coverage(
            portfolio: a, framework: Fixture.framework, rules: Fixture.rules, crosswalk: Self.crosswalk,
            award: Self.award)
        #expect(
            coverage.outcomes.map(\.standing) == [
                .onlyRelated, .sufficient, .sufficient, .notYetSufficient, .noEquivalent, .notReached,
            ])
        #expect(coverage.outcomes[4].noEquivalent == "The NPQ leaves it to schools.")
        #expect(
            coverage.outcomes[2].routes.map(\.statement) == ["1.1", "1.2"], "the exact link first, then the related one"
        )
    }

    @Test func aSummaryKeepsWhichStatementsAreEvidencedAndWhichSufficiently() throws {
        let summary = PortfolioSummary(portfolio: try cohort()[0], framework: Fixture.framework, rules: Fixture.rules)
        #expect(summary.evidencedStatements == ["1.1", "1.2", "2.1"])
        #expect(summary.sufficientStatements == ["1.1", "1.2"])
        let known = summary.statementEvidence()
        #expect(known("2.1") == Coverage.StatementEvidence(evidenced: true, sufficient: false))
        #expect(known("1.a") == nil)
    }

    @Test func theCohortTallyCountsParticipantsPerOutcome() throws {
        let summaries = try cohort().map {
            PortfolioSummary(portfolio: $0, framework: Fixture.framework, rules: Fixture.rules)
        }
        let tally = OutcomeTally(summaries: summaries, links: try links)
        #expect(tally.participants == 4)
        #expect(tally.rows.map(\.outcome.id) == (1...6).map { "NA-1.1.\($0)" }, "in the award's order")
        #expect(tally.rows.map(\.evidenced) == [2, 1, 2, 1, 0, 1])
        #expect(tally.rows.map(\.sufficient) == [0, 1, 1, 0, 0, 1])
        #expect(tally.rows.map(\.onlyRelated) == [2, 0, 1, 0, 0, 0])
        #expect(tally.rows[4].noEquivalent == "The NPQ leaves it to schools.")
    }

    @Test func theTallyAgreesWithEachParticipantsOwnCoverage() throws {
        let portfolios = try cohort()
        let summaries = portfolios.map {
            PortfolioSummary(portfolio: $0, framework: Fixture.framework, rules: Fixture.rules)
        }
        let tally = OutcomeTally(summaries: summaries, links: try links)
        let coverages = portfolios.map {
            Coverage(
                portfolio: $0, framework: Fixture.framework, rules: Fixture.rules, crosswalk: Self.crosswalk,
                award: Self.award)
        }
        for (index, row) in tally.rows.enumerated() {
            #expect(
                row.evidenced == coverages.filter { $0.outcomes[index].evidenced }.count, "\(row.outcome.id) evidenced")
            #expect(
                row.sufficient == coverages.filter { $0.outcomes[index].sufficient }.count,
                "\(row.outcome.id) sufficient")
            #expect(
                row.onlyRelated == coverages.filter { $0.outcomes[index].onlyRelated }.count,
                "\(row.outcome.id) related only")
        }
    }

    @Test func aCrosswalkBetweenOtherFrameworksGivesNoLinks() {
        #expect(OutcomeLinks(crosswalk: Self.crosswalk, from: Self.award, to: Fixture.framework) == nil)
    }
}
