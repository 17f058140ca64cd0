import Foundation

/// A cohort's moderation samples, each with its agreement report, and the way to draw another.
struct CohortModerationPage: PageView {
    static let template = "cohort-moderation"

    struct Plan {
        var id: String
        var drawn: String
        var drawnBy: String
        var rate: Int
        var count: Int
    }

    var id: String
    var title: String
    var plans: [Plan]
    var none: Bool
}
