/// How many of a cohort's participants reach each National Award outcome through the crosswalk,
/// counted from their summaries (never their portfolios), by the rule each participant's own
/// coverage follows (`OutcomeLinks.coverage`).
public struct OutcomeTally: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var outcome: Statement
        /// Participants for whom some evidenced NPQ statement links to the outcome.
        public var evidenced: Int
        /// Participants for whom an exact or partial link reaches it from a sufficiently
        /// evidenced statement.
        public var sufficient: Int
        /// Participants who reach it only through `related` links (evidenced, never sufficient).
        public var onlyRelated: Int
        /// Why no NPQ statement covers it, when the crosswalk says none does.
        public var noEquivalent: String?
    }

    /// How many participants were counted.
    public var participants: Int
    /// One row per outcome, in the award's order.
    public var rows: [Row]

    public init(summaries: [PortfolioSummary], links: OutcomeLinks) {
        participants = summaries.count
        var rows = links.entries.map {
            Row(outcome: $0.outcome, evidenced: 0, sufficient: 0, onlyRelated: 0, noEquivalent: $0.noEquivalent)
        }
        for summary in summaries {
            for (index, outcome) in links.coverage(summary.statementEvidence()).enumerated() {
                if outcome.evidenced { rows[index].evidenced += 1 }
                if outcome.sufficient { rows[index].sufficient += 1 }
                if outcome.onlyRelated { rows[index].onlyRelated += 1 }
            }
        }
        self.rows = rows
    }
}
