import Foundation
import Hummingbird
import SencoCore
import SencoData
import SencoDfE
import SencoStore

/// Deferring and resuming a participant at the DfE from the browser, as `senco dfe defer` and
/// `senco dfe resume` do: the deferral's reason is one of the document's values, chosen first;
/// then a confirmation shows the exact request; sending it (CSRF, and the portfolio revision the
/// pages were made from) goes through the same `TrainingStatusSender` as the command line, which
/// records the status the DfE answers with in the log. Without DfE settings the page says so and
/// offers nothing to send.
struct DfETrainingStatusController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/provider/portfolios/:participant/dfe/defer", use: deferPage)
        group.post("/provider/portfolios/:participant/dfe/defer", use: deferral)
        group.get("/provider/portfolios/:participant/dfe/resume", use: resumePage)
        group.post("/provider/portfolios/:participant/dfe/resume", use: resumption)
    }

    /// The DfE's deferral reasons as choices ("long-term-sickness": "Long term sickness").
    static func reasonChoices(selected: String) -> [SelectOption] {
        TrainingStatusChange.deferralReasons.map { value in
            let words = value.replacingOccurrences(of: "-", with: " ")
            return SelectOption(
                value: value, label: words.prefix(1).uppercased() + words.dropFirst(), selected: value == selected)
        }
    }

    /// What a page shows beyond the participant: the reason chosen, its error, the request to
    /// confirm, and why the last attempt did not go through.
    private struct Shown {
        var reason = ""
        var reasonError: String?
        var confirming = false
        var changed = false
        var error: String?
    }

    private func page(
        _ portfolio: Portfolio, change: TrainingStatusChange, shown: Shown = Shown(), revision: Int? = nil,
        status: HTTPResponse.Status = .ok, context: WebContext
    ) async -> Response {
        let isDefer = change.action == "defer"
        let request = portfolio.participant.dfe.flatMap { dfe -> DfEStatusChangePage.Request? in
            guard shown.confirming || !isDefer else { return nil }
            let sent = StatusChangeRequest(
                participant: portfolio.id, dfeParticipantID: dfe.participantID, course: dfe.course, change: change)
            return DfEStatusChangePage.Request(
                method: "PUT", path: sent.path, body: String(decoding: sent.body, as: UTF8.self),
                reason: change.reason)
        }
        let errors = shown.reasonError.map { [FieldError(field: "reason", message: $0)] } ?? []
        let name = portfolio.participant.name
        let heading = isDefer ? "Tell the DfE \(name) has deferred" : "Tell the DfE \(name) has resumed"
        let view = DfEStatusChangePage(
            id: portfolio.id, name: name, cohort: portfolio.participant.cohort, action: change.action,
            isDefer: isDefer, heading: heading, csrf: context.session?.csrfToken,
            revision: revision ?? portfolio.revision, configured: services.configuration.dfe != nil,
            api: services.configuration.dfe?.baseURL ?? "", hasIdentity: portfolio.participant.dfe != nil,
            status: portfolio.participant.dfe?.trainingStatus.rawValue ?? "not known (no DfE identity)",
            reasons: Self.reasonChoices(selected: shown.reason), hasErrors: !errors.isEmpty, errors: errors,
            reasonError: shown.reasonError, request: request, changed: shown.changed, error: shown.error)
        let failed = !errors.isEmpty || shown.changed || shown.error != nil
        return services.views.page(
            view, title: (failed ? "Error: " : "") + heading, status: status, chrome: await services.chrome(context))
    }

    func deferPage(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let portfolio = try await services.routePortfolio(context)
        return await page(portfolio, change: .defer(reason: ""), context: context)
    }

    func resumePage(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let portfolio = try await services.routePortfolio(context)
        return await page(portfolio, change: .resume, shown: Shown(confirming: true), context: context)
    }

    /// The reason checked (one of the DfE's values), then either the request to confirm
    /// (`step=check`) or, once confirmed (`step=send`), the deferral sent.
    func deferral(_ request: Request, context: WebContext) async throws -> Response {
        let user = try services.requireProvider(context)
        let portfolio = try await services.routePortfolio(context)
        let form = try await services.form(request, context: context)
        guard let revision = Int(form["revision"]) else { throw WebError.badForm }
        let reason = form["reason"]
        let change = TrainingStatusChange.defer(reason: reason)
        if reason.isEmpty || change.problem != nil {
            let message =
                reason.isEmpty
                ? "Choose the DfE’s reason for the deferral." : "Choose one of the DfE’s reasons for the deferral."
            return await page(
                portfolio, change: change, shown: Shown(reason: reason, reasonError: message), revision: revision,
                status: .unprocessableContent, context: context)
        }
        guard form["step"] == "send" else {
            return await page(
                portfolio, change: change, shown: Shown(reason: reason, confirming: true), revision: revision,
                context: context)
        }
        return await send(change, portfolio: portfolio, revision: revision, user: user, context: context)
    }

    func resumption(_ request: Request, context: WebContext) async throws -> Response {
        let user = try services.requireProvider(context)
        let portfolio = try await services.routePortfolio(context)
        let form = try await services.form(request, context: context)
        guard let revision = Int(form["revision"]) else { throw WebError.badForm }
        return await send(.resume, portfolio: portfolio, revision: revision, user: user, context: context)
    }

    /// Sends a confirmed change, if the portfolio is still as the pages showed it, and shows the
    /// DfE's answer (or its refusal, in words).
    private func send(
        _ change: TrainingStatusChange, portfolio: Portfolio, revision: Int, user: SignedInUser, context: WebContext
    ) async -> Response {
        let shown = Shown(reason: change.reason ?? "", confirming: true)
        guard revision == portfolio.revision else {
            var changed = shown
            changed.changed = true
            return await page(portfolio, change: change, shown: changed, status: .conflict, context: context)
        }
        guard let settings = services.configuration.dfe, portfolio.participant.dfe != nil else {
            return await page(portfolio, change: change, shown: shown, status: .conflict, context: context)
        }
        let sent: TrainingStatusSender.Sent
        do {
            sent = try await settings.client().using { client in
                try await TrainingStatusSender(client: client, store: services.store, actor: user.id).send(
                    change, for: portfolio)
            }
        } catch {
            let dfeError = error as? DfEError
            context.logger.notice(
                "dfe status change refused",
                metadata: [
                    "participant": "\(portfolio.id)", "action": "\(change.action)",
                    "code": "\(dfeError?.code.description ?? "other")",
                ])
            var failed = shown
            failed.error = dfeError?.message ?? "The DfE’s API could not be reached."
            return await page(portfolio, change: change, shown: failed, status: .badGateway, context: context)
        }
        context.logger.info(
            "dfe status changed", metadata: ["participant": "\(portfolio.id)", "action": "\(change.action)"])
        let status = sent.status
        var answer = [LabelledValue(label: "Training status at the DfE", value: sent.answer.status.rawValue)]
        if let since = status.since, sent.answer.status != .active {
            answer.append(LabelledValue(label: "Since", value: Timestamp.string(since)))
        }
        if let reason = status.reason {
            answer.append(LabelledValue(label: "The DfE’s reason", value: reason))
        }
        let notes =
            sent.answer.alreadyHeld
            ? [
                "The DfE already held \(portfolio.participant.name) as \(sent.answer.status.rawValue) (a change made before, or elsewhere); that is what is recorded."
            ]
            : []
        let name = portfolio.participant.name
        let heading = change.action == "defer" ? "Deferred at the DfE: \(name)" : "Resumed at the DfE: \(name)"
        let view = DfEActionResultPage(
            id: portfolio.id, name: name, cohort: portfolio.participant.cohort, heading: heading, answer: answer,
            notes: notes, hasNotes: !notes.isEmpty, unrecorded: sent.unrecorded)
        return services.views.page(
            view, title: (sent.unrecorded == nil ? "" : "Error: ") + heading,
            status: sent.unrecorded == nil ? .ok : .internalServerError, chrome: await services.chrome(context))
    }
}
