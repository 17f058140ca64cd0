import Foundation
import SencoCore

/// A cohort's completion report as a page: one page of participants (filtered as on the cohort
/// page), each with their state, outcome, coverage per section and DfE declarations, and the
/// report's downloads beside it.
struct CompletionReportPage: PageView {
    static let template = "completion-report"

    struct StateCount {
        var state: String
        var count: Int
    }

    struct SectionHeading {
        var number: Int
        var title: String
    }

    /// One section's statements for one participant: evidenced, sufficiently evidenced and
    /// judged met, of the section's total.
    struct SectionCell {
        var evidenced: Int
        var sufficient: Int
        var met: Int
        var total: Int
    }

    struct DeclarationCell {
        /// "started", "retained-1"…
        var type: String
        /// "ready", "due", "not yet", "not applicable".
        var status: String
        /// The date to declare, when ready.
        var date: String?
        /// When the milestone falls due, when it is due and not ready.
        var due: String?
        /// For `completed`: "passed" or "not passed".
        var passed: String?
        /// The state the DfE's API last gave the declaration ("submitted", "paid"…).
        var dfeState: String?
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
        var sections: [SectionCell]
        var declarations: [DeclarationCell]
    }

    struct Download {
        var href: String
        var label: String
    }

    var id: String
    var title: String
    var start: String
    var provider: String
    var generated: String
    var everyone: Int
    var counts: [StateCount]
    var none: Bool
    var noMatch: Bool
    var problems: [String]
    var hasProblems: Bool
    var search: String
    var filtered: Bool
    var shown: String
    var states: [SelectOption]
    var tutors: [SelectOption]
    var sectionHeadings: [SectionHeading]
    var rows: [Row]
    var paging: PageNavigation
    var downloads: [Download]
}

extension CompletionReportPage.DeclarationCell {
    init(_ declaration: Declaration) {
        type = declaration.type.rawValue
        status = declaration.status.rawValue.replacingOccurrences(of: "-", with: " ")
        date = declaration.status == .ready ? declaration.date.map { Day($0).description } : nil
        due = declaration.status == .due ? declaration.due.description : nil
        passed = declaration.status == .ready ? declaration.hasPassed.map { $0 ? "passed" : "not passed" } : nil
        dfeState = declaration.dfeState?.replacingOccurrences(of: "_", with: " ")
    }
}
