import Foundation
import Hummingbird
import SencoCore
import SencoStore

/// Moderators: their sample, blind second marking (first marks hidden, sensitive evidence
/// redacted) and reconciliation. A moderator reaches only portfolios sampled to them (or sampled
/// with no moderator named). The agreement report is `AgreementReportController`'s.
struct ModeratorController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/moderation", use: home)
        group.get("/moderation/:participant", use: portfolio)
        group.get("/moderation/:participant/statements/:statement", use: statement)
        group.post("/moderation/:participant/statements/:statement", use: mark)
        group.get("/moderation/:participant/attachments/:sha256", use: attachment)
        group.get("/moderation/:participant/reconcile", use: reconcilePage)
        group.post("/moderation/:participant/reconcile/:statement", use: reconcile)
    }

    private func moderator(_ context: WebContext) throws -> SignedInUser {
        let user = try context.requireUser()
        guard user.role == .moderator else { throw WebError.forbidden }
        return user
    }

    /// A portfolio in this moderator's sample. The role is checked before anything is read
    /// (403); then a portfolio outside the sample and one that does not exist get the same 404.
    private func sampled(_ context: WebContext) async throws -> (SignedInUser, Portfolio) {
        let user = try moderator(context)
        let id = try context.parameters.require("participant")
        guard Identifier.isValid(id) else { throw WebError.notFound }
        guard Access.canModerate(user, participant: id, plans: try await services.store.plans()) else { throw WebError.notFound }
        // A missing one is the same 404 page (ErrorPageMiddleware: StoreError.notFound).
        return (user, try await services.store.portfolio(id))
    }

    func home(_ request: Request, context: WebContext) async throws -> Response {
        let user = try moderator(context)
        var rows: [[String: Any]] = []
        var plans: [[String: Any]] = []
        for plan in try await services.store.plans() {
            let mine = plan.entries.filter { $0.moderator == nil || $0.moderator == user.id }
            guard !mine.isEmpty else { continue }
            plans.append(["id": plan.id, "cohort": plan.cohort, "count": mine.count])
            for entry in mine {
                guard let portfolio = try? await services.store.portfolio(entry.participant) else { continue }
                let firsts = Set(portfolio.judgements.filter { $0.kind == .first }.map(\.statement))
                let seconds = Set(portfolio.judgements.filter { $0.kind == .second && $0.by == user.id }.map(\.statement))
                let disagreements = portfolio.doubleMarks.filter { $0.first.status != $0.second.status && $0.agreed == nil }.count
                rows.append([
                    "plan": plan.id, "id": entry.participant, "tutor": entry.tutor,
                    "firsts": firsts.count, "seconds": seconds.intersection(firsts).count,
                    "open": disagreements, "hasOpen": disagreements > 0,
                ])
            }
        }
        return services.views.page(
            "moderator-home", title: "My moderation sample",
            context: ["rows": rows, "plans": plans, "none": rows.isEmpty], chrome: await services.chrome(context, current: "/moderation"))
    }

    func portfolio(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await sampled(context)
        let firsts = Set(portfolio.judgements.filter { $0.kind == .first }.map(\.statement))
        let statements: [[String: Any]] = services.npq.statements.filter { firsts.contains($0.id) }.map { s in
            let mine = portfolio.judgements.last { $0.statement == s.id && $0.kind == .second && $0.by == user.id }
            return [
                "id": s.id, "portfolioID": portfolio.id, "text": s.text, "evidence": portfolio.mappings(forStatement: s.id).count,
                "marked": mine.map { $0.status.label } ?? "not yet second-marked",
            ]
        }
        return services.views.page(
            "second-mark", title: "Second marking: \(portfolio.id)",
            context: ["id": portfolio.id, "statements": statements, "none": statements.isEmpty, "list": true],
            chrome: await services.chrome(context))
    }

    private func statementPage(
        user: SignedInUser, portfolio: Portfolio, statementID: String, error: String? = nil, errorField: String = "judgement",
        status: HTTPResponse.Status = .ok, feedback: String = "", context: WebContext
    ) async throws -> Response {
        guard let statement = services.npq.statement(withID: statementID),
            portfolio.judgements.contains(where: { $0.statement == statementID && $0.kind == .first })
        else { throw WebError.notFound }
        // Blind: the moderator sees the evidence (sensitive items redacted) but not the first mark.
        let redacted = portfolio.redactingSensitive()
        let evidence: [[String: Any]] = redacted.mappings(forStatement: statementID).compactMap { mapping in
            guard let item = redacted.evidenceItem(withID: mapping.evidence) else { return nil }
            return [
                "id": item.id, "portfolioID": portfolio.id, "title": item.title,
                "type": services.rules.type(withID: item.type)?.label ?? item.type,
                "date": item.date.description, "reflection": item.reflection, "claim": mapping.claim,
                "sensitive": item.sensitive,
                "attachments": item.attachments.map { ["name": $0.name, "sha256": $0.sha256, "size": Present.sizeText($0.size)] },
            ]
        }
        let mine = portfolio.judgements.last { $0.statement == statementID && $0.kind == .second && $0.by == user.id }
        let statuses: [[String: Any]] = [JudgementStatus.met, .partiallyMet, .notMet, .notYetEvidenced].map {
            ["value": $0.rawValue, "label": $0.label, "checked": $0 == mine?.status]
        }
        var values: [String: Any] = [
            "id": portfolio.id, "statementID": statement.id, "text": statement.text, "evidence": evidence,
            "hasEvidence": !evidence.isEmpty, "statuses": statuses, "revision": portfolio.revision,
            "feedback": feedback.isEmpty ? (mine?.feedback ?? "") : feedback,
            "kind": statement.kind == .learnHowTo ? "Learn how to" : "Learn that",
        ]
        if let error {
            values["error"] = error
            values["errorField"] = errorField
            values[errorField == "feedback" ? "feedbackError" : "judgementError"] = error
        }
        return services.views.page(
            "second-mark", title: "\(error == nil ? "" : "Error: ")Second mark \(statement.id): \(portfolio.id)", status: status,
            context: values, chrome: await services.chrome(context))
    }

    func statement(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await sampled(context)
        return try await statementPage(
            user: user, portfolio: portfolio, statementID: try context.parameters.require("statement"), context: context)
    }

    func mark(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await sampled(context)
        let statementID = try context.parameters.require("statement")
        let form = try await services.form(request, context: context)
        guard let revision = Int(form["revision"]) else { throw WebError.badForm }
        let feedback: String
        do throws(RuleError) {
            feedback = try services.text(form, "feedback", label: "Notes")
        } catch {
            return try await statementPage(
                user: user, portfolio: portfolio, statementID: statementID, error: error.message, errorField: "feedback",
                status: .unprocessableContent, feedback: form["feedback"], context: context)
        }
        guard let status = JudgementStatus(rawValue: form["status"]) else {
            return try await statementPage(
                user: user, portfolio: portfolio, statementID: statementID, error: "Choose your judgement for this statement.",
                status: .unprocessableContent, feedback: form["feedback"], context: context)
        }
        do {
            try await services.update(portfolio.id, revision: revision) { (p: inout Portfolio) throws(RuleError) in
                try p.secondMark(
                    statement: statementID, status: status, feedback: feedback, moderator: user.id,
                    frameworks: services.library.frameworks, at: services.now)
            }
        } catch let error as RuleError {
            return try await statementPage(
                user: user, portfolio: portfolio, statementID: statementID, error: error.message,
                status: .unprocessableContent, feedback: form["feedback"], context: context)
        }
        return await services.redirect(
            "/moderation/\(portfolio.id)", flash: "Second mark for \(statementID) saved: \(status.label).", context: context)
    }

    func attachment(_ request: Request, context: WebContext) async throws -> Response {
        let (_, portfolio) = try await sampled(context)
        let sha = try context.parameters.require("sha256")
        let visible = portfolio.redactingSensitive().evidence.flatMap(\.attachments)
        guard let attachment = visible.first(where: { $0.sha256 == sha }) else { throw WebError.notFound }
        return try await PortfolioController.download(attachment, store: services.store)
    }

    func reconcilePage(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await sampled(context)
        return await reconcilePage(user: user, portfolio: portfolio, context: context)
    }

    /// What was typed into one statement's agreement form, shown again with its error.
    private struct Typed {
        var statement: String
        var note: String
        var error: String
    }

    private func reconcilePage(
        user: SignedInUser, portfolio: Portfolio, typed: Typed? = nil, status: HTTPResponse.Status = .ok, context: WebContext
    ) async -> Response {
        let rows: [[String: Any]] = portfolio.doubleMarks.filter { $0.second.by == user.id }.map { mark in
            var row: [String: Any] = [
                "statement": mark.statement, "id": portfolio.id, "domID": mark.statement.replacingOccurrences(of: ".", with: "-"),
                "first": mark.first.status.label, "firstFeedback": mark.first.feedback,
                "second": mark.second.status.label, "secondFeedback": mark.second.feedback,
                "agreed": mark.agreed?.status.label ?? "", "agreedNote": mark.agreed?.feedback ?? "",
                "differs": mark.first.status != mark.second.status, "needsAgreement": mark.first.status != mark.second.status && mark.agreed == nil,
                "statuses": [JudgementStatus.met, .partiallyMet, .notMet, .notYetEvidenced].map {
                    ["value": $0.rawValue, "label": $0.label, "checked": $0 == mark.second.status]
                },
            ]
            if let typed, typed.statement == mark.statement {
                row["note"] = typed.note
                row["noteError"] = typed.error
            }
            return row
        }
        var values: [String: Any] = ["id": portfolio.id, "rows": rows, "none": rows.isEmpty, "revision": portfolio.revision]
        if let typed {
            values["error"] = typed.error
            values["errorField"] = "note-" + typed.statement.replacingOccurrences(of: ".", with: "-")
        }
        return services.views.page(
            "reconcile", title: "\(typed == nil ? "" : "Error: ")Reconcile marks: \(portfolio.id)", status: status,
            context: values, chrome: await services.chrome(context))
    }

    func reconcile(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await sampled(context)
        let statementID = try context.parameters.require("statement")
        let form = try await services.form(request, context: context)
        guard let revision = Int(form["revision"]) else { throw WebError.badForm }
        let note: String
        do throws(RuleError) {
            note = try services.text(form, "note", label: "How the markers agreed")
        } catch {
            return await reconcilePage(
                user: user, portfolio: portfolio, typed: Typed(statement: statementID, note: form["note"], error: error.message),
                status: .unprocessableContent, context: context)
        }
        guard let status = JudgementStatus(rawValue: form["status"]) else {
            throw WebError(.unprocessableContent, title: "Choose the agreed judgement", message: "Go back and choose the judgement both markers agreed. Nothing was changed.")
        }
        try await services.update(portfolio.id, revision: revision) { (p: inout Portfolio) throws(RuleError) in
            try p.reconcile(
                statement: statementID, status: status, note: note, by: user.id, role: .moderator,
                frameworks: services.library.frameworks, at: services.now)
        }
        return await services.redirect(
            "/moderation/\(portfolio.id)/reconcile", flash: "Agreed judgement for \(statementID) recorded: \(status.label).",
            context: context)
    }
}
