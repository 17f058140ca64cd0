import ArgumentParser
import Foundation
import SencoCore
import SencoData
import SencoDfE
import SencoStore

/// `senco dfe`: the DfE's NPQ lead-provider API (v3).
struct DfECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dfe", abstract: "Participants in from the DfE's lead-provider API, declarations out to it.",
        subcommands: [
            DfEImport.self, DfEPull.self, DfESubmit.self, DfEVoid.self, DfESync.self, DfEWithdraw.self, DfEDefer.self,
            DfEResume.self,
        ])
}

/// The policy file option shared by commands that work out declarations.
struct PolicyOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A JSON declaration policy (readiness thresholds, schedule starts); default: the built-in one.",
            valueName: "file"))
    var policy: String?

    func load() throws -> DeclarationPolicy {
        guard let policy else { return DeclarationPolicy() }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: policy)) } catch {
            throw CommandError("cannot read the policy file \(policy.quotedForMessage())")
        }
        return try DeclarationPolicy.read(data, file: policy)
    }
}

extension Workspace {
    /// The declarations to send for a cohort now, and a line for each held back. Portfolios are
    /// read (not summaries) so the log's declaration records and the policy's thresholds apply.
    func declarationPlan(cohort: Cohort, policy: DeclarationPolicy, now: Date, skipped: inout StoreProblemReport) throws
        -> DeclarationPlanner.Plan
    {
        let (framework, _, _) = try coverageFrameworks(primary: nil)
        let rules = self.rules
        let scan = try store.mapPortfolios(inCohort: cohort.id) { portfolio in
            (
                plan: DeclarationPlanner.plan(
                    portfolio: portfolio, cohort: cohort, framework: framework, rules: rules, policy: policy, now: now),
                retired: portfolio.retiredDfEIDs
            )
        }
        return DeclarationPlanner.combine(skipped.values(scan))
    }
}

