import Foundation

/// What a portfolio document from outside must satisfy beyond its schema before it joins a
/// store: the same limits and rules as a portfolio built by senco's own commands.
extension Portfolio {
    /// The state the log's last state change leads to (a new portfolio is a draft).
    public var stateFromLog: PortfolioState {
        let transitions: [String: PortfolioState] = [
            "submitted": .submitted, "review-started": .inReview, "returned": .returned, "signed-off": .signedOff,
            "reopened": .inReview, "withdrawn": .withdrawn,
        ]
        return activities.last { transitions[$0.action] != nil }.flatMap { transitions[$0.action] } ?? .draft
    }

    /// One line per problem; empty when the portfolio may be imported into `cohort`.
    public func importProblems(cohort: Cohort, now: Date, tolerance: TimeInterval = 300) -> [String] {
        var problems: [String] = []
        if !cohort.tutors.contains(where: { $0.id == participant.tutor }) {
            problems.append(
                "tutor \(participant.tutor.quotedForMessage()) is not a tutor of cohort \(cohort.id)\(Suggestions.phrase(for: participant.tutor, among: cohort.tutors.map(\.id)))")
        }
        for (field, text) in [("participant name", participant.name), ("school", participant.school)] {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("\(field) is empty") }
            if let problem = TextLimits.problem(text, field: field, limit: TextLimits.name) { problems.append(problem) }
        }
        if let problem = PlausibleDates.participantStartProblem(participant.started, cohortStart: cohort.start, field: "started", today: Day(now)) {
            problems.append(problem)
        }
        // The schema checks the shapes; these check what a pattern cannot (a year in range).
        for problem in participant.dfe?.problems(today: Day(now)) ?? [] { problems.append(problem) }
        var seen = Set<String>()
        for item in evidence where !seen.insert(item.id).inserted {
            problems.append("evidence id \(item.id) is used twice")
        }
        for mapping in mappings {
            if evidenceItem(withID: mapping.evidence) == nil {
                problems.append("a mapping names evidence \(mapping.evidence.quotedForMessage()), which the portfolio does not have")
            }
            if let problem = TextLimits.problem(mapping.claim, field: "the claim mapping \(mapping.evidence) to \(mapping.statement)", limit: TextLimits.claim) {
                problems.append(problem)
            }
        }
        var previous: Date?
        for (index, event) in log.enumerated() {
            let at: Date
            let text: String
            switch event {
            case .activity(let activity): (at, text) = (activity.at, activity.note)
            case .judgement(let judgement): (at, text) = (judgement.at, judgement.feedback)
            }
            let future = at.timeIntervalSince(now) > tolerance
            if future {
                problems.append("log entry \(index + 1) is dated \(Day(at)), in the future")
            }
            if let previous, at < previous, previous.timeIntervalSince(now) <= tolerance {
                problems.append("log entry \(index + 1) is dated before the entry above it; the log must be in time order")
            }
            if let problem = TextLimits.problem(text, field: "the text of log entry \(index + 1)", limit: TextLimits.feedback) {
                problems.append(problem)
            }
            previous = at
        }
        if state != stateFromLog {
            problems.append("the portfolio says it is \(state.label), but its log leads to \(stateFromLog.label)")
        }
        if state == .signedOff && stateFromLog == .signedOff && outcome == nil {
            problems.append("the portfolio is signed off, but its sign-off entry records no outcome")
        }
        return problems
    }
}
