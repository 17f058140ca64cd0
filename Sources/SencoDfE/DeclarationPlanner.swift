import Foundation
import SencoCore
import SencoData

/// From portfolio state to what the API will accept: the ready milestones that can be declared
/// now, the outcome corrections and withdrawals still to send, and, for each that cannot go,
/// one line saying why (participant ids only, never names).
public enum DeclarationPlanner {
    public struct Plan: Sendable, Hashable {
        public var requests: [DeclarationRequest] = []
        /// Outcomes to correct (signed off again with another outcome after `completed` was declared).
        public var outcomes: [OutcomeRequest] = []
        /// Withdrawals recorded in senco and not yet sent.
        public var withdrawals: [StatusChangeRequest] = []
        /// One line per participant or milestone held back, and why.
        public var held: [String] = []

        public init(
            requests: [DeclarationRequest] = [], outcomes: [OutcomeRequest] = [],
            withdrawals: [StatusChangeRequest] = [], held: [String] = []
        ) {
            self.requests = requests
            self.outcomes = outcomes
            self.withdrawals = withdrawals
            self.held = held
        }

        public mutating func add(_ other: Plan) {
            requests += other.requests
            outcomes += other.outcomes
            withdrawals += other.withdrawals
            held += other.held
        }

        /// Nothing to send.
        public var isEmpty: Bool { requests.isEmpty && outcomes.isEmpty && withdrawals.isEmpty }
    }

    /// The declarations to send for one participant's row of the completion report (made with
    /// `policy.rules`), leaving out those already `declared`.
    ///
    /// - Parameters:
    ///   - inactive: when the DfE held the participant deferred or withdrawn (`Portfolio.dfeInactivePeriods`).
    ///     A declaration dated in a period that has ended is declared as of the resumption; one
    ///     dated in a period that lasts (after a withdrawal, during a deferral) is held back.
    ///   - retired: DfE participant ids the DfE has retired; nothing is ever planned under one.
    public static func plan(
        row: CompletionRow, cohort: Cohort, policy: DeclarationPolicy, declared: Set<DeclarationType> = [], now: Date,
        inactive: [DfEInactivePeriod] = [], retired: Set<String> = []
    ) -> Plan {
        let id = row.participant.id
        let ready = row.declarations.filter { $0.status == .ready && !declared.contains($0.type) }
        guard !ready.isEmpty else { return Plan() }
        let names = ready.map(\.type.rawValue).joined(separator: ", ")
        guard let own = row.participant.dfe else {
            return Plan(held: [
                "\(id): no DfE participant id, so nothing is sent for \(names) (senco participant dfe \(id) --dfe-id UUID)"
            ])
        }
        let dfe = own.resolved(with: cohort.dfe)
        if retired.contains(dfe.participantID) {
            return Plan(held: [
                "\(id): the DfE retired its participant id \(dfe.participantID), so nothing is sent for \(names) (senco dfe pull follows the change)"
            ])
        }
        if dfe.trainingStatus != .active && !inactive.contains(where: { $0.until == nil }) {
            return Plan(held: [
                "\(id): \(dfe.trainingStatus.rawValue) in the DfE's records since a date senco does not know (senco dfe pull reads it), so nothing is sent for \(names)"
            ])
        }
        guard let schedule = dfe.schedule, let dfeCohort = dfe.cohort else {
            let missing = [dfe.schedule == nil ? "schedule" : nil, dfe.cohort == nil ? "DfE cohort" : nil].compactMap {
                $0
            }
            return Plan(
                held: [
                    "\(id): no \(missing.joined(separator: " or ")) for it or its cohort \(cohort.id) (senco cohort dfe \(cohort.id) …), so nothing is sent for \(names)"
                ])
        }
        guard let from = policy.declarationsFrom(schedule: schedule, cohort: dfeCohort) else {
            return Plan(
                held: [
                    "\(id): the policy has no declaration start for \(schedule) in DfE cohort \(dfeCohort) (add it to scheduleStarts), so nothing is sent for \(names)"
                ])
        }
        var plan = Plan()
        for declaration in ready {
            guard let readyAt = declaration.date else { continue }
            // The DfE accepts declarations from the schedule's start; a milestone met earlier is
            // declared as of that day, as the participant had met it by then.
            var date = max(readyAt, from.date)
            if date > now {
                plan.held.append(
                    "\(id): \(declaration.type.rawValue) cannot be declared before \(from) (the start of \(schedule) for DfE cohort \(dfeCohort))"
                )
                continue
            }
            // The API refuses a declaration dated on or after a withdrawal; none is made while
            // the DfE holds the participant deferred. One met in a deferral that has ended is
            // declared as of the resumption.
            var stop: String?
            for period in inactive where period.contains(date) {
                if let until = period.until {
                    date = max(date, until)
                } else {
                    let shown = Timestamp.string(date)
                    stop =
                        period.status == .withdrawn
                        ? "\(id): \(declaration.type.rawValue) would be dated \(shown), after the DfE withdrawal on \(Timestamp.string(period.from)), so it is not sent"
                        : "\(id): \(declaration.type.rawValue) would be dated \(shown), during the DfE deferral from \(Timestamp.string(period.from)), so it is not sent (it can be once the participant resumes)"
                }
            }
            if let stop {
                plan.held.append(stop)
                continue
            }
            if date > now {
                plan.held.append(
                    "\(id): \(declaration.type.rawValue) falls after the resumption, which is in the future")
                continue
            }
            if declaration.type == .completed && declaration.hasPassed == nil {
                plan.held.append("\(id): completed has no outcome recorded, so it is not sent")
                continue
            }
            plan.requests.append(
                DeclarationRequest(
                    participant: id, dfeParticipantID: dfe.participantID, type: declaration.type, date: date,
                    course: dfe.course,
                    hasPassed: declaration.type == .completed ? declaration.hasPassed : nil,
                    deliveryPartner: dfe.deliveryPartner))
        }
        return plan
    }

