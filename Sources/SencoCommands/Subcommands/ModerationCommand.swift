import ArgumentParser
import Foundation
import SencoCore

struct ModerationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moderation", abstract: "Sample portfolios, second-mark them blind, reconcile, report agreement.",
        subcommands: [ModerationPlanCommand.self, ModerationShow.self, ModerationMark.self, ModerationReconcile.self, ModerationReportCommand.self])
}

struct ModerationPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Choose and record a moderation sample, stratified by tutor and weighted toward borderline portfolios.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Cohort id.") var cohort: String
    @Option(help: "Percentage of each tutor's judged portfolios to sample (1–100).") var rate: Int
    @Option(help: "At least this many per tutor (when they have that many).") var minPerTutor: Int = 1
    @Option(help: "Random seed, to redraw the same sample.") var seed: UInt64?
    @Option(help: "Plan id (default: <cohort>-<date>).") var id: String?
    @Option(help: "A moderator id to assign to every sampled portfolio.") var moderator: String?
    @Option(name: .customLong("as"), help: "Who is recording the plan.") var actor: String = "provider"

    func run() throws {
        let workspace = try store.workspace()
        guard (1...100).contains(rate) else { throw CommandError("--rate \(rate) is outside 1–100 (a percentage)") }
        var skipped = StoreProblemReport()
        let candidates = skipped.values(try workspace.store.mapPortfolios(inCohort: cohort, Moderation.Candidate.init))
        let now = Date().wholeSeconds
        let seed = self.seed ?? UInt64(now.timeIntervalSince1970)
        var plan = try Moderation.plan(
            id: id ?? "\(cohort)-\(Day(now))", cohort: cohort, candidates: candidates, rate: rate,
            minimumPerTutor: minPerTutor, seed: seed, by: actor, at: now)
        if let moderator {
            if let problem = Identifier.problem(with: moderator, what: "moderator") { throw CommandError(problem) }
            for index in plan.entries.indices where plan.entries[index].tutor == moderator {
                throw CommandError("\(moderator) tutors \(plan.entries[index].participant); a moderator cannot second-mark their own participants")
            }
            for index in plan.entries.indices { plan.entries[index].moderator = moderator }
        }
        try workspace.store.savePlan(plan)
        print("Recorded moderation plan \(plan.id): \(plan.entries.count) of \(candidates.count) portfolios (seed \(seed))")
        for entry in plan.entries {
            print("  \(FrameworkText.pad(entry.participant, 12)) tutor \(FrameworkText.pad(entry.tutor, 14)) borderline \(String(format: "%.0f%%", entry.borderline * 100))")
        }
        try skipped.finish()
    }
}

struct ModerationShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheet",
        abstract: "A blind marking sheet: each judged statement of a sampled portfolio with its evidence, without the first mark.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Plan id.") var plan: String
    @Argument(help: "Participant id.") var participant: String

    func run() throws {
        let workspace = try store.workspace()
        let plan = try workspace.store.plan(self.plan)
        guard plan.contains(participant) else { throw CommandError("\(participant) is not in moderation plan \(plan.id)") }
        let portfolio = try workspace.store.portfolio(participant).redactingSensitive()
        let judged = Set(portfolio.judgements.filter { $0.kind == .first }.map(\.statement))
        print("Blind marking sheet for \(participant) (plan \(plan.id)); first marks are not shown. Sensitive evidence is redacted.")
        for statement in workspace.library.frameworks.flatMap(\.statements) where judged.contains(statement.id) {
            print("\n\(statement.id)  \(statement.text)")
            for mapping in portfolio.mappings(forStatement: statement.id) {
                let item = portfolio.evidenceItem(withID: mapping.evidence)
                print("  \(mapping.evidence) \(item?.title ?? ""): \(mapping.claim)")
            }
        }
    }
}

