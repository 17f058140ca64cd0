/// The moderator's sample and their agreement reports (`moderator-home.mustache`).
struct ModeratorHomePage: PageView {
    static let template = "moderator-home"

    struct Row {
        var plan: String
        var id: String
        var tutor: String
        var firsts: Int
        var seconds: Int
        /// Disagreements not yet reconciled.
        var open: Int
        var hasOpen: Bool
    }

    struct Plan {
        var id: String
        var cohort: String
        var count: Int
    }

    var none: Bool
    var rows: [Row]
    var plans: [Plan]
}

/// A sampled portfolio's first-marked statements, to choose one to second-mark
/// (`moderation-portfolio.mustache`).
struct ModerationPortfolioPage: PageView {
    static let template = "moderation-portfolio"

    struct Statement {
        var id: String
        var portfolioID: String
        var text: String
        var evidence: Int
        var marked: String
    }

    var id: String
    var none: Bool
    var statements: [Statement]
}

/// Blind second marking of one statement: its evidence (sensitive items redacted), never the
/// first mark (`second-mark.mustache`).
struct SecondMarkPage: PageView {
    static let template = "second-mark"

    struct Evidence {
        var id: String
        var portfolioID: String
        var title: String
        var type: String
        var date: String
        var sensitive: Bool
        var claim: String
        var reflection: String
        var attachments: [AttachmentLink]
    }

    var id: String
    var statementID: String
    var kind: String
    var text: String
    var hasEvidence: Bool
    var evidence: [Evidence]
    var csrf: String?
    var revision: Int
    var logged: Int?
    /// What changed since the page was opened (only what a blind second marker may see).
    var changes: ChangesView?
    var statuses: [RadioChoice]
    var feedback: String

    var error: String?
    var errorField: String?
    var judgementError: String?
    var feedbackError: String?
}

/// First and second marks compared, and a form to agree each disagreement (`reconcile.mustache`).
struct ReconcilePage: PageView {
    static let template = "reconcile"

    struct Row {
        var statement: String
        var domID: String
        var first: String
        var firstFeedback: String?
        var second: String
        var secondFeedback: String?
        var differs: Bool
        var agreed: String?
        var needsAgreement: Bool
        var statuses: [RadioChoice]
        /// What was typed into this statement's form, and its errors.
        var note: String?
        var noteError: String?
        var statusError: String?
    }

    var id: String
    var none: Bool
    var rows: [Row]
    var csrf: String?
    var revision: Int
    var logged: Int?
    var changes: ChangesView?
    var error: String?
    var errorField: String?
}
