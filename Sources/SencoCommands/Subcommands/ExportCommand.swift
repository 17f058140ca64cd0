import ArgumentParser
import Foundation
import SencoCore
import SencoDfE
import SencoExport
import SencoStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export moderation packs.", subcommands: [ExportPack.self])
}

struct ExportPack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Write moderation packs: portfolio XML, accessible HTML and a SHA-256 manifest.",
        discussion: """
            Sensitive evidence is replaced by a redaction notice unless --include-sensitive is given; the manifest \
            records which. An --out ending in .zip writes one ZIP archive (the same the web app's cohort download \
            streams, its files under pack-NAME/), made while it is written, a few portfolios at a time; it is never \
            overwritten, and nothing is left behind on an error.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "Participant ids.") var participants: [String] = []
    @Option(help: "Export every portfolio in this moderation plan's sample.") var sample: String?
    @Option(help: "Export every portfolio in this cohort.") var cohort: String?
    @Option(help: "A new (or empty) directory to write the pack into, or a new file ending in .zip.") var out: String
    @Flag(help: "Include sensitive evidence instead of redacting it.") var includeSensitive = false

    private var zip: Bool { out.lowercased().hasSuffix(".zip") }

    func run() async throws {
        let workspace = try store.workspace()
        if zip {
            try OutputFile.checkNewFile(out, option: "--out", store: workspace.store.directory)
        } else {
            try OutputFile.checkNewDirectory(out, option: "--out", store: workspace.store.directory)
        }
        var named = participants
        if let sample { named += try workspace.store.plan(sample).entries.map(\.participant) }
        for id in named {
            if let problem = Identifier.problem(with: id, what: "participant") { throw CommandError(problem) }
        }
        var cohortIDs: [String] = []
        if let cohort {
            if let problem = Identifier.problem(with: cohort, what: "cohort") { throw CommandError(problem) }
            cohortIDs = try workspace.store.participantIDs(inCohort: try workspace.store.cohort(cohort).id)
        }
        guard !named.isEmpty || cohort != nil else { throw CommandError("name participants, or give --sample PLAN or --cohort COHORT") }
        // Every named participant must exist before anything is written; a damaged portfolio is
        // named and left out, here or when it is read for the pack.
        let damage = DamageLog()
        for id in named {
            let read: Result<Portfolio, StoreError> = Result { () throws(StoreError) in try workspace.store.portfolio(id) }
            if case .failure(let error) = read {
                if error.code == .notFound { throw error }
                damage.add(id, error.message)
            }
        }
        let ids = Array(Set(named + cohortIDs).subtracting(damage.ids)).sorted()
        guard !ids.isEmpty else {
            var report = StoreProblemReport()
            _ = report.values(CohortScan<Portfolio>(values: [], problems: damage.problems))
            try report.finish()
            return
        }
        let (framework, _, _) = try workspace.coverageFrameworks(primary: nil)
        let pack = ModerationPack(
            framework: framework, rules: workspace.rules, templates: try TemplateLibrary(),
            portfolioSchema: workspace.schemas.portfolio)
        let directoryStore = workspace.store
        let load: @Sendable (String) -> Portfolio? = { id in
            do throws(StoreError) { return try directoryStore.portfolio(id) } catch {
                damage.add(id, error.message)
                return nil
            }
        }
        let (includeSensitive, out) = (self.includeSensitive, self.out)
        let clock = ContinuousClock()
        let start = clock.now
        let summary: String
        let manifestDigest: String
        if zip {
            let name = URL(fileURLWithPath: out).deletingPathExtension().lastPathComponent
            let archive = PackArchive(folder: name, includeSensitive: includeSensitive)
            // A command has nothing else to serve, so the portfolios are read and rendered on
            // the cooperative pool: `window` of them at a time keeps every core busy.
            let result = try await OutputFile.writeNew(to: out) { file in
                try await archive.write(
                    participants: ids,
                    make: { id in
                        guard let portfolio = load(id) else { return nil }
                        return try pack.files(for: portfolio, includeSensitive: includeSensitive, now: archive.now)
                    },
                    to: { data in try OutputFile.write(data, to: file, path: out) })
            }
            summary = "\(result.portfolios.count) portfolio\(result.portfolios.count == 1 ? "" : "s") (\(result.files.count) files, a \(result.bytes)-byte ZIP archive)"
            manifestDigest = result.manifestDigest
        } else {
            let result = try pack.write(
                participants: ids, to: URL(fileURLWithPath: out), includeSensitive: includeSensitive, load: load)
            let count = result.files.count / 2
            summary = "\(count) portfolio\(count == 1 ? "" : "s") (\(result.files.count) files, \(result.bytes) bytes)"
            manifestDigest = result.manifestDigest
        }
        let elapsed = clock.now - start
        print("Wrote \(summary) to \(out) in \(elapsed.formatted(.units(allowed: [.milliseconds])))")
        print("Sensitive evidence: \(includeSensitive ? "included" : "redacted")")
        print("Manifest SHA-256: \(manifestDigest)  (keep this to prove the manifest itself is unchanged)")
        var report = StoreProblemReport()
        _ = report.values(CohortScan<Portfolio>(values: [], problems: damage.problems))
        try report.finish()
    }
}

/// Damaged portfolios met while a pack is made, from whichever thread read them.
private final class DamageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(id: String, message: String)] = []

    func add(_ id: String, _ message: String) {
        lock.withLock { entries.append((id, message)) }
    }

    var ids: Set<String> { lock.withLock { Set(entries.map(\.id)) } }

    var problems: [StoreProblem] {
        lock.withLock { entries.sorted { $0.id < $1.id }.map { StoreProblem(.damage, path: $0.id, $0.message) } }
    }
}

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a moderation pack against its manifest: files added, missing or changed.",
        discussion: "Anything the exporter never writes (a symbolic link, a FIFO, a device, a manifest path leading out of the pack; in a .zip, an entry named with '..', an absolute path or a backslash, or named twice) is reported as tampering; nothing is followed or extracted.")

    @Argument(help: "The pack: its directory, or its .zip archive (read in place, never extracted).") var directory: String
    @Option(help: "The manifest SHA-256 printed at export, to check the manifest too.") var digest: String?

    func run() throws {
        let report = try PackVerifier.verify(URL(fileURLWithPath: directory))
        var problems = 0
        for tampering in report.tampered { print("tampered: \(tampering)"); problems += 1 }
        for path in report.changed { print("changed: \(PackVerifier.printable(path))"); problems += 1 }
        for path in report.missing { print("missing: \(PackVerifier.printable(path))"); problems += 1 }
        for path in report.added { print("added: \(PackVerifier.printable(path))"); problems += 1 }
        if let digest, digest.lowercased() != report.manifestDigest {
            print("changed: \(ModerationPack.manifestName) (its SHA-256 is \(report.manifestDigest), not \(digest))")
            problems += 1
        }
        if problems == 0 {
            print("Pack intact: \(report.checked) files match the manifest (sensitive evidence \(report.sensitiveEvidence)).")
        } else {
            print("Pack NOT intact: \(problems) problem\(problems == 1 ? "" : "s").")
            throw ExitCode.failure
        }
    }
}

enum CompletionFormat: String, ExpressibleByArgument, CaseIterable {
    case text, xml, html, csv, json
    case dfeJSON = "dfe-json"
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Cohort reports.", subcommands: [CompletionReportCommand.self])
}

struct CompletionReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Per participant: coverage per section, outcome, state, and the DfE declarations that are due or ready.",
        discussion: """
            --format dfe-json writes the ready, not yet declared milestones as a JSON list of the             request bodies POST /api/v3/participant-declarations accepts, exactly as senco dfe submit             would send them; a participant without a DfE participant id gets no body, and a line on             standard error says why.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var policy: PolicyOption
    @Option(help: "Cohort id.") var cohort: String
    @Option(help: "text, xml, html, csv, json or dfe-json.") var format: CompletionFormat = .text
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        let workspace = try store.workspace()
        if let output { try OutputFile.check(output, option: "--output", store: workspace.store.directory) }
        let cohort = try workspace.store.cohort(self.cohort)
        let (framework, _, _) = try workspace.coverageFrameworks(primary: nil)
        // One row per participant from the kept summaries; a portfolio is read only where its
        // summary is out of date.
        let today = Day.today
        var skipped = StoreProblemReport()
        let summaries = skipped.values(try workspace.store.mapSummaries(inCohort: cohort.id, framework: framework))
        let report = CompletionReport(
            cohort: cohort, framework: framework, rows: summaries.map { CompletionReport.row(for: $0, today: today) }, today: today)
        let data: Data
        switch format {
        case .xml: data = try CompletionRenderer.xml(report)
        case .csv: data = Data(CompletionRenderer.csv(report).utf8)
        case .json: data = try CompletionRenderer.json(report) + Data("\n".utf8)
        case .dfeJSON:
            // The same plan as `senco dfe submit`, from the portfolios (their logs say what is
            // already declared), so the file holds only bodies the API would accept now.
            let plan = try workspace.declarationPlan(cohort: cohort, policy: try policy.load(), now: Date(), skipped: &skipped)
            for line in plan.held { SencoCommand.printError("Held: \(SencoCommand.oneLine(line))") }
            let bodies = plan.requests.map { String(decoding: $0.body, as: UTF8.self) }
            data = Data((bodies.isEmpty ? "[]\n" : "[\n  " + bodies.joined(separator: ",\n  ") + "\n]\n").utf8)
        case .html: data = Data(try CompletionRenderer.html(report, templates: TemplateLibrary(), attribution: framework.source.attribution).utf8)
        case .text: data = Data(Self.text(report).utf8)
        }
        if let output {
            try OutputFile.write(data, to: output)
            print("Wrote \(format.rawValue) completion report for \(cohort.id) (\(report.rows.count) participants) to \(output)")
        } else {
            FileHandle.standardOutput.write(data)
        }
        try skipped.finish()
    }

    static func text(_ report: CompletionReport) -> String {
        let out = "Completion report: \(report.cohort.title) (\(report.cohort.id), course \(report.course))\n"
        if report.rows.isEmpty { return out + "This cohort has no participants.\n" }
        var rows = [["PARTICIPANT", "STATE", "OUTCOME", "EVIDENCED", "MET", "STARTED", "RETAINED-1", "RETAINED-2", "COMPLETED"]]
        for row in report.rows {
            rows.append(
                [row.participant.id, row.state.label, row.outcome?.rawValue ?? "-", "\(row.total.evidenced)/\(row.total.total)", "\(row.total.met)/\(row.total.total)"]
                    + row.declarations.map { d in
                        // Once declared, what the DfE says of it (submitted, paid, voided…) is what matters.
                        d.dfeState.map { "DfE \($0)" }
                            ?? (d.status == .ready ? "ready \(d.date.map { Day($0).description } ?? "")" : d.status.rawValue)
                    })
        }
        return out + "\n" + FrameworkText.table(rows)
    }
}
