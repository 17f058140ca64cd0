import Foundation
import Hummingbird
import SencoCore
import SencoDfE
import SencoStore

/// Voiding a declaration made in error, in the browser, as `senco dfe void` does it: a
/// confirmation page saying exactly what is sent and what follows, then (CSRF, and the portfolio
/// revision the page was made from) the same `DeclarationLedger.void` as the command line, which
/// sends `PUT /api/v3/participant-declarations/{id}/void` and records the DfE's answer in the
/// log. Without DfE settings the page says so and offers nothing to send.
struct DfEVoidController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/provider/portfolios/:participant/dfe/void/:type", use: confirmation)
        group.post("/provider/portfolios/:participant/dfe/void/:type", use: void)
    }

    private func declarationType(_ context: WebContext) throws -> DeclarationType {
        guard let type = DeclarationType(rawValue: try context.parameters.require("type")) else {
            throw WebError.notFound
        }
        return type
    }

    /// The declaration of `type` the DfE still counts, as the log records it, or nil.
    static func voidable(_ portfolio: Portfolio, _ type: DeclarationType) -> DeclarationRecord? {
        portfolio.isDeclared(type) ? portfolio.declarationRecords[type] : nil
    }

    private func page(
        _ portfolio: Portfolio, type: DeclarationType, changed: Bool = false, error: String? = nil,
        status: HTTPResponse.Status = .ok, context: WebContext
    ) async -> Response {
        let declaration = Self.voidable(portfolio, type).map { record in
            DfEVoidPage.Declaration(
                dfeID: record.dfeID, state: record.state, paid: record.state == "paid",
                request: "PUT /api/v3/participant-declarations/\(record.dfeID)/void",
                outcome: type == .completed
                    ? portfolio.dfeOutcome.map { "\($0.state) on \($0.completionDate)" } : nil)
        }
        let view = DfEVoidPage(
            id: portfolio.id, name: portfolio.participant.name, cohort: portfolio.participant.cohort,
            type: type.rawValue, csrf: context.session?.csrfToken, revision: portfolio.revision,
            configured: services.configuration.dfe != nil, api: services.configuration.dfe?.baseURL ?? "",
            declaration: declaration, changed: changed, error: error)
        let failed = changed || error != nil
        return services.views.page(
            view,
            title: (failed ? "Error: " : "") + "Void the \(type.rawValue) declaration: \(portfolio.participant.name)",
            status: status, chrome: await services.chrome(context))
    }

    func confirmation(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let portfolio = try await services.routePortfolio(context)
        return await page(portfolio, type: try declarationType(context), context: context)
    }

    /// Sends the void the provider confirmed, if the portfolio is still as the page showed it.
    func void(_ request: Request, context: WebContext) async throws -> Response {
        let user = try services.requireProvider(context)
        let portfolio = try await services.routePortfolio(context)
        let type = try declarationType(context)
        let form = try await services.form(request, context: context)
        guard let revision = Int(form["revision"]) else { throw WebError.badForm }
        guard revision == portfolio.revision else {
            return await page(portfolio, type: type, changed: true, status: .conflict, context: context)
        }
        guard let settings = services.configuration.dfe, Self.voidable(portfolio, type) != nil else {
            return await page(portfolio, type: type, status: .conflict, context: context)
        }
        let change: DeclarationLedger.Change
        do {
            change = try await settings.client().using { client in
                try await DeclarationLedger(client: client, store: services.store, actor: user.id).void(
                    participant: portfolio.id, type: type)
            }
        } catch let error as DfEError {
            context.logger.notice(
                "dfe void refused",
                metadata: ["participant": "\(portfolio.id)", "type": "\(type.rawValue)", "code": "\(error.code)"])
            if error.code == .unrecorded {
                return await recordedNot(portfolio, type: type, problem: error.message, context: context)
            }
            let latest = (try? await services.store.portfolio(portfolio.id)) ?? portfolio
            return await page(latest, type: type, error: error.message, status: .badGateway, context: context)
        }
        context.logger.info(
            "dfe declaration voided", metadata: ["participant": "\(portfolio.id)", "type": "\(type.rawValue)"])
        let latest = (try? await services.store.portfolio(portfolio.id)) ?? portfolio
        var notes = [
            change.to == "awaiting_clawback"
                ? "It had been paid, so the DfE holds it as awaiting_clawback: the payment is taken back in a later statement."
                : "The DfE holds it as \(change.to).",
            "The \(type.rawValue) milestone counts as not declared now, so it may be declared again from the cohort’s DfE page once it is ready.",
        ]
        if type == .completed, let outcome = latest.dfeOutcome, outcome.state == "voided" {
            notes.append("The outcome the DfE made from it is retracted (voided).")
        }
        let view = DfEActionResultPage(
            id: portfolio.id, name: portfolio.participant.name, cohort: portfolio.participant.cohort,
            heading: "Voided: the \(type.rawValue) declaration of \(portfolio.participant.name)",
            answer: [
                LabelledValue(label: "DfE declaration id", value: change.dfeID),
                LabelledValue(label: "State before", value: change.from ?? "not recorded"),
                LabelledValue(label: "State now", value: change.to),
            ],
            notes: notes, hasNotes: true, unrecorded: nil)
        return services.views.page(
            view, title: "Voided: \(type.rawValue) declaration of \(portfolio.participant.name)",
            chrome: await services.chrome(context))
    }

    /// The DfE voided it, but the log could not take the record: say so, and how it gets recorded.
    private func recordedNot(_ portfolio: Portfolio, type: DeclarationType, problem: String, context: WebContext)
        async -> Response
    {
        let view = DfEActionResultPage(
            id: portfolio.id, name: portfolio.participant.name, cohort: portfolio.participant.cohort,
            heading: "Voided at the DfE: the \(type.rawValue) declaration of \(portfolio.participant.name)",
            answer: [], notes: [], hasNotes: false, unrecorded: problem)
        return services.views.page(
            view, title: "Error: Voided at the DfE: \(type.rawValue) declaration of \(portfolio.participant.name)",
            status: .internalServerError, chrome: await services.chrome(context))
    }
}
