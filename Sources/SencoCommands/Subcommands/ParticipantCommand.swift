import ArgumentParser
import Foundation
import SencoCore
import SencoData

struct ParticipantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "participant", abstract: "Add, list and show participants.",
        subcommands: [ParticipantAdd.self, ParticipantList.self, ParticipantShow.self, ParticipantDfE.self])
}

struct ParticipantAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a participant to a cohort.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The participant id: lowercase letters, digits and hyphens, e.g. p-26a-01.") var id: String
    @Option(help: "Full name.") var name: String
    @Option(help: "School or setting.") var school: String
    @Option(help: "Cohort id.") var cohort: String
    @Option(help: "Tutor id (one of the cohort's tutors).") var tutor: String
    @Option(help: "Email address.") var email: String?
    @Option(help: "Teacher reference number (7 digits), used for DfE declarations.") var trn: String?
    @Option(help: "Start date, YYYY-MM-DD (default: the cohort's start).") var started: String?

    func run() throws {
        let workspace = try store.workspace()
        if let problem = Identifier.problem(with: id, what: "participant") { throw CommandError(problem) }
        let cohort = try workspace.store.cohort(self.cohort)
        if cohort.tutors.isEmpty {
            throw CommandError("cohort \(cohort.id) has no tutors yet; a participant needs one of the cohort's tutors")
        }
        if !cohort.tutors.contains(where: { $0.id == tutor }) {
            throw CommandError(
                "tutor \(tutor.quotedForMessage()) does not teach cohort \(cohort.id); its tutors are \(cohort.tutors.map(\.id).joined(separator: ", "))")
        }
        let name = try pasted(self.name, "--name")
        let school = try pasted(self.school, "--school")
        for (option, text) in [("--name", name), ("--school", school)] {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw CommandError("\(option) is empty") }
            if let problem = TextLimits.problem(text, field: option, limit: TextLimits.name) { throw CommandError(problem) }
        }
        if let email, email.count > 254 || !Self.looksLikeEmail(email) {
            throw CommandError("--email \(email.quotedForMessage()) is not an email address")
        }
        if let trn, trn.count != 7 || !trn.allSatisfy(\.isASCII) || !trn.allSatisfy(\.isNumber) {
            throw CommandError("--trn \"\(trn)\" is not a teacher reference number (7 digits)")
        }
        let start: Day
        if let started {
            guard let day = Day(started) else { throw CommandError("--started \(started.quotedForMessage()) is not a date (YYYY-MM-DD)") }
            if let problem = PlausibleDates.participantStartProblem(day, cohortStart: cohort.start) { throw CommandError(problem) }
            start = day
        } else {
            start = cohort.start
        }
        let now = Date().wholeSeconds
        let portfolio = Portfolio(
            participant: Participant(
                id: id, name: name, school: school, email: email, trn: trn, cohort: cohort.id, tutor: tutor, started: start),
            frameworks: workspace.library.frameworks.map(\.id), state: .draft, stateSince: now,
            log: [.activity(Activity(at: now, by: id, role: .provider, action: "created", note: "Portfolio created"))])
        try workspace.store.create(portfolio)
        print("Added participant \(id) to cohort \(cohort.id), tutor \(tutor)")
    }

    /// One @, something on each side, a dot in the domain, no spaces or controls: enough to
    /// catch a wrong field pasted in, without refusing real addresses.
    static func looksLikeEmail(_ text: String) -> Bool {
        ParticipantEntry.looksLikeEmail(text)
    }
}

struct ParticipantList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List participants and their progress.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Only this cohort.") var cohort: String?
    @Option(help: "Only this tutor's participants.") var tutor: String?
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    struct Entry: Encodable {
        let id, name, cohort, tutor, state: String
        let evidence: Int
        let statements: Int
        let evidenced: Int
        let revision: Int
    }

    func run() throws {
        let workspace = try store.workspace()
        let (framework, _, _) = try workspace.coverageFrameworks(primary: nil)
        var skipped = StoreProblemReport()
        let cohorts = try cohort.map { [try workspace.store.cohort($0)] } ?? skipped.values(workspace.store.scanCohorts())
        var entries: [Entry] = []
        let tutor = self.tutor
        for cohort in cohorts {
            let cohortID = cohort.id
            for summary in skipped.values(try workspace.store.mapSummaries(inCohort: cohortID, framework: framework))
            where tutor == nil || summary.participant.tutor == tutor {
                entries.append(
                    Entry(
                        id: summary.id, name: summary.participant.name, cohort: cohortID, tutor: summary.participant.tutor,
                        state: summary.state.rawValue, evidence: summary.evidenceCount, statements: summary.total.total,
                        evidenced: summary.total.evidenced, revision: summary.revision))
            }
        }
        switch format {
        case .json: print(try JSON.string(entries))
        case .text:
            if entries.isEmpty {
                print("No participants. Add one with: senco participant add ID --name … --school … --cohort … --tutor …")
            } else {
                var rows = [["PARTICIPANT", "COHORT", "TUTOR", "STATE", "ITEMS", "EVIDENCED", "NAME"]]
                for e in entries {
                    rows.append([
                        e.id, e.cohort, e.tutor, e.state.replacingOccurrences(of: "-", with: " "), String(e.evidence),
                        "\(e.evidenced)/\(e.statements)", e.name,
                    ])
                }
                print(FrameworkText.table(rows), terminator: "")
            }
        }
        try skipped.finish()
    }
}

