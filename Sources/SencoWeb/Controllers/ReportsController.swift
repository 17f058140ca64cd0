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
        return try await services.cohortListPage(request, context: context, cohort: id, kind: "completion") { list in
            let cohort = list.cohort
            let options = list.filter.options(for: cohort)
            let view = CompletionReportPage(
                id: cohort.id, title: cohort.title, start: cohort.start.description, provider: cohort.provider,
                generated: list.today.description, everyone: list.scan.values.count,
                counts: list.counts.map { CompletionReportPage.StateCount(state: $0.state, count: $0.count) },
                none: list.scan.values.isEmpty, noMatch: list.noMatch,
                problems: list.scan.problems.map(\.description), hasProblems: !list.scan.problems.isEmpty,
                search: list.filter.search, filtered: list.filter.isActive, shown: list.paging.summary,
                states: options.states, tutors: options.tutors,
                sectionHeadings: services.npq.npqSections.map { .init(number: $0.number, title: $0.title) },
                rows: list.rows.map { row, tutor in
                    CompletionReportPage.Row(
                        id: row.participant.id, name: row.participant.name, tutor: tutor, state: row.state.label,
                        outcome: row.outcome?.rawValue ?? "none yet", evidenced: row.total.evidenced,
                        sufficient: row.total.sufficient, met: row.total.met, total: row.total.total,
                        sections: row.sections.map { s in
                            CompletionReportPage.SectionCell(
                                evidenced: s.learnThat.evidenced + s.learnHowTo.evidenced,
                                sufficient: s.learnThat.sufficient + s.learnHowTo.sufficient,
                                met: s.learnThat.met + s.learnHowTo.met,
                                total: s.learnThat.total + s.learnHowTo.total)
                        },
                        declarations: row.declarations.map(CompletionReportPage.DeclarationCell.init))
                },
                paging: list.paging.navigation(
                    path: "/provider/cohorts/\(cohort.id)/completion", query: list.filter.query,
                    label: "Pages of the completion report"),
                downloads: [("csv", "CSV"), ("html", "HTML"), ("xml", "XML"), ("json", "JSON")].map {
                    CompletionReportPage.Download(href: "/provider/cohorts/\(cohort.id)/completion/\($0.0)", label: $0.1)
                })
            return RenderedContents.Rendered(title: list.title("Completion report"), content: services.views.content(of: view))
        }
    }
}