struct ModerationMark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark", abstract: "Record a moderator's blind second mark for one statement.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Plan id.") var plan: String
    @Argument(help: "Participant id.") var participant: String
    @Argument(help: "Statement id.") var statementID: String
    @Option(help: "The second marker's status.") var status: JudgementStatus
    @Option(help: "The moderator's id (not the first marker).") var moderator: String
    @Option(help: "Notes.") var feedback: String = ""
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        let plan = try workspace.store.plan(self.plan)
        guard let entry = plan.entries.first(where: { $0.participant == participant }) else {
            throw CommandError("\(participant) is not in moderation plan \(plan.id)")
        }
        if let assigned = entry.moderator, assigned != moderator {
            throw CommandError("\(participant) is assigned to moderator \(assigned) in plan \(plan.id)")
        }
        let result = try workspace.update(participant, revision: revision.revision) { portfolio in
            try portfolio.secondMark(
                statement: statementID, status: status, feedback: feedback, moderator: moderator,
                frameworks: workspace.library.frameworks, at: Date().wholeSeconds)
        }
        // Deliberately silent about the first mark: second marking is blind.
        print("Recorded second mark for \(participant) \(statementID) (revision \(result.revision))")
    }
}

struct ModerationReconcile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile", abstract: "Record the outcome first and second markers agreed for a statement.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @Argument(help: "Statement id.") var statementID: String
    @Option(help: "The agreed status.") var status: JudgementStatus
    @Option(help: "How the markers agreed.") var note: String
    @Option(name: .customLong("as"), help: "Who records it.") var actor: String
    @Option(help: "moderator, tutor or provider.") var role: String = "moderator"
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        guard let role = Role(rawValue: role), role != .participant else { throw CommandError("--role must be moderator, tutor or provider") }
        let result = try workspace.update(participant, revision: revision.revision) { portfolio in
            try portfolio.reconcile(
                statement: statementID, status: status, note: note, by: actor, role: role,
                frameworks: workspace.library.frameworks, at: Date().wholeSeconds)
        }
        print("Recorded agreed status \(status.label) for \(participant) \(statementID) (revision \(result.revision))")
    }
}

struct ModerationReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Agreement between first and second markers, per tutor, with every disagreement.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Plan id.") var plan: String
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    struct TutorJSON: Encodable {
        struct DisagreementJSON: Encodable {
            let participant, statement, first, second: String
            let agreed, note: String?
        }
        let tutor: String
        let portfoliosSampled, statementsDoubleMarked, agreements: Int
        let percentAgreement, kappa: Double?
        let disagreements: [DisagreementJSON]
    }

    func run() throws {
        let workspace = try store.workspace()
        let plan = try workspace.store.plan(self.plan)
        let portfolios = try plan.entries.map { try workspace.store.portfolio($0.participant) }
        let report = ModerationReport(plan: plan, portfolios: portfolios)
        func json(_ t: ModerationReport.TutorAgreement) -> TutorJSON {
            TutorJSON(
                tutor: t.tutor, portfoliosSampled: t.portfoliosSampled, statementsDoubleMarked: t.statementsDoubleMarked,
                agreements: t.agreements, percentAgreement: t.percentAgreement.map { ($0 * 10).rounded() / 10 },
                kappa: t.kappa.map { ($0 * 1000).rounded() / 1000 },
                disagreements: t.disagreements.map {
                    .init(participant: $0.participant, statement: $0.statement, first: $0.first.rawValue, second: $0.second.rawValue, agreed: $0.agreed?.rawValue, note: $0.note)
                })
        }
        switch format {
        case .json:
            print(try JSON.string(["plan": [json(report.overall)], "tutors": report.tutors.map(json)]))
        case .text:
            print("Moderation report for plan \(plan.id) (cohort \(plan.cohort), \(plan.rate)% sample, seed \(plan.seed))\n")
            var rows = [["TUTOR", "SAMPLED", "DOUBLE-MARKED", "AGREED", "AGREEMENT", "KAPPA"]]
            for t in report.tutors + [report.overall] {
                rows.append([
                    t.tutor, String(t.portfoliosSampled), String(t.statementsDoubleMarked), String(t.agreements),
                    t.percentAgreement.map { String(format: "%.1f%%", $0) } ?? "n/a",
                    t.kappa.map { String(format: "%.2f", $0) } ?? "n/a",
                ])
            }
            print(FrameworkText.table(rows), terminator: "")
            let disagreements = report.tutors.flatMap(\.disagreements)
            print("\nDisagreements (\(disagreements.count)):")
            if disagreements.isEmpty { print("  none") }
            for d in disagreements {
                let resolution = d.agreed.map { "agreed \($0.label)\(d.note.map { ": \($0)" } ?? "")" } ?? "not yet reconciled"
                print("  \(d.participant) \(d.statement): first \(d.first.label), second \(d.second.label); \(resolution)")
            }
        }
    }
}