struct DfEImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Bring participants in from a saved GET /api/v3/participants/npq response.",
        discussion: """
            FILE holds one page of the response, or several pages one after another. Only enrolments \
            on --course (npq-senco) in --dfe-cohort (default: the cohort's DfE cohort) are taken. A \
            participant already in the store (same DfE id, or same TRN with no DfE id yet) is \
            updated, never added twice; conflicts (a TRN held under another DfE id, a participant in \
            another cohort) are listed and left alone. Names are never printed.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The saved response.") var file: String
    @Option(help: "The senco cohort to bring them into.") var cohort: String
    @Option(help: "The tutor new participants are given (one of the cohort's tutors).") var tutor: String
    @Option(
        name: .customLong("dfe-cohort"), help: "The DfE cohort year to take enrolments from (default: the cohort's).")
    var dfeCohort: Int?

    func run() throws {
        let workspace = try store.workspace()
        let (cohort, year) = try workspace.importTarget(cohort: self.cohort, tutor: tutor, dfeCohort: dfeCohort)
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw CommandError("cannot read \(file.quotedForMessage())")
        }
        // Everything is read and checked before anything is written.
        try workspace.importParticipants(
            try DfEParticipant.read(data, file: file), into: cohort, tutor: tutor, dfeCohort: year)
    }
}

extension Workspace {
    /// The cohort participants are brought into and the DfE cohort year to choose, checked.
    func importTarget(cohort id: String, tutor: String, dfeCohort: Int?) throws -> (Cohort, Int) {
        let cohort = try store.cohort(id)
        guard cohort.tutors.contains(where: { $0.id == tutor }) else {
            throw CommandError("--tutor \(tutor.quotedForMessage()) is not a tutor of cohort \(cohort.id)")
        }
        guard let year = dfeCohort ?? cohort.dfe.cohort else {
            throw CommandError(
                "cohort \(cohort.id) has no DfE cohort: give --dfe-cohort or set it with senco cohort dfe \(cohort.id) --dfe-cohort YEAR"
            )
        }
        if let problem = DfEIdentity.cohortProblem(year, field: "--dfe-cohort") { throw CommandError(problem) }
        return (cohort, year)
    }

    /// Works out the whole import against every participant in the store, then writes it:
    /// new portfolios, updated DfE identities; conflicts and skipped enrolments listed by id.
    func importParticipants(_ incoming: [DfEParticipant], into cohort: Cohort, tutor: String, dfeCohort year: Int)
        throws
    {
        var skippedEntries = StoreProblemReport()
        var existing: [Participant] = []
        for other in try store.cohorts() {
            existing += skippedEntries.values(try store.mapPortfolios(inCohort: other.id) { $0.participant })
        }
        let plan = ParticipantImportPlan(
            participants: incoming, cohort: cohort, tutor: tutor, dfeCohort: year, existing: existing,
            frameworks: library.frameworks.map(\.id), now: Date())
        for portfolio in plan.creates { try store.create(portfolio) }
        for participant in plan.updates {
            try update(participant.id, revision: nil) { portfolio in
                plan.apply(participant, to: &portfolio, by: "senco", at: Date().wholeSeconds)
            }
        }
        for line in plan.skipped { SencoCommand.printError("Skipped: \(SencoCommand.oneLine(line))") }
        for line in plan.conflicts { SencoCommand.printError("Conflict: \(SencoCommand.oneLine(line))") }
        print(
            "Imported into \(cohort.id): \(plan.creates.count) new, \(plan.updates.count) updated, \(plan.unchanged.count) unchanged, \(plan.conflicts.count) conflict\(plan.conflicts.count == 1 ? "" : "s"), \(plan.skipped.count) skipped"
        )
        for portfolio in plan.creates {
            print("  new \(portfolio.id) = DfE \(portfolio.participant.dfe?.participantID ?? "")")
        }
        for (participant, retired) in plan.idChanges.sorted(by: { $0.key < $1.key }) {
            let now = plan.updates.first { $0.id == participant }?.dfe?.participantID ?? ""
            print("  \(participant): the DfE replaced \(retired) with \(now); senco follows it")
        }
        try skippedEntries.finish()
    }
}

struct DfEPull: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Bring participants in live from GET /api/v3/participants/npq (as dfe import does a saved file).",
        discussion: "Every page is read (filter[updated_since] with --since) before anything is written.")

    @OptionGroup var store: StoreOptions
    @Option(help: "The senco cohort to bring them into.") var cohort: String
    @Option(help: "The tutor new participants are given (one of the cohort's tutors).") var tutor: String
    @Option(
        name: .customLong("dfe-cohort"), help: "The DfE cohort year to take enrolments from (default: the cohort's).")
    var dfeCohort: Int?
    @Option(help: "Only participants updated since this date and time (RFC 3339).") var since: String?
    @OptionGroup var api: APIOptions

    func run() async throws {
        let sinceDate = try since.map { text in
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw CommandError(
                    "--since \(text.quotedForMessage()) is not a date and time such as 2026-01-31T09:00:00Z")
            }
            return date
        }
        let workspace = try store.workspace()
        let (cohort, year) = try workspace.importTarget(cohort: self.cohort, tutor: tutor, dfeCohort: dfeCohort)
        let pages = try await api.client().using { client in try await client.participantPages(updatedSince: sinceDate)
        }
        var incoming: [DfEParticipant] = []
        for (index, page) in pages.enumerated() {
            incoming += try DfEParticipant.read(page, file: "GET /api/v3/participants/npq page \(index + 1)")
        }
        try workspace.importParticipants(incoming, into: cohort, tutor: tutor, dfeCohort: year)
    }
}

struct DfESubmit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract:
            "Declare every ready, not yet declared milestone to the DfE, with outcome corrections and withdrawals.",
        discussion: """
            Posts to BASE-URL/api/v3/participant-declarations. The token comes from --token-file or \
            $SENCO_DFE_TOKEN, never from an argument, and is never printed. Before posting for a \
            participant senco asks the API what it already holds for them, so a milestone is declared \
            once even after a crash or a dropped connection. Each declaration's DfE id and state are \
            recorded in the portfolio's log. Then, for each participant, an outcome correction \
            (signed off again with another outcome after completed was declared: POST \
            …/participants/npq/{id}/outcomes) and a withdrawal recorded by senco withdraw but not yet \
            sent (PUT …/withdraw) go too, each recorded once. --dry-run prints every body that would \
            be sent and sends nothing.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Cohort id.") var cohort: String
    @Flag(name: .customLong("dry-run"), help: "Print exactly what would be sent; send nothing, change nothing.")
    var dryRun = false
    @OptionGroup var api: APIOptions
    @OptionGroup var policy: PolicyOption

    func run() async throws {
        let workspace = try store.workspace()
        let cohort = try workspace.store.cohort(self.cohort)
        let policy = try self.policy.load()
        // The address and the token are checked before anything is worked out or sent.
        var client: LeadProviderClient?
        if !dryRun {
            guard let made = try api.optionalClient() else {
                throw CommandError(
                    "--base-url (or $\(APIOptions.baseURLVariable)) is needed to send (or use --dry-run)")
            }
            client = made
        }
        var skipped = StoreProblemReport()
        let plan: DeclarationPlanner.Plan
        do {
            plan = try workspace.declarationPlan(cohort: cohort, policy: policy, now: Date(), skipped: &skipped)
        } catch {
            // A client must be shut down before it goes away, whatever happens.
            await client?.shutdown()
            throw error
        }
        for line in plan.held { SencoCommand.printError("Held: \(SencoCommand.oneLine(line))") }
        guard let client else {
            for request in plan.requests {
                print("POST /api/v3/participant-declarations (\(request.participant) \(request.type.rawValue))")
                print(String(decoding: request.body, as: UTF8.self))
            }
            for request in plan.outcomes {
                print("POST \(request.path) (\(request.participant) outcome)")
                print(String(decoding: request.body, as: UTF8.self))
            }
            for request in plan.withdrawals {
                print("PUT \(request.path) (\(request.participant) withdrawal)")
                print(String(decoding: request.body, as: UTF8.self))
            }
            print(
                "Dry run: \(Self.count(plan.requests.count, "declaration")), \(Self.count(plan.outcomes.count, "outcome correction")) and \(Self.count(plan.withdrawals.count, "withdrawal")) would be sent; nothing was sent."
            )
            try skipped.finish()
            return
        }
        let result = await DeclarationSubmitter(client: client, store: OffloadedStore(workspace.store)).submit(plan)
        await client.shutdown()
        for (request, held) in result.sent {
            print("Declared \(request.participant) \(request.type.rawValue): \(held.id) \(held.state)")
        }
        for (request, held) in result.found {
            print(
                "Recorded \(request.participant) \(request.type.rawValue): the DfE already holds \(held.id) \(held.state)"
            )
        }
        for (request, error) in result.failed {
            SencoCommand.printError(
                "Not declared: \(request.participant) \(request.type.rawValue): \(SencoCommand.oneLine(error.message))")
        }
        for (request, problem) in result.unrecorded {
            SencoCommand.printError(
                "Declared but not recorded: \(request.participant) \(request.type.rawValue): \(SencoCommand.oneLine(problem)) (the next submit records it)"
            )
        }
        for (request, item) in result.outcomes { report(item, participant: request.participant, what: "outcome") }
        for (request, item) in result.withdrawals {
            report(item, participant: request.participant, what: "withdrawal")
        }
        print(
            "Submitted for \(cohort.id): \(result.sent.count) declared, \(result.found.count) already held and recorded, \(result.failed.count) not declared, \(plan.held.count) held back; \(Self.count(result.outcomes.filter(\.1.succeeded).count, "outcome")) and \(Self.count(result.withdrawals.filter(\.1.succeeded).count, "withdrawal")) recorded"
        )
        if let stopped = result.stopped { throw CommandError("stopped: \(stopped.message)") }
        if !result.succeeded { throw ExitCode.failure }
        try skipped.finish()
    }

    private func report(_ item: DeclarationSubmitter.ItemResult, participant: String, what: String) {
        switch item {
        case .sent(let text): print("Sent \(participant) \(what): \(text)")
        case .found(let text): print("Recorded \(participant) \(what): the DfE already holds \(text)")
        case .failed(let error):
            SencoCommand.printError("Not sent: \(participant) \(what): \(SencoCommand.oneLine(error.message))")
        case .unrecorded(let problem):
            SencoCommand.printError(
                "Sent but not recorded: \(participant) \(what): \(SencoCommand.oneLine(problem)) (the next submit records it)"
            )
        }
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}

