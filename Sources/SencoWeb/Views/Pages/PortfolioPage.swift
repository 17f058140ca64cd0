/// A portfolio: coverage by section, National Award outcomes, evidence, gaps, and submitting
/// (`portfolio.mustache`).
struct PortfolioPage: PageView {
    static let template = "portfolio"

    /// The participant's own portfolio (the page says "My portfolio").
    var own: Bool
    var id: String
    var name: String
    var school: String
    var state: String
    var outcome: String?
    var returnNote: String?
    var totals: CoverageTotals
    var canReview: Bool
    var editable: Bool
    var canSubmit: Bool
    var framework: String
    var rows: [CoverageRow]
    var hasOutcomes: Bool
    var outcomes: [OutcomeRow]
    var outcomeTotals: OutcomeTotals
    var hasEvidence: Bool
    var evidence: [EvidenceRow]
    var gaps: [GapSection]
    var csrf: String?
    var revision: Int
    var logged: Int?
    /// Submitting was refused: why, and what changed since the page was opened.
    var error: String?
    var changes: ChangesView?
}