    /// Everything to send for one portfolio, against the record of what it already declared:
    /// its ready declarations, an outcome correction, and a withdrawal still to send (last, as
    /// the API accepts a withdrawal only after a `started` declaration).
    public static func plan(
        portfolio: Portfolio, cohort: Cohort, framework: Framework, rules: EvidenceRules, policy: DeclarationPolicy,
        now: Date, retired: Set<String> = []
    ) -> Plan {
        let row = CompletionReport.row(
            for: portfolio, framework: framework, rules: rules, declarationRules: policy.rules, today: Day(now))
        let declared = Set(DeclarationType.allCases.filter { portfolio.isDeclared($0) })
        var plan = plan(
            row: row, cohort: cohort, policy: policy, declared: declared, now: now,
            inactive: portfolio.dfeInactivePeriods, retired: retired.union(portfolio.retiredDfEIDs))
        let dfe = portfolio.participant.dfe?.resolved(with: cohort.dfe)
        if let outcome = outcomeCorrection(portfolio: portfolio, cohort: cohort, policy: policy, dfe: dfe) {
            plan.outcomes.append(outcome)
        }
        if let reason = portfolio.pendingDfEWithdrawal {
            if let dfe {
                plan.withdrawals.append(
                    StatusChangeRequest(
                        participant: portfolio.id, dfeParticipantID: dfe.participantID, course: dfe.course,
                        change: .withdraw(reason: reason)))
            } else {
                plan.held.append(
                    "\(portfolio.id): withdrawn (DfE reason \(reason)), but with no DfE participant id the DfE cannot be told (senco participant dfe \(portfolio.id) --dfe-id UUID)"
                )
            }
        }
        return plan
    }

    /// The outcome to send when the portfolio is signed off, its `completed` declaration stands,
    /// and the outcome the DfE holds (made from that declaration, or corrected since) is not the
    /// sign-off's: another result, or another day. Nil when there is nothing to correct. When the
    /// log does not say what the DfE holds, one is planned and the submitter asks the API first.
    static func outcomeCorrection(portfolio: Portfolio, cohort: Cohort, policy: DeclarationPolicy, dfe: DfEIdentity?)
        -> OutcomeRequest?
    {
        guard let dfe, let outcome = portfolio.outcome, let signedOff = portfolio.signedOffAt,
            portfolio.isDeclared(.completed)
        else { return nil }
        // The same day the completed declaration would be dated: never before the schedule's start.
        var day = Day(signedOff)
        if let schedule = dfe.schedule, let year = dfe.cohort,
            let from = policy.declarationsFrom(schedule: schedule, cohort: year)
        {
            day = max(day, from)
        }
        // The API keeps a pass once made: a later pass on another day changes nothing there.
        if let held = portfolio.dfeOutcome, held.state == outcome.rawValue,
            outcome == .passed || held.completionDate == day
        {
            return nil
        }
        return OutcomeRequest(
            participant: portfolio.id, dfeParticipantID: dfe.participantID, course: dfe.course, state: outcome,
            completionDate: day)
    }
}

extension DeclarationPlanner {
    /// A cohort's plan from each portfolio's plan and the DfE ids it has had retired: nothing
    /// is sent under an id the DfE retired, even by a participant who still holds it (a duplicate
    /// the DfE merged into another that senco has followed).
    public static func combine(_ parts: [(plan: Plan, retired: [String])]) -> Plan {
        let retired = Set(parts.flatMap(\.retired))
        var combined = Plan()
        for part in parts { combined.add(part.plan) }
        guard !retired.isEmpty else { return combined }
        let stopped = Set(
            (combined.requests.map { ($0.participant, $0.dfeParticipantID) }
                + combined.outcomes.map { ($0.participant, $0.dfeParticipantID) }
                + combined.withdrawals.map { ($0.participant, $0.dfeParticipantID) })
                .filter { retired.contains($0.1.lowercased()) }.map(\.0))
        for participant in stopped.sorted() {
            combined.held.append(
                "\(participant): its DfE participant id was retired by the DfE (merged into another), so nothing is sent under it (senco dfe pull follows the change)"
            )
        }
        combined.requests.removeAll { stopped.contains($0.participant) }
        combined.outcomes.removeAll { stopped.contains($0.participant) }
        combined.withdrawals.removeAll { stopped.contains($0.participant) }
        return combined
    }
}