struct DfEVoid: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "void", abstract: "Void a declaration made in error (PUT …/participant-declarations/{id}/void).",
        discussion:
            "The declaration is the one the portfolio's log records for --type. A paid one becomes awaiting_clawback.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @Option(help: "started, retained-1, retained-2 or completed.") var type: String
    @OptionGroup var api: APIOptions

    func run() async throws {
        guard let type = DeclarationType(rawValue: type) else {
            throw CommandError("--type \(type.quotedForMessage()) is not started, retained-1, retained-2 or completed")
        }
        let workspace = try store.workspace()
        let portfolio = try workspace.store.portfolio(participant)
        guard let record = portfolio.declarationRecords[type],
            !["voided", "awaiting_clawback", "clawed_back"].contains(record.state)
        else {
            throw CommandError(
                "\(participant) has no \(type.rawValue) declaration to void (senco participant show \(participant))")
        }
        let change = try await api.client().using { client in
            try await DeclarationLedger(client: client, store: OffloadedStore(workspace.store)).void(
                participant: participant, type: type)
        }
        print("Voided \(participant) \(type.rawValue) (\(change.dfeID)): \(change.to)")
    }
}

struct DfESync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Record the DfE's declaration states and outcomes in the logs.",
        discussion: """
            Reads GET /api/v3/participant-declarations and GET /api/v3/participants/npq/outcomes and \
            records each declaration state (submitted, eligible, payable, paid, voided…) and each \
            outcome that differs from the log's. A declaration the log did not know is recorded too, \
            so it is never posted again. The store keeps, for each cohort, when it last synced, and \
            asks only for what changed since (filter[updated_since], filter[created_since]); --full \
            reads everything, --since from a given time.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Cohort id.") var cohort: String
    @Option(help: "Only what changed since this date and time (RFC 3339, e.g. 2026-01-31T09:00:00Z).")
    var since: String?
    @Flag(help: "Read everything, ignoring when the cohort last synced.") var full = false
    @OptionGroup var api: APIOptions

    func validate() throws {
        if full && since != nil { throw ValidationError("give --full or --since, not both") }
    }

    func run() async throws {
        let sinceDate = try since.map { text in
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw CommandError(
                    "--since \(text.quotedForMessage()) is not a date and time such as 2026-01-31T09:00:00Z")
            }
            return date
        }
        let workspace = try store.workspace()
        let cohort = try workspace.store.cohort(self.cohort)
        let report = try await api.client().using { client in
            try await DeclarationLedger(client: client, store: OffloadedStore(workspace.store)).sync(
                cohort: cohort.id, since: sinceDate, full: full)
        }
        for change in report.changes {
            print("\(change.participant) \(change.type.rawValue): \(change.from ?? "not recorded") → \(change.to)")
        }
        for change in report.outcomes {
            let from = change.from.map { "\($0.state) on \($0.completionDate)" } ?? "not recorded"
            print("\(change.participant) outcome: \(from) → \(change.to.state) on \(change.to.completionDate)")
        }
        let total = report.changes.count + report.outcomes.count
        let asked = report.asked.map { "changes since \(Timestamp.string($0))" } ?? "everything"
        print("Synced \(cohort.id) (\(asked)): \(total) change\(total == 1 ? "" : "s") recorded")
    }
}

extension Workspace {
    /// Sends a withdrawal, deferral or resumption for `participant` and records the training
    /// status the API then gives, with its date and reason (the reason is one of the DfE's
    /// values, never free text), through the same `TrainingStatusSender` as the provider's page.
    func send(_ change: TrainingStatusChange, for participant: String, api: APIOptions, revision: Int?) async throws {
        if let problem = change.problem { throw CommandError(problem) }
        let portfolio = try self.portfolio(participant, revision: revision)
        guard portfolio.participant.dfe != nil else {
            throw CommandError(
                "\(participant) has no DfE participant id (senco participant dfe \(participant) --dfe-id UUID)")
        }
        let store = OffloadedStore(self.store)
        let sent = try await api.client().using { client in
            try await TrainingStatusSender(client: client, store: store).send(change, for: portfolio)
        }
        let status = sent.answer.status.rawValue
        if let problem = sent.unrecorded {
            throw CommandError(
                "\(participant): \(status) in the DfE's records, but it could not be recorded here: \(problem)")
        }
        print(
            "\(participant): \(status) in the DfE's records\(sent.answer.alreadyHeld ? " (it already was)" : "") (revision \(sent.revision ?? portfolio.revision))"
        )
    }
}

struct DfEWithdraw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw",
        abstract: "Tell the DfE a participant has withdrawn (PUT …/participants/npq/{id}/withdraw).",
        discussion: """
            REASON is one of the DfE's: \(TrainingStatusChange.withdrawalReasons.joined(separator: ", ")). \
            Without --reason, the reason recorded by senco withdraw --dfe-reason is sent.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @Option(help: "The DfE's withdrawal reason (default: the one senco withdraw recorded).") var reason: String?
    @OptionGroup var api: APIOptions
    @OptionGroup var revision: RevisionOption

    func run() async throws {
        let workspace = try store.workspace()
        guard let reason = try reason ?? workspace.store.portfolio(participant).pendingDfEWithdrawal else {
            throw CommandError(
                "\(participant) has no withdrawal waiting to be sent: give --reason (one of the DfE's withdrawal reasons)"
            )
        }
        try await workspace.send(.withdraw(reason: reason), for: participant, api: api, revision: revision.revision)
    }
}

struct DfEDefer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "defer", abstract: "Tell the DfE a participant has deferred (PUT …/participants/npq/{id}/defer).",
        discussion: "REASON is one of the DfE's: \(TrainingStatusChange.deferralReasons.joined(separator: ", ")).")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @Option(help: "The DfE's deferral reason.") var reason: String
    @OptionGroup var api: APIOptions
    @OptionGroup var revision: RevisionOption

    func run() async throws {
        try await store.workspace().send(
            .defer(reason: reason), for: participant, api: api, revision: revision.revision)
    }
}

struct DfEResume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Tell the DfE a deferred or withdrawn participant has resumed (PUT …/resume).")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant id.") var participant: String
    @OptionGroup var api: APIOptions
    @OptionGroup var revision: RevisionOption

    func run() async throws {
        try await store.workspace().send(.resume, for: participant, api: api, revision: revision.revision)
    }
}
