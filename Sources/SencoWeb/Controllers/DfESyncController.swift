import Foundation
import Hummingbird
import SencoCore
import SencoData
import SencoDfE
import SencoStore

/// Updating a cohort's declaration states from the DfE in the browser, as `senco dfe sync`
/// does: the same `DeclarationLedger.sync`, from the marker the cohort keeps (moved as the
/// command line moves it), or everything again (`--full`). The button is on the cohort's DfE
/// page, which says what will be read; the result lists each state that changed.
struct DfESyncController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.post("/provider/cohorts/:cohort/dfe/sync", use: sync)
    }

    func sync(_ request: Request, context: WebContext) async throws -> Response {
        let user = try services.requireProvider(context)
        let cohort = try await services.routeCohort(context)
        let form = try await services.form(request, context: context)
        guard ["changes", "full"].contains(form["scope"]) else { throw WebError.badForm }
        let full = form["scope"] == "full"
        guard let settings = services.configuration.dfe else {
            return await page(
                cohort, asked: "nothing", error: "This server has no DfE API configured, so nothing was read.",
                status: .conflict, context: context)
        }
        let report: DeclarationLedger.SyncReport
        do {
            report = try await settings.client().using { client in
                try await DeclarationLedger(client: client, store: services.store, actor: user.id).sync(
                    cohort: cohort.id, full: full)
            }
        } catch {
            let dfeError = error as? DfEError
            context.logger.notice(
                "dfe sync stopped",
                metadata: ["cohort": "\(cohort.id)", "code": "\(dfeError?.code.description ?? "other")"])
            return await page(
                cohort, asked: "", error: dfeError?.message ?? "The DfE’s API could not be reached.",
                status: .badGateway, context: context)
        }
        context.logger.info(
            "dfe sync",
            metadata: [
                "cohort": "\(cohort.id)", "declarations": "\(report.changes.count)",
                "outcomes": "\(report.outcomes.count)",
            ])
        let names = await self.names(in: cohort)
        let changes =
            report.changes.map { change in
                DfESyncResultPage.Change(
                    participant: change.participant, name: names[change.participant] ?? change.participant,
                    what: "\(change.type.rawValue) declaration", from: change.from ?? "not recorded", to: change.to)
            }
            + report.outcomes.map { change in
                DfESyncResultPage.Change(
                    participant: change.participant, name: names[change.participant] ?? change.participant,
                    what: "outcome", from: change.from.map { "\($0.state) on \($0.completionDate)" } ?? "not recorded",
                    to: "\(change.to.state) on \(change.to.completionDate)")
            }
        return await page(
            cohort, asked: report.asked.map { "changes since \(Timestamp.string($0))" } ?? "everything",
            summary: Self.summary(declarations: report.changes.count, outcomes: report.outcomes.count),
            changes: changes, kept: report.kept.map(Timestamp.string), context: context)
    }

    /// "2 declarations and 1 outcome changed state".
    static func summary(declarations: Int, outcomes: Int) -> String {
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        return "\(count(declarations, "declaration")) and \(count(outcomes, "outcome")) changed state"
    }

    /// The cohort's participants' names, for the page only (never a log).
    private func names(in cohort: Cohort) async -> [String: String] {
        guard let scan = try? await services.store.mapSummaries(inCohort: cohort.id, framework: services.npq) else {
            return [:]
        }
        return Dictionary(
            scan.values.map { ($0.participant.id, $0.participant.name) }, uniquingKeysWith: { first, _ in first })
    }

    private func page(
        _ cohort: Cohort, asked: String, summary: String = "", changes: [DfESyncResultPage.Change] = [],
        kept: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok, context: WebContext
    ) async -> Response {
        let view = DfESyncResultPage(
            cohort: cohort.id, title: cohort.title, asked: asked, summary: summary, changes: changes,
            hasChanges: !changes.isEmpty, kept: kept, error: error)
        return services.views.page(
            view, title: (error == nil ? "" : "Error: ") + "Declaration states from the DfE: \(cohort.title)",
            status: status, chrome: await services.chrome(context))
    }
}
