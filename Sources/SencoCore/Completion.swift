import Foundation

/// The four declarations a lead provider makes to the DfE for an NPQ participant.
public enum DeclarationType: String, Sendable, Hashable, CaseIterable, Codable {
    case started
    case retained1 = "retained-1"
    case retained2 = "retained-2"
    case completed
}

/// Where a declaration stands for one participant.
public enum DeclarationStatus: String, Sendable, Hashable, Codable {
    /// The evidence for it exists: the provider can declare it, with `date`.
    case ready
    /// Its milestone has passed but the evidence for it does not exist yet: chase it.
    case due
    /// Neither yet.
    case notYet = "not-yet"
    /// The participant withdrew before earning it.
    case notApplicable = "not-applicable"
}

/// When each declaration becomes ready and due. Milestones are months after the participant's
/// start; engagement thresholds are shares of the NPQ statements evidenced.
public struct DeclarationRules: Sendable, Hashable {
    public var retained1Months = 6
    public var retained2Months = 12
    public var completedMonths = 18
    public var retained1Share = 1.0 / 3.0
    public var retained2Share = 2.0 / 3.0

    public init() {}
}

public struct Declaration: Sendable, Hashable {
    public var type: DeclarationType
    public var status: DeclarationStatus
    /// The date to declare (when ready): when the participant met the criterion.
    public var date: Date?
    /// When the milestone falls due.
    public var due: Day
    /// For `completed`: whether the participant passed.
    public var hasPassed: Bool?
}

/// One participant's line of the completion report.
public struct CompletionRow: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable {
        case inProgress = "in-progress"
        case submitted
        case signedOff = "signed-off"
        case withdrawn

        public var label: String {
            switch self {
            case .inProgress: "in progress"
            case .submitted: "submitted"
            case .signedOff: "signed off"
            case .withdrawn: "withdrawn"
            }
        }
    }

    public var participant: Participant
    public var state: State
    public var outcome: Outcome?
    public var sections: [Coverage.SectionCoverage]
    public var total: Coverage.Count
    public var declarations: [Declaration]
}

/// The completion report for a cohort.
public struct CompletionReport: Sendable, Hashable {
    public var cohort: Cohort
    public var framework: String
    public var generated: Day
    public var course: String { cohort.course }
    public var rows: [CompletionRow]

    public init(
        cohort: Cohort, portfolios: [Portfolio], framework: Framework, rules: EvidenceRules,
        declarationRules: DeclarationRules = DeclarationRules(), today: Day = .today
    ) {
        self.cohort = cohort
        self.framework = framework.id
        generated = today
        rows = portfolios.sorted { $0.id < $1.id }.map { portfolio in
            Self.row(for: portfolio, framework: framework, rules: rules, declarationRules: declarationRules, today: today)
        }
    }

    /// A report from rows made one portfolio at a time with `row(for:…)`, so a cohort can be
    /// reported without holding every portfolio in memory at once. Rows are put in participant order.
    public init(cohort: Cohort, framework: Framework, rows: [CompletionRow], today: Day = .today) {
        self.cohort = cohort
        self.framework = framework.id
        generated = today
        self.rows = rows.sorted { $0.participant.id < $1.participant.id }
    }

    /// One participant's line of the report.
    public static func row(
        for portfolio: Portfolio, framework: Framework, rules: EvidenceRules,
        declarationRules: DeclarationRules = DeclarationRules(), today: Day = .today
    ) -> CompletionRow {
        let coverage = Coverage(portfolio: portfolio, framework: framework, rules: rules)
        let state: CompletionRow.State
        switch portfolio.state {
        case .draft, .returned: state = .inProgress
        case .submitted, .inReview: state = .submitted
        case .signedOff: state = .signedOff
        case .withdrawn: state = .withdrawn
        }
        return CompletionRow(
            participant: portfolio.participant, state: state, outcome: portfolio.outcome, sections: coverage.sections,
            total: coverage.total,
            declarations: Self.declarations(
                for: portfolio, statementCount: framework.statements.count, framework: framework,
                rules: declarationRules, today: today))
    }

    static func declarations(
        for portfolio: Portfolio, statementCount: Int, framework: Framework, rules: DeclarationRules, today: Day
    ) -> [Declaration] {
        let start = portfolio.participant.started
        func months(_ n: Int) -> Day {
            Day(Day.utc.date(byAdding: .month, value: n, to: start.date) ?? start.date)
        }
        let withdrawnAt: Date? = portfolio.state == .withdrawn ? portfolio.stateSince : nil
        // When the count of evidenced NPQ statements first reached each threshold: each statement
        // counts from when the earliest item now mapped to it was added.
        var added: [String: Date] = [:]
        for item in portfolio.evidence { added[item.id] = item.added }
        var firstEvidenced: [String: Date] = [:]
        for mapping in portfolio.mappings where framework.statement(withID: mapping.statement) != nil {
            guard let date = added[mapping.evidence] else { continue }
            firstEvidenced[mapping.statement] = min(firstEvidenced[mapping.statement] ?? date, date)
        }
        let timeline = firstEvidenced.values.sorted()
        let thresholds = [1, Int((Double(statementCount) * rules.retained1Share).rounded(.up)), Int((Double(statementCount) * rules.retained2Share).rounded(.up))]
        var reached: [Int: Date] = [:]
        for threshold in thresholds where threshold >= 1 && timeline.count >= threshold {
            reached[threshold] = timeline[threshold - 1]
        }
        let firstEvidence = portfolio.evidence.map(\.added).min()
        func make(_ type: DeclarationType, due: Day, readyAt: Date?, hasPassed: Bool? = nil) -> Declaration {
            if let readyAt, withdrawnAt.map({ readyAt <= $0 }) ?? true {
                return Declaration(type: type, status: .ready, date: max(readyAt, start.date), due: due, hasPassed: hasPassed)
            }
            if withdrawnAt != nil { return Declaration(type: type, status: .notApplicable, date: nil, due: due) }
            return Declaration(type: type, status: today >= due ? .due : .notYet, date: nil, due: due)
        }
        return [
            make(.started, due: start, readyAt: firstEvidence),
            make(.retained1, due: months(rules.retained1Months), readyAt: reached[thresholds[1]]),
            make(.retained2, due: months(rules.retained2Months), readyAt: reached[thresholds[2]]),
            make(.completed, due: months(rules.completedMonths), readyAt: portfolio.signedOffAt, hasPassed: portfolio.outcome.map { $0 == .passed }),
        ]
    }
}
