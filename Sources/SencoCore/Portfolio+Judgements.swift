/// The current status of each statement is derived from the log, never stored twice.
extension Portfolio {
    /// The latest first-mark or agreed judgement of a statement; second marks (a moderator's
    /// blind mark) inform reconciliation but do not change the status by themselves.
    public func latestJudgement(of statementID: String) -> Judgement? {
        judgements.last { $0.statement == statementID && $0.kind != .second }
    }

    /// Judged status if there is one; otherwise "ready for review" when evidence is mapped and
    /// "not yet evidenced" when none is.
    public func status(of statementID: String) -> JudgementStatus {
        if let judgement = latestJudgement(of: statementID) { return judgement.status }
        return mappings.contains { $0.statement == statementID } ? .readyForReview : .notYetEvidenced
    }

    /// Every judgement event for a statement, oldest first.
    public func history(of statementID: String) -> [Judgement] {
        judgements.filter { $0.statement == statementID }
    }
}
