import Foundation
import Hummingbird
import SencoCore
import SencoData
import SencoDfE
import SencoStore

/// A participant's DfE record for the provider: their identity in the lead-provider API, each
/// declaration with the state the API last reported, and a form to change the identity that is
/// checked as `senco participant dfe` checks it (a UUID is a UUID; a DfE id is one
/// participant's). Everything here is the provider's alone.
struct DfEController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/provider/portfolios/:participant/dfe", use: record)
        group.get("/provider/portfolios/:participant/dfe/edit", use: editForm)
        group.post("/provider/portfolios/:participant/dfe", use: save)
    }

    // MARK: The record

    func record(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let portfolio = try await services.routePortfolio(context)
        let cohort = try await services.store.cohort(portfolio.participant.cohort)
        let policy = services.configuration.declarationPolicy
        let row = CompletionReport.row(
            for: portfolio, framework: services.npq, rules: services.rules, declarationRules: policy.rules,
            today: Day(services.now))
        let records = portfolio.declarationRecords
        let plan = DeclarationPlanner.plan(
            portfolio: portfolio, cohort: cohort, framework: services.npq, rules: services.rules, policy: policy,
            now: services.now)
        let toSend = plan.requests.count + plan.outcomes.count + plan.withdrawals.count
        let view = DfEParticipantPage(
            id: portfolio.id, name: portfolio.participant.name, cohort: cohort.id, cohortTitle: cohort.title,
            hasIdentity: portfolio.participant.dfe != nil,
            identity: Self.identityRows(portfolio, cohort: cohort),
            declarations: row.declarations.map { declaration in
                DfEParticipantPage.DeclarationRow(
                    type: declaration.type.rawValue,
                    status: declaration.status.rawValue.replacingOccurrences(of: "-", with: " "),
                    date: declaration.date.map { Day($0).description }, state: declaration.dfeState,
                    dfeID: records[declaration.type]?.dfeID, voidable: portfolio.isDeclared(declaration.type))
            },
            hasHeld: !plan.held.isEmpty, held: plan.held,
            toSend: toSend == 0
                ? "Nothing to send for \(portfolio.participant.name) now."
                : "\(toSend) request\(toSend == 1 ? "" : "s") to send for \(portfolio.participant.name) now.",
            canDefer: portfolio.participant.dfe?.trainingStatus == .active,
            canResume: portfolio.participant.dfe.map { $0.trainingStatus != .active } ?? false,
            completedAfterReopening: Self.completedAfterReopening(portfolio))
        return services.views.page(
            view, title: "DfE record: \(portfolio.participant.name)", chrome: await services.chrome(context))
    }

    /// The completed declaration the DfE holds for a portfolio that is no longer signed off (it
    /// was reopened), in words, as `senco reopen` says it; nil when there is none.
    static func completedAfterReopening(_ portfolio: Portfolio) -> String? {
        guard portfolio.state != .signedOff, portfolio.isDeclared(.completed),
            let record = portfolio.declarationRecords[.completed]
        else { return nil }
        return
            "The DfE holds a completed declaration for \(portfolio.participant.name) (\(record.dfeID), \(record.state)), made when the portfolio was signed off. The portfolio is \(portfolio.state.label) now: if the sign-off was in error, void that declaration."
    }

    /// The identity as declarations will use it: the participant's own values, else the cohort's.
    static func identityRows(_ portfolio: Portfolio, cohort: Cohort) -> [LabelledValue] {
        guard let own = portfolio.participant.dfe else { return [] }
        let dfe = own.resolved(with: cohort.dfe)
        func inherited(_ value: String?, own: String?) -> String {
            guard let value else { return "not set" }
            return own == nil ? "\(value) (the cohort’s)" : value
        }
        var status = dfe.trainingStatus.rawValue
        if let since = dfe.statusSince { status += " since \(Timestamp.string(since))" }
        if let reason = dfe.statusReason { status += " (\(reason))" }
        var rows = [
            LabelledValue(label: "DfE participant id", value: dfe.participantID),
            LabelledValue(label: "Teacher reference number", value: portfolio.participant.trn ?? "not recorded"),
            LabelledValue(label: "Course", value: dfe.course),
            LabelledValue(label: "Schedule", value: inherited(dfe.schedule, own: own.schedule)),
            LabelledValue(
                label: "DfE cohort", value: inherited(dfe.cohort.map(String.init), own: own.cohort.map(String.init))),
            LabelledValue(
                label: "Delivery partner",
                value: dfe.deliveryPartner == nil ? "none" : inherited(dfe.deliveryPartner, own: own.deliveryPartner)),
            LabelledValue(label: "Funded place", value: dfe.fundedPlace.map { $0 ? "yes" : "no" } ?? "not known"),
            LabelledValue(label: "Training status", value: status),
        ]
        if let reason = portfolio.pendingDfEWithdrawal {
            rows.append(LabelledValue(label: "Withdrawal to send", value: "\(reason), not yet sent to the DfE"))
        }
        if let outcome = portfolio.dfeOutcome {
            rows.append(
                LabelledValue(label: "Outcome the DfE holds", value: "\(outcome.state) on \(outcome.completionDate)"))
        }
        if !portfolio.retiredDfEIDs.isEmpty {
            rows.append(
                LabelledValue(
                    label: "Earlier DfE ids (retired by the DfE)",
                    value: portfolio.retiredDfEIDs.joined(separator: ", ")))
        }
        return rows
    }

    // MARK: The identity form

    /// The form's fields as typed (or as stored, for a new form).
    struct Draft {
        var dfeID = ""
        var trn = ""
        var schedule = ""
        var dfeCohort = ""
        var deliveryPartner = ""
        var fundedPlace = "unknown"
        var trainingStatus = DfEIdentity.TrainingStatus.active.rawValue

        init(_ portfolio: Portfolio) {
            trn = portfolio.participant.trn ?? ""
            guard let dfe = portfolio.participant.dfe else { return }
            dfeID = dfe.participantID
            schedule = dfe.schedule ?? ""
            dfeCohort = dfe.cohort.map(String.init) ?? ""
            deliveryPartner = dfe.deliveryPartner ?? ""
            fundedPlace = dfe.fundedPlace.map { $0 ? "yes" : "no" } ?? "unknown"
            trainingStatus = dfe.trainingStatus.rawValue
        }

        init(_ form: FormData) {
            dfeID = form["dfe-id"].trimmingCharacters(in: .whitespacesAndNewlines)
            trn = form["trn"].trimmingCharacters(in: .whitespacesAndNewlines)
            schedule = form["schedule"]
            dfeCohort = form["dfe-cohort"].trimmingCharacters(in: .whitespacesAndNewlines)
            deliveryPartner = form["delivery-partner"].trimmingCharacters(in: .whitespacesAndNewlines)
            fundedPlace = form["funded-place"]
            trainingStatus = form["training-status"]
        }
    }

    private func formPage(
        portfolio: Portfolio, cohort: Cohort, draft: Draft, errors: [FieldError] = [], conflict: String? = nil,
        status: HTTPResponse.Status = .ok, context: WebContext
    ) async -> Response {
        func error(_ field: String) -> String? { errors.first { $0.field == field }?.message }
        let defaults = cohort.dfe
        let view = DfEIdentityFormPage(
            id: portfolio.id, name: portfolio.participant.name, csrf: context.session?.csrfToken,
            revision: portfolio.revision, hasErrors: !errors.isEmpty, errors: errors, conflict: conflict,
            dfeID: draft.dfeID, dfeIDError: error("dfe-id"), trn: draft.trn, trnError: error("trn"),
            schedules: [
                SelectOption(
                    value: "", label: "The cohort’s (\(defaults.schedule ?? "not set"))",
                    selected: draft.schedule.isEmpty)
            ] + DfEIdentity.schedules.map { SelectOption(value: $0, label: $0, selected: $0 == draft.schedule) },
            scheduleError: error("schedule"), dfeCohort: draft.dfeCohort, dfeCohortError: error("dfe-cohort"),
            cohortYear: defaults.cohort.map(String.init) ?? "not set",
            cohortPartner: defaults.deliveryPartner ?? "none", deliveryPartner: draft.deliveryPartner,
            deliveryPartnerError: error("delivery-partner"),
            fundedPlaces: [("unknown", "Not known"), ("yes", "Yes"), ("no", "No")].map {
                SelectOption(value: $0.0, label: $0.1, selected: $0.0 == draft.fundedPlace)
            },
            statuses: DfEIdentity.TrainingStatus.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == draft.trainingStatus)
            },
            trainingStatusError: error("training-status"))
        let heading = "DfE identity: \(portfolio.participant.name)"
        return services.views.page(
            view, title: errors.isEmpty && conflict == nil ? heading : "Error: \(heading)", status: status,
            chrome: await services.chrome(context))
    }

    func editForm(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let portfolio = try await services.routePortfolio(context)
        let cohort = try await services.store.cohort(portfolio.participant.cohort)
        return await formPage(portfolio: portfolio, cohort: cohort, draft: Draft(portfolio), context: context)
    }

    /// Every field checked, as `senco participant dfe` checks it; the identity, or the errors.
    private func check(_ draft: Draft, portfolio: Portfolio) async throws -> (DfEIdentity?, [FieldError]) {
        var errors: [FieldError] = []
        let today = Day(services.now)
        if draft.dfeID.isEmpty {
            errors.append(FieldError(field: "dfe-id", message: "Enter the DfE participant id."))
        } else if DfEIdentity.uuidProblem(draft.dfeID, field: "") != nil {
            errors.append(
                FieldError(
                    field: "dfe-id",
                    message: "The DfE participant id must be a UUID: 8-4-4-4-12 hexadecimal digits with hyphens."))
        } else if let holder = try await holder(of: draft.dfeID.lowercased(), other: portfolio.id) {
            errors.append(
                FieldError(
                    field: "dfe-id",
                    message:
                        "The DfE participant id is already \(holder)’s; one DfE participant is one senco participant."
                ))
        }
        if !draft.trn.isEmpty, draft.trn.count != 7 || !draft.trn.allSatisfy({ $0.isASCII && $0.isNumber }) {
            errors.append(FieldError(field: "trn", message: "The teacher reference number must be 7 digits."))
        }
        if !draft.schedule.isEmpty, DfEIdentity.scheduleProblem(draft.schedule, field: "") != nil {
            errors.append(FieldError(field: "schedule", message: "Choose a schedule from the list."))
        }
        var year: Int?
        if !draft.dfeCohort.isEmpty {
            year = Int(draft.dfeCohort)
            if year == nil || DfEIdentity.cohortProblem(year!, field: "", today: today) != nil {
                errors.append(
                    FieldError(
                        field: "dfe-cohort", message: "The DfE cohort must be a year from 2021 to \(today.year + 1)."))
            }
        }
        if !draft.deliveryPartner.isEmpty, DfEIdentity.uuidProblem(draft.deliveryPartner, field: "") != nil {
            errors.append(
                FieldError(
                    field: "delivery-partner",
                    message: "The delivery partner must be a UUID: 8-4-4-4-12 hexadecimal digits with hyphens."))
        }
        let status = DfEIdentity.TrainingStatus(rawValue: draft.trainingStatus)
        if status == nil {
            errors.append(FieldError(field: "training-status", message: "Choose a training status from the list."))
        }
        guard errors.isEmpty, let status else { return (nil, errors) }
        var identity = portfolio.participant.dfe ?? DfEIdentity(participantID: draft.dfeID.lowercased())
        identity.participantID = draft.dfeID.lowercased()
        identity.schedule = draft.schedule.isEmpty ? nil : draft.schedule
        identity.cohort = year
        identity.deliveryPartner = draft.deliveryPartner.isEmpty ? nil : draft.deliveryPartner.lowercased()
        identity.fundedPlace = ["yes": true, "no": false][draft.fundedPlace]
        identity.trainingStatus = status
        return (identity, [])
    }

    /// Another participant, anywhere in the store, who already holds `dfeID`.
    private func holder(of dfeID: String, other participant: String) async throws -> String? {
        for cohort in try await services.store.cohorts() {
            let scan = try await services.store.mapSummaries(inCohort: cohort.id, framework: services.npq)
            if let found = scan.values.first(where: {
                $0.participant.dfe?.participantID == dfeID && $0.participant.id != participant
            }) {
                return found.participant.id
            }
        }
        return nil
    }

    func save(_ request: Request, context: WebContext) async throws -> Response {
        let user = try services.requireProvider(context)
        let portfolio = try await services.routePortfolio(context)
        let cohort = try await services.store.cohort(portfolio.participant.cohort)
        let form = try await services.form(request, context: context)
        guard let revision = Int(form["revision"]) else { throw WebError.badForm }
        let draft = Draft(form)
        let (checked, errors) = try await check(draft, portfolio: portfolio)
        guard let identity = checked else {
            return await formPage(
                portfolio: portfolio, cohort: cohort, draft: draft, errors: errors, status: .unprocessableContent,
                context: context)
        }
        let trn = draft.trn.isEmpty ? nil : draft.trn
        let now = services.now
        do {
            try await services.update(portfolio.id, revision: revision) { (p: inout Portfolio) throws(RuleError) in
                p.recordDfEIdentity(identity, trn: trn, by: user.id, role: .provider, at: now)
            }
        } catch let error as StoreError where error.code == .staleRevision || error.code == .busy {
            // Someone changed the portfolio meanwhile: what was typed comes back, over the latest revision.
            let latest = (try? await services.store.portfolio(portfolio.id)) ?? portfolio
            return await formPage(
                portfolio: latest, cohort: cohort, draft: draft,
                conflict:
                    "Someone changed \(latest.participant.name)’s portfolio after you opened this form, so nothing was saved. Your changes are below; save again to record them.",
                status: .conflict, context: context)
        }
        context.logger.info("dfe identity recorded", metadata: ["participant": "\(portfolio.id)"])
        return await services.redirect(
            "/provider/portfolios/\(portfolio.id)/dfe", flash: "DfE identity of \(portfolio.id) saved.",
            context: context)
    }
}
