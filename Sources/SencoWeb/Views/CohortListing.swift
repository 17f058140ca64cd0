import Foundation
import Hummingbird
import SencoCore
import SencoStore

/// One page of a cohort's participants, 50 at a time, filtered by state, tutor or a search, as
/// the cohort page and the completion report page show it: made from the cohort's summaries,
/// and rendered once for as long as the scan (its token), the cohort record, the day, the
/// filters and the page are the same (`RenderedContents`).
struct CohortListing {
    let cohort: Cohort
    let scan: CohortScan<PortfolioSummary>
    let filter: CohortFilter
    let today: Day
    let matching: [PortfolioSummary]
    let paging: Paging

    /// The report row of each participant on this page, with their tutor's name.
    var rows: [(row: CompletionRow, tutor: String)] {
        let names = Dictionary(cohort.tutors.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return matching[paging.range].map { summary in
            let row = CompletionReport.row(for: summary, today: today)
            return (row, names[row.participant.tutor] ?? row.participant.tutor)
        }
    }

    /// How many of the whole cohort are in each state, in the states' order, leaving out none.
    var counts: [(state: String, count: Int)] {
        let byState = Dictionary(grouping: scan.values, by: { CompletionRow.State($0.state) })
        return CompletionRow.State.allCases.compactMap { state in byState[state].map { (state.label, $0.count) } }
    }

    var noMatch: Bool { !scan.values.isEmpty && matching.isEmpty }

    /// "Cohort: Title" and, past one page, which page this is.
    func title(_ prefix: String) -> String {
        "\(prefix): \(cohort.title)" + (paging.pages > 1 ? " (page \(paging.page) of \(paging.pages))" : "")
    }
}

extension WebServices {
    /// The page `render` makes of one page of cohort `id`'s list for this request (`kind` names the
    /// list, so two lists of one cohort are kept apart).
    func cohortListPage(
        _ request: Request, context: WebContext, cohort id: String, kind: String,
        render: (CohortListing) -> RenderedContents.Rendered
    ) async throws -> Response {
        // A missing cohort is the 404 page (ErrorPageMiddleware: StoreError.notFound).
        let cohort = try await store.cohort(id)
        let scan = try await store.mapSummaries(inCohort: id, framework: npq)
        let today = Day(now)
        let query = request.uri.queryParameters
        let filter = CohortFilter(query, cohort: cohort)
        let requestedPage = query["page"].map(String.init)
        let key = "\(kind)/\(id)?\(filter.key)&page=\(requestedPage ?? "")"
        let version = scan.token.map { AnyHashable(ListVersion(tokens: [$0], cohorts: [cohort], today: today)) }
        let rendered = renderedContents.rendered(for: key, version: version) {
            let matching = scan.values.filter(filter.matches)
            return render(
                CohortListing(
                    cohort: cohort, scan: scan, filter: filter, today: today, matching: matching,
                    paging: Paging(total: matching.count, requested: requestedPage)))
        }
        return views.page(content: rendered.content, title: rendered.title, chrome: await chrome(context))
    }
}
