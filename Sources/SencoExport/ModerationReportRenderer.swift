import Foundation
import SencoCore

/// The moderation agreement report (`SencoCore.ModerationReport`, the numbers of `senco
/// moderation report`) as CSV for a spreadsheet: one file of agreement per tutor, one of every
/// disagreement and its resolution (a single table each, so both sort and filter as they are).
public enum ModerationReportRenderer {
    /// One row per tutor, then one for all tutors. Agreement is a percentage to one decimal
    /// place, kappa to three, as `--format json` gives them; both are empty where undefined.
    public static func agreementCSV(_ report: ModerationReport, tutorNames: [String: String] = [:]) -> String {
        var lines = [
            [
                "plan", "cohort", "tutor", "tutor_name", "portfolios_sampled", "statements_double_marked", "agreements",
                "percent_agreement", "kappa", "disagreements", "not_yet_agreed",
            ].joined(separator: ",")
        ]
        let rows =
            report.tutors.map { ($0, $0.tutor, tutorNames[$0.tutor] ?? "") } + [(report.overall, "", "all tutors")]
        for (t, tutor, name) in rows {
            let text = [report.plan, report.cohort, tutor, name]
            let numbers = [
                String(t.portfoliosSampled), String(t.statementsDoubleMarked), String(t.agreements),
                t.percentAgreement.map { String(format: "%.1f", $0) } ?? "",
                t.kappa.map { String(format: "%.3f", $0) } ?? "",
                String(t.disagreements.count), String(t.disagreements.filter { $0.agreed == nil }.count),
            ]
            // Numbers are written by this code and may be negative (kappa): they are never
            // prefixed as a formula would be.
            lines.append((text.map(CompletionRenderer.cell) + numbers).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Every statement where the tutor's first mark and the moderator's blind second mark
    /// differed, with the agreed judgement and its note once reconciled.
    public static func disagreementsCSV(_ report: ModerationReport, tutorNames: [String: String] = [:]) -> String {
        var lines = [
            ["plan", "tutor", "tutor_name", "participant", "statement", "first_mark", "second_mark", "agreed", "note"]
                .joined(separator: ",")
        ]
        for t in report.tutors {
            for d in t.disagreements {
                let cells = [
                    report.plan, t.tutor, tutorNames[t.tutor] ?? "", d.participant, d.statement, d.first.rawValue,
                    d.second.rawValue,
                    d.agreed?.rawValue ?? "", d.note ?? "",
                ]
                lines.append(cells.map(CompletionRenderer.cell).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
