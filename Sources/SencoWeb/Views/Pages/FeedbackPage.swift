/// The feedback on each statement of a portfolio, with its history of judgements
/// (`feedback.mustache`).
struct FeedbackPage: PageView {
    static let template = "feedback"

    struct Count {
        var label: String
        var count: Int
    }

    struct SectionLink {
        var href: String
        var label: String
        var current: Bool
    }

    struct Section {
        var number: Int
        var title: String
        var statements: [Statement]
    }

    struct Statement {
        var id: String
        var domID: String
        var text: String
        var status: String
        var statusKey: String
        var latestFeedback: String?
        /// Not met while the participant can still add evidence: links to a new evidence form.
        var gap: Bool
        var hasHistory: Bool
        var historyCount: Int
        var history: [Judgement]
    }

    struct Judgement {
        var when: String
        var judged: String
        var who: String
        var note: String?
    }

    var own: Bool
    var participant: String
    var name: String
    var state: String
    var outcome: String?
    var failReason: String?
    var returnNote: String?
    var counts: [Count]
    var sectionLinks: [SectionLink]
    var sections: [Section]
}
