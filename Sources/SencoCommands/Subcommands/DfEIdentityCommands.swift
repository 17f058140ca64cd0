import ArgumentParser
import Foundation
import SencoCore

/// `senco participant dfe`: who a participant is in the DfE's lead-provider API.
struct ParticipantDfE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dfe", abstract: "Set a participant's DfE identity (participant id, schedule, cohort…).",
        discussion: """
            Declarations name the participant by the DfE's participant id (a UUID from the \
            lead-provider API). Schedule, DfE cohort and delivery partner default to the cohort's \
            (senco cohort dfe); give them here only where this participant differs.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var id: String
    @Option(name: .customLong("dfe-id"), help: "The DfE participant id (a UUID).") var dfeID: String?
    @Option(help: "Teacher reference number (7 digits).") var trn: String?
    @Option(help: "npq-leadership-autumn or npq-leadership-spring (default: the cohort's).") var schedule: String?
    @Option(name: .customLong("dfe-cohort"), help: "The DfE cohort, a year such as 2025 (default: the cohort's).")
    var dfeCohort: Int?
    @Option(name: .customLong("delivery-partner"), help: "The delivery partner's DfE id (a UUID).") var deliveryPartner:
        String?
    @Option(name: .customLong("funded-place"), help: "true or false, as the DfE records it.") var fundedPlace: Bool?
    @Option(name: .customLong("training-status"), help: "active, deferred or withdrawn, as the DfE records it.")
    var trainingStatus: String?
    @Option(name: .customLong("as"), help: "The provider user recording it.") var actor: String
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        // Every value is checked before anything is read for writing: one line, nothing stored.
        if let problem = Identifier.problem(with: id, what: "participant") { throw CommandError(problem) }
        if let dfeID, let problem = DfEIdentity.uuidProblem(dfeID, field: "--dfe-id") { throw CommandError(problem) }
        if let trn, trn.count != 7 || !trn.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw CommandError("--trn \(trn.quotedForMessage()) is not a teacher reference number (7 digits)")
        }
        if let schedule, let problem = DfEIdentity.scheduleProblem(schedule, field: "--schedule") {
            throw CommandError(problem)
        }
        if let dfeCohort, let problem = DfEIdentity.cohortProblem(dfeCohort, field: "--dfe-cohort") {
            throw CommandError(problem)
        }
        if let deliveryPartner, let problem = DfEIdentity.uuidProblem(deliveryPartner, field: "--delivery-partner") {
            throw CommandError(problem)
        }
        let status = try trainingStatus.map { text in
            guard let status = DfEIdentity.TrainingStatus(rawValue: text) else {
                throw CommandError("--training-status \(text.quotedForMessage()) is not active, deferred or withdrawn")
            }
            return status
        }
        try workspace.requireStaff(actor, for: id, option: "--as")
        let current = try workspace.portfolio(id, revision: revision.revision)
        guard dfeID != nil || current.participant.dfe != nil else {
            throw CommandError("\(id) has no DfE participant id yet: give --dfe-id")
        }
        if let dfeID, let holder = try otherHolder(of: dfeID.lowercased(), workspace: workspace) {
            throw CommandError(
                "DfE participant id \(dfeID.lowercased()) is already \(holder)'s; one DfE participant is one senco participant"
            )
        }
        let result = try workspace.update(id, revision: current.revision) { portfolio in
            var dfe = portfolio.participant.dfe ?? DfEIdentity(participantID: dfeID?.lowercased() ?? "")
            if let dfeID { dfe.participantID = dfeID.lowercased() }
            if let schedule { dfe.schedule = schedule }
            if let dfeCohort { dfe.cohort = dfeCohort }
            if let deliveryPartner { dfe.deliveryPartner = deliveryPartner.lowercased() }
            if let fundedPlace { dfe.fundedPlace = fundedPlace }
            if let status { dfe.trainingStatus = status }
            portfolio.recordDfEIdentity(
                dfe, trn: trn ?? portfolio.participant.trn, by: actor, role: .provider, at: Date().wholeSeconds)
        }
        print("Recorded \(id)'s DfE identity (revision \(result.revision))")
    }

    /// Another participant in the store who already holds `dfeID`, if any. Read from the
    /// summaries, which carry the participant's DfE identity: reading every portfolio made this
    /// command take seconds at a provider's size (about 4 s a participant at 1,000).
    private func otherHolder(of dfeID: String, workspace: Workspace) throws -> String? {
        let (framework, _, _) = try workspace.coverageFrameworks(primary: nil)
        for cohort in try workspace.store.cohorts() {
            let scan = try workspace.store.mapSummaries(inCohort: cohort.id, framework: framework)
            if let holder = scan.values.first(where: {
                $0.participant.dfe?.participantID == dfeID && $0.participant.id != id
            }) {
                return holder.participant.id
            }
        }
        return nil
    }
}

/// `senco cohort dfe`: the DfE schedule, cohort and delivery partner a cohort's participants share.
struct CohortDfE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dfe", abstract: "Set a cohort's DfE defaults (schedule, DfE cohort, delivery partner).")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Cohort id.") var id: String
    @Option(help: "npq-leadership-autumn or npq-leadership-spring.") var schedule: String?
    @Option(name: .customLong("dfe-cohort"), help: "The DfE cohort, a year such as 2025.") var dfeCohort: Int?
    @Option(name: .customLong("delivery-partner"), help: "The delivery partner's DfE id (a UUID).") var deliveryPartner:
        String?

    func run() throws {
        let workspace = try store.workspace()
        if let problem = Identifier.problem(with: id, what: "cohort") { throw CommandError(problem) }
        if schedule == nil && dfeCohort == nil && deliveryPartner == nil {
            throw CommandError("nothing to set: give --schedule, --dfe-cohort or --delivery-partner")
        }
        if let schedule, let problem = DfEIdentity.scheduleProblem(schedule, field: "--schedule") {
            throw CommandError(problem)
        }
        if let dfeCohort, let problem = DfEIdentity.cohortProblem(dfeCohort, field: "--dfe-cohort") {
            throw CommandError(problem)
        }
        if let deliveryPartner, let problem = DfEIdentity.uuidProblem(deliveryPartner, field: "--delivery-partner") {
            throw CommandError(problem)
        }
        var cohort = try workspace.store.cohort(id)
        if let schedule { cohort.dfe.schedule = schedule }
        if let dfeCohort { cohort.dfe.cohort = dfeCohort }
        if let deliveryPartner { cohort.dfe.deliveryPartner = deliveryPartner.lowercased() }
        try workspace.store.saveCohort(cohort)
        let d = cohort.dfe
        print(
            "Cohort \(id): schedule \(d.schedule ?? "not set"), DfE cohort \(d.cohort.map(String.init) ?? "not set"), delivery partner \(d.deliveryPartner ?? "none")"
        )
    }
}
