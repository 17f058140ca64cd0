import Foundation
import SencoCore

/// One participant's coverage of the National Award for SEN Coordination outcomes through the
/// crosswalk, as `senco coverage` reports it: each outcome sufficiently evidenced (only through
/// an exact or partial link to a sufficiently evidenced NPQ statement), evidenced but not yet
/// sufficient, reached only through related links, not reached, or with no NPQ equivalent;
/// grouped by area and sub-area, with the statements that reach it and those that could.
struct NationalAwardPage: PageView {
    static let template = "national-award"

    /// A statement that could show the outcome (an exact or partial link) but has no sufficient
    /// evidence yet; `href` is the new-evidence form with it ticked, for the participant.
    struct Opening {
        var statement: String
        var relation: String
        var href: String?
    }

    struct Outcome {
        var id: String
        var text: String
        var status: String
        var statusKey: String
        /// The evidenced statements that reach it, in three kinds, each "2.6 (partial), 2.1
        /// (exact)" or nil: exact or partial links whose statement is sufficiently evidenced
        /// (these make the outcome sufficient), exact or partial links whose evidence is not yet
        /// sufficient, and related links (which never do).
        var showing: String?
        var showingThin: String?
        var related: String?
        var hasRoutes: Bool
        var openings: [Opening]
        var hasOpenings: Bool
        /// Not yet sufficiently evidenced (with no opening: no NPQ statement can make it so).
        var needsMore: Bool
        var noEquivalent: String?
    }

    struct Subarea {
        var number: String
        var title: String
        var stem: String
        var outcomes: [Outcome]
    }

    struct Area {
        var number: Int
        var title: String
        var subareas: [Subarea]
    }

    struct Count {
        var value: String
        var label: String
        var count: Int
        var selected: Bool
    }

    var own: Bool
    var id: String
    var name: String
    var state: String
    var award: String
    var total: Int
    var evidenced: Int
    var sufficient: Int
    var counts: [Count]
    var filtered: Bool
    var shown: String
    var areas: [Area]
    var noMatch: Bool
    var attribution: String
}

/// A cohort's table of National Award outcomes: per outcome, how many of its participants have
/// evidenced it and how many sufficiently (`OutcomeTally`, from summaries).
struct CohortNationalAwardPage: PageView {
    static let template = "cohort-national-award"

    struct Outcome {
        var id: String
        var text: String
        var evidenced: Int
        var evidencedShare: String
        var sufficient: Int
        var sufficientShare: String
        var onlyRelated: Int
        var noEquivalent: String?
    }

    struct Subarea {
        var number: String
        var title: String
        var domID: String
        var outcomes: [Outcome]
    }

    struct Area {
        var number: Int
        var title: String
        var subareas: [Subarea]
    }

    var id: String
    var title: String
    var award: String
    var everyone: Int
    var participants: Int
    var none: Bool
    var filtered: Bool
    var states: [SelectOption]
    var tutors: [SelectOption]
    var areas: [Area]
    var problems: [String]
    var hasProblems: Bool
    var attribution: String
}
