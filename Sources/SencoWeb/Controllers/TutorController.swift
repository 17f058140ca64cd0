import Foundation
import Hummingbird
import SencoCore
import SencoStore

/// Tutors: their participants with progress, the review of a portfolio statement by statement,
/// judgements, returning with feedback and signing off. Only a participant's own tutor can do
/// these; providers can read the review pages.
struct TutorController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/tutor", use: home)
        group.get("/portfolios/:participant/review", use: review)
        group.get("/portfolios/:participant/review/:statement", use: statement)
        group.post("/portfolios/:participant/review/:statement", use: judge)
        group.post("/portfolios/:participant/return", use: returnPortfolio)
        group.post("/portfolios/:participant/signoff", use: signOff)
    }

    func home(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.requireUser()
        guard user.role == .tutor, let tutor = user.tutor else { throw WebError.forbidden }
        var rows: [[String: Any]] = []
        var unreadable = 0
        for cohort in try await services.store.cohorts() {
            // The kept summaries, not the portfolios: a few hundred bytes per participant.
            let summaries = try await services.store.mapSummaries(inCohort: cohort.id, framework: services.npq)
            unreadable += summaries.problems.count
            for row in summaries.values where row.participant.tutor == tutor {
                rows.append([
                    "id": row.id, "name": row.participant.name, "school": row.participant.school, "cohort": cohort.title,
                    "state": row.state.label, "evidenced": row.total.evidenced, "met": row.total.met, "total": row.total.total,
                    "waiting": row.state == .submitted || row.state == .inReview,
                ])
            }
        }
        return services.views.page(
            "tutor-home", title: "My participants",
            context: [
                "rows": rows, "none": rows.isEmpty, "unreadable": unreadable,
                "hasUnreadable": unreadable > 0,
            ],
            chrome: await services.chrome(context, current: "/tutor"))
    }

    /// A portfolio this tutor judges (or, for `roles` that include the provider, any). The role
    /// is checked before anything is read (403); then another tutor's portfolio and one that
    /// does not exist get the same 404.
    private func reviewable(_ context: WebContext, roles: Set<Role> = [.tutor, .provider]) async throws -> (SignedInUser, Portfolio) {
        let user = try context.requireUser()
        guard roles.contains(user.role) else { throw WebError.forbidden }
        let id = try context.parameters.require("participant")
        guard Identifier.isValid(id) else { throw WebError.notFound }
        // A missing one is the same 404 page (ErrorPageMiddleware: StoreError.notFound).
        let portfolio = try await services.store.portfolio(id)
        guard Access.canJudge(user, portfolio) || user.role == .provider else { throw WebError.notFound }
        return (user, portfolio)
    }

    func review(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await reviewable(context)
        return await reviewPage(user: user, portfolio: portfolio, context: context)
    }

    /// The review page; after a refused return or sign-off, with the error beside its field and
    /// what was typed kept.
    private func reviewPage(
        user: SignedInUser, portfolio: Portfolio, typed: [String: Any] = [:], status: HTTPResponse.Status = .ok,
        context: WebContext
    ) async -> Response {
        let framework = services.npq
        let coverage = Coverage(portfolio: portfolio, framework: framework, rules: services.rules)
        let byID = Dictionary(coverage.statements.map { ($0.statement.id, $0) }, uniquingKeysWith: { a, _ in a })
        let sections: [[String: Any]] = framework.npqSections.map { section in
            [
                "number": section.number, "title": section.title,
                "statements": (section.learnThat + section.learnHowTo).map { s -> [String: Any] in
                    let c = byID[s.id]
                    return [
                        "id": s.id, "portfolioID": portfolio.id, "text": s.text, "status": portfolio.status(of: s.id).label,
                        "statusKey": portfolio.status(of: s.id).rawValue,
                        "evidence": c?.evidence.count ?? 0, "sufficient": (c?.sufficient ?? false) ? "yes" : "no",
                    ]
                },
            ]
        }
        let canAct = Access.canJudge(user, portfolio)
        let open = portfolio.state == .submitted || portfolio.state == .inReview
        var values: [String: Any] = [
            "id": portfolio.id, "name": portfolio.participant.name, "state": portfolio.state.label,
            "revision": portfolio.revision, "sections": sections, "totals": Present.totals(coverage),
            "canAct": canAct && open, "canJudge": canAct, "rows": Present.coverageRows(coverage),
        ]
        if canAct && !open { values["notOpen"] = "This portfolio is \(portfolio.state.label), so it cannot be returned or signed off now." }
        values.merge(typed) { _, new in new }
        let title = "\(typed["error"] == nil ? "" : "Error: ")Review: \(portfolio.participant.name)"
        return services.views.page("review", title: title, status: status, context: values, chrome: await services.chrome(context))
    }

    private func statementPage(
        user: SignedInUser, portfolio: Portfolio, statementID: String, error: String? = nil, errorField: String = "judgement",
        status: HTTPResponse.Status = .ok, selected: String? = nil, feedback: String = "", context: WebContext
    ) async throws -> Response {
        guard let statement = services.npq.statement(withID: statementID) else { throw WebError.notFound }
        let evidence: [[String: Any]] = portfolio.mappings(forStatement: statementID).compactMap { mapping in
            guard let item = portfolio.evidenceItem(withID: mapping.evidence) else { return nil }
            var row: [String: Any] = [
                "id": item.id, "participant": portfolio.id, "title": item.title,
                "type": services.rules.type(withID: item.type)?.label ?? item.type,
                "date": item.date.description, "reflection": item.reflection, "claim": mapping.claim,
                "sensitive": item.sensitive,
                "ingredients": Present.ingredientNames(item, prompts: services.schemas.prompts),
                "hasIngredients": !item.ingredients.isEmpty,
                "sufficient": services.rules.isSufficient(item, for: statement.kind) ? "yes" : "no",
                "attachments": item.attachments.map { ["name": $0.name, "sha256": $0.sha256, "size": Present.sizeText($0.size)] },
            ]
            if let impact = item.impact {
                row["impact"] = ["baseline": impact.baseline, "after": impact.after, "change": impact.change]
            }
            return row
        }
        let history: [[String: Any]] = portfolio.history(of: statementID).filter { $0.kind != .second }.map {
            ["at": Present.dateTime($0.at), "by": $0.by, "status": $0.status.label, "note": $0.feedback, "kind": $0.kind.rawValue]
        }
        let current = portfolio.status(of: statementID)
        let choose = selected ?? (current == .notYetEvidenced || current == .readyForReview ? "" : current.rawValue)
        let statuses: [[String: Any]] = [JudgementStatus.met, .partiallyMet, .notMet, .notYetEvidenced].map {
            ["value": $0.rawValue, "label": $0.label, "checked": $0.rawValue == choose]
        }
        var values: [String: Any] = [
            "participant": portfolio.id, "name": portfolio.participant.name, "revision": portfolio.revision,
            "statementID": statement.id, "text": statement.text, "group": statement.group ?? "",
            "kind": statement.kind == .learnHowTo ? "Learn how to" : "Learn that",
            "status": current.label, "evidence": evidence, "hasEvidence": !evidence.isEmpty, "history": history,
            "statuses": statuses, "feedback": feedback,
            "canJudge": Access.canJudge(user, portfolio) && (try? portfolio.requireJudgeable()) != nil,
        ]
        if let error {
            values["error"] = error
            values["errorField"] = errorField
            values[errorField == "feedback" ? "feedbackError" : "judgementError"] = error
        }
        return services.views.page(
            "review-statement", title: "\(error == nil ? "" : "Error: ")Statement \(statement.id): \(portfolio.participant.name)",
            status: status, context: values, chrome: await services.chrome(context))
    }

    func statement(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await reviewable(context)
        return try await statementPage(
            user: user, portfolio: portfolio, statementID: try context.parameters.require("statement"), context: context)
    }

    func judge(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await reviewable(context, roles: [.tutor])
        guard let tutor = user.tutor else { throw WebError.forbidden }
        let statementID = try context.parameters.require("statement")
        let form = try await services.form(request, context: context)
        guard let revision = Int(form["revision"]) else { throw WebError.badForm }
        let feedback: String
        do throws(RuleError) {
            feedback = try services.text(form, "feedback", label: "Feedback")
        } catch {
            return try await statementPage(
                user: user, portfolio: portfolio, statementID: statementID, error: error.message, errorField: "feedback",
                status: .unprocessableContent, selected: form["status"], feedback: form["feedback"], context: context)
        }
        guard let status = JudgementStatus(rawValue: form["status"]) else {
            return try await statementPage(
                user: user, portfolio: portfolio, statementID: statementID, error: "Choose a judgement for this statement.",
                status: .unprocessableContent, feedback: form["feedback"], context: context)
        }
        do {
            try await services.update(portfolio.id, revision: revision) { (p: inout Portfolio) throws(RuleError) in
                try p.judge(
                    statement: statementID, status: status, feedback: feedback, assessor: tutor, role: .tutor,
                    frameworks: services.library.frameworks, at: services.now)
            }
        } catch let error as RuleError {
            return try await statementPage(
                user: user, portfolio: portfolio, statementID: statementID, error: error.message, status: .unprocessableContent,
                selected: status.rawValue, feedback: form["feedback"], context: context)
        }
        return await services.redirect(
            "/portfolios/\(portfolio.id)/review#s-\(statementID)",
            flash: "Statement \(statementID) judged \(status.label).", context: context)
    }

    func returnPortfolio(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await reviewable(context, roles: [.tutor])
        guard let tutor = user.tutor else { throw WebError.forbidden }
        let form = try await services.form(request, context: context)
        guard let revision = Int(form["revision"]) else { throw WebError.badForm }
        let feedback: String
        do throws(RuleError) {
            feedback = try services.text(form, "feedback", label: "Feedback for the participant")
        } catch {
            return await reviewPage(
                user: user, portfolio: portfolio,
                typed: [
                    "error": error.message, "errorField": "return-feedback", "returnError": error.message,
                    "returnFeedback": form["feedback"],
                ],
                status: .unprocessableContent, context: context)
        }
        try await services.update(portfolio.id, revision: revision) { (p: inout Portfolio) throws(RuleError) in
            try p.returnToParticipant(by: tutor, feedback: feedback, at: services.now)
        }
        return await services.redirect("/tutor", flash: "Portfolio \(portfolio.id) returned with your feedback.", context: context)
    }

    func signOff(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await reviewable(context, roles: [.tutor])
        guard let tutor = user.tutor else { throw WebError.forbidden }
        let form = try await services.form(request, context: context)
        guard let revision = Int(form["revision"]) else { throw WebError.badForm }
        let reason: String
        do throws(RuleError) {
            reason = try services.text(form, "reason", label: "Reason")
        } catch {
            return await reviewPage(
                user: user, portfolio: portfolio,
                typed: [
                    "error": error.message, "errorField": "signoff-reason", "signoffError": error.message,
                    "signoffReason": form["reason"], "passed": form["outcome"] == "passed", "failed": form["outcome"] == "failed",
                ],
                status: .unprocessableContent, context: context)
        }
        guard let outcome = Outcome(rawValue: form["outcome"]) else {
            throw WebError(.unprocessableContent, title: "Choose an outcome", message: "Go back and choose passed or failed before signing off. Nothing was changed.")
        }
        try await services.update(portfolio.id, revision: revision) { (p: inout Portfolio) throws(RuleError) in
            try p.signOff(by: tutor, outcome: outcome, reason: reason, framework: services.npq, at: services.now)
        }
        return await services.redirect("/tutor", flash: "Portfolio \(portfolio.id) signed off: \(outcome.rawValue).", context: context)
    }
}
