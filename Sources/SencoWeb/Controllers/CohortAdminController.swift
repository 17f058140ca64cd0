import Foundation
import Hummingbird
import SencoCore
import SencoStore

/// The provider's cohort administration: create and edit a cohort, add one participant, and add
/// many from a CSV file with a preview.
///
/// Every rule is the command line's (`PlausibleDates`, `TextLimits`, `PastedText`,
/// `ParticipantEntry`). The CSV import commits nothing until the provider confirms the preview;
/// the confirmation carries the previewed file back with its SHA-256, the file is checked
/// against that digest and every row checked again, so what is stored is exactly what was
/// previewed and still valid.
struct CohortAdminController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/provider/cohorts/new", use: newCohort)
        group.post("/provider/cohorts", use: createCohort)
        group.get("/provider/cohorts/:cohort/edit", use: editCohort)
        group.post("/provider/cohorts/:cohort/edit", use: saveCohort)
        group.get("/provider/cohorts/:cohort/participants/new", use: newParticipant)
        group.post("/provider/cohorts/:cohort/participants", use: createParticipant)
        group.get("/provider/cohorts/:cohort/import", use: importForm)
        group.post("/provider/cohorts/:cohort/import", use: preview)
        group.post("/provider/cohorts/:cohort/import/confirm", use: confirm)
    }

    typealias Errors = [(field: String, message: String)]

    // MARK: Cohorts

    struct CohortDraft {
        var id = ""
        var title = ""
        var provider = ""
        var start = ""
        var tutors = ""
        /// The cohort's DfE defaults, as typed ("" for none).
        var dfeSchedule = ""
        var dfeCohort = ""
        var dfeDeliveryPartner = ""

        init() {}

        init(_ cohort: Cohort) {
            id = cohort.id
            title = cohort.title
            provider = cohort.provider
            start = cohort.start.description
            tutors = cohort.tutors.map { "\($0.id)=\($0.name)" }.joined(separator: "\n")
            dfeSchedule = cohort.dfe.schedule ?? ""
            dfeCohort = cohort.dfe.cohort.map(String.init) ?? ""
            dfeDeliveryPartner = cohort.dfe.deliveryPartner ?? ""
        }

        init(_ form: FormData) {
            id = form["id"].trimmingCharacters(in: .whitespaces)
            title = form["title"]
            provider = form["provider"]
            start = form["start"].trimmingCharacters(in: .whitespaces)
            tutors = form["tutors"]
            dfeSchedule = form["dfe-schedule"]
            dfeCohort = form["dfe-cohort"].trimmingCharacters(in: .whitespaces)
            dfeDeliveryPartner = form["dfe-delivery-partner"].trimmingCharacters(in: .whitespaces)
        }
    }

    private func cohortPage(
        draft: CohortDraft, existing: Cohort?, errors: Errors, status: HTTPResponse.Status = .ok, context: WebContext
    ) async -> Response {
        let problems = FormErrors(errors)
        let view = CohortFormPage(
            isNew: existing == nil, action: existing.map { "/provider/cohorts/\($0.id)/edit" } ?? "/provider/cohorts",
            csrf: context.session?.csrfToken, id: draft.id, title: draft.title, provider: draft.provider,
            start: draft.start, tutors: draft.tutors, hasErrors: !problems.isEmpty, errors: problems.items,
            idError: problems.message(for: "id"), titleError: problems.message(for: "title"),
            providerError: problems.message(for: "provider"), startError: problems.message(for: "start"),
            tutorsError: problems.message(for: "tutors"),
            dfeSchedules: [SelectOption(value: "", label: "None", selected: draft.dfeSchedule.isEmpty)]
                + DfEIdentity.schedules.map { SelectOption(value: $0, label: $0, selected: $0 == draft.dfeSchedule) },
            dfeScheduleError: problems.message(for: "dfe-schedule"), dfeCohort: draft.dfeCohort,
            dfeCohortError: problems.message(for: "dfe-cohort"), dfeDeliveryPartner: draft.dfeDeliveryPartner,
            dfeDeliveryPartnerError: problems.message(for: "dfe-delivery-partner"))
        let heading = existing.map { "Edit cohort \($0.id)" } ?? "Create a cohort"
        return services.views.page(
            view, title: errors.isEmpty ? heading : "Error: \(heading)", status: status,
            chrome: await services.chrome(context, current: "/provider"))
    }

    /// Checks a cohort's fields as `senco cohort create` does; returns the cohort (based on
    /// `existing`, so fields this form does not show are kept) or the errors.
    private func check(_ draft: CohortDraft, existing: Cohort?) async throws -> (Cohort?, Errors) {
        var errors: Errors = []
        if existing == nil {
            if draft.id.isEmpty {
                errors.append(("id", "Enter a cohort id."))
            } else if Identifier.problem(with: draft.id, what: "cohort") != nil {
                errors.append(
                    (
                        "id",
                        "The cohort id can only have lowercase letters, digits and single hyphens, for example 2026-autumn."
                    ))
            } else if (try? await services.store.cohort(draft.id)) != nil {
                errors.append(("id", "There is already a cohort \(draft.id)."))
            }
        }
        var texts: [String: String] = [:]
        for (field, label, limit) in [("title", "title", TextLimits.title), ("provider", "provider", TextLimits.name)] {
            let raw = field == "title" ? draft.title : draft.provider
            do throws(RuleError) {
                let text = try PastedText.normalise(raw, field: "The \(label)").trimmingCharacters(
                    in: .whitespacesAndNewlines)
                if text.isEmpty {
                    errors.append((field, "Enter the cohort's \(label)."))
                } else if let problem = TextLimits.problem(text, field: "The \(label)", limit: limit) {
                    errors.append((field, problem + "."))
                }
                texts[field] = text
            } catch {
                errors.append((field, error.message))
            }
        }
        let day = Day(draft.start)
        if draft.start.isEmpty {
            errors.append(("start", "Enter the date the cohort starts."))
        } else if let day {
            if let problem = PlausibleDates.cohortStartProblem(day, field: "The start date", today: Day(services.now)) {
                errors.append(("start", problem + "."))
            }
        } else {
            errors.append(("start", "Enter the start date as a real date, for example 2026-10-05."))
        }
        var tutors: [Cohort.Tutor] = []
        for (index, line) in draft.tutors.split(whereSeparator: \.isNewline).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty else {
                errors.append(
                    (
                        "tutors",
                        "Line \(index + 1) of the tutors should be ID=Full Name, for example t-okafor=Dr Grace Okafor."
                    ))
                continue
            }
            if Identifier.problem(with: parts[0], what: "tutor") != nil {
                errors.append(
                    (
                        "tutors",
                        "Line \(index + 1): the tutor id \(parts[0].quotedForMessage()) can only have lowercase letters, digits and single hyphens."
                    ))
            } else if let problem = TextLimits.problem(
                parts[1], field: "Line \(index + 1): the name", limit: TextLimits.name)
            {
                errors.append(("tutors", problem + "."))
            } else if (try? PastedText.normalise(parts[1], field: "")) == nil {
                errors.append(("tutors", "Line \(index + 1): the name has a character that cannot be stored."))
            } else if tutors.contains(where: { $0.id == parts[0] }) {
                errors.append(("tutors", "The tutor \(parts[0]) is given twice."))
            } else {
                tutors.append(Cohort.Tutor(id: parts[0], name: parts[1]))
            }
        }
        if let existing {
            // A tutor with participants cannot be taken off the cohort: their portfolios name them.
            let kept = Set(tutors.map(\.id))
            let removed = existing.tutors.filter { !kept.contains($0.id) }.map(\.id)
            if !removed.isEmpty {
                let scan = try await services.store.mapSummaries(inCohort: existing.id, framework: services.npq)
                let busy = removed.filter { id in scan.values.contains { $0.participant.tutor == id } }
                if !busy.isEmpty {
                    errors.append(
                        (
                            "tutors",
                            "\(busy.joined(separator: ", ")) still tutor\(busy.count == 1 ? "s" : "") participants of this cohort, so cannot be removed."
                        ))
                }
            }
        }
        // The DfE defaults, checked as `senco cohort dfe` checks them.
        var defaults = Cohort.DfEDefaults()
        if !draft.dfeSchedule.isEmpty {
            if DfEIdentity.scheduleProblem(draft.dfeSchedule, field: "") != nil {
                errors.append(("dfe-schedule", "Choose a DfE schedule from the list."))
            } else {
                defaults.schedule = draft.dfeSchedule
            }
        }
        if !draft.dfeCohort.isEmpty {
            let today = Day(services.now)
            if let year = Int(draft.dfeCohort), DfEIdentity.cohortProblem(year, field: "", today: today) == nil {
                defaults.cohort = year
            } else {
                errors.append(("dfe-cohort", "The DfE cohort must be a year from 2021 to \(today.year + 1)."))
            }
        }
        if !draft.dfeDeliveryPartner.isEmpty {
            if DfEIdentity.uuidProblem(draft.dfeDeliveryPartner, field: "") != nil {
                errors.append(
                    (
                        "dfe-delivery-partner",
                        "The delivery partner must be a UUID: 8-4-4-4-12 hexadecimal digits with hyphens."
                    ))
            } else {
                defaults.deliveryPartner = draft.dfeDeliveryPartner.lowercased()
            }
        }
        guard errors.isEmpty, let day, let title = texts["title"], let provider = texts["provider"] else {
            return (nil, errors)
        }
        var cohort = existing ?? Cohort(id: draft.id, title: title, provider: provider, start: day, tutors: tutors)
        cohort.title = title
        cohort.provider = provider
        cohort.start = day
        cohort.tutors = tutors
        cohort.dfe = defaults
        return (cohort, [])
    }

    func newCohort(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        return await cohortPage(draft: CohortDraft(), existing: nil, errors: [], context: context)
    }

    func createCohort(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let form = try await services.form(request, context: context)
        let draft = CohortDraft(form)
        let (checked, errors) = try await check(draft, existing: nil)
        guard let cohort = checked else {
            return await cohortPage(
                draft: draft, existing: nil, errors: errors, status: .unprocessableContent, context: context)
        }
        do throws(StoreError) {
            try await services.store.createCohort(cohort)
        } catch {
            guard error.code == .alreadyExists else { throw error }
            return await cohortPage(
                draft: draft, existing: nil, errors: [("id", "There is already a cohort \(cohort.id).")],
                status: .unprocessableContent,
                context: context)
        }
        context.logger.info("cohort created", metadata: ["cohort": "\(cohort.id)"])
        return await services.redirect(
            "/provider/cohorts/\(cohort.id)", flash: "Cohort \(cohort.id) created.", context: context)
    }

    func editCohort(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let cohort = try await services.routeCohort(context)
        return await cohortPage(draft: CohortDraft(cohort), existing: cohort, errors: [], context: context)
    }

    func saveCohort(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let existing = try await services.routeCohort(context)
        let form = try await services.form(request, context: context)
        var draft = CohortDraft(form)
        draft.id = existing.id
        let (checked, errors) = try await check(draft, existing: existing)
        guard let cohort = checked else {
            return await cohortPage(
                draft: draft, existing: existing, errors: errors, status: .unprocessableContent, context: context)
        }
        try await services.store.saveCohort(cohort)
        context.logger.info("cohort changed", metadata: ["cohort": "\(cohort.id)"])
        return await services.redirect(
            "/provider/cohorts/\(cohort.id)", flash: "Cohort \(cohort.id) saved.", context: context)
    }

    // MARK: One participant

    private func participantPage(
        cohort: Cohort, entry: ParticipantEntry, errors: Errors, status: HTTPResponse.Status = .ok, context: WebContext
    ) async -> Response {
        let problems = FormErrors(errors)
        let view = ParticipantFormPage(
            cohort: cohort.id, cohortTitle: cohort.title, cohortStart: cohort.start.description,
            csrf: context.session?.csrfToken, id: entry.id, name: entry.name, school: entry.school,
            tutors: cohort.tutors.map {
                SelectOption(value: $0.id, label: "\($0.name) (\($0.id))", selected: $0.id == entry.tutor)
            },
            email: entry.email, trn: entry.trn, started: entry.started, hasErrors: !problems.isEmpty,
            errors: problems.items,
            idError: problems.message(for: "id"), nameError: problems.message(for: "name"),
            schoolError: problems.message(for: "school"), tutorError: problems.message(for: "tutor"),
            emailError: problems.message(for: "email"), trnError: problems.message(for: "trn"),
            startedError: problems.message(for: "started"))
        let heading = "Add a participant to \(cohort.title)"
        return services.views.page(
            view, title: errors.isEmpty ? heading : "Error: \(heading)", status: status,
            chrome: await services.chrome(context, current: "/provider"))
    }

    func newParticipant(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let cohort = try await services.routeCohort(context)
        return await participantPage(
            cohort: cohort, entry: ParticipantEntry(id: "", name: "", school: "", tutor: ""), errors: [],
            context: context)
    }

    /// The problems of entries in `cohort`, including ids already used anywhere in the store and
    /// ids repeated among the entries.
    private func problems(_ entries: [ParticipantEntry], in cohort: Cohort) async throws -> [[ParticipantEntry.Problem]]
    {
        let taken = Set(try await services.store.allParticipantIDs())
        var seen: [String: Int] = [:]
        let today = Day(services.now)
        return entries.enumerated().map { (index, entry) -> [ParticipantEntry.Problem] in
            var found = entry.problems(in: cohort, today: today)
            if !found.contains(where: { $0.field == "id" }) {
                if taken.contains(entry.id) {
                    found.insert(.init(field: "id", message: "There is already a participant \(entry.id)."), at: 0)
                } else if let first = seen[entry.id] {
                    found.insert(
                        .init(field: "id", message: "The id \(entry.id) is also used by row \(first + 1)."), at: 0)
                }
            }
            if seen[entry.id] == nil { seen[entry.id] = index }
            return found
        }
    }

    private func create(_ entry: ParticipantEntry, in cohort: Cohort, by user: SignedInUser) async throws {
        guard let participant = entry.participant(in: cohort, today: Day(services.now)) else { throw WebError.badForm }
        let now = services.now
        let portfolio = Portfolio(
            participant: participant, frameworks: services.library.frameworks.map(\.id), state: .draft, stateSince: now,
            log: [
                .activity(Activity(at: now, by: user.id, role: .provider, action: "created", note: "Portfolio created"))
            ])
        _ = try await services.store.create(portfolio)
    }

    func createParticipant(_ request: Request, context: WebContext) async throws -> Response {
        let user = try services.requireProvider(context)
        let cohort = try await services.routeCohort(context)
        let form = try await services.form(request, context: context)
        let entry = ParticipantEntry(
            id: form["id"], name: form["name"], school: form["school"], email: form["email"], trn: form["trn"],
            tutor: form["tutor"],
            started: form["started"]
        ).tidied
        let found = try await problems([entry], in: cohort)[0]
        if !found.isEmpty {
            return await participantPage(
                cohort: cohort, entry: entry, errors: found.map { ($0.field, $0.message) },
                status: .unprocessableContent,
                context: context)
        }
        do {
            try await create(entry, in: cohort, by: user)
        } catch let error as StoreError where error.code == .alreadyExists {
            return await participantPage(
                cohort: cohort, entry: entry, errors: [("id", "There is already a participant \(entry.id).")],
                status: .unprocessableContent, context: context)
        }
        context.logger.info("participant added", metadata: ["cohort": "\(cohort.id)", "participant": "\(entry.id)"])
        return await services.redirect(
            "/provider/cohorts/\(cohort.id)",
            flash: "Participant \(entry.id) added. Give them an account under Accounts.",
            context: context)
    }

    // MARK: Many participants from a CSV file

    private func importPage(
        cohort: Cohort, rows: [ParticipantCSV.Row] = [], problems: [[ParticipantEntry.Problem]] = [],
        fileError: String? = nil,
        file: Data? = nil, status: HTTPResponse.Status = .ok, context: WebContext
    ) async -> Response {
        let bad = problems.filter { !$0.isEmpty }.count
        let kept = rows.isEmpty || bad > 0 ? nil : file
        let view = ImportPage(
            cohort: cohort.id, cohortTitle: cohort.title, csrf: context.session?.csrfToken,
            columns: ParticipantEntry.fields.joined(separator: ","),
            tutorIDs: cohort.tutors.map(\.id).joined(separator: ", "),
            limit: Present.limitText(Self.maxCSVBytes), hasErrors: fileError != nil,
            errors: fileError.map { [FieldError(field: "file", message: $0)] } ?? [], fileError: fileError,
            preview: !rows.isEmpty, count: rows.count, bad: bad, allGood: bad == 0,
            rows: zip(rows, problems).map { row, found in
                ImportPage.Row(
                    line: row.line, id: row.entry.id, name: row.entry.name, school: row.entry.school,
                    email: row.entry.email,
                    trn: row.entry.trn, tutor: row.entry.tutor,
                    started: row.entry.started.isEmpty ? "cohort start" : row.entry.started, ok: found.isEmpty,
                    problems: found.map(\.message))
            },
            file: kept?.base64EncodedString(), digest: kept.map(Self.digest))
        let heading = rows.isEmpty ? "Add participants from a CSV file" : "Check the participants before adding them"
        return services.views.page(
            view, title: (fileError != nil || bad > 0 ? "Error: " : "") + heading, status: status,
            chrome: await services.chrome(context, current: "/provider"))
    }

    /// The largest CSV file accepted: far more than a cohort's, and small enough to come back
    /// whole in the confirmation form.
    static let maxCSVBytes = 1_000_000

    static func digest(_ data: Data) -> String {
        SecureToken.sha256(data)
    }

    func importForm(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        return await importPage(cohort: try await services.routeCohort(context), context: context)
    }

    /// The uploaded file, every row checked; nothing is stored.
    func preview(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let cohort = try await services.routeCohort(context)
        let form = try await services.form(request, context: context, upload: true)
        guard let file = form.file("file") else {
            return await importPage(
                cohort: cohort, fileError: "Choose a CSV file to upload.", status: .unprocessableContent,
                context: context)
        }
        if file.data.count > Self.maxCSVBytes {
            return await importPage(
                cohort: cohort, fileError: "The file is larger than \(Present.limitText(Self.maxCSVBytes)).",
                status: .unprocessableContent, context: context)
        }
        return try await checked(file.data, cohort: cohort, context: context)
    }

    private func checked(_ data: Data, cohort: Cohort, context: WebContext) async throws -> Response {
        let rows: [ParticipantCSV.Row]
        do throws(RuleError) {
            rows = try ParticipantCSV.read(data)
        } catch {
            return await importPage(
                cohort: cohort, fileError: "The file cannot be read: \(error.message).", status: .unprocessableContent,
                context: context)
        }
        let found = try await problems(rows.map(\.entry), in: cohort)
        let bad = found.contains { !$0.isEmpty }
        return await importPage(
            cohort: cohort, rows: rows, problems: found, file: data, status: bad ? .unprocessableContent : .ok,
            context: context)
    }

    /// The previewed file, back with its digest: checked again in full, then every participant
    /// is added. If anything is now wrong (a row that has become a duplicate), the preview comes
    /// back and nothing is stored.
    func confirm(_ request: Request, context: WebContext) async throws -> Response {
        let user = try services.requireProvider(context)
        let cohort = try await services.routeCohort(context)
        let form = try await services.form(request, context: context, upload: true)
        guard let data = Data(base64Encoded: form["file"]), data.count <= Self.maxCSVBytes,
            SecureToken.equal(Self.digest(data), form["digest"])
        else {
            return await importPage(
                cohort: cohort,
                fileError: "The confirmation did not match the file that was checked. Upload the file again.",
                status: .unprocessableContent, context: context)
        }
        let rows: [ParticipantCSV.Row]
        do throws(RuleError) { rows = try ParticipantCSV.read(data) } catch {
            return try await checked(data, cohort: cohort, context: context)
        }
        let found = try await problems(rows.map(\.entry), in: cohort)
        if found.contains(where: { !$0.isEmpty }) {
            return try await checked(data, cohort: cohort, context: context)
        }
        var added = 0
        for row in rows {
            do {
                try await create(row.entry, in: cohort, by: user)
                added += 1
            } catch {
                // Added by someone else between the check and now: stop, and say what was done.
                context.logger.notice(
                    "participant import stopped", metadata: ["cohort": "\(cohort.id)", "added": "\(added)"])
                return await services.redirect(
                    "/provider/cohorts/\(cohort.id)",
                    flash:
                        "\(added) of \(rows.count) participants were added; the import stopped at line \(row.line) (\(row.entry.id)), which could not be stored. Check the cohort and import the rest again.",
                    context: context)
            }
        }
        context.logger.info("participants imported", metadata: ["cohort": "\(cohort.id)", "count": "\(added)"])
        return await services.redirect(
            "/provider/cohorts/\(cohort.id)", flash: "\(added) participants added to \(cohort.id).", context: context)
    }
}
