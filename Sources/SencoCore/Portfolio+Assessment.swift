import Foundation

/// The assessment workflow: draft → submitted → in review → returned or signed off, with
/// reopening (logged, with a reason) and withdrawal. Judgements are events in the log; the
/// current status of a statement is derived from them (`Portfolio+Judgements`).
extension Portfolio {
    /// The outcome recorded at the latest sign-off, if the portfolio is signed off.
    public var outcome: Outcome? {
        guard state == .signedOff else { return nil }
        return activities.last { $0.action == "signed-off" }?.outcome
    }

    /// When the portfolio was last signed off, if it is.
    public var signedOffAt: Date? {
        guard state == .signedOff else { return nil }
        return activities.last { $0.action == "signed-off" }?.at
    }

    private mutating func transition(to next: PortfolioState, at now: Date, note: String, activity: Activity) {
        state = next
        stateSince = now
        stateNote = note
        log.append(.activity(activity))
    }

    /// A participant hands the portfolio to their tutor.
    public mutating func submit(by actor: String, at now: Date) throws(RuleError) {
        guard state == .draft || state == .returned else {
            throw RuleError("portfolio \(id) is \(state.label); only a draft or returned portfolio can be submitted")
        }
        guard !evidence.isEmpty else { throw RuleError("portfolio \(id) has no evidence to submit") }
        transition(
            to: .submitted, at: now, note: "",
            activity: Activity(at: now, by: actor, role: .participant, action: "submitted", note: "Submitted for review"))
    }

    /// Records a tutor's judgement of one statement. A submitted portfolio moves into review.
    public mutating func judge(
        statement statementID: String, status: JudgementStatus, feedback: String, assessor: String, role: Role = .tutor,
        frameworks: [Framework], at now: Date
    ) throws(RuleError) {
        try requireJudgeable()
        guard role == .tutor || role == .provider else {
            throw RuleError("only a tutor records first-mark judgements; moderators use moderation mark")
        }
        if let problem = Identifier.problem(with: assessor, what: "assessor") { throw RuleError(problem) }
        if let problem = TextLimits.problem(feedback, field: "feedback", limit: TextLimits.feedback) { throw RuleError(problem) }
        try requireStatement(statementID, frameworks: frameworks)
        if status == .met && mappings(forStatement: statementID).isEmpty {
            throw RuleError("cannot judge \(statementID) met: no evidence is mapped to it")
        }
        if (status == .notMet || status == .partiallyMet) && feedback.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw RuleError("judging \(statementID) \(status.label) needs feedback that says what is missing")
        }
        if state == .submitted {
            transition(
                to: .inReview, at: now, note: "",
                activity: Activity(at: now, by: assessor, role: role, action: "review-started", note: "Review started"))
        }
        log.append(
            .judgement(Judgement(at: now, by: assessor, role: role, statement: statementID, status: status, kind: .first, feedback: feedback)))
    }

    /// The tutor sends the portfolio back to the participant with feedback.
    public mutating func returnToParticipant(by tutor: String, feedback: String, at now: Date) throws(RuleError) {
        guard state == .submitted || state == .inReview else {
            throw RuleError("portfolio \(id) is \(state.label); only a submitted or in-review portfolio can be returned")
        }
        let feedback = feedback.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !feedback.isEmpty else { throw RuleError("returning a portfolio needs feedback for the participant") }
        if let problem = TextLimits.problem(feedback, field: "feedback", limit: TextLimits.feedback) { throw RuleError(problem) }
        transition(
            to: .returned, at: now, note: feedback,
            activity: Activity(at: now, by: tutor, role: .tutor, action: "returned", note: "Returned with feedback"))
    }

    /// Signs the portfolio off, which locks it. A pass needs every statement of `framework` judged met.
    public mutating func signOff(
        by tutor: String, outcome: Outcome, reason: String = "", framework: Framework, at now: Date
    ) throws(RuleError) {
        guard state == .submitted || state == .inReview else {
            throw RuleError("portfolio \(id) is \(state.label); only a submitted or in-review portfolio can be signed off")
        }
        if outcome == .passed {
            let notMet = framework.statements.filter { status(of: $0.id) != .met }.map(\.id)
            if !notMet.isEmpty {
                let shown = notMet.prefix(8).joined(separator: ", ") + (notMet.count > 8 ? ", …" : "")
                throw RuleError("cannot sign off \(id) as passed: \(notMet.count) statements are not judged met (\(shown))")
            }
        } else if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw RuleError("signing off \(id) as failed needs a reason")
        } else if let problem = TextLimits.problem(reason, field: "the reason", limit: TextLimits.reason) {
            throw RuleError(problem)
        }
        transition(
            to: .signedOff, at: now, note: reason,
            activity: Activity(at: now, by: tutor, role: .tutor, action: "signed-off", outcome: outcome, note: "Signed off: \(outcome.rawValue)"))
    }

    /// Unlocks a signed-off portfolio for further review; the reason is logged.
    public mutating func reopen(by actor: String, role: Role, reason: String, at now: Date) throws(RuleError) {
        guard state == .signedOff else { throw RuleError("portfolio \(id) is \(state.label), not signed off; nothing to reopen") }
        guard role == .tutor || role == .provider else { throw RuleError("only a tutor or the provider can reopen a portfolio") }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw RuleError("reopening a signed-off portfolio needs a reason, which is logged") }
        if let problem = TextLimits.problem(reason, field: "the reason", limit: TextLimits.reason) { throw RuleError(problem) }
        transition(
            to: .inReview, at: now, note: reason,
            activity: Activity(at: now, by: actor, role: role, action: "reopened", note: "Reopened: \(reason)"))
    }

    /// The participant has left the programme. `dfeReason`, the DfE's own withdrawal reason, is
    /// kept on the entry until the withdrawal is sent to the DfE (`pendingDfEWithdrawal`).
    public mutating func withdraw(by actor: String, reason: String, dfeReason: String? = nil, at now: Date)
        throws(RuleError)
    {
        guard state != .withdrawn else { throw RuleError("portfolio \(id) is already withdrawn") }
        guard state != .signedOff else { throw RuleError("portfolio \(id) is signed off; reopen it before withdrawing") }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw RuleError("withdrawing \(id) needs a reason (neutral, no personal details)") }
        if let problem = TextLimits.problem(reason, field: "the reason", limit: TextLimits.reason) { throw RuleError(problem) }
        transition(
            to: .withdrawn, at: now, note: reason,
            activity: Activity(
                at: now, by: actor, role: .provider, action: "withdrawn", note: "Withdrawn",
                trainingStatus: dfeReason.map { TrainingStatusRecord(status: .withdrawn, reason: $0) }))
    }

    /// Judgements may be recorded unless the portfolio is locked (signed off) or withdrawn.
    public func requireJudgeable() throws(RuleError) {
        switch state {
        case .signedOff: throw RuleError("portfolio \(id) is signed off and locked; reopen it (with a reason) to change judgements")
        case .withdrawn: throw RuleError("portfolio \(id) is withdrawn; it cannot be judged")
        default: break
        }
    }

    func requireStatement(_ statementID: String, frameworks: [Framework]) throws(RuleError) {
        let followed = frameworks.filter { self.frameworks.contains($0.id) }
        guard followed.contains(where: { $0.statement(withID: statementID) != nil }) else {
            let suggestions = followed.flatMap { $0.suggestions(for: statementID) }.prefix(3)
            throw RuleError(
                "unknown statement id \"\(statementID)\""
                    + (suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"))
        }
    }
}
