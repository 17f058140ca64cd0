import Foundation
import Hummingbird
import SencoCore
import SencoStore

/// The portfolio page (coverage matrix, gaps, evidence), submitting, and attachment downloads.
struct PortfolioController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/portfolios/:participant", use: show)
        group.get("/portfolios/:participant/feedback", use: feedback)
        group.post("/portfolios/:participant/submit", use: submit)
        group.get("/portfolios/:participant/attachments/:sha256", use: attachment)
    }

    /// Reads a portfolio the user may see. The role is checked before anything is read (403 for
    /// a moderator, who works through the moderation pages); then someone else's portfolio and
    /// one that does not exist get the same 404, so the answer says nothing about which ids exist.
    func viewable(_ context: WebContext) async throws -> (SignedInUser, Portfolio) {
        let user = try context.requireUser()
        guard user.role == .participant || user.role == .tutor || user.role == .provider else { throw WebError.forbidden }
        let id = try context.parameters.require("participant")
        guard Identifier.isValid(id) else { throw WebError.notFound }
        if user.role == .participant && user.participant != id { throw WebError.notFound }
        // A missing one is the same 404 page (ErrorPageMiddleware: StoreError.notFound).
        let portfolio = try await services.store.portfolio(id)
        guard Access.canView(user, portfolio) else { throw WebError.notFound }
        return (user, portfolio)
    }

    func show(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await viewable(context)
        return await page(user: user, portfolio: portfolio, context: context)
    }

    /// The portfolio page; after a refused submission, with why and what changed since.
    private func page(
        user: SignedInUser, portfolio: Portfolio, error: String? = nil, changes: ChangesView? = nil,
        status: HTTPResponse.Status = .ok, context: WebContext
    ) async -> Response {
        let own = Access.canEdit(user, portfolio.id)
        let canReview = Access.canJudge(user, portfolio)
        let title =
            (error == nil ? "" : "Error: ") + (own ? "My portfolio" : "Portfolio of \(portfolio.participant.name)")
        let chrome = await services.chrome(context, current: "/portfolios/\(portfolio.id)")
        let csrf = context.session?.csrfToken
        // The page is the same for the same portfolio (to the last byte), viewer and CSRF token: a
        // portfolio looked at again before it changes is not worked out and rendered again. The
        // token is put in afterwards, so one rendering serves every session.
        guard error == nil, changes == nil, let csrf else {
            return services.views.page(
                portfolioView(portfolio, own: own, canReview: canReview, csrf: csrf, error: error, changes: changes),
                title: title, status: status, chrome: chrome)
        }
        let key = "portfolio/\(portfolio.id)/own=\(own)/review=\(canReview)"
        let rendered = services.renderedContents.rendered(for: key, version: AnyHashable(portfolio)) {
            let view = portfolioView(
                portfolio, own: own, canReview: canReview, csrf: RenderedContents.csrfPlaceholder, error: nil, changes: nil)
            return RenderedContents.Rendered(title: title, content: services.views.content(of: view))
        }
        return services.views.page(
            content: rendered.content(csrf: csrf),
            title: rendered.title, status: status, chrome: chrome)
    }

    private func portfolioView(
        _ portfolio: Portfolio, own: Bool, canReview: Bool, csrf: String?, error: String?, changes: ChangesView?
    ) -> PortfolioPage {
        let framework = services.npq
        let award = services.nationalAward
        let coverage = Coverage(
            portfolio: portfolio, framework: framework, rules: services.rules, crosswalk: award?.crosswalk, award: award?.award)
        return PortfolioPage(
            own: own, id: portfolio.id, name: portfolio.participant.name, school: portfolio.participant.school,
            state: portfolio.state.label,
            outcome: portfolio.state == .signedOff ? portfolio.outcome?.rawValue : nil,
            returnNote: portfolio.state == .returned && !portfolio.stateNote.isEmpty ? portfolio.stateNote : nil,
            totals: Present.totals(coverage), canReview: canReview,
            editable: own && portfolio.state.allowsParticipantChanges,
            canSubmit: own && portfolio.state.allowsParticipantChanges && !portfolio.evidence.isEmpty,
            framework: framework.shortTitle, rows: Present.coverageRows(coverage),
            hasOutcomes: !coverage.outcomes.isEmpty, outcomes: Present.outcomeRows(coverage),
            outcomeTotals: Present.outcomeTotals(coverage),
            hasEvidence: !portfolio.evidence.isEmpty, evidence: Present.evidenceRows(portfolio, rules: services.rules),
            gaps: Present.gaps(
                coverage, framework: framework,
                addingTo: own && portfolio.state.allowsParticipantChanges ? portfolio.id : nil),
            csrf: csrf,
            revision: portfolio.revision, logged: portfolio.log.count, error: error, changes: changes)
    }

    func submit(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.requireUser()
        guard user.role == .participant else { throw WebError.forbidden }
        let id = try context.parameters.require("participant")
        guard Identifier.isValid(id), Access.canEdit(user, id) else { throw WebError.notFound }
        let form = try await services.form(request, context: context)
        let origin = try FormOrigin.posted(form)
        do {
            try await services.update(id, revision: origin.revision) { (p: inout Portfolio) throws(RuleError) in
                try p.submit(by: user.participant ?? user.id, at: services.now)
            }
        } catch let error as StoreError where WebServices.isStale(error) {
            // The page again, with what changed since it was opened: submitting is then a
            // decision made with the latest version in view.
            let latest = try await services.store.portfolio(id)
            let changes = ChangeReport.make(
                latest: latest, origin: origin, scope: .portfolio, names: await services.names(in: latest),
                advice: "Nothing was submitted. Check the changes, then submit again if you still mean to.")
            return await page(
                user: user, portfolio: latest, error: WebServices.conflictMessage(error), changes: changes,
                status: .conflict,
                context: context)
        }
        return await services.redirect(
            "/portfolios/\(id)", flash: "Your portfolio has been submitted to your tutor. You will be told when it has been reviewed.",
            context: context)
    }

    /// An attachment of an evidence item in this portfolio, for those who may see the portfolio.
    func attachment(_ request: Request, context: WebContext) async throws -> Response {
        let (_, portfolio) = try await viewable(context)
        let sha = try context.parameters.require("sha256")
        guard let attachment = portfolio.evidence.flatMap(\.attachments).first(where: { $0.sha256 == sha }) else {
            throw WebError.notFound
        }
        return try await Self.download(attachment, store: services.store)
    }

    static func download(_ attachment: Attachment, store: any AsyncPortfolioRepository) async throws -> Response {
        let data = try await store.attachmentData(sha256: attachment.sha256)
        let safeName = String(attachment.name.unicodeScalars.map {
            ($0.isASCII && $0.value >= 32 && $0 != "\"" && $0 != "\\" && $0 != ";") ? Character($0) : "_"
        })
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/octet-stream",
                .contentDisposition: "attachment; filename=\"\(safeName)\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
