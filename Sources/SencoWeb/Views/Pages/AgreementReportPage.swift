import Foundation
import SencoCore

/// A moderation plan's agreement report: per tutor, the portfolios sampled, statements
/// double-marked, agreement and Cohen's kappa (`SencoCore.ModerationReport`, the numbers of
/// `senco moderation report`), then every disagreement and how it was resolved.
struct AgreementReportPage: PageView {
    static let template = "agreement-report"

    struct Agreement {
        /// The tutor's name (their id when the cohort no longer names them), or "All tutors".
        var tutor: String
        var id: String?
        var sampled: Int
        var double: Int
        var agreements: Int
        var percent: String
        var kappa: String
        var disagreements: Int
        var open: Int
        /// The fragment of this tutor's disagreements, when there are any.
        var anchor: String?
    }

    struct Disagreement {
        var participant: String
        /// Where the reader can see the portfolio (the provider) or reconcile it (its moderator).
        var href: String?
        var statement: String
        var first: String
        var second: String
        var agreed: String?
        var note: String?
    }

    struct TutorDisagreements {
        var tutor: String
        var id: String
        var domID: String
        /// "2 disagreements, 1 not yet agreed".
        var counts: String
        var rows: [Disagreement]
    }

    struct Download {
        var href: String
        var label: String
    }

    var plan: String
    var cohort: String
    var cohortTitle: String
    /// The cohort's page, for the provider.
    var cohortHref: String?
    var rate: Int
    var minimumPerTutor: Int
    var seed: String
    var drawn: String
    var drawnBy: String
    var entries: Int
    var tutors: [Agreement]
    var overall: Agreement
    var hasDisagreements: Bool
    /// Whether no statement has both marks yet.
    var nothingMarked: Bool
    var byTutor: [TutorDisagreements]
    var downloads: [Download]
    var unread: [String]
    var hasUnread: Bool
}

extension AgreementReportPage.Agreement {
    init(_ t: ModerationReport.TutorAgreement, name: String, id: String?) {
        tutor = name
        self.id = id
        sampled = t.portfoliosSampled
        double = t.statementsDoubleMarked
        agreements = t.agreements
        // As `senco moderation report` prints them.
        percent = t.percentAgreement.map { String(format: "%.1f%%", $0) } ?? "nothing double-marked yet"
        kappa = t.kappa.map { String(format: "%.2f", $0) } ?? "not defined"
        disagreements = t.disagreements.count
        open = t.disagreements.filter { $0.agreed == nil }.count
        anchor = id.flatMap { t.disagreements.isEmpty ? nil : "disagreements-\($0)" }
    }
}
