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

    /// The tutor's participants across cohorts, from the kept summaries: those waiting for the
    /// tutor first if asked, searchable by name, 50 a page.
    func home(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.requireUser()
        guard user.role == .tutor, let tutor = user.tutor else { throw WebError.forbidden }
        let query = request.uri.queryParameters
        let waitingOnly = query["waiting"] == "1"
        let search = String(query["q"] ?? "").trimmingCharacters(in: .whitespaces)
        var scans: [(cohort: Cohort, scan: CohortScan<PortfolioSummary>)] = []
        for cohort in try await services.store.cohorts() {
            // The kept summaries, not the portfolios: a few hundred bytes per participant.
            scans.append((cohort, try await services.store.mapSummaries(inCohort: cohort.id, framework: services.npq)))
        }
        let requestedPage = query["page"].map(String.init)
        // The same scans (tokens), cohorts, filters and page make the same content.
        let key = "tutor/\(tutor)?q=\(search)&waiting=\(waitingOnly)&page=\(requestedPage ?? "")"
        let tokens = scans.compactMap(\.scan.token)
        let version =
            tokens.count == scans.count
            ? AnyHashable(ListVersion(tokens: tokens, cohorts: scans.map(\.cohort), today: Day(services.now))) : nil
        let rendered = services.renderedContents.rendered(for: key, version: version) {
            var mine: [(cohort: String, summary: PortfolioSummary)] = []
            var unreadable = 0
            for (cohort, summaries) in scans {
                unreadable += summaries.problems.count
                mine += summaries.values.filter { $0.participant.tutor == tutor }.map { (cohort.title, $0) }
            }
            let isWaiting = { (summary: PortfolioSummary) in summary.state == .submitted || summary.state == .inReview }
            let waitingCount = mine.filter { isWaiting($0.summary) }.count
            let matching = mine.filter { entry in
                if waitingOnly && !isWaiting(entry.summary) { return false }
                if search.isEmpty { return true }
                return entry.summary.participant.name.localizedCaseInsensitiveContains(search)
                    || entry.summary.participant.id.localizedCaseInsensitiveContains(search)
                    || entry.summary.participant.school.localizedCaseInsensitiveContains(search)
            }
            let paging = Paging(total: matching.count, requested: requestedPage)
            let rows = matching[paging.range].map { entry in
                let row = entry.summary
                return TutorHomePage.Row(
                    id: row.id, name: row.participant.name, school: row.participant.school, cohort: entry.cohort,
                    state: row.state.label, waiting: isWaiting(row), evidenced: row.total.evidenced, met: row.total.met,
                    total: row.total.total)
            }
            let filters: [(String, String)] = [("q", search), ("waiting", waitingOnly ? "1" : "")]
            let view = TutorHomePage(
                none: mine.isEmpty, everyone: mine.count, waitingCount: waitingCount, hasUnreadable: unreadable > 0,
                unreadable: unreadable, search: search, waitingOnly: waitingOnly, filtered: waitingOnly || !search.isEmpty,
                shown: paging.summary, noMatch: !mine.isEmpty && matching.isEmpty, rows: rows,
                paging: paging.navigation(path: "/tutor", query: filters, label: "Pages of participants"))
            return RenderedContents.Rendered(
                title: "My participants" + (paging.pages > 1 ? " (page \(paging.page) of \(paging.pages))" : ""),
                content: services.views.content(of: view))
        }
        return services.views.page(
            content: rendered.content, title: rendered.title,
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
        return await reviewPage(user: user, portfolio: portfolio, filter: filter(request), context: context)
    }

    /// The review filter a request's query names.
    private func filter(_ request: Request) -> ReviewFilter {
        let query = request.uri.queryParameters
        return ReviewFilter(section: query["section"].map(String.init), status: query["status"].map(String.init), framework: services.npq)
    }

    /// A refused change the form itself answers (the page again, with what was typed): a rule
    /// the change breaks (422), or a change by someone else since the page was opened (409, and
    /// the page now shows that change, so saving again is a decision, not an accident).
    static func refusal(_ error: any Error) -> (message: String, status: HTTPResponse.Status)? {
        if let rule = error as? RuleError { return (rule.message, .unprocessableContent) }
        if let store = error as? StoreError, WebServices.isStale(store) {
            return (WebServices.conflictMessage(store), .conflict)
        }
        return nil
    }

    /// The judgement statuses a tutor filters by, in the order they work through them.
    static let filterStatuses: [JudgementStatus] = [.readyForReview, .notYetEvidenced, .partiallyMet, .notMet, .met]

    /// The review page; after a refused return or sign-off, with the error beside its field and
    /// what was typed kept.
    private func reviewPage(
        user: SignedInUser, portfolio: Portfolio, filter: ReviewFilter? = nil,
        typed: ReviewPage.Typed = ReviewPage.Typed(), status: HTTPResponse.Status = .ok, origin: FormOrigin? = nil,
        changes: ChangesView? = nil, context: WebContext
    ) async -> Response {
        let origin = origin ?? FormOrigin(portfolio)
        let framework = services.npq
        let filter = filter ?? ReviewFilter(section: nil, status: nil, framework: framework)
        let coverage = Coverage(portfolio: portfolio, framework: framework, rules: services.rules)
        let byID = Dictionary(coverage.statements.map { ($0.statement.id, $0) }, uniquingKeysWith: { a, _ in a })
        var shown = 0
        let sections: [ReviewPage.Section] = framework.npqSections.compactMap { section in
            let statements = (section.learnThat + section.learnHowTo).filter {
                filter.includes(section: section.number, statement: $0.id, in: portfolio)
            }
            guard !statements.isEmpty else { return nil }
            shown += statements.count
            return ReviewPage.Section(
                number: section.number, title: section.title,
                statements: statements.map { s in
                    let c = byID[s.id]
                    let status = portfolio.status(of: s.id)
                    return ReviewPage.Statement(
                        id: s.id, portfolioID: portfolio.id, text: s.text, status: status.label,
                        statusKey: status.rawValue,
                        query: filter.query, evidence: c?.evidence.count ?? 0,
                        sufficient: (c?.sufficient ?? false) ? "yes" : "no")
                })
        }
        let everything = framework.npqSections.reduce(0) { $0 + $1.learnThat.count + $1.learnHowTo.count }
        let canAct = Access.canJudge(user, portfolio)
        let open = portfolio.state == .submitted || portfolio.state == .inReview
        let view = ReviewPage(
            id: portfolio.id, name: portfolio.participant.name, state: portfolio.state.label,
            totals: Present.totals(coverage),
            notOpen: canAct && !open
                ? "This portfolio is \(portfolio.state.label), so it cannot be returned or signed off now." : nil,
            sectionOptions: framework.npqSections.map {
                SelectOption(
                    value: String($0.number), label: "Section \($0.number). \($0.title)",
                    selected: $0.number == filter.section)
            },
            statusOptions: Self.filterStatuses.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == filter.status)
            },
            filtered: filter.isActive,
            shown: shown == everything
                ? "All \(everything) statements." : "Showing \(shown) of \(everything) statements.",
            noMatch: shown == 0, sections: sections, canAct: canAct && open, csrf: context.session?.csrfToken,
            revision: origin.revision, logged: origin.logged, changes: changes, error: typed.error,
            errorField: typed.errorField,
            returnError: typed.returnError,
            returnFeedback: typed.returnFeedback, signoffError: typed.signoffError, signoffReason: typed.signoffReason,
            passed: typed.passed, failed: typed.failed)
        let title = "\(typed.error == nil ? "" : "Error: ")Review: \(portfolio.participant.name)"
        return services.views.page(view, title: title, status: status, chrome: await services.chrome(context))
    }

    private func statementPage(
        user: SignedInUser, portfolio: Portfolio, statementID: String, filter: ReviewFilter, error: String? = nil,
        errorField: String = "judgement", status: HTTPResponse.Status = .ok, selected: String? = nil, feedback: String = "",
        origin: FormOrigin? = nil, changes: ChangesView? = nil, context: WebContext
    ) async throws -> Response {
        let origin = origin ?? FormOrigin(portfolio)
        guard let statement = services.npq.statement(withID: statementID) else { throw WebError.notFound }
        let (previous, next) = filter.neighbours(of: statementID, in: portfolio, framework: services.npq)
        let evidence: [ReviewStatementPage.Evidence] = portfolio.mappings(forStatement: statementID).compactMap {
            mapping in
            guard let item = portfolio.evidenceItem(withID: mapping.evidence) else { return nil }
            return ReviewStatementPage.Evidence(
                id: item.id, title: item.title, type: services.rules.type(withID: item.type)?.label ?? item.type,
                date: item.date.description, sensitive: item.sensitive, hasIngredients: !item.ingredients.isEmpty,
                ingredients: Present.ingredientNames(item, prompts: services.schemas.prompts),
                sufficient: services.rules.isSufficient(item, for: statement.kind) ? "yes" : "no", claim: mapping.claim,
                impact: item.impact.map {
                    ReviewStatementPage.Impact(baseline: $0.baseline, after: $0.after, change: $0.change)
                },
                reflection: item.reflection, attachments: item.attachments.map(AttachmentLink.init))
        }
        let history = portfolio.history(of: statementID).filter { $0.kind != .second }.map {
            ReviewStatementPage.HistoryEntry(
                at: Present.dateTime($0.at), by: $0.by, status: $0.status.label, kind: $0.kind.rawValue,
                note: $0.feedback.isEmpty ? nil : $0.feedback)
        }
        let current = portfolio.status(of: statementID)
        let choose = selected ?? (current == .notYetEvidenced || current == .readyForReview ? "" : current.rawValue)
        let neighbour = { (id: String) in
            ReviewStatementPage.Neighbour(id: id, href: "/portfolios/\(portfolio.id)/review/\(id)\(filter.query)")
        }
        let view = ReviewStatementPage(
            participant: portfolio.id, name: portfolio.participant.name, query: filter.query,
            previous: previous.map(neighbour), next: next.map(neighbour), statementID: statement.id,
            kind: statement.kind == .learnHowTo ? "Learn how to" : "Learn that",
            group: statement.group.flatMap { $0.isEmpty ? nil : $0 }, text: statement.text, status: current.label,
            hasEvidence: !evidence.isEmpty, evidence: evidence, history: history,
            canJudge: Access.canJudge(user, portfolio) && (try? portfolio.requireJudgeable()) != nil,
            csrf: context.session?.csrfToken, revision: origin.revision, logged: origin.logged, changes: changes,
            filterSection: filter.section.map(String.init) ?? "", filterStatus: filter.status?.rawValue ?? "",
            statuses: [JudgementStatus.met, .partiallyMet, .notMet, .notYetEvidenced].map {
                RadioChoice(value: $0.rawValue, label: $0.label, checked: $0.rawValue == choose)
            },
            feedback: feedback, error: error, errorField: error == nil ? nil : errorField,
            judgementError: errorField == "judgement" ? error : nil,
            feedbackError: errorField == "feedback" ? error : nil)
        return services.views.page(
            view, title: "\(error == nil ? "" : "Error: ")Statement \(statement.id): \(portfolio.participant.name)",
            status: status, chrome: await services.chrome(context))
    }

    func statement(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await reviewable(context)
        return try await statementPage(
            user: user, portfolio: portfolio, statementID: try context.parameters.require("statement"), filter: filter(request),
            context: context)
    }

    func judge(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await reviewable(context, roles: [.tutor])
        guard let tutor = user.tutor else { throw WebError.forbidden }
        let statementID = try context.parameters.require("statement")
        let form = try await services.form(request, context: context)
        let origin = try FormOrigin.posted(form)
        let filter = ReviewFilter(section: form["filterSection"], status: form["filterStatus"], framework: services.npq)
        let feedback: String
        do throws(RuleError) {
            feedback = try services.text(form, "feedback", label: "Feedback")
        } catch {
            return try await statementPage(
                user: user, portfolio: portfolio, statementID: statementID, filter: filter, error: error.message,
                errorField: "feedback", status: .unprocessableContent, selected: form["status"],
                feedback: form["feedback"],
                origin: origin, context: context)
        }
        guard let status = JudgementStatus(rawValue: form["status"]) else {
            return try await statementPage(
                user: user, portfolio: portfolio, statementID: statementID, filter: filter,
                error: "Choose a judgement for this statement.", status: .unprocessableContent,
                feedback: form["feedback"],
                origin: origin, context: context)
        }
        let judged: Portfolio
        do {
            judged = try await services.update(portfolio.id, revision: origin.revision) {
                (p: inout Portfolio) throws(RuleError) in
                try p.judge(
                    statement: statementID, status: status, feedback: feedback, assessor: tutor, role: .tutor,
                    frameworks: services.library.frameworks, at: services.now)
            }
        } catch {
            guard let (message, code) = Self.refusal(error) else { throw error }
            let latest = (try? await services.store.portfolio(portfolio.id)) ?? portfolio
            // The statement's own judgements and evidence since, else anything else that changed.
            let changes =
                code == .conflict
                ? ChangeReport.make(
                    latest: latest, origin: origin, scope: .statement(statementID, kinds: [.first, .agreed]),
                    fallback: .portfolio, names: await services.names(in: latest), advice: Self.advice)
                : nil
            return try await statementPage(
                user: user, portfolio: latest, statementID: statementID, filter: filter, error: message,
                errorField: code == .conflict ? "changes" : "judgement", status: code, selected: status.rawValue,
                feedback: form["feedback"], origin: code == .conflict ? nil : origin, changes: changes, context: context
            )
        }
        let saved = "Statement \(statementID) judged \(status.label)."
        // "Save and go to the next": the next statement of the tutor's own list, if there is one.
        if form["then"] == "next", let next = filter.neighbours(of: statementID, in: judged, framework: services.npq).next {
            return await services.redirect("/portfolios/\(portfolio.id)/review/\(next)\(filter.query)", flash: saved, context: context)
        }
        return await services.redirect("/portfolios/\(portfolio.id)/review\(filter.query)#s-\(statementID)", flash: saved, context: context)
    }

    /// What a form that comes back after someone else's change says to do.
    static let advice =
        "What you typed is still in the form. Check it against these changes, then save again: the form now works from the latest version."

    /// The review page after a refused return or sign-off: a rule's refusal keeps the version the
    /// form was opened at; someone else's change lists what changed since and moves to the latest.
    private func refusedReview(
        user: SignedInUser, portfolio: Portfolio, error: any Error, origin: FormOrigin,
        typed: (String) -> ReviewPage.Typed, context: WebContext
    ) async throws -> Response {
        guard let (message, code) = Self.refusal(error) else { throw error }
        let latest = (try? await services.store.portfolio(portfolio.id)) ?? portfolio
        guard code == .conflict else {
            return await reviewPage(
                user: user, portfolio: latest, typed: typed(message), status: code, origin: origin, context: context)
        }
        // The message is about the whole form: the summary links to the changes, no field is in error.
        var values = typed(message)
        values.errorField = "changes"
        values.returnError = nil
        values.signoffError = nil
        let changes = ChangeReport.make(
            latest: latest, origin: origin, scope: .portfolio, names: await services.names(in: latest),
            advice: Self.advice)
        return await reviewPage(
            user: user, portfolio: latest, typed: values, status: code, changes: changes, context: context)
    }

    func returnPortfolio(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await reviewable(context, roles: [.tutor])
        guard let tutor = user.tutor else { throw WebError.forbidden }
        let form = try await services.form(request, context: context)
        let origin = try FormOrigin.posted(form)
        let typed = { (message: String) in
            ReviewPage.Typed(
                error: message, errorField: "return-feedback", returnError: message, returnFeedback: form["feedback"])
        }
        let feedback: String
        do throws(RuleError) {
            feedback = try services.text(form, "feedback", label: "Feedback for the participant")
        } catch {
            return await reviewPage(
                user: user, portfolio: portfolio, typed: typed(error.message), status: .unprocessableContent,
                origin: origin,
                context: context)
        }
        do {
            try await services.update(portfolio.id, revision: origin.revision) {
                (p: inout Portfolio) throws(RuleError) in
                try p.returnToParticipant(by: tutor, feedback: feedback, at: services.now)
            }
        } catch {
            return try await refusedReview(
                user: user, portfolio: portfolio, error: error, origin: origin, typed: typed, context: context)
        }
        return await services.redirect("/tutor", flash: "Portfolio \(portfolio.id) returned with your feedback.", context: context)
    }

    func signOff(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await reviewable(context, roles: [.tutor])
        guard let tutor = user.tutor else { throw WebError.forbidden }
        let form = try await services.form(request, context: context)
        let origin = try FormOrigin.posted(form)
        let typed = { (message: String) in
            ReviewPage.Typed(
                error: message, errorField: "signoff-reason", signoffError: message, signoffReason: form["reason"],
                passed: form["outcome"] == "passed", failed: form["outcome"] == "failed")
        }
        let reason: String
        do throws(RuleError) {
            reason = try services.text(form, "reason", label: "Reason")
        } catch {
            return await reviewPage(
                user: user, portfolio: portfolio, typed: typed(error.message), status: .unprocessableContent,
                origin: origin,
                context: context)
        }
        guard let outcome = Outcome(rawValue: form["outcome"]) else {
            var values = typed("Choose passed or failed.")
            values.errorField = "outcome-passed"
            return await reviewPage(
                user: user, portfolio: portfolio, typed: values, status: .unprocessableContent, origin: origin,
                context: context)
        }
        do {
            try await services.update(portfolio.id, revision: origin.revision) {
                (p: inout Portfolio) throws(RuleError) in
                try p.signOff(by: tutor, outcome: outcome, reason: reason, framework: services.npq, at: services.now)
            }
        } catch {
            return try await refusedReview(
                user: user, portfolio: portfolio, error: error, origin: origin, typed: typed, context: context)
        }
        return await services.redirect("/tutor", flash: "Portfolio \(portfolio.id) signed off: \(outcome.rawValue).", context: context)
    }
}
