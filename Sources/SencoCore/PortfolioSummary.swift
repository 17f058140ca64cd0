import Foundation

/// What lists, dashboards and the completion report need of one portfolio, kept beside it and
/// rewritten with every change, so a page about a cohort reads a few hundred bytes per
/// participant instead of each whole portfolio. It names the revision it was made from: a
/// summary whose revision is not its portfolio's is never trusted, but made again.
public struct PortfolioSummary: Sendable, Hashable {
    /// 2: the participant's DfE identity and declaration records; 3: which statements are
    /// evidenced and which sufficiently (a summary of another version is made again).
    public static let schemaVersion = 3

    public var revision: Int
    public var participant: Participant
    public var state: PortfolioState
    public var stateSince: Date
    public var outcome: Outcome?
    public var evidenceCount: Int
    /// The latest entry in the log (or the state change, for a portfolio with no log).
    public var lastActivity: Date
    /// The NPQ framework's sections: evidenced, sufficient and met per kind of statement.
    public var sections: [Coverage.SectionCoverage]
    public var total: Coverage.Count
    public var milestones: Milestones
    /// What the DfE's API holds for each declaration type, as the log last recorded it.
    public var declared: [DeclarationRecord]
    /// The NPQ statements with evidence, and those with sufficient evidence, in the framework's
    /// order: what coverage of the National Award through the crosswalk needs, so a cohort's
    /// table of outcomes is made from summaries without reading a portfolio.
    public var evidencedStatements: [String]
    public var sufficientStatements: [String]

    public init(
        revision: Int, participant: Participant, state: PortfolioState, stateSince: Date, outcome: Outcome?,
        evidenceCount: Int, lastActivity: Date, sections: [Coverage.SectionCoverage], total: Coverage.Count,
        milestones: Milestones, declared: [DeclarationRecord] = [], evidencedStatements: [String] = [],
        sufficientStatements: [String] = []
    ) {
        self.declared = declared
        self.evidencedStatements = evidencedStatements
        self.sufficientStatements = sufficientStatements
        self.revision = revision
        self.participant = participant
        self.state = state
        self.stateSince = stateSince
        self.outcome = outcome
        self.evidenceCount = evidenceCount
        self.lastActivity = lastActivity
        self.sections = sections
        self.total = total
        self.milestones = milestones
    }

    /// The summary of `portfolio` against `framework` (the NPQ) under `rules`.
    public init(portfolio: Portfolio, framework: Framework, rules: EvidenceRules, declarationRules: DeclarationRules = DeclarationRules()) {
        let coverage = Coverage(portfolio: portfolio, framework: framework, rules: rules)
        let times = portfolio.log.map { event -> Date in
            switch event {
            case .activity(let activity): activity.at
            case .judgement(let judgement): judgement.at
            }
        }
        self.init(
            revision: portfolio.revision, participant: portfolio.participant, state: portfolio.state,
            stateSince: portfolio.stateSince, outcome: portfolio.outcome, evidenceCount: portfolio.evidence.count,
            lastActivity: max(times.max() ?? portfolio.stateSince, portfolio.stateSince), sections: coverage.sections,
            total: coverage.total, milestones: Milestones(portfolio: portfolio, framework: framework, rules: declarationRules),
            declared: DeclarationType.allCases.compactMap { portfolio.declarationRecords[$0] },
            evidencedStatements: coverage.statements.filter { !$0.evidence.isEmpty }.map(\.statement.id),
            sufficientStatements: coverage.statements.filter(\.sufficient).map(\.statement.id))
    }

    /// What the summary knows of one NPQ statement, for `OutcomeLinks.coverage`.
    public func statementEvidence() -> (String) -> Coverage.StatementEvidence? {
        let evidenced = Set(evidencedStatements)
        let sufficient = Set(sufficientStatements)
        return { id in
            guard evidenced.contains(id) else { return nil }
            return Coverage.StatementEvidence(evidenced: true, sufficient: sufficient.contains(id))
        }
    }

    public var id: String { participant.id }
}

extension Coverage.Count {
    /// Counts read back from a stored summary.
    public static func counts(total: Int, evidenced: Int, sufficient: Int, met: Int) -> Self {
        Self(total: total, evidenced: evidenced, sufficient: sufficient, met: met)
    }
}

extension Coverage.SectionCoverage {
    /// A section's counts read back from a stored summary.
    public static func counts(number: Int, title: String, learnThat: Coverage.Count, learnHowTo: Coverage.Count) -> Self {
        Self(number: number, title: title, learnThat: learnThat, learnHowTo: learnHowTo)
    }
}
