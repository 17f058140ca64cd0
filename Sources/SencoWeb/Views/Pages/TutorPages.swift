/// The tutor's participants, with their progress, a search and pages (`tutor-home.mustache`).
struct TutorHomePage: PageView {
    static let template = "tutor-home"

    struct Row {
        var id: String
        var name: String
        var school: String
        var cohort: String
        var state: String
        /// Submitted or in review: the tutor's move.
        var waiting: Bool
        var evidenced: Int
        var met: Int
        var total: Int
    }

    /// No participant is assigned to the tutor at all.
    var none: Bool
    var everyone: Int
    var waitingCount: Int
    var hasUnreadable: Bool
    var unreadable: Int
    var search: String
    var waitingOnly: Bool
    var filtered: Bool
    var shown: String
    var noMatch: Bool
    var rows: [Row]
    var paging: PageNavigation
}

/// A portfolio's review: every statement (or a filtered list) with its judgement, returning and
/// signing off (`review.mustache`).
struct ReviewPage: PageView {
    static let template = "review"

    struct Section {
        var number: Int
        var title: String
        var statements: [Statement]
    }

    struct Statement {
        var id: String
        var portfolioID: String
        var text: String
        var status: String
        var statusKey: String
        /// The filter's query, so the statement page's next and previous keep to the list.
        var query: String
        var evidence: Int
        var sufficient: String
    }

    var id: String
    var name: String
    var state: String
    var totals: CoverageTotals
    var notOpen: String?
    var sectionOptions: [SelectOption]
    var statusOptions: [SelectOption]
    var filtered: Bool
    var shown: String
    var noMatch: Bool
    var sections: [Section]
    /// The tutor may return or sign off now.
    var canAct: Bool
    var csrf: String?
    var revision: Int
    var logged: Int?
    /// What changed since the page was opened, after a return or sign-off refused because of it.
    var changes: ChangesView?

    /// A refused return or sign-off: the message, and the field it links to.
    var error: String?
    var errorField: String?
    var returnError: String?
    var returnFeedback: String
    var signoffError: String?
    var signoffReason: String
    var passed: Bool
    var failed: Bool
}

extension ReviewPage {
    /// What was typed into the return or sign-off form, to show again with its error.
    struct Typed {
        var error: String?
        var errorField: String?
        var returnError: String?
        var returnFeedback = ""
        var signoffError: String?
        var signoffReason = ""
        var passed = false
        var failed = false
    }
}

/// One statement under review: the evidence mapped to it, its history, and the judgement form,
/// with the previous and next statement of the tutor's list (`review-statement.mustache`).
struct ReviewStatementPage: PageView {
    static let template = "review-statement"

    struct Neighbour {
        var id: String
        var href: String
    }

    struct Evidence {
        var id: String
        var title: String
        var type: String
        var date: String
        var sensitive: Bool
        var hasIngredients: Bool
        var ingredients: [String]
        var sufficient: String
        var claim: String
        var impact: Impact?
        var reflection: String
        var attachments: [AttachmentLink]
    }

    struct Impact {
        var baseline: String
        var after: String
        var change: String
    }

    struct HistoryEntry {
        var at: String
        var by: String
        var status: String
        var kind: String
        var note: String?
    }

    var participant: String
    var name: String
    var query: String
    var previous: Neighbour?
    var next: Neighbour?
    var statementID: String
    var kind: String
    var group: String?
    var text: String
    var status: String
    var hasEvidence: Bool
    var evidence: [Evidence]
    var history: [HistoryEntry]
    var canJudge: Bool
    var csrf: String?
    var revision: Int
    var logged: Int?
    /// What changed since the page was opened, after a judgement refused because of it.
    var changes: ChangesView?
    var filterSection: String
    var filterStatus: String
    var statuses: [RadioChoice]
    var feedback: String

    var error: String?
    var errorField: String?
    var judgementError: String?
    var feedbackError: String?
}
