import Foundation
import Testing

@testable import SencoCore

/// A small framework and rules built in code, so the rules are tested with no files.
enum Fixture {
    static let framework = Framework(
        id: "npq-senco-2023", version: "test", title: "Test NPQ", shortTitle: "NPQ",
        source: FrameworkSource(document: "d", publisher: "p", published: "2023", licence: "OGL", attribution: "a"),
        content: .npq(sections: [
            NPQSection(
                number: 1, title: "School culture", intro: nil,
                learnThat: [
                    Statement(id: "1.1", kind: .learnThat, text: "Know one.", section: 1, group: nil, order: 0),
                    Statement(id: "1.2", kind: .learnThat, text: "Know two.", section: 1, group: nil, order: 1),
                ],
                groups: [
                    StatementGroup(heading: "Do things, including by:", statements: [
                        Statement(id: "1.a", kind: .learnHowTo, text: "Doing a.", section: 1, group: "Do things, including by:", order: 2)
                    ])
                ], references: []),
            NPQSection(
                number: 2, title: "Statutory framework", intro: nil,
                learnThat: [Statement(id: "2.1", kind: .learnThat, text: "Law.", section: 2, group: nil, order: 3)],
                groups: [
                    StatementGroup(heading: "Act, including by:", statements: [
                        Statement(id: "2.a", kind: .learnHowTo, text: "Acting.", section: 2, group: "Act, including by:", order: 4)
                    ])
                ], references: []),
        ]))

    static let rules = EvidenceRules(
        types: [
            .init(id: "reflective-account", label: "Reflective account", description: "d", shows: .knowledge),
            .init(id: "observation", label: "Observation", description: "d", shows: .practice),
            .init(id: "case-study", label: "Case study", description: "d", shows: .both),
        ],
        sufficiency: [
            .init(statementKind: .learnThat, wants: .knowledge, minimumReflection: 20, explanation: "knowledge"),
            .init(statementKind: .learnHowTo, wants: .practice, minimumReflection: 10, explanation: "practice"),
        ],
        stretchWarnAbove: 2, stretchExplanation: "stretched")

    static func portfolio(state: PortfolioState = .draft) -> Portfolio {
        Portfolio(
            revision: 3,
            participant: Participant(id: "p-1", name: "N", school: "S", cohort: "c", tutor: "t", started: Day("2025-10-01")!),
            frameworks: ["npq-senco-2023"], state: state, stateSince: Date(timeIntervalSince1970: 0))
    }

    static func item(_ id: String, type: String = "reflective-account", reflection: String = String(repeating: "r", count: 40), date: String = "2025-11-01") -> EvidenceItem {
        EvidenceItem(id: id, title: "Title \(id)", type: type, date: Day(date)!, reflection: reflection, added: Date(timeIntervalSince1970: 0))
    }
}

struct PortfolioRulesTests {
    let now = Date(timeIntervalSince1970: 1_760_000_000)
    let today = Day("2025-11-20")!

