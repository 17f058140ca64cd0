/// One section's row of a coverage table (`Present.coverageRows`).
struct CoverageRow {
    var number: Int
    var title: String
    var thatEvidenced: Int
    var thatSufficient: Int
    var thatTotal: Int
    var howEvidenced: Int
    var howSufficient: Int
    var howTotal: Int
    var met: Int
    var total: Int
    /// In words; the stylesheet's colour for `statusKey` only repeats it.
    var status: String
    var statusKey: String
}

/// Statements evidenced, sufficiently evidenced and judged met, of all of them.
struct CoverageTotals {
    var evidenced: Int
    var sufficient: Int
    var met: Int
    var total: Int
}

/// A section's statements with no evidence yet.
struct GapSection {
    struct Statement {
        var id: String
        var text: String
        /// The new evidence form with this statement ticked, where the viewer may add evidence.
        var addEvidence: String?
    }

    var number: Int
    var title: String
    var count: Int
    var statements: [Statement]
}

/// One evidence item in a portfolio's list.
struct EvidenceRow {
    var id: String
    var participant: String
    var title: String
    var type: String
    var date: String
    var sensitive: Bool
    /// The statements it is mapped to, or nil when it is not mapped yet.
    var statements: String?
    var attachments: [AttachmentLink]
}

/// A National Award outcome seen through the crosswalk.
struct OutcomeRow {
    struct Route {
        var statement: String
        var relation: String
    }

    var id: String
    var text: String
    var status: String
    var statusKey: String
    var routes: [Route]
    var hasRoutes: Bool
    var noEquivalent: Bool
}

/// National Award outcomes reached, of all of them.
struct OutcomeTotals {
    var total: Int
    var evidenced: Int
    var sufficient: Int
    var onlyRelated: Int
}
