import Foundation
import SencoCore

/// From portfolio state to the declarations the API will accept: which ready milestones can be
/// sent now, and, for each that cannot, one line saying why (participant ids only, never names).
public enum DeclarationPlanner {
    public struct Plan: Sendable, Hashable {
        public var requests: [DeclarationRequest] = []
        /// One line per participant or milestone held back, and why.
        public var held: [String] = []

        public init(requests: [DeclarationRequest] = [], held: [String] = []) {
            self.requests = requests
            self.held = held
        }

        public mutating func add(_ other: Plan) {
            requests += other.requests
            held += other.held
        }
    }

    /// The declarations to send for one participant's row of the completion report (made with
    /// `policy.rules`), leaving out those already `declared`.
    public static func plan(
        row: CompletionRow, cohort: Cohort, policy: DeclarationPolicy, declared: Set<DeclarationType> = [], now: Date
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
        if dfe.trainingStatus != .active {
            return Plan(held: [
                "\(id): \(dfe.trainingStatus.rawValue) in the DfE's records, so nothing is sent for \(names)"
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
            let date = max(readyAt, from.date)
            if date > now {
                plan.held.append(
                    "\(id): \(declaration.type.rawValue) cannot be declared before \(from) (the start of \(schedule) for DfE cohort \(dfeCohort))"
                )
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

    /// The declarations to send for one portfolio, against the record of what it already declared.
    public static func plan(
        portfolio: Portfolio, cohort: Cohort, framework: Framework, rules: EvidenceRules, policy: DeclarationPolicy,
        now: Date
    ) -> Plan {
        let row = CompletionReport.row(
            for: portfolio, framework: framework, rules: rules, declarationRules: policy.rules, today: Day(now))
        let declared = Set(DeclarationType.allCases.filter { portfolio.isDeclared($0) })
        return plan(row: row, cohort: cohort, policy: policy, declared: declared, now: now)
    }
}