    @Test func addingEvidenceLogsItWithoutPersonalText() throws {
        var p = Fixture.portfolio()
        try p.addEvidence(Fixture.item("e1", reflection: "Private reflection about Pupil A"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        #expect(p.evidence.count == 1)
        let entry = try #require(p.activities.last)
        #expect(entry.action == "evidence-added")
        #expect(!entry.note.contains("Pupil A"), "log entries never hold reflections")
    }

    @Test func refusesDuplicateIDsFutureDatesAndUnknownTypes() throws {
        var p = Fixture.portfolio()
        try p.addEvidence(Fixture.item("e1"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        let before = p
        #expect(throws: RuleError("evidence id e1 is already used in portfolio p-1")) {
            try p.addEvidence(Fixture.item("e1"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        }
        let future = #expect(throws: RuleError.self) {
            try p.addEvidence(Fixture.item("e2", date: "2025-11-21"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        }
        #expect(future?.message.contains("in the future") == true)
        let type = #expect(throws: RuleError.self) {
            try p.addEvidence(Fixture.item("e2", type: "selfie"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        }
        #expect(type?.message.contains("reflective-account, observation, case-study") == true)
        #expect(p == before, "refused changes change nothing")
    }

    @Test func mappingChecksStatementsAndSuggestsNearestIDs() throws {
        var p = Fixture.portfolio()
        try p.addEvidence(Fixture.item("e1"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        let error = #expect(throws: RuleError.self) {
            try p.map(evidence: "e1", to: ["1.3"], claim: "c", frameworks: [Fixture.framework], by: "p-1", role: .participant, at: now)
        }
        #expect(error?.message.hasPrefix("unknown statement id \"1.3\"; did you mean") == true)
        #expect(error?.message.contains("1.1") == true)
        #expect(throws: RuleError.self) {
            try p.map(evidence: "e9", to: ["1.1"], claim: "c", frameworks: [Fixture.framework], by: "p-1", role: .participant, at: now)
        }
        #expect(throws: RuleError.self) {
            try p.map(evidence: "e1", to: ["1.1"], claim: "  ", frameworks: [Fixture.framework], by: "p-1", role: .participant, at: now)
        }
        try p.map(evidence: "e1", to: ["1.1", "1.a"], claim: "shows it", frameworks: [Fixture.framework], by: "p-1", role: .participant, at: now)
        #expect(p.mappings.count == 2)
        #expect(throws: RuleError("e1 is already mapped to 1.1")) {
            try p.map(evidence: "e1", to: ["1.1"], claim: "again", frameworks: [Fixture.framework], by: "p-1", role: .participant, at: now)
        }
    }

    @Test func removingEvidenceTakesItsMappingsAndSaysWhich() throws {
        var p = Fixture.portfolio()
        try p.addEvidence(Fixture.item("e1"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        try p.map(evidence: "e1", to: ["1.1", "2.a"], claim: "c", frameworks: [Fixture.framework], by: "p-1", role: .participant, at: now)
        let removed = try p.removeEvidence("e1", by: "p-1", role: .participant, at: now)
        #expect(removed == ["1.1", "2.a"])
        #expect(p.mappings.isEmpty)
        #expect(p.activities.last?.note == "Removed evidence e1 and its mappings to 1.1, 2.a")
        #expect(p.activities.contains { $0.action == "evidence-added" && $0.evidence == "e1" }, "the log keeps the entry")
    }

    @Test(arguments: [PortfolioState.submitted, .inReview, .signedOff, .withdrawn])
    func lockedStatesRefuseParticipantChanges(state: PortfolioState) throws {
        var p = Fixture.portfolio(state: state)
        let error = #expect(throws: RuleError.self) {
            try p.addEvidence(Fixture.item("e1"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        }
        #expect(error?.message.contains("p-1") == true)
    }

    @Test func coverageSeparatesEvidencedFromSufficientAndListsGaps() throws {
        var p = Fixture.portfolio()
        // e1: knowledge, long enough → sufficient for 1.1; e2: practice type mapped to a Learn that → evidenced only.
        try p.addEvidence(Fixture.item("e1"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        try p.addEvidence(Fixture.item("e2", type: "observation"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        try p.addEvidence(Fixture.item("e3", type: "case-study", reflection: "short"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        try p.map(evidence: "e1", to: ["1.1"], claim: "c", frameworks: [Fixture.framework], by: "p-1", role: .participant, at: now)
        try p.map(evidence: "e2", to: ["1.2", "1.a", "2.a"], claim: "c", frameworks: [Fixture.framework], by: "p-1", role: .participant, at: now)
        p.log.append(.judgement(Judgement(at: now, by: "t", role: .tutor, statement: "1.1", status: .met)))

        let coverage = Coverage(portfolio: p, framework: Fixture.framework, rules: Fixture.rules)
        let one = try #require(coverage.sections.first)
        #expect(one.learnThat.total == 2 && one.learnThat.evidenced == 2 && one.learnThat.sufficient == 1 && one.learnThat.met == 1)
        #expect(one.learnHowTo.total == 1 && one.learnHowTo.evidenced == 1 && one.learnHowTo.sufficient == 1)
        #expect(coverage.gaps.map(\.id) == ["2.1"])
        #expect(coverage.insufficient.map(\.statement.id) == ["1.2"])
        #expect(coverage.warnings.map(\.evidence) == ["e2"], "e2 is mapped to 3 statements, more than the limit of 2")
        #expect(coverage.statements.first { $0.statement.id == "1.1" }?.status == .met)
        #expect(coverage.statements.first { $0.statement.id == "1.2" }?.status == .readyForReview)
        #expect(coverage.statements.first { $0.statement.id == "2.1" }?.status == .notYetEvidenced)
        #expect(coverage.total.total == 5 && coverage.total.evidenced == 4)
    }

    @Test func coverageReachesNationalAwardOutcomesThroughTheCrosswalk() throws {
        let award = Framework(
            id: "national-award-2009", version: "2009", title: "NA", shortTitle: "NA",
            source: FrameworkSource(document: "", publisher: "", published: "", licence: "", attribution: ""),
            content: .nationalAward(roleFeaturesStem: "s", roleFeatures: ["f"], areas: [
                AwardArea(number: 1, title: "A", subareas: [
                    AwardSubarea(number: "1.1", title: "S", stem: "Training should enable SENCOs to:", outcomes: [
                        Statement(id: "NA-1.1.1", kind: .outcome, text: "o1", section: 1, group: "1.1", order: 0),
                        Statement(id: "NA-1.1.2", kind: .outcome, text: "o2", section: 1, group: "1.1", order: 1),
                        Statement(id: "NA-1.1.3", kind: .outcome, text: "o3", section: 1, group: "1.1", order: 2),
                    ])
                ])
            ]))
        let crosswalk = Crosswalk(
            id: "x", from: "npq-senco-2023", to: "national-award-2009", version: "1", title: "t", note: nil,
            links: [
                CrosswalkLink(statement: "1.1", outcome: "NA-1.1.1", relation: .exact, rationale: "r"),
                CrosswalkLink(statement: "2.1", outcome: "NA-1.1.2", relation: .partial, rationale: "r"),
            ],
            noEquivalent: [CrosswalkGap(outcome: "NA-1.1.3", reason: "RAISEonline no longer exists")])
        #expect(crosswalk.check(from: Fixture.framework, to: award).isEmpty)
        var p = Fixture.portfolio()
        try p.addEvidence(Fixture.item("e1"), by: "p-1", role: .participant, rules: Fixture.rules, at: now, today: today)
        try p.map(evidence: "e1", to: ["1.1"], claim: "c", frameworks: [Fixture.framework], by: "p-1", role: .participant, at: now)
        let coverage = Coverage(portfolio: p, framework: Fixture.framework, rules: Fixture.rules, crosswalk: crosswalk, award: award)
        #expect(coverage.outcomes.map(\.evidenced) == [true, false, false])
        #expect(coverage.outcomes[0].via == ["1.1"] && coverage.outcomes[0].sufficient)
        #expect(coverage.outcomes[2].noEquivalent == "RAISEonline no longer exists")
    }

    @Test func crosswalkChecksFindUnknownIDsAndUncoveredOutcomes() throws {
        let award = Framework(
            id: "na", version: "1", title: "NA", shortTitle: "NA",
            source: FrameworkSource(document: "", publisher: "", published: "", licence: "", attribution: ""),
            content: .nationalAward(roleFeaturesStem: "s", roleFeatures: ["f"], areas: [
                AwardArea(number: 1, title: "A", subareas: [
                    AwardSubarea(number: "1.1", title: "S", stem: "x", outcomes: [
                        Statement(id: "NA-1.1.1", kind: .outcome, text: "o1", section: 1, group: "1.1", order: 0),
                        Statement(id: "NA-1.1.2", kind: .outcome, text: "o2", section: 1, group: "1.1", order: 1),
                    ])
                ])
            ]))
        let crosswalk = Crosswalk(
            id: "x", from: "npq-senco-2023", to: "na", version: "1", title: "t", note: nil,
            links: [CrosswalkLink(statement: "9.z", outcome: "NA-1.1.1", relation: .exact, rationale: "r", line: 7)],
            noEquivalent: [])
        let messages = crosswalk.check(from: Fixture.framework, to: award).map(\.message)
        #expect(messages.contains("link from unknown npq-senco-2023 statement 9.z"))
        #expect(messages.contains("outcome NA-1.1.2 is neither linked to a statement nor marked as having no equivalent"))
    }

    @Test func frameworkChecksFindGapsAndDuplicates() throws {
        var sections = Fixture.framework.npqSections
        sections[0].learnThat[1].id = "1.3"
        sections[1].groups[0].statements[0].id = "1.a"
        sections[1].groups.append(StatementGroup(heading: "Empty, including by:", statements: []))
        let broken = Framework(
            id: "b", version: "1", title: "t", shortTitle: "t", source: Fixture.framework.source, content: .npq(sections: sections))
        let messages = broken.check().map(\.message)
        #expect(messages.contains { $0.contains("1.3 is out of sequence: expected 1.2") })
        #expect(messages.contains { $0.hasPrefix("duplicate statement id 1.a") })
        #expect(messages.contains { $0.contains("\"Empty, including by:\" in section 2 has no") })
        #expect(Fixture.framework.check().isEmpty)
    }

    @Test(arguments: ["2025-02-29", "2025-13-01", "2025-1-01", "25-01-01", "2025-04-31", "yesterday", "2025-01-01T00:00"])
    func refusesDatesThatAreNotDates(text: String) {
        #expect(Day(text) == nil)
    }

    @Test func parsesRealDatesIncludingLeapDays() {
        #expect(Day("2024-02-29")?.description == "2024-02-29")
        #expect(Day("2025-10-06")! < Day("2025-10-07")!)
    }

    @Test(arguments: ["p-25a-01", "t-okafor", "2026-spring", "a"])
    func acceptsSafeIDs(id: String) { #expect(Identifier.isValid(id)) }
}
