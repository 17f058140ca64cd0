import Foundation
import Hummingbird
import SencoCore
import SencoData
import SencoDfE
import SencoStore

/// Sending a cohort's declarations from the browser: a page listing exactly what `senco dfe
/// submit` would send (each request's method, path and body), a confirmation that carries the
/// list's digest (a list that has changed since is refused and shown again, nothing sent), then
/// what became of each request. Sending goes through the same `DeclarationSubmitter` as the
/// command line, so each milestone is declared once and recorded in the participant's log. The
/// API's address and token are the server's (`senco serve --dfe-base-url`); without them the
/// page says so and offers nothing to send. The token never reaches a page or a log.
struct DfESubmissionController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/provider/cohorts/:cohort/dfe", use: review)
        group.post("/provider/cohorts/:cohort/dfe/submit", use: submit)
    }

    /// Everything to send for the cohort now, with each participant's name (for the page only)
    /// and the entries that could not be read.
    struct CohortPlan {
        var plan: DeclarationPlanner.Plan
        var names: [String: String]
        var problems: [String]
        var items: [DfESubmitPage.Item]

        /// SHA-256 of every request, in order: what the confirmation must match.
        var digest: String {
            SecureToken.sha256(Data(items.map { "\($0.method) \($0.path)\n\($0.body)\n" }.joined().utf8))
        }
    }

    private func cohortPlan(_ cohort: Cohort) async throws -> CohortPlan {
        let (framework, rules, policy, now) = (
            services.npq, services.rules, services.configuration.declarationPolicy, services.now
        )
        let scan = try await services.store.mapPortfolios(inCohort: cohort.id) { portfolio in
            (
                plan: DeclarationPlanner.plan(
                    portfolio: portfolio, cohort: cohort, framework: framework, rules: rules, policy: policy, now: now),
                retired: portfolio.retiredDfEIDs, id: portfolio.id, name: portfolio.participant.name
            )
        }
        let plan = DeclarationPlanner.combine(scan.values.map { (plan: $0.plan, retired: $0.retired) })
        let names = Dictionary(scan.values.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        func item(_ participant: String, _ what: String, _ when: String, _ method: String, _ path: String, _ body: Data)
            -> DfESubmitPage.Item
        {
            DfESubmitPage.Item(
                participant: participant, name: names[participant] ?? participant, what: what, when: when,
                method: method, path: path, body: String(decoding: body, as: UTF8.self))
        }
        let items =
            plan.requests.map {
                item(
                    $0.participant, "\($0.type.rawValue) declaration", "Dated \(Timestamp.string($0.date))", "POST",
                    "/api/v3/participant-declarations", $0.body)
            }
            + plan.outcomes.map {
                item(
                    $0.participant, "outcome correction: \($0.state.rawValue)", "Completed on \($0.completionDate)",
                    "POST", $0.path, $0.body)
            }
            + plan.withdrawals.map {
                item(
                    $0.participant, "withdrawal (\($0.change.reason ?? ""))", "Dated by the DfE when it is sent", "PUT",
                    $0.path, $0.body)
            }
        return CohortPlan(plan: plan, names: names, problems: scan.problems.map(\.description), items: items)
    }

    private func reviewPage(
        cohort: Cohort, plan: CohortPlan, changed: Bool = false, status: HTTPResponse.Status = .ok, context: WebContext
    ) async -> Response {
        let count = plan.items.count
        let view = DfESubmitPage(
            cohort: cohort.id, title: cohort.title, csrf: context.session?.csrfToken,
            configured: services.configuration.dfe != nil,
            sendingSeconds: Int(services.configuration.dfe?.sendingTime.components.seconds ?? 0),
            api: services.configuration.dfe?.baseURL ?? "",
            hasItems: count > 0, items: plan.items, count: "\(count) request\(count == 1 ? "" : "s")",
            hasHeld: !plan.plan.held.isEmpty, held: plan.plan.held, digest: plan.digest, changed: changed,
            hasProblems: !plan.problems.isEmpty, problems: plan.problems,
            syncedSince: cohort.dfeSyncedSince.map(Timestamp.string))
        return services.views.page(
            view, title: (changed ? "Error: " : "") + "Send to the DfE: \(cohort.title)", status: status,
            chrome: await services.chrome(context))
    }

    func review(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let cohort = try await services.routeCohort(context)
        return await reviewPage(cohort: cohort, plan: try await cohortPlan(cohort), context: context)
    }

    /// Sends the list the provider confirmed, if it is still exactly what would be sent.
    func submit(_ request: Request, context: WebContext) async throws -> Response {
        let user = try services.requireProvider(context)
        let cohort = try await services.routeCohort(context)
        let form = try await services.form(request, context: context)
        let plan = try await cohortPlan(cohort)
        guard let settings = services.configuration.dfe else {
            return await reviewPage(cohort: cohort, plan: plan, status: .conflict, context: context)
        }
        guard SecureToken.equal(plan.digest, form["digest"]) else {
            return await reviewPage(cohort: cohort, plan: plan, changed: true, status: .conflict, context: context)
        }
        let client: LeadProviderClient
        do { client = try settings.client() } catch {
            throw WebError(.internalServerError, title: "The DfE’s API cannot be reached", message: error.message)
        }
        let result = await DeclarationSubmitter(client: client, store: services.store, actor: user.id).submit(
            plan.plan, deadline: .now + settings.sendingTime)
        await client.shutdown()
        let lines = Self.lines(result, names: plan.names)
        let failed = lines.filter { !$0.ok }.count
        context.logger.info(
            "dfe submission",
            metadata: [
                "cohort": "\(cohort.id)", "done": "\(lines.count - failed)", "failed": "\(failed)",
                "left": "\(result.notReachedRequests)",
            ])
        let left = result.notReachedRequests
        let view = DfESubmitResultPage(
            cohort: cohort.id, title: cohort.title, lines: lines, hasLines: !lines.isEmpty,
            succeeded: lines.count - failed, failed: failed, allOK: failed == 0 && left == 0, hasFailed: failed > 0,
            stopped: result.stopped?.message,
            left: left == 0
                ? nil
                : DfESubmitResultPage.Left(
                    requests: "\(left) request\(left == 1 ? "" : "s")",
                    participants: "\(result.notReached.count) participant\(result.notReached.count == 1 ? "" : "s")",
                    seconds: Int(settings.sendingTime.components.seconds)))
        return services.views.page(
            view, title: (failed == 0 ? "" : "Error: ") + "Sent to the DfE: \(cohort.title)",
            chrome: await services.chrome(context))
    }

    /// One line per request, in the order sent, saying what the API now holds or why not.
    static func lines(_ result: DeclarationSubmitter.Result, names: [String: String]) -> [DfESubmitResultPage.Line] {
        func line(_ participant: String, _ what: String, _ text: String, _ ok: Bool) -> DfESubmitResultPage.Line {
            DfESubmitResultPage.Line(
                participant: participant, name: names[participant] ?? participant, what: what, result: text, ok: ok)
        }
        var lines: [DfESubmitResultPage.Line] = []
        for (request, held) in result.sent {
            lines.append(
                line(
                    request.participant, "\(request.type.rawValue) declaration", "declared: \(held.state) (\(held.id))",
                    true))
        }
        for (request, held) in result.found {
            lines.append(
                line(
                    request.participant, "\(request.type.rawValue) declaration",
                    "the DfE already held it: \(held.state) (\(held.id)); now recorded", true))
        }
        for (request, error) in result.failed {
            lines.append(line(request.participant, "\(request.type.rawValue) declaration", error.message, false))
        }
        for (request, problem) in result.unrecorded {
            lines.append(
                line(
                    request.participant, "\(request.type.rawValue) declaration",
                    "declared, but not recorded (\(problem)); the next submission records it", false))
        }
        func item(_ participant: String, _ what: String, _ item: DeclarationSubmitter.ItemResult) {
            switch item {
            case .sent(let text): lines.append(line(participant, what, "sent: \(text)", true))
            case .found(let text):
                lines.append(line(participant, what, "the DfE already held it: \(text); now recorded", true))
            case .failed(let error): lines.append(line(participant, what, error.message, false))
            case .unrecorded(let problem):
                lines.append(
                    line(
                        participant, what, "sent, but not recorded (\(problem)); the next submission records it", false)
                )
            }
        }
        for (request, result) in result.outcomes {
            item(request.participant, "outcome correction: \(request.state.rawValue)", result)
        }
        for (request, result) in result.withdrawals { item(request.participant, "withdrawal", result) }
        return lines
    }
}
