import Foundation
import Hummingbird
import SencoCore
import SencoData
import SencoDfE
import SencoStore

/// Participants from the DfE's participants list, in the browser, as `senco dfe import` does it
/// from a saved file and `senco dfe pull` live (every page of `GET /api/v3/participants/npq`
/// through the server's configured client): every participant is checked against the whole
/// store, and a preview lists who would be added, who changes and every conflict; nothing is
/// stored until the provider confirms. The confirmation carries the previewed participants back
/// (the file, or the pages fetched) with their SHA-256; the import is worked out again, and if
/// anything differs from the preview (someone changed the store meanwhile) the preview comes
/// back and nothing is stored.
struct DfEImportController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/provider/cohorts/:cohort/dfe/import", use: form)
        group.post("/provider/cohorts/:cohort/dfe/import", use: preview)
        group.post("/provider/cohorts/:cohort/dfe/import/confirm", use: confirm)
    }

    /// The largest file accepted: several thousand participants, and small enough to come back
    /// whole (as base64) in the confirmation, within the upload route's cap.
    static let maxFileBytes = 5_000_000

    /// What the provider chose: the tutor new participants get, the DfE cohort to take, and
    /// whether to fetch from the DfE rather than upload a file.
    struct Choice {
        var tutor: String
        var dfeCohort: String
        var fromDfE = false
    }

    /// Where the participants were read from, in words (the preview's and the parser's).
    static func sourceName(fromDfE: Bool) -> String {
        fromDfE ? "the DfE’s answer to GET /api/v3/participants/npq" : "the file"
    }

    private func page(
        cohort: Cohort, choice: Choice, errors: [FieldError] = [], preview: DfEImportPage.Preview? = nil,
        status: HTTPResponse.Status = .ok, context: WebContext
    ) async -> Response {
        func error(_ field: String) -> String? { errors.first { $0.field == field }?.message }
        let view = DfEImportPage(
            cohort: cohort.id, cohortTitle: cohort.title, csrf: context.session?.csrfToken, hasErrors: !errors.isEmpty,
            errors: errors, fileError: error("file"), configured: services.configuration.dfe != nil,
            api: services.configuration.dfe?.baseURL ?? "", fromDfE: choice.fromDfE,
            sourceError: error("source-dfe"),
            tutors: cohort.tutors.map {
                SelectOption(value: $0.id, label: "\($0.name) (\($0.id))", selected: $0.id == choice.tutor)
            },
            tutorError: error("tutor"), dfeCohort: choice.dfeCohort, dfeCohortError: error("dfe-cohort"),
            limit: Present.limitText(Self.maxFileBytes), preview: preview)
        let heading =
            preview == nil
            ? "Add participants from the DfE’s participants list" : "Check the participants before adding them"
        return services.views.page(
            view, title: (errors.isEmpty && preview?.changed != true ? "" : "Error: ") + heading, status: status,
            chrome: await services.chrome(context))
    }

    func form(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let cohort = try await services.routeCohort(context)
        return await page(
            cohort: cohort, choice: Choice(tutor: "", dfeCohort: cohort.dfe.cohort.map(String.init) ?? ""),
            context: context)
    }

    /// The choices checked: the tutor teaches the cohort, the DfE cohort is a year the API has.
    private func check(_ choice: Choice, cohort: Cohort) -> (Int?, [FieldError]) {
        var errors: [FieldError] = []
        if !cohort.tutors.contains(where: { $0.id == choice.tutor }) {
            errors.append(FieldError(field: "tutor", message: "Choose the tutor new participants will have."))
        }
        let today = Day(services.now)
        let year = Int(choice.dfeCohort)
        if year == nil || DfEIdentity.cohortProblem(year!, field: "", today: today) != nil {
            errors.append(
                FieldError(
                    field: "dfe-cohort", message: "The DfE cohort must be a year from 2021 to \(today.year + 1)."))
        }
        return (errors.isEmpty ? year : nil, errors)
    }

    /// The import worked out against every participant in the store, writing nothing.
    private func plan(_ data: Data, cohort: Cohort, tutor: String, year: Int, fromDfE: Bool = false)
        async throws(DfEError) -> ParticipantImportPlan
    {
        let incoming = try DfEParticipant.read(data, file: Self.sourceName(fromDfE: fromDfE))
        var existing: [Participant] = []
        do {
            for other in try await services.store.cohorts() {
                existing += try await services.store.mapSummaries(inCohort: other.id, framework: services.npq).values
                    .map(\.participant)
            }
        } catch { throw DfEError(.input, "the store could not be read") }
        return ParticipantImportPlan(
            participants: incoming, cohort: cohort, tutor: tutor, dfeCohort: year, existing: existing,
            frameworks: services.library.frameworks.map(\.id), now: services.now)
    }

    /// What the preview shows, and what the confirmation must find again.
    static func preview(
        _ plan: ParticipantImportPlan, file: Data, choice: Choice, tutorName: String, changed: Bool = false
    ) -> DfEImportPage.Preview {
        let creates = plan.creates.map { portfolio in
            DfEImportPage.NewRow(
                id: portfolio.id, dfeID: portfolio.participant.dfe?.participantID ?? "",
                name: portfolio.participant.name,
                trn: portfolio.participant.trn ?? "–", schedule: portfolio.participant.dfe?.schedule ?? "the cohort’s",
                status: portfolio.participant.dfe?.trainingStatus.rawValue ?? "")
        }
        let updates = plan.updates.map { participant in
            DfEImportPage.UpdateRow(
                id: participant.id, dfeID: participant.dfe?.participantID ?? "",
                change: (plan.idChanges[participant.id].map { "the DfE replaced \($0) with this id; " } ?? "")
                    + "DfE record updated (training status \(participant.dfe?.trainingStatus.rawValue ?? ""))")
        }
        return DfEImportPage.Preview(
            hasCreates: !creates.isEmpty, creates: creates, hasUpdates: !updates.isEmpty, updates: updates,
            unchanged: plan.unchanged.count, hasConflicts: !plan.conflicts.isEmpty, conflicts: plan.conflicts,
            hasSkipped: !plan.skipped.isEmpty, skipped: plan.skipped, skippedCount: plan.skipped.count,
            count: creates.count + updates.count, hasWork: !creates.isEmpty || !updates.isEmpty,
            confirm: confirmLabel(adding: creates.count, updating: updates.count), tutor: choice.tutor,
            tutorName: tutorName, dfeCohort: choice.dfeCohort, file: file.base64EncodedString(),
            source: choice.fromDfE ? "the DfE (every page of GET /api/v3/participants/npq)" : "the file",
            fromDfE: choice.fromDfE, digest: SecureToken.sha256(file), planDigest: digest(plan), changed: changed)
    }

    /// The confirmation button's words: "Add 2 participants and update 1".
    static func confirmLabel(adding: Int, updating: Int) -> String {
        let add = adding == 0 ? nil : "add \(adding) participant\(adding == 1 ? "" : "s")"
        let update =
            updating == 0 ? nil : "update \(updating)\(adding == 0 ? " participant\(updating == 1 ? "" : "s")" : "")"
        let text = [add, update].compactMap { $0 }.joined(separator: " and ")
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// What the import would do, as a digest: a confirmation is stored only into a store that
    /// has not changed in any way that matters to it since the preview.
    static func digest(_ plan: ParticipantImportPlan) -> String {
        let outcome =
            plan.creates.map { "+\($0.id)=\($0.participant.dfe?.participantID ?? "")" }
            + plan.updates.map { "~\($0.id)=\($0.dfe?.participantID ?? "")/\($0.dfe?.trainingStatus.rawValue ?? "")" }
            + plan.conflicts.map { "!\($0)" }
        return SecureToken.sha256(Data(outcome.joined(separator: "\n").utf8))
    }

    func preview(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let cohort = try await services.routeCohort(context)
        let form = try await services.form(request, context: context, upload: true)
        let choice = Choice(
            tutor: form["tutor"], dfeCohort: form["dfe-cohort"].trimmingCharacters(in: .whitespaces),
            fromDfE: form["source"] == "dfe")
        var (year, errors) = check(choice, cohort: cohort)
        let file = form.file("file")
        if choice.fromDfE {
            if services.configuration.dfe == nil {
                errors.insert(
                    FieldError(
                        field: "source-dfe",
                        message:
                            "This server has no DfE API configured, so nothing can be fetched; upload a saved file."),
                    at: 0)
            }
        } else if file == nil {
            errors.insert(FieldError(field: "file", message: "Choose a DfE participants file to upload."), at: 0)
        } else if file!.data.count > Self.maxFileBytes {
            errors.insert(
                FieldError(field: "file", message: "The file is larger than \(Present.limitText(Self.maxFileBytes))."),
                at: 0)
        }
        guard errors.isEmpty, let year else {
            return await page(
                cohort: cohort, choice: choice, errors: errors, status: .unprocessableContent, context: context)
        }
        // The DfE is asked only once everything else on the form is right.
        let data: Data
        if choice.fromDfE {
            switch await fetch() {
            case .success(let fetched): data = fetched
            case .failure(let error):
                context.logger.notice(
                    "dfe participants not fetched", metadata: ["cohort": "\(cohort.id)", "code": "\(error.code)"])
                return await page(
                    cohort: cohort, choice: choice, errors: [FieldError(field: "source-dfe", message: error.message)],
                    status: error.code == .input ? .unprocessableContent : .badGateway, context: context)
            }
        } else {
            data = file?.data ?? Data()
        }
        let plan: ParticipantImportPlan
        do {
            plan = try await self.plan(
                data, cohort: cohort, tutor: choice.tutor, year: year, fromDfE: choice.fromDfE)
        } catch {
            let field = choice.fromDfE ? "source-dfe" : "file"
            let what = choice.fromDfE ? "The DfE’s answer" : "The file"
            return await page(
                cohort: cohort, choice: choice,
                errors: [FieldError(field: field, message: "\(what) cannot be used: \(error.message).")],
                status: choice.fromDfE ? .badGateway : .unprocessableContent, context: context)
        }
        let tutorName = cohort.tutors.first { $0.id == choice.tutor }?.name ?? choice.tutor
        return await page(
            cohort: cohort, choice: choice,
            preview: Self.preview(plan, file: data, choice: choice, tutorName: tutorName), context: context)
    }

    /// Every page of `GET /api/v3/participants/npq`, read through the server's client (as `senco
    /// dfe pull` reads them) and kept one after another, as a saved file holds them; or why not,
    /// in words (never the token).
    private func fetch() async -> Result<Data, DfEError> {
        guard let settings = services.configuration.dfe else {
            return .failure(DfEError(.input, "This server has no DfE API configured, so nothing can be fetched."))
        }
        let pages: [Data]
        do {
            pages = try await settings.client().using { client in try await client.participantPages(updatedSince: nil) }
        } catch {
            let message = (error as? DfEError)?.message ?? "the API could not be reached"
            return .failure(DfEError(.unavailable, "The DfE’s participants could not be fetched: \(message)."))
        }
        var data = Data()
        for page in pages {
            data.append(page)
            data.append(0x0A)
        }
        guard data.count <= Self.maxFileBytes else {
            return .failure(
                DfEError(
                    .input,
                    "The DfE’s participants list is larger than \(Present.limitText(Self.maxFileBytes)), more than the browser’s import takes; use senco dfe pull on the command line."
                ))
        }
        // An empty list is one empty page, as a saved answer with nobody in it would be.
        return .success(data.isEmpty ? Data("{\"data\":[]}".utf8) : data)
    }

    /// The previewed file, back with its digest: worked out again, and stored only if it is
    /// still what was previewed.
    func confirm(_ request: Request, context: WebContext) async throws -> Response {
        let user = try services.requireProvider(context)
        let cohort = try await services.routeCohort(context)
        let form = try await services.form(request, context: context, upload: true)
        let choice = Choice(tutor: form["tutor"], dfeCohort: form["dfe-cohort"], fromDfE: form["source"] == "dfe")
        let (year, errors) = check(choice, cohort: cohort)
        guard errors.isEmpty, let year, let data = Data(base64Encoded: form["file"]), data.count <= Self.maxFileBytes,
            SecureToken.equal(SecureToken.sha256(data), form["digest"]),
            let plan = try? await self.plan(
                data, cohort: cohort, tutor: choice.tutor, year: year, fromDfE: choice.fromDfE)
        else {
            return await page(
                cohort: cohort, choice: choice,
                errors: [
                    choice.fromDfE && services.configuration.dfe != nil
                        ? FieldError(
                            field: "source-dfe",
                            message:
                                "The confirmation did not match the participants that were checked. Fetch them again.")
                        : FieldError(
                            field: "file",
                            message: "The confirmation did not match the file that was checked. Upload the file again.")
                ],
                status: .unprocessableContent, context: context)
        }
        let tutorName = cohort.tutors.first { $0.id == choice.tutor }?.name ?? choice.tutor
        guard SecureToken.equal(Self.digest(plan), form["plan"]) else {
            return await page(
                cohort: cohort, choice: choice,
                preview: Self.preview(plan, file: data, choice: choice, tutorName: tutorName, changed: true),
                status: .conflict, context: context)
        }
        var added = 0
        var updated = 0
        let now = services.now
        do {
            for portfolio in plan.creates {
                _ = try await services.store.create(portfolio)
                added += 1
            }
            for participant in plan.updates {
                let current = try await services.store.portfolio(participant.id)
                try await services.store.update(participant.id, expectedRevision: current.revision) {
                    (portfolio: inout Portfolio) throws(StoreError) in
                    plan.apply(participant, to: &portfolio, by: user.id, at: now)
                }
                updated += 1
            }
        } catch {
            // Changed by someone else between the check and now: stop, and say what was done.
            context.logger.notice(
                "dfe import stopped",
                metadata: ["cohort": "\(cohort.id)", "added": "\(added)", "updated": "\(updated)"])
            return await services.redirect(
                "/provider/cohorts/\(cohort.id)",
                flash:
                    "\(added) participants were added and \(updated) updated before the import stopped at one that could not be stored. Check the cohort and import the file again.",
                context: context)
        }
        context.logger.info(
            "dfe participants imported",
            metadata: ["cohort": "\(cohort.id)", "added": "\(added)", "updated": "\(updated)"])
        return await services.redirect(
            "/provider/cohorts/\(cohort.id)",
            flash: "From the DfE’s participants: \(added) added and \(updated) updated in \(cohort.id)"
                + (plan.conflicts.isEmpty ? "." : "; \(plan.conflicts.count) conflicts left alone."),
            context: context)
    }
}
