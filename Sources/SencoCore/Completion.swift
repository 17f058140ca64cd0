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
    /// The state the DfE's API gave it when it was declared or last synced (`submitted`,
    /// `eligible`, `payable`, `paid`, `voided`…); nil: not declared.
    public var dfeState: String?
}

/// One participant's line of the completion report.
public struct CompletionRow: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
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
            declarations: Self.withStates(
                Self.declarations(
                    for: portfolio, statementCount: framework.statements.count, framework: framework,
                    rules: declarationRules, today: today), DeclarationType.allCases.compactMap { portfolio.declarationRecords[$0] }))
    }

    /// Each declaration with the DfE's state for it, where the log records one.
    static func withStates(_ declarations: [Declaration], _ records: [DeclarationRecord]) -> [Declaration] {
        declarations.map { declaration in
            var copy = declaration
            copy.dfeState = records.first { $0.type == declaration.type }?.state
            return copy
        }
    }

    static func declarations(
        for portfolio: Portfolio, statementCount: Int, framework: Framework, rules: DeclarationRules, today: Day
    ) -> [Declaration] {
        declarations(
            start: portfolio.participant.started,
            milestones: Milestones(portfolio: portfolio, framework: framework, rules: rules), rules: rules, today: today)
    }

    /// The four declarations from the dates a participant met each criterion; only whether a
    /// milestone is due depends on `today`.
    static func declarations(start: Day, milestones m: Milestones, rules: DeclarationRules, today: Day) -> [Declaration] {
        func months(_ n: Int) -> Day {
            Day(Day.utc.date(byAdding: .month, value: n, to: start.date) ?? start.date)
        }
        func make(_ type: DeclarationType, due: Day, readyAt: Date?, hasPassed: Bool? = nil) -> Declaration {
            if let readyAt, m.withdrawn.map({ readyAt <= $0 }) ?? true {
                return Declaration(type: type, status: .ready, date: max(readyAt, start.date), due: due, hasPassed: hasPassed)
            }
            if m.withdrawn != nil { return Declaration(type: type, status: .notApplicable, date: nil, due: due) }
            return Declaration(type: type, status: today >= due ? .due : .notYet, date: nil, due: due)
        }
        return [
            make(.started, due: start, readyAt: m.firstEvidence),
            make(.retained1, due: months(rules.retained1Months), readyAt: m.retained1),
            make(.retained2, due: months(rules.retained2Months), readyAt: m.retained2),
            make(.completed, due: months(rules.completedMonths), readyAt: m.signedOff, hasPassed: m.hasPassed),
        ]
    }

    /// One participant's line of the report from their summary, without reading the portfolio.
    public static func row(for summary: PortfolioSummary, rules: DeclarationRules = DeclarationRules(), today: Day = .today) -> CompletionRow {
        CompletionRow(
            participant: summary.participant, state: CompletionRow.State(summary.state), outcome: summary.outcome,
            sections: summary.sections, total: summary.total,
            declarations: withStates(
                declarations(start: summary.participant.started, milestones: summary.milestones, rules: rules, today: today),
                summary.declared))
    }
}

extension CompletionRow.State {
    public init(_ state: PortfolioState) {
        switch state {
        case .draft, .returned: self = .inProgress
        case .submitted, .inReview: self = .submitted
        case .signedOff: self = .signedOff
        case .withdrawn: self = .withdrawn
        }
    }
}

/// When a participant met each declaration's criterion, as far as their portfolio shows.
public struct Milestones: Sendable, Hashable {
    /// When the first evidence was logged (`started`).
    public var firstEvidence: Date?
    /// When the count of evidenced NPQ statements first reached each share (`retained-1`, `-2`).
    public var retained1: Date?
    public var retained2: Date?
    /// When it was signed off, and whether as passed (`completed`).
    public var signedOff: Date?
    public var hasPassed: Bool?
    /// When the participant withdrew, if they have.
    public var withdrawn: Date?

    public init(
        firstEvidence: Date? = nil, retained1: Date? = nil, retained2: Date? = nil, signedOff: Date? = nil,
        hasPassed: Bool? = nil, withdrawn: Date? = nil
    ) {
        self.firstEvidence = firstEvidence
        self.retained1 = retained1
        self.retained2 = retained2
        self.signedOff = signedOff
        self.hasPassed = hasPassed
        self.withdrawn = withdrawn
    }

    public init(portfolio: Portfolio, framework: Framework, rules: DeclarationRules = DeclarationRules()) {
        // Each statement counts from when the earliest item now mapped to it was added.
        var added: [String: Date] = [:]
        for item in portfolio.evidence { added[item.id] = item.added }
        var firstEvidenced: [String: Date] = [:]
        for mapping in portfolio.mappings where framework.statement(withID: mapping.statement) != nil {
            guard let date = added[mapping.evidence] else { continue }
            firstEvidenced[mapping.statement] = min(firstEvidenced[mapping.statement] ?? date, date)
        }
        let timeline = firstEvidenced.values.sorted()
        let count = framework.statements.count
        func reached(_ share: Double) -> Date? {
            let threshold = Int((Double(count) * share).rounded(.up))
            return threshold >= 1 && timeline.count >= threshold ? timeline[threshold - 1] : nil
        }
        self.init(
            firstEvidence: portfolio.evidence.map(\.added).min(), retained1: reached(rules.retained1Share),
            retained2: reached(rules.retained2Share), signedOff: portfolio.signedOffAt,
            hasPassed: portfolio.outcome.map { $0 == .passed },
            withdrawn: portfolio.state == .withdrawn ? portfolio.stateSince : nil)
    }
}
