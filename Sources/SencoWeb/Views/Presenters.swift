import Foundation
import SencoStore
import SencoCore

/// Turns model values into the small values the page views hold. Status is always a word;
/// colour in the stylesheet only repeats it.
enum Present {
    static func sectionStatus(total: Int, evidenced: Int, sufficient: Int, met: Int) -> (word: String, key: String) {
        if total > 0 && met == total { return ("all met", "met") }
        if total > 0 && sufficient == total { return ("all sufficiently evidenced", "complete") }
        if evidenced > 0 { return ("in progress", "progress") }
        return ("not started", "none")
    }

    static func coverageRows(_ coverage: Coverage) -> [CoverageRow] {
        coverage.sections.map { section in
            let (that, how) = (section.learnThat, section.learnHowTo)
            let total = (total: that.total + how.total, met: that.met + how.met)
            let status = sectionStatus(
                total: total.total, evidenced: that.evidenced + how.evidenced, sufficient: that.sufficient + how.sufficient,
                met: total.met)
            return CoverageRow(
                number: section.number, title: section.title,
                thatEvidenced: that.evidenced, thatSufficient: that.sufficient, thatTotal: that.total,
                howEvidenced: how.evidenced, howSufficient: how.sufficient, howTotal: how.total,
                met: total.met, total: total.total, status: status.word, statusKey: status.key)
        }
    }

    static func totals(_ coverage: Coverage) -> CoverageTotals {
        let t = coverage.total
        return CoverageTotals(evidenced: t.evidenced, sufficient: t.sufficient, met: t.met, total: t.total)
    }

    /// The gaps (statements with no evidence), grouped by section.
    /// The statements without evidence, by section; with `addingTo` (the participant's own
    /// portfolio while they may change it), each links to a new evidence form with that
    /// statement already ticked.
    static func gaps(_ coverage: Coverage, framework: Framework, addingTo participant: String? = nil) -> [GapSection] {
        let gaps = Set(coverage.gaps.map(\.id))
        return framework.npqSections.compactMap { section in
            let statements = (section.learnThat + section.learnHowTo).filter { gaps.contains($0.id) }
            guard !statements.isEmpty else { return nil }
            return GapSection(
                number: section.number, title: section.title, count: statements.count,
                statements: statements.map { statement in
                    GapSection.Statement(
                        id: statement.id, text: statement.text,
                        addEvidence: participant.map { "/portfolios/\($0)/evidence/new?statement=\(statement.id)" })
                })
        }
    }

    static func evidenceRows(_ portfolio: Portfolio, rules: EvidenceRules) -> [EvidenceRow] {
        portfolio.evidence.map { item in
            let statements = portfolio.mappings(forEvidence: item.id).map(\.statement).joined(separator: ", ")
            return EvidenceRow(
                id: item.id, participant: portfolio.id, title: item.title,
                type: rules.type(withID: item.type)?.label ?? item.type, date: item.date.description,
                sensitive: item.sensitive, statements: statements.isEmpty ? nil : statements,
                attachments: item.attachments.map(AttachmentLink.init))
        }
    }

    static func sizeText(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1024 * 1024 { return "\(bytes / 1024) KB" }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// A limit stated exactly (never rounded, so the size a page states is the size accepted):
    /// "10 MB" for 10 × 1024 × 1024 bytes, "64 KB", else the bytes.
    static func limitText(_ bytes: Int) -> String {
        if bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 { return "\(bytes / (1024 * 1024)) MB" }
        if bytes >= 1024 && bytes % 1024 == 0 { return "\(bytes / 1024) KB" }
        return "\(bytes) bytes"
    }

    static func dateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = TimeZone(identifier: "Europe/London")
        formatter.dateFormat = "d MMMM yyyy, HH:mm"
        return formatter.string(from: date)
    }

    /// The statement picker: every section, its "Learn that" statements, then each "Learn how
    /// to" group under its heading, with the ticked ones checked.
    static func picker(_ framework: Framework, checked: Set<String>) -> [PickerSection] {
        framework.npqSections.map { section in
            func box(_ s: Statement) -> PickerSection.Box {
                PickerSection.Box(
                    id: s.id, domID: "st-" + s.id.replacingOccurrences(of: ".", with: "-"), text: s.text,
                    checked: checked.contains(s.id))
            }
            let ticked = (section.learnThat + section.learnHowTo).filter { checked.contains($0.id) }.count
            return PickerSection(
                number: section.number, title: section.title, open: ticked > 0, ticked: ticked,
                learnThat: section.learnThat.map(box),
                groups: section.groups.map {
                    PickerSection.Group(heading: $0.heading, statements: $0.statements.map(box))
                })
        }
    }
}
