import Foundation
import Hummingbird
import SencoCore
import SencoStore

/// The provider's reports on a cohort, as pages beside their downloads.
///
/// The completion report: the same rows as the downloads (`/provider/cohorts/C/completion/FORMAT`,
/// made by SencoExport as `senco report completion` makes them), from summaries only. Filters
/// and counts read every summary (kept in memory while nothing changes); the declarations are
/// worked out only for the page shown, so a cohort of 5,000 costs about what the cohort page costs.
///
/// The cohort's moderation samples, each linked to its agreement report (`AgreementReportController`).
struct ReportsController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/provider/cohorts/:cohort/completion", use: completion)
        group.get("/provider/cohorts/:cohort/moderation", use: moderation)
    }

    /// The cohort's moderation samples, newest first, each linked to its agreement report.
    func moderation(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.requireUser()
        guard user.role == .provider else { throw WebError.forbidden }
        let id = try context.parameters.require("cohort")
        guard Identifier.isValid(id) else { throw WebError.notFound }
        let cohort = try await services.store.cohort(id)
        let plans = try await services.store.plans().filter { $0.cohort == id }.sorted {
            ($0.created, $0.id) > ($1.created, $1.id)
        }
        let view = CohortModerationPage(
            id: cohort.id, title: cohort.title,
            plans: plans.map {
                .init(
                    id: $0.id, drawn: Present.dateTime($0.created), drawnBy: $0.createdBy, rate: $0.rate,
                    count: $0.entries.count)
            },
            none: plans.isEmpty)
        return services.views.page(view, title: "Moderation: \(cohort.title)", chrome: await services.chrome(context))
    }

    func completion(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.requireUser()
        guard user.role == .provider else { throw WebError.forbidden }
        let id = try context.parameters.require("cohort")
        guard Identifier.isValid(id) else { throw WebError.notFound }
        // A missing cohort is the 404 page (ErrorPageMiddleware: StoreError.notFound).
        let cohort = try await services.store.cohort(id)
        let scan = try await services.store.mapSummaries(inCohort: id, framework: services.npq)
        let today = Day(services.now)
        let query = request.uri.queryParameters
        let filter = CohortFilter(query, cohort: cohort)
        let requestedPage = query["page"].map(String.init)
        // Kept while the scan (token), cohort record, day, filters and page are the same.
        let key = "completion/\(id)?\(filter.key)&page=\(requestedPage ?? "")"
        let version = scan.token.map { AnyHashable(ListVersion(tokens: [$0], cohorts: [cohort], today: today)) }
        let rendered = services.renderedContents.rendered(for: key, version: version) {
            let matching = scan.values.filter(filter.matches)
            let paging = Paging(total: matching.count, requested: requestedPage)
            let tutorNames = Dictionary(cohort.tutors.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let rows = matching[paging.range].map { summary in
                let row = CompletionReport.row(for: summary, today: today)
                return CompletionReportPage.Row(
                    id: row.participant.id, name: row.participant.name,
                    tutor: tutorNames[row.participant.tutor] ?? row.participant.tutor, state: row.state.label,
                    outcome: row.outcome?.rawValue ?? "none yet", evidenced: row.total.evidenced,
                    sufficient: row.total.sufficient,
                    met: row.total.met, total: row.total.total,
                    sections: row.sections.map { s in
                        CompletionReportPage.SectionCell(
                            evidenced: s.learnThat.evidenced + s.learnHowTo.evidenced,
                            sufficient: s.learnThat.sufficient + s.learnHowTo.sufficient,
                            met: s.learnThat.met + s.learnHowTo.met,
                            total: s.learnThat.total + s.learnHowTo.total)
                    },
                    declarations: row.declarations.map(CompletionReportPage.DeclarationCell.init))
            }
            let byState = Dictionary(grouping: scan.values, by: { CompletionRow.State($0.state) })
            let options = filter.options(for: cohort)
            let path = "/provider/cohorts/\(cohort.id)/completion"
            let view = CompletionReportPage(
                id: cohort.id, title: cohort.title, start: cohort.start.description, provider: cohort.provider,
                generated: today.description, everyone: scan.values.count,
                counts: CompletionRow.State.allCases.compactMap { s in
                    byState[s].map { CompletionReportPage.StateCount(state: s.label, count: $0.count) }
                },
                none: scan.values.isEmpty, noMatch: !scan.values.isEmpty && matching.isEmpty,
                problems: scan.problems.map(\.description), hasProblems: !scan.problems.isEmpty,
                search: filter.search, filtered: filter.isActive, shown: paging.summary,
                states: options.states, tutors: options.tutors,
                sectionHeadings: services.npq.npqSections.map { .init(number: $0.number, title: $0.title) },
                rows: rows, paging: paging.navigation(path: path, query: filter.query, label: "Pages of the completion report"),
                downloads: [("csv", "CSV"), ("html", "HTML"), ("xml", "XML"), ("json", "JSON")].map {
                    CompletionReportPage.Download(href: "/provider/cohorts/\(cohort.id)/completion/\($0.0)", label: $0.1)
                })
            let title =
                "Completion report: \(cohort.title)" + (paging.pages > 1 ? " (page \(paging.page) of \(paging.pages))" : "")
            return RenderedContents.Rendered(title: title, content: services.views.content(of: view))
        }
        return services.views.page(content: rendered.content, title: rendered.title, chrome: await services.chrome(context))
    }
}