struct ParticipantShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a participant and their portfolio.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var id: String
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    struct View: Encodable {
        let id, name, school, cohort, tutor, state, started: String
        let email, trn: String?
        let dfe: DfEView?
        let revision: Int
        let frameworks: [String]
        let evidence: Int
        let mappings: Int
        let judgements: Int
    }

    struct DfEView: Encodable {
        let participantId, course, trainingStatus: String
        let schedule, deliveryPartner: String?
        let cohort: Int?
        let fundedPlace: Bool?
        /// When the DfE recorded the status, and its reason.
        let statusSince, statusReason: String?
        /// A withdrawal recorded in senco and not yet sent, by its DfE reason.
        let withdrawalToSend: String?
        /// The outcome the DfE holds, as the log last recorded it.
        let outcome: String?
        let retiredIds: [String]
    }

    func run() throws {
        let workspace = try store.workspace()
        let p = try workspace.store.portfolio(id)
        // What declarations will use: the participant's own values, else the cohort's defaults.
        let cohort = try? workspace.store.cohort(p.participant.cohort)
        let dfe = p.participant.dfe.map { $0.resolved(with: cohort?.dfe ?? Cohort.DfEDefaults()) }
        let dfeView = dfe.map {
            DfEView(
                participantId: $0.participantID, course: $0.course, trainingStatus: $0.trainingStatus.rawValue, schedule: $0.schedule,
                deliveryPartner: $0.deliveryPartner, cohort: $0.cohort, fundedPlace: $0.fundedPlace,
                statusSince: $0.statusSince.map(Timestamp.string), statusReason: $0.statusReason,
                withdrawalToSend: p.pendingDfEWithdrawal,
                outcome: p.dfeOutcome.map { "\($0.state) on \($0.completionDate)" }, retiredIds: p.retiredDfEIDs)
        }
        let declared = p.declarationRecords.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value.state)" }.joined(separator: ", ")
        let dfeLine =
            dfe.map {
                "\($0.participantID), \($0.course), \($0.schedule ?? "no schedule"), cohort \($0.cohort.map(String.init) ?? "not set"), \($0.trainingStatus.rawValue)"
                    + ($0.statusSince.map { " since \(Timestamp.string($0))" } ?? "")
                    + ($0.statusReason.map { " (\($0))" } ?? "")
                    + (declared.isEmpty ? "" : "; declared: \(declared)")
                    + (p.dfeOutcome.map { "; outcome: \($0.state) on \($0.completionDate)" } ?? "")
                    + (p.pendingDfEWithdrawal.map { "; withdrawal to send (\($0))" } ?? "")
            } ?? "no DfE participant id (senco participant dfe \(p.id) --dfe-id …)"
        let view = View(
            id: p.id, name: p.participant.name, school: p.participant.school, cohort: p.participant.cohort,
            tutor: p.participant.tutor, state: p.state.rawValue, started: p.participant.started.description,
            email: p.participant.email, trn: p.participant.trn, dfe: dfeView, revision: p.revision, frameworks: p.frameworks,
            evidence: p.evidence.count, mappings: p.mappings.count, judgements: p.judgements.count)
        switch format {
        case .json: print(try JSON.string(view))
        case .text:
            print(
                """
                \(p.participant.name) (\(p.id))
                  school:     \(p.participant.school)
                  cohort:     \(p.participant.cohort), started \(p.participant.started)
                  tutor:      \(p.participant.tutor)
                  state:      \(p.state.label)\(p.stateNote.isEmpty ? "" : " — \(p.stateNote)")
                  revision:   \(p.revision)
                  frameworks: \(p.frameworks.joined(separator: ", "))
                  DfE:        \(dfeLine)
                  evidence:   \(p.evidence.count) item\(p.evidence.count == 1 ? "" : "s"), \(p.mappings.count) mapping\(p.mappings.count == 1 ? "" : "s"), \(p.judgements.count) judgement\(p.judgements.count == 1 ? "" : "s")
                """)
        }
    }
}
