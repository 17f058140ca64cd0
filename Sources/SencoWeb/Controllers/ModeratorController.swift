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
        var rows: [ModeratorHomePage.Row] = []
        var plans: [ModeratorHomePage.Plan] = []
        for plan in try await services.store.plans() {
            let mine = plan.entries.filter { $0.moderator == nil || $0.moderator == user.id }
            guard !mine.isEmpty else { continue }
            plans.append(ModeratorHomePage.Plan(id: plan.id, cohort: plan.cohort, count: mine.count))
            for entry in mine {
                guard let portfolio = try? await services.store.portfolio(entry.participant) else { continue }
                let firsts = Set(portfolio.judgements.filter { $0.kind == .first }.map(\.statement))
                let seconds = Set(portfolio.judgements.filter { $0.kind == .second && $0.by == user.id }.map(\.statement))
                let disagreements = portfolio.doubleMarks.filter { $0.first.status != $0.second.status && $0.agreed == nil }.count
                rows.append(
                    ModeratorHomePage.Row(
                        plan: plan.id, id: entry.participant, tutor: entry.tutor, firsts: firsts.count,
                        seconds: seconds.intersection(firsts).count, open: disagreements, hasOpen: disagreements > 0))
            }
        }
        return services.views.page(
            ModeratorHomePage(none: rows.isEmpty, rows: rows, plans: plans), title: "My moderation sample",
            chrome: await services.chrome(context, current: "/moderation"))
    }

    func portfolio(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await sampled(context)
        let firsts = Set(portfolio.judgements.filter { $0.kind == .first }.map(\.statement))
        let statements = services.npq.statements.filter { firsts.contains($0.id) }.map { s in
            let mine = portfolio.judgements.last { $0.statement == s.id && $0.kind == .second && $0.by == user.id }
            return ModerationPortfolioPage.Statement(
                id: s.id, portfolioID: portfolio.id, text: s.text,
                evidence: portfolio.mappings(forStatement: s.id).count,
                marked: mine.map { $0.status.label } ?? "not yet second-marked")
        }
        return services.views.page(
            ModerationPortfolioPage(id: portfolio.id, none: statements.isEmpty, statements: statements),
            title: "Second marking: \(portfolio.id)", chrome: await services.chrome(context))
    }

    private func statementPage(
        user: SignedInUser, portfolio: Portfolio, statementID: String, error: String? = nil, errorField: String = "judgement",
        status: HTTPResponse.Status = .ok, feedback: String = "", selected: String? = nil, origin: FormOrigin? = nil,
        changes: ChangesView? = nil, context: WebContext
    ) async throws -> Response {
        let origin = origin ?? FormOrigin(portfolio)
        guard let statement = services.npq.statement(withID: statementID),
            portfolio.judgements.contains(where: { $0.statement == statementID && $0.kind == .first })
        else { throw WebError.notFound }
        // Blind: the moderator sees the evidence (sensitive items redacted) but not the first mark.
        let redacted = portfolio.redactingSensitive()
        let evidence = redacted.mappings(forStatement: statementID).compactMap { mapping -> SecondMarkPage.Evidence? in
            guard let item = redacted.evidenceItem(withID: mapping.evidence) else { return nil }
            return SecondMarkPage.Evidence(
                id: item.id, portfolioID: portfolio.id, title: item.title,
                type: services.rules.type(withID: item.type)?.label ?? item.type, date: item.date.description,
                sensitive: item.sensitive, claim: mapping.claim, reflection: item.reflection,
                attachments: item.attachments.map(AttachmentLink.init))
        }
        let mine = portfolio.judgements.last { $0.statement == statementID && $0.kind == .second && $0.by == user.id }
        let view = SecondMarkPage(
            id: portfolio.id, statementID: statement.id,
            kind: statement.kind == .learnHowTo ? "Learn how to" : "Learn that",
            text: statement.text, hasEvidence: !evidence.isEmpty, evidence: evidence, csrf: context.session?.csrfToken,
            revision: origin.revision, logged: origin.logged, changes: changes,
            statuses: [JudgementStatus.met, .partiallyMet, .notMet, .notYetEvidenced].map {
                RadioChoice(
                    value: $0.rawValue, label: $0.label, checked: $0.rawValue == (selected ?? mine?.status.rawValue))
            },
            feedback: feedback.isEmpty ? (mine?.feedback ?? "") : feedback, error: error,
            errorField: error == nil ? nil : errorField, judgementError: errorField == "judgement" ? error : nil,
            feedbackError: errorField == "feedback" ? error : nil)
        return services.views.page(
            view, title: "\(error == nil ? "" : "Error: ")Second mark \(statement.id): \(portfolio.id)", status: status,
            chrome: await services.chrome(context))
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
        let origin = try FormOrigin.posted(form)
        let feedback: String
        do throws(RuleError) {
            feedback = try services.text(form, "feedback", label: "Notes")
        } catch {
            return try await statementPage(
                user: user, portfolio: portfolio, statementID: statementID, error: error.message, errorField: "feedback",
                status: .unprocessableContent, feedback: form["feedback"], selected: form["status"], origin: origin,
                context: context)
        }
        guard let status = JudgementStatus(rawValue: form["status"]) else {
            return try await statementPage(
                user: user, portfolio: portfolio, statementID: statementID, error: "Choose your judgement for this statement.",
                status: .unprocessableContent, feedback: form["feedback"], origin: origin, context: context)
        }
        do {
            try await services.update(portfolio.id, revision: origin.revision) {
                (p: inout Portfolio) throws(RuleError) in
                try p.secondMark(
                    statement: statementID, status: status, feedback: feedback, moderator: user.id,
                    frameworks: services.library.frameworks, at: services.now)
            }
        } catch let error as RuleError {
            return try await statementPage(
                user: user, portfolio: portfolio, statementID: statementID, error: error.message,
                status: .unprocessableContent, feedback: form["feedback"], selected: form["status"], origin: origin,
                context: context)
        } catch let error as StoreError where WebServices.isStale(error) {
            // Blind: only the statement's evidence and this moderator's own marks are listed,
            // never a first mark or anything else of the portfolio.
            let latest = (try? await services.store.portfolio(portfolio.id)) ?? portfolio
            let changes = ChangeReport.make(
                latest: latest, origin: origin, scope: .statement(statementID, kinds: [], secondMarksBy: user.id),
                names: await services.names(in: latest), advice: TutorController.advice)
            return try await statementPage(
                user: user, portfolio: latest, statementID: statementID, error: WebServices.conflictMessage(error),
                errorField: "changes", status: .conflict, feedback: form["feedback"], selected: form["status"],
                changes: changes, context: context)
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
        var status: String
        var error: String
        /// What the error is about: `note`, `status`, or `changes` (someone else's change).
        var field: String
    }

    private func reconcilePage(
        user: SignedInUser, portfolio: Portfolio, typed: Typed? = nil, status: HTTPResponse.Status = .ok,
        origin: FormOrigin? = nil, changes: ChangesView? = nil, context: WebContext
    ) async -> Response {
        let origin = origin ?? FormOrigin(portfolio)
        let rows = portfolio.doubleMarks.filter { $0.second.by == user.id }.map { mark in
            let mine = typed.flatMap { $0.statement == mark.statement ? $0 : nil }
            let chosen = mine.flatMap { JudgementStatus(rawValue: $0.status) } ?? mark.second.status
            return ReconcilePage.Row(
                statement: mark.statement, domID: mark.statement.replacingOccurrences(of: ".", with: "-"),
                first: mark.first.status.label, firstFeedback: mark.first.feedback.isEmpty ? nil : mark.first.feedback,
                second: mark.second.status.label,
                secondFeedback: mark.second.feedback.isEmpty ? nil : mark.second.feedback,
                differs: mark.first.status != mark.second.status, agreed: mark.agreed?.status.label,
                needsAgreement: mark.first.status != mark.second.status && mark.agreed == nil,
                statuses: [JudgementStatus.met, .partiallyMet, .notMet, .notYetEvidenced].map {
                    RadioChoice(value: $0.rawValue, label: $0.label, checked: $0 == chosen)
                },
                note: mine.map(\.note), noteError: mine.flatMap { $0.field == "note" ? $0.error : nil },
                statusError: mine.flatMap { $0.field == "status" ? $0.error : nil })
        }
        let errorField = typed.map { typed -> String in
            let domID = typed.statement.replacingOccurrences(of: ".", with: "-")
            switch typed.field {
            case "changes": return "changes"
            case "status": return "agree-\(domID)-status"
            default: return "note-\(domID)"
            }
        }
        let view = ReconcilePage(
            id: portfolio.id, none: rows.isEmpty, rows: rows, csrf: context.session?.csrfToken,
            revision: origin.revision, logged: origin.logged, changes: changes, error: typed?.error,
            errorField: errorField)
        return services.views.page(
            view, title: "\(typed == nil ? "" : "Error: ")Reconcile marks: \(portfolio.id)", status: status,
            chrome: await services.chrome(context))
    }

    func reconcile(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await sampled(context)
        let statementID = try context.parameters.require("statement")
        let form = try await services.form(request, context: context)
        let origin = try FormOrigin.posted(form)
        func typed(_ error: String, field: String) -> Typed {
            Typed(statement: statementID, note: form["note"], status: form["status"], error: error, field: field)
        }
        let note: String
        do throws(RuleError) {
            note = try services.text(form, "note", label: "How the markers agreed")
        } catch {
            return await reconcilePage(
                user: user, portfolio: portfolio, typed: typed(error.message, field: "note"),
                status: .unprocessableContent,
                origin: origin, context: context)
        }
        guard let status = JudgementStatus(rawValue: form["status"]) else {
            return await reconcilePage(
                user: user, portfolio: portfolio,
                typed: typed("Choose the judgement both markers agreed.", field: "status"),
                status: .unprocessableContent, origin: origin, context: context)
        }
        do {
            try await services.update(portfolio.id, revision: origin.revision) {
                (p: inout Portfolio) throws(RuleError) in
                try p.reconcile(
                    statement: statementID, status: status, note: note, by: user.id, role: .moderator,
                    frameworks: services.library.frameworks, at: services.now)
            }
        } catch let error as RuleError {
            return await reconcilePage(
                user: user, portfolio: portfolio, typed: typed(error.message, field: "note"),
                status: .unprocessableContent,
                origin: origin, context: context)
        } catch let error as StoreError where WebServices.isStale(error) {
            let latest = (try? await services.store.portfolio(portfolio.id)) ?? portfolio
            let stillOpen = latest.doubleMarks.contains {
                $0.statement == statementID && $0.second.by == user.id && $0.first.status != $0.second.status
                    && $0.agreed == nil
            }
            // When the statement no longer waits for agreement its form is gone: the note is kept here.
            let advice =
                stillOpen || form["note"].isEmpty
                ? TutorController.advice
                : "\(statementID) no longer needs an agreed outcome, so its form is gone. Your note was not saved: “\(form["note"])”"
            let changes = ChangeReport.make(
                latest: latest, origin: origin, scope: .statement(statementID, kinds: [.first, .second, .agreed]),
                names: await services.names(in: latest), advice: advice)
            return await reconcilePage(
                user: user, portfolio: latest, typed: typed(WebServices.conflictMessage(error), field: "changes"),
                status: .conflict, changes: changes, context: context)
        }
        return await services.redirect(
            "/moderation/\(portfolio.id)/reconcile", flash: "Agreed judgement for \(statementID) recorded: \(status.label).",
            context: context)
    }
}
