/// The provider's home: cohorts, moderation plans and accounts (`provider-home.mustache`).
struct ProviderHomePage: PageView {
    static let template = "provider-home"

    struct Cohort {
        var id: String
        var title: String
        var provider: String
        var start: String
        var participants: Int
        var tutors: String
    }

    struct Plan {
        var id: String
        var cohort: String
        var count: Int
    }

    struct User {
        var id: String
        var name: String
        var role: String
        /// The participant or tutor id the account opens.
        var link: String
    }

    var hasProblems: Bool
    var problems: [String]
    var cohorts: [Cohort]
    var hasPlans: Bool
    var plans: [Plan]
    var users: [User]
}

/// A cohort's dashboard: counts, downloads, and a filtered page of participants with their
/// DfE declarations (`cohort.mustache`).
struct CohortPage: PageView {
    static let template = "cohort"

    struct Count {
        var state: String
        var count: Int
    }

    struct Row {
        var id: String
        var name: String
        var tutor: String
        var state: String
        var outcome: String
        var evidenced: Int
        var sufficient: Int
        var met: Int
        var total: Int
        var declarations: [Declaration]
    }

    struct Declaration {
        var type: String
        var status: String
    }

    var id: String
    var title: String
    var start: String
    var everyone: Int
    var counts: [Count]
    var hasProblems: Bool
    var problems: [String]
    var none: Bool
    var search: String
    var states: [SelectOption]
    var tutors: [SelectOption]
    var filtered: Bool
    var shown: String
    var noMatch: Bool
    var rows: [Row]
    var paging: PageNavigation
}

/// Reopening a signed-off portfolio or withdrawing a participant (`provider-workflow.mustache`).
struct ProviderWorkflowPage: PageView {
    static let template = "provider-workflow"

    var id: String
    var name: String
    var cohort: String
    var state: String
    /// The note of the last change of state.
    var note: String?
    var canReopen: Bool
    var canWithdraw: Bool
    var isWithdrawn: Bool
    var csrf: String?
    var revision: Int
    var logged: Int?
    var changes: ChangesView?

    var error: String?
    var errorField: String?
    var reopenError: String?
    var reopenReason: String
    var withdrawError: String?
    var withdrawReason: String
    /// The DfE's own withdrawal reasons, the one chosen selected.
    var dfeReasons: [SelectOption]
    var dfeReasonError: String?
}

/// Drawing a moderation sample (`moderation-new.mustache`).
struct ModerationSamplePage: PageView {
    static let template = "moderation-new"

    struct Moderator {
        var id: String
        var name: String
        var selected: Bool
    }

    /// What the form holds: the defaults, or what was typed.
    struct Typed {
        var rate = ""
        var minimum = ""
        var seed = ""
        var planID = ""
        var moderator = ""
    }

    var cohort: String
    var title: String
    var csrf: String?
    var rate: String
    var minimum: String
    var seed: String
    var planID: String
    var moderators: [Moderator]

    var error: String?
    var errorField: String?
    var rateError: String?
    var minimumError: String?
    var seedError: String?
    var planError: String?
    var moderatorError: String?
}
