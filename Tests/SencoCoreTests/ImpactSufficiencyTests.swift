import Foundation
import Testing

@testable import SencoCore

/// Evidence types that require a baseline-and-impact pair are sufficient only with a complete one.
struct ImpactSufficiencyTests {
    static let rules = EvidenceRules(
        types: [
            .init(id: "intervention-review", label: "Intervention", description: "d", shows: .practice, impact: .required),
            .init(id: "provision-map", label: "Provision map", description: "d", shows: .practice, impact: .optional),
        ],
        sufficiency: [.init(statementKind: .learnHowTo, wants: .practice, minimumReflection: 10, explanation: "practice")],
        stretchWarnAbove: 8, stretchExplanation: "stretched")

    static func item(_ type: String, impact: ImpactRecord?) -> EvidenceItem {
        EvidenceItem(
            id: "e1", title: "t", type: type, date: Day("2025-11-01")!, reflection: String(repeating: "r", count: 40),
            added: Date(timeIntervalSince1970: 0), impact: impact)
    }

    static let complete = ImpactRecord(baseline: "Reading age 6y 2m (8 Jan)", after: "Reading age 7y 0m (2 Apr)", change: "Ten months' gain in twelve weeks.")

    @Test func requiredImpactMustBeCompleteForSufficiency() {
        #expect(!Self.rules.isSufficient(Self.item("intervention-review", impact: nil), for: .learnHowTo), "no pair")
        let partial = ImpactRecord(baseline: "Reading age 6y 2m", after: "  ", change: "Better")
        #expect(!Self.rules.isSufficient(Self.item("intervention-review", impact: partial), for: .learnHowTo), "no measure after")
        #expect(Self.rules.isSufficient(Self.item("intervention-review", impact: Self.complete), for: .learnHowTo))
    }

    @Test func optionalImpactDoesNotDecideSufficiency() {
        #expect(Self.rules.isSufficient(Self.item("provision-map", impact: nil), for: .learnHowTo))
        #expect(Self.rules.isSufficient(Self.item("provision-map", impact: Self.complete), for: .learnHowTo))
    }

    @Test func completenessIgnoresWhitespace() {
        #expect(Self.complete.isComplete)
        #expect(!ImpactRecord(baseline: "a", after: "b", change: "\n").isComplete)
    }
}
