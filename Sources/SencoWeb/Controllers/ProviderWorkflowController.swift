import Foundation
import Hummingbird
import SencoCore
import SencoDfE
import SencoStore

/// What a provider does to a cohort beyond looking at it, without a shell: reopen a signed-off
/// portfolio, withdraw a participant, and draw a moderation sample, by the same rules as
/// `senco reopen`, `senco withdraw` and `senco moderation plan`.
struct ProviderWorkflowController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/provider/portfolios/:participant/workflow", use: workflow)
        group.post("/provider/portfolios/:participant/reopen", use: reopen)
        group.post("/provider/portfolios/:participant/withdraw", use: withdraw)
        group.get("/provider/cohorts/:cohort/moderation/new", use: sampleForm)
        group.post("/provider/cohorts/:cohort/moderation", use: drawSample)
    }

    // MARK: Reopen and withdraw

    func workflow(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        return await workflowPage(portfolio: try await services.routePortfolio(context), context: context)
    }

    /// What was typed into the reopen or withdraw form, shown again with its error.
    private struct Typed {
        /// The field the error is about: `reopen-reason`, `withdraw-reason` or `dfe-reason`.
        var field: String
        var reason: String
        var dfeReason: String = ""
        var error: String
    }

    /// The DfE's withdrawal reasons as choices ("change-in-career": "Change in career").
    static func dfeReasonChoices(selected: String) -> [SelectOption] {
        TrainingStatusChange.withdrawalReasons.map { value in
            let words = value.trimmingCharacters(in: CharacterSet(charactersIn: ".")).replacingOccurrences(of: "-", with: " ")
            return SelectOption(value: value, label: words.prefix(1).uppercased() + words.dropFirst(), selected: value == selected)
        }
    }

    private func workflowPage(
        portfolio: Portfolio, typed: Typed? = nil, status: HTTPResponse.Status = .ok, origin: FormOrigin? = nil,
        changes: ChangesView? = nil, context: WebContext
    ) async -> Response {
        let origin = origin ?? FormOrigin(portfolio)
        let reopening = typed?.field == "reopen-reason"
        // After someone else's change the message is about the whole form, not the reason.
        let fieldError = changes == nil ? typed?.error : nil
        let dfeReasonError = typed?.field == "dfe-reason" ? fieldError : nil
        let view = ProviderWorkflowPage(
            id: portfolio.id, name: portfolio.participant.name, cohort: portfolio.participant.cohort,
            state: portfolio.state.label, note: portfolio.stateNote.isEmpty ? nil : portfolio.stateNote,
            canReopen: portfolio.state == .signedOff,
            canWithdraw: portfolio.state != .signedOff && portfolio.state != .withdrawn,
            isWithdrawn: portfolio.state == .withdrawn, csrf: context.session?.csrfToken, revision: origin.revision,
            logged: origin.logged, changes: changes, error: typed?.error,
            errorField: changes == nil ? typed?.field : "changes",
            reopenError: reopening ? fieldError : nil, reopenReason: reopening ? typed?.reason ?? "" : "",
            withdrawError: typed?.field == "withdraw-reason" ? fieldError : nil,
            withdrawReason: reopening ? "" : typed?.reason ?? "",
            dfeReasons: Self.dfeReasonChoices(selected: typed?.dfeReason ?? ""), dfeReasonError: dfeReasonError)
        let title = "\(typed == nil ? "" : "Error: ")Reopen or withdraw: \(portfolio.participant.name)"
        return services.views.page(view, title: title, status: status, chrome: await services.chrome(context))
    }

    func reopen(_ request: Request, context: WebContext) async throws -> Response {
        try await change(request, context: context, field: "reopen-reason", verb: "reopened") { user, reason, _, now in
            { (p: inout Portfolio) throws(RuleError) in try p.reopen(by: user.id, role: .provider, reason: reason, at: now) }
        }
    }

    /// A withdrawal, with the DfE's own reason, which the cohort's DfE page then sends (as
    /// `senco withdraw --dfe-reason` keeps it to send).
    func withdraw(_ request: Request, context: WebContext) async throws -> Response {
        try await change(
            request, context: context, field: "withdraw-reason", verb: "withdrawn",
            check: { form in
                let chosen = form["dfeReason"]
                if chosen.isEmpty { return "Choose the DfE's reason for the withdrawal" }
                if !TrainingStatusChange.withdrawalReasons.contains(chosen) {
                    return "Choose one of the DfE's reasons for the withdrawal"
                }
                return nil
            }
        ) { user, reason, form, now in
            let dfeReason = form["dfeReason"]
            return { (p: inout Portfolio) throws(RuleError) in try p.withdraw(by: user.id, reason: reason, dfeReason: dfeReason, at: now) }
        }
    }

    /// A reopening or withdrawal: role first, then the form, then the change under the
    /// portfolio's revision; a refusal comes back on the page with the reason kept.
    private func change(
        _ request: Request, context: WebContext, field: String, verb: String,
        check: (FormData) -> String? = { _ in nil },
        _ make: (SignedInUser, String, FormData, Date) -> @Sendable (inout Portfolio) throws(RuleError) -> Void
    ) async throws -> Response {
        let user = try services.requireProvider(context)
        let portfolio = try await services.routePortfolio(context)
        let form = try await services.form(request, context: context)
        let origin = try FormOrigin.posted(form)
        let typed = { (message: String, on: String) in
            Typed(field: on, reason: form["reason"], dfeReason: form["dfeReason"], error: message)
        }
        let reason: String
        do throws(RuleError) { reason = try services.text(form, "reason", label: "Reason") } catch {
            return await workflowPage(
                portfolio: portfolio, typed: typed(error.message, field), status: .unprocessableContent, origin: origin,
                context: context)
        }
        // The reason's own rule (not empty) is answered first, by the change below.
        if !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, let problem = check(form) {
            return await workflowPage(
                portfolio: portfolio, typed: typed(problem, "dfe-reason"), status: .unprocessableContent, origin: origin,
                context: context)
        }
        let changed: Portfolio
        do {
            changed = try await services.update(
                portfolio.id, revision: origin.revision, make(user, reason, form, services.now))
        } catch {
            guard let (message, status) = TutorController.refusal(error) else { throw error }
            let latest = (try? await services.store.portfolio(portfolio.id)) ?? portfolio
            guard status == .conflict else {
                return await workflowPage(
                    portfolio: latest, typed: typed(message, field), status: status, origin: origin, context: context)
            }
            let stillShown =
                field == "reopen-reason"
                ? latest.state == .signedOff : latest.state != .signedOff && latest.state != .withdrawn
            // When the change has made the form go (reopened or withdrawn meanwhile), the reason is kept here.
            let advice =
                stillShown || form["reason"].isEmpty
                ? "Your reason is still in the form. Check the changes, then send it again if you still mean to."
                : "The form you used no longer applies to this portfolio. Your reason was not saved: “\(form["reason"])”"
            let changes = ChangeReport.make(
                latest: latest, origin: origin, scope: .portfolio, names: await services.names(in: latest),
                advice: advice)
            return await workflowPage(
                portfolio: latest, typed: typed(message, field), status: status, changes: changes, context: context)
        }
        context.logger.info("portfolio \(verb)", metadata: ["participant": "\(portfolio.id)"])
        // A completed declaration made at sign-off still stands at the DfE: the next page offers
        // its void (voiding is the provider's call, so it is offered, not done), as `senco reopen` does.
        if field == "reopen-reason", DfEController.completedAfterReopening(changed) != nil {
            return await services.redirect(
                "/provider/portfolios/\(portfolio.id)/dfe#completed-after-reopening",
                flash:
                    "Portfolio \(portfolio.id) \(verb). The DfE still holds the completed declaration made at sign-off; void it below if the sign-off was in error.",
                context: context)
        }
        let toSend = form["dfeReason"].isEmpty ? "" : " The DfE withdrawal is kept to send from the cohort's DfE page."
        return await services.redirect(
            "/provider/cohorts/\(portfolio.participant.cohort)", flash: "Portfolio \(portfolio.id) \(verb).\(toSend)",
            context: context)
    }

    // MARK: Moderation sample

    func sampleForm(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let cohort = try await services.routeCohort(context)
        return try await samplePage(
            cohort: cohort,
            typed: ModerationSamplePage.Typed(rate: "10", minimum: "1", planID: "\(cohort.id)-\(Day(services.now))"),
            context: context)
    }

    private func samplePage(
        cohort: Cohort, typed: ModerationSamplePage.Typed, error: (field: String, message: String)? = nil,
        status: HTTPResponse.Status = .ok, context: WebContext
    ) async throws -> Response {
        let moderators = try await services.users.users().filter { $0.role == .moderator }
        func message(_ field: String) -> String? { error?.field == field ? error?.message : nil }
        let view = ModerationSamplePage(
            cohort: cohort.id, title: cohort.title, csrf: context.session?.csrfToken, rate: typed.rate,
            minimum: typed.minimum, seed: typed.seed, planID: typed.planID,
            moderators: moderators.map {
                ModerationSamplePage.Moderator(id: $0.id, name: $0.name, selected: $0.id == typed.moderator)
            },
            error: error?.message, errorField: error?.field, rateError: message("rate"),
            minimumError: message("minimum"),
            seedError: message("seed"), planError: message("plan"), moderatorError: message("moderator"))
        let title = "\(error == nil ? "" : "Error: ")Draw a moderation sample: \(cohort.title)"
        return services.views.page(view, title: title, status: status, chrome: await services.chrome(context))
    }

    func drawSample(_ request: Request, context: WebContext) async throws -> Response {
        let user = try services.requireProvider(context)
        let cohort = try await services.routeCohort(context)
        let form = try await services.form(request, context: context)
        let typed = ModerationSamplePage.Typed(
            rate: form["rate"], minimum: form["minimum"], seed: form["seed"], planID: form["plan"],
            moderator: form["moderator"])
        func refuse(_ message: String, field: String) async throws -> Response {
            try await samplePage(
                cohort: cohort, typed: typed, error: (field, message), status: .unprocessableContent, context: context)
        }
        guard let rate = Int(form["rate"].trimmingCharacters(in: .whitespaces)), (1...100).contains(rate) else {
            return try await refuse("Enter a percentage from 1 to 100.", field: "rate")
        }
        guard let minimum = Int(form["minimum"].trimmingCharacters(in: .whitespaces)), (0...1000).contains(minimum) else {
            return try await refuse("Enter how many at least per tutor, from 0.", field: "minimum")
        }
        let seedText = form["seed"].trimmingCharacters(in: .whitespaces)
        let now = services.now
        guard seedText.isEmpty || UInt64(seedText) != nil else {
            return try await refuse("The seed is a whole number (leave it empty for a new one).", field: "seed")
        }
        let seed = UInt64(seedText) ?? UInt64(now.timeIntervalSince1970)
        let planID = form["plan"].trimmingCharacters(in: .whitespaces)
        if let problem = Identifier.problem(with: planID, what: "plan") { return try await refuse(problem, field: "plan") }
        let moderator = form["moderator"]
        if !moderator.isEmpty {
            guard let account = try await services.users.user(moderator), account.role == .moderator else {
                return try await refuse("Choose one of the moderators listed.", field: "moderator")
            }
        }
        let scan = try await services.store.mapPortfolios(inCohort: cohort.id, Moderation.Candidate.init)
        var plan: ModerationPlan
        do throws(RuleError) {
            plan = try Moderation.plan(
                id: planID, cohort: cohort.id, candidates: scan.values, rate: rate, minimumPerTutor: minimum, seed: seed,
                by: user.id, at: now)
        } catch {
            return try await refuse(error.message.replacingOccurrences(of: "--rate", with: "The rate"), field: "rate")
        }
        if !moderator.isEmpty {
            if let own = plan.entries.first(where: { $0.tutor == moderator }) {
                return try await refuse("\(moderator) tutors \(own.participant); a moderator cannot second-mark their own participants.", field: "moderator")
            }
            for index in plan.entries.indices { plan.entries[index].moderator = moderator }
        }
        let saved: StoreError? = await { () async -> StoreError? in
            do throws(StoreError) { try await services.store.savePlan(plan) } catch { return error }
            return nil
        }()
        if let saved {
            guard saved.code == .alreadyExists else { throw saved }
            return try await refuse("A plan called \(planID) already exists; plans are never redrawn. Choose another id.", field: "plan")
        }
        return await services.redirect(
            "/moderation-reports/\(plan.id)",
            flash: "Moderation plan \(plan.id) recorded: \(plan.entries.count) of \(scan.values.count) portfolios (seed \(seed)).",
            context: context)
    }
}
