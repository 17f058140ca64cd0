import Foundation
import Hummingbird
import SencoCore
import SencoExport
import SencoStore

/// The provider: cohorts, users, a cohort dashboard, completion reports and moderation packs.
/// The files are made by the same SencoExport code as `senco report completion` and
/// `senco export pack`.
struct ProviderController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/provider", use: home)
        group.get("/provider/cohorts/:cohort", use: cohort)
        group.get("/provider/cohorts/:cohort/completion/:format", use: completion)
        group.get("/provider/cohorts/:cohort/pack", use: pack)
    }

    func home(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let scan = try await services.store.scanCohorts()
        var cohorts: [ProviderHomePage.Cohort] = []
        for cohort in scan.values {
            let count = (try? await services.store.participantIDs(inCohort: cohort.id).count) ?? 0
            cohorts.append(
                ProviderHomePage.Cohort(
                    id: cohort.id, title: cohort.title, provider: cohort.provider, start: cohort.start.description,
                    participants: count, tutors: cohort.tutors.map(\.name).joined(separator: ", ")))
        }
        let users = try await services.users.users().sorted { $0.id < $1.id }.map { user in
            ProviderHomePage.User(
                id: user.id, name: user.name, role: user.role.rawValue, link: user.participant ?? user.tutor ?? "")
        }
        let plans = try await services.store.plans().map {
            ProviderHomePage.Plan(id: $0.id, cohort: $0.cohort, count: $0.entries.count)
        }
        let view = ProviderHomePage(
            hasProblems: !scan.problems.isEmpty, problems: scan.problems.map(\.description), cohorts: cohorts,
            hasPlans: !plans.isEmpty, plans: plans, users: users)
        return services.views.page(
            view, title: "Cohorts and users",
            chrome: await services.chrome(context, current: "/provider"))
    }

    /// The cohort's report from every portfolio that reads, and the entries that do not.
    /// The cohort's dashboard: counts for the whole cohort, then one page of participants,
    /// filtered by state, tutor or a search on name and id. Filters and counts read the
    /// summaries; the declarations (date arithmetic per milestone) are worked out only for the
    /// page shown, so a cohort of 5,000 costs little more than one of 50.
    func cohort(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let id = try context.parameters.require("cohort")
        guard Identifier.isValid(id) else { throw WebError.notFound }
        return try await services.cohortListPage(request, context: context, cohort: id, kind: "cohort") { list in
            let options = list.filter.options(for: list.cohort)
            let view = CohortPage(
                id: list.cohort.id, title: list.cohort.title, start: list.cohort.start.description,
                everyone: list.scan.values.count, counts: list.counts.map { CohortPage.Count(state: $0.state, count: $0.count) },
                hasProblems: !list.scan.problems.isEmpty, problems: list.scan.problems.map(\.description),
                none: list.scan.values.isEmpty, search: list.filter.search, states: options.states, tutors: options.tutors,
                filtered: list.filter.isActive, shown: list.paging.summary, noMatch: list.noMatch,
                rows: list.rows.map { row, tutor in
                    CohortPage.Row(
                        id: row.participant.id, name: row.participant.name, tutor: tutor, state: row.state.label,
                        outcome: row.outcome?.rawValue ?? "none yet", evidenced: row.total.evidenced,
                        sufficient: row.total.sufficient, met: row.total.met, total: row.total.total,
                        declarations: row.declarations.map {
                            CohortPage.Declaration(
                                type: $0.type.rawValue, status: $0.status.rawValue.replacingOccurrences(of: "-", with: " "))
                        })
                },
                paging: list.paging.navigation(
                    path: "/provider/cohorts/\(list.cohort.id)", query: list.filter.query, label: "Pages of participants"))
            return RenderedContents.Rendered(title: list.title("Cohort"), content: services.views.content(of: view))
        }
    }

    func completion(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let id = try context.parameters.require("cohort")
        guard Identifier.isValid(id) else { throw WebError.notFound }
        let format = try context.parameters.require("format")
        let type: String
        switch format {
        case "csv": type = "text/csv; charset=utf-8"
        case "html": type = "text/html; charset=utf-8"
        case "xml": type = "application/xml"
        case "json": type = "application/json"
        default: throw WebError.notFound
        }
        let cohort = try await services.store.cohort(id)
        let (framework, today) = (services.npq, Day(services.now))
        // Rows for every portfolio that reads; the cohort page names the entries that do not.
        let scan = try await services.store.mapSummaries(inCohort: id, framework: framework)
        // The same cohort record, day and revisions make the same file: made once, then served
        // from memory until any portfolio of the cohort changes (or the day does).
        let key = CompletionFiles.Key(
            cohort: cohort, today: today, format: format, revisions: scan.values.map { CompletionFiles.Revision(id: $0.id, revision: $0.revision) })
        let data: Data
        if let kept = services.completionFiles.file(for: key) {
            data = kept
        } else {
            let rows = scan.values.map { CompletionReport.row(for: $0, today: today) }
            let report = CompletionReport(cohort: cohort, framework: framework, rows: rows, today: today)
            switch format {
            case "csv": data = Data(CompletionRenderer.csv(report).utf8)
            case "html":
                data = Data(try CompletionRenderer.html(report, templates: services.exportTemplates, attribution: framework.source.attribution).utf8)
            case "xml": data = try CompletionRenderer.xml(report)
            default: data = try CompletionRenderer.json(report)
            }
            services.completionFiles.keep(data, for: key)
        }
        return Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: "attachment; filename=\"completion-\(cohort.id).\(format)\""],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The cohort's moderation pack as a ZIP: per portfolio the XML and HTML, and the manifest
    /// of SHA-256 digests that `senco verify` checks. Sensitive evidence is redacted.
    ///
    /// Streamed: the archive is made while it is sent, a few portfolios at a time (read through
    /// the store's pool, rendered on `RenderPool`), in participant order, with the manifest last,
    /// so the first bytes leave at once and memory stays flat however large the cohort. A damaged
    /// entry is left out (the cohort page names it) rather than failing the pack. Once the
    /// headers are sent a failure can only cut the download short: the archive then has no
    /// central directory, so no unzip takes it for a whole pack.
    func pack(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let id = try context.parameters.require("cohort")
        guard Identifier.isValid(id) else { throw WebError.notFound }
        _ = try await services.store.cohort(id)
        let participants = try await services.store.participantIDs(inCohort: id)
        let store = services.store
        let pack = ModerationPack(
            framework: services.npq, rules: services.rules, templates: services.exportTemplates,
            portfolioSchema: services.schemas.portfolio)
        let archive = PackArchive(folder: "pack-\(id)", includeSensitive: false, now: services.now)
        let logger = context.logger
        let body = ResponseBody { writer in
            do {
                let result = try await archive.write(
                    participants: participants,
                    make: { participant in
                        guard let portfolio = try? await store.portfolio(participant) else { return nil }
                        return try await RenderPool.run {
                            try pack.files(for: portfolio, includeSensitive: false, now: archive.now)
                        }
                    },
                    to: { data in try await writer.write(ByteBuffer(bytes: data)) })
                try await writer.finish(nil)
                logger.info(
                    "cohort pack sent",
                    metadata: [
                        "cohort": "\(id)", "portfolios": "\(result.portfolios.count)", "bytes": "\(result.bytes)",
                    ])
            } catch {
                logger.error("cohort pack cut short", metadata: ["cohort": "\(id)", "error": "\(type(of: error))"])
                throw error
            }
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/zip", .contentDisposition: "attachment; filename=\"pack-\(id).zip\""],
            body: body)
    }
}

/// The completion files last made for each cohort and format, with what they were made from.
final class CompletionFiles: @unchecked Sendable {
    struct Revision: Hashable {
        var id: String
        var revision: Int
    }

    struct Key: Hashable {
        var cohort: Cohort
        var today: Day
        var format: String
        var revisions: [Revision]
    }

    private let lock = NSLock()
    private var files: [String: (key: Key, data: Data)] = [:]

    func file(for key: Key) -> Data? {
        lock.withLock {
            guard let kept = files["\(key.cohort.id)/\(key.format)"], kept.key == key else { return nil }
            return kept.data
        }
    }

    func keep(_ data: Data, for key: Key) {
        lock.withLock { files["\(key.cohort.id)/\(key.format)"] = (key, data) }
    }
}
