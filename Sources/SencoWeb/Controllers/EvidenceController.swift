import Foundation
import Hummingbird
import SencoCore
import SencoStore

/// Adding, editing and removing evidence, mapping it to statements, and uploading attachments.
/// Only the participant whose portfolio it is can do these; every change goes through the
/// portfolio rules in SencoCore and the store's revision check.
struct EvidenceController {
    let services: WebServices

    /// Attachment types accepted from the browser, by extension, with the bytes a file of that
    /// type starts with where the format has a signature.
    static let allowedTypes: [String: [UInt8]?] = [
        "pdf": Array("%PDF".utf8), "png": [0x89, 0x50, 0x4E, 0x47], "jpg": [0xFF, 0xD8, 0xFF], "jpeg": [0xFF, 0xD8, 0xFF],
        "docx": [0x50, 0x4B, 0x03, 0x04], "xlsx": [0x50, 0x4B, 0x03, 0x04], "pptx": [0x50, 0x4B, 0x03, 0x04],
        "txt": nil, "csv": nil, "md": nil,
    ]

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/portfolios/:participant/evidence/new", use: newForm)
        group.post("/portfolios/:participant/evidence", use: create)
        group.get("/portfolios/:participant/evidence/:evidence", use: editForm)
        group.post("/portfolios/:participant/evidence/:evidence", use: save)
        group.post("/portfolios/:participant/evidence/:evidence/attachments", use: upload)
        group.post("/portfolios/:participant/evidence/:evidence/delete", use: remove)
        addPromptRoutes(to: group)
    }

    /// The participant's own portfolio id, checked before anything is read: 403 for any other
    /// role; 404 for an id that is not theirs, whether or not it exists (no existence oracle).
    private func ownID(_ context: WebContext) throws -> (SignedInUser, String) {
        let user = try context.requireUser()
        guard user.role == .participant else { throw WebError.forbidden }
        let id = try context.parameters.require("participant")
        guard Identifier.isValid(id), Access.canEdit(user, id) else { throw WebError.notFound }
        return (user, id)
    }

    private func ownPortfolio(_ context: WebContext) async throws -> (SignedInUser, Portfolio) {
        let (user, id) = try ownID(context)
        return (user, try await services.store.portfolio(id))
    }

    private func item(_ portfolio: Portfolio, _ context: WebContext) throws -> EvidenceItem {
        let id = try context.parameters.require("evidence")
        guard let item = portfolio.evidenceItem(withID: id) else { throw WebError.notFound }
        return item
    }

    // MARK: Form

    struct Draft {
        var title = ""
        var type = ""
        var date = ""
        var reflection = ""
        var sensitive = false
        var statements: [String] = []
        var claim = ""
        /// Key ingredients of effective SEN support ticked (ids).
        var ingredients: [String] = []
        /// The baseline-and-impact pair: measure before, measure after, what changed.
        var impact = ImpactRecord(baseline: "", after: "", change: "")

        init() {}

        init(_ item: EvidenceItem, portfolio: Portfolio) {
            title = item.title
            type = item.type
            date = item.date.description
            reflection = item.reflection
            sensitive = item.sensitive
            let mappings = portfolio.mappings(forEvidence: item.id)
            statements = mappings.map(\.statement)
            claim = mappings.first?.claim ?? ""
            ingredients = item.ingredients
            impact = item.impact ?? impact
        }

        /// What was typed, kept as typed (to show again with any errors), and the errors of
        /// free text that cannot be stored (`PastedText`), each naming its field.
        init(_ form: FormData, errors: inout Errors) {
            func pasted(_ name: String, _ label: String) -> String {
                do throws(RuleError) {
                    return try PastedText.normalise(form[name], field: label)
                } catch {
                    errors.append((name, error.message))
                    return form[name]
                }
            }
            title = pasted("title", "Title").trimmingCharacters(in: .whitespacesAndNewlines)
            type = form["type"]
            date = form["date"].trimmingCharacters(in: .whitespaces)
            reflection = pasted("reflection", "Reflection")
            sensitive = form["sensitive"] == "yes"
            statements = form.values("statement")
            claim = pasted("claim", "How the evidence shows the ticked statements").trimmingCharacters(in: .whitespacesAndNewlines)
            ingredients = form.values("ingredient")
            impact = ImpactRecord(
                baseline: pasted("baseline", "Measure before (baseline)"), after: pasted("after", "Measure after"),
                change: pasted("change", "What changed"))
        }
    }

    /// Field errors keyed by the field's id; "" for errors about the whole form.
    typealias Errors = [(field: String, message: String)]

    /// The form, for a new item (`item` nil) or one already saved. It names the version it was
    /// made from: `origin` and `opened` when it comes back after a rule refused it (so it still
    /// names what the participant saw), else `portfolio` itself and the item as stored there.
    func formPage(
        portfolio: Portfolio, item: EvidenceItem?, draft: Draft, errors: Errors, status: HTTPResponse.Status = .ok,
        origin: FormOrigin? = nil, opened: EvidenceSnapshot? = nil, changes: ChangesView? = nil, context: WebContext
    ) async -> Response {
        let problems = FormErrors(errors.map { ($0.field.isEmpty ? "evidence-form" : $0.field, $0.message) })
        let heading = item == nil ? "Add evidence" : "Edit evidence \(item!.id)"
        let origin = origin ?? FormOrigin(portfolio)
        let opened = opened ?? item.map { snapshot($0, in: portfolio) }
        let view = EvidenceFormPage(
            participant: portfolio.id, isNew: item == nil, evidenceID: item?.id,
            action: item.map { "/portfolios/\(portfolio.id)/evidence/\($0.id)" }
                ?? "/portfolios/\(portfolio.id)/evidence",
            csrf: context.session?.csrfToken, revision: origin.revision, logged: origin.logged,
            opened: opened?.hidden ?? [], changes: changes,
            editable: portfolio.state.allowsParticipantChanges, today: Day(services.now).description,
            hasErrors: !problems.isEmpty, errors: problems.items,
            titleError: problems.message(for: "title"), typeError: problems.message(for: "type"),
            dateError: problems.message(for: "date"), reflectionError: problems.message(for: "reflection"),
            statementsError: problems.message(for: "statements"), claimError: problems.message(for: "claim"),
            fileError: problems.message(for: "file"),
            title: draft.title,
            types: services.rules.types.map {
                EvidenceFormPage.TypeOption(id: $0.id, label: $0.label, selected: $0.id == draft.type)
            },
            date: draft.date, reflection: draft.reflection, sensitive: draft.sensitive,
            sections: Present.picker(services.npq, checked: Set(draft.statements)), claim: draft.claim,
            claimsDiffer: item.map { Set(portfolio.mappings(forEvidence: $0.id).map(\.claim)).count > 1 } ?? false,
            promptPanel: promptPanel(draft, portfolio: portfolio, item: item), impactFields: impactFields(draft),
            ingredientPanel: ingredientPanel(draft),
            attachments: item?.attachments.map(AttachmentLink.init) ?? [],
            hasAttachments: !(item?.attachments.isEmpty ?? true),
            limit: item.map { _ in Present.limitText(services.configuration.maxUploadBytes) })
        return services.views.page(
            view, title: errors.isEmpty ? heading : "Error: \(heading)", status: status,
            chrome: await services.chrome(context, current: item == nil ? "/portfolios/\(portfolio.id)/evidence/new" : ""))
    }

    func snapshot(_ item: EvidenceItem, in portfolio: Portfolio) -> EvidenceSnapshot {
        EvidenceSnapshot(item, in: portfolio, rules: services.rules, prompts: services.schemas.prompts)
    }

    /// The form again after someone else changed the portfolio since it was opened (409): what
    /// was typed, what changed (for an item, each field whose stored value is not the one the
    /// form showed; else the log's events since), and the latest version, which it now names so
    /// that saving again is a decision made with the change in view. An item removed meanwhile
    /// comes back as a new item holding what was typed.
    func conflictPage(
        latest: Portfolio, itemID: String?, draft: Draft, form: FormData, origin: FormOrigin, message: String,
        status: HTTPResponse.Status = .conflict, context: WebContext
    ) async -> Response {
        let item = itemID.flatMap { latest.evidenceItem(withID: $0) }
        let fields = item.flatMap { item in EvidenceSnapshot(form)?.differences(to: snapshot(item, in: latest)) } ?? []
        let removed = itemID != nil && item == nil
        let changes = ChangeReport.make(
            latest: latest, origin: origin,
            scope: itemID.map { ChangeScope.evidence($0, mappings: fields.isEmpty) } ?? .portfolio,
            fallback: .portfolio,
            names: await services.names(in: latest), fields: fields,
            advice: removed
                ? "Your text is in the form below. Add it as a new evidence item if you still want it."
                : "Your text is still in the form below. Check it against these changes, then save again: the form now works from the latest version."
        )
        let why =
            removed
            ? "Evidence \(itemID ?? "") was removed after you opened the page, so your changes were not saved."
            : message
        return await formPage(
            portfolio: latest, item: item, draft: draft, errors: [("changes", why)], status: status, changes: changes,
            context: context)
    }

    func newForm(_ request: Request, context: WebContext) async throws -> Response {
        let (_, portfolio) = try await ownPortfolio(context)
        var draft = Draft()
        draft.date = Day(services.now).description
        if let statement = request.uri.queryParameters["statement"].map(String.init),
            services.npq.statement(withID: statement) != nil
        {
            draft.statements = [statement]
        }
        if let type = request.uri.queryParameters["type"].map(String.init), services.rules.type(withID: type) != nil {
            draft.type = type
        }
        return await formPage(portfolio: portfolio, item: nil, draft: draft, errors: [], context: context)
    }

    func editForm(_ request: Request, context: WebContext) async throws -> Response {
        let (_, portfolio) = try await ownPortfolio(context)
        let item = try item(portfolio, context)
        return await formPage(portfolio: portfolio, item: item, draft: Draft(item, portfolio: portfolio), errors: [], context: context)
    }

    /// Checks what the rules cannot see (text that can be stored, a date that parses, a claim when
    /// statements are ticked) and returns the errors a person can fix, each linked to its field,
    /// in the order of the form.
    private func check(_ draft: Draft, pasted: Errors) -> (Day?, Errors) {
        var errors: Errors = []
        if let problem = pasted.first(where: { $0.field == "title" }) {
            errors.append(problem)
        } else if draft.title.isEmpty {
            errors.append(("title", "Enter a title for the evidence."))
        }
        if services.rules.type(withID: draft.type) == nil { errors.append(("type", "Choose the type of evidence.")) }
        let day = Day(draft.date)
        if day == nil { errors.append(("date", "Enter a real date, for example 12 October 2026.")) }
        errors += pasted.filter { $0.field == "reflection" }
        if let problem = pasted.first(where: { $0.field == "claim" }) {
            errors.append(problem)
        } else if !draft.statements.isEmpty && draft.claim.isEmpty {
            errors.append(("claim", "Say how this evidence shows the statements you ticked."))
        }
        return (day, errors)
    }

    /// Which field a rule's message is about, so it can be shown beside that field.
    private func field(for error: RuleError) -> String {
        let m = error.message
        if m.contains("date") { return "date" }
        if m.contains("title") { return "title" }
        if m.contains("evidence type") { return "type" }
        if m.contains("claim") { return "claim" }
        if m.contains("statement") { return "statements" }
        return ""
    }

    func create(_ request: Request, context: WebContext) async throws -> Response {
        try await write(request, context: context, existing: nil)
    }

    func save(_ request: Request, context: WebContext) async throws -> Response {
        try await write(request, context: context, existing: try context.parameters.require("evidence"))
    }

    private func write(_ request: Request, context: WebContext, existing: String?) async throws -> Response {
        _ = try ownID(context)
        let form = try await services.form(request, context: context)
        let (user, portfolio) = try await ownPortfolio(context)
        let origin = try FormOrigin.posted(form)
        var pasted: Errors = []
        let draft = Draft(form, errors: &pasted)
        let staleMessage = WebServices.conflictMessage(StoreError(.staleRevision, ""))
        let current = existing.flatMap { portfolio.evidenceItem(withID: $0) }
        if let existing, current == nil {
            // Never there, or removed since the form was opened.
            guard origin.revision != portfolio.revision else { throw WebError.notFound }
            return await conflictPage(
                latest: portfolio, itemID: existing, draft: draft, form: form, origin: origin, message: staleMessage,
                context: context)
        }
        let (day, errors) = check(draft, pasted: pasted)
        guard let day, errors.isEmpty else {
            return await formPage(
                portfolio: portfolio, item: current, draft: draft, errors: errors, status: .unprocessableContent,
                origin: origin, opened: EvidenceSnapshot(form), context: context)
        }
        let now = services.now
        let actor = user.participant ?? user.id
        let frameworks = services.library.frameworks
        let rules = services.rules
        // The form was built from this revision; if the store still holds it, its next id is this one.
        let savedID = existing ?? portfolio.nextEvidenceID()
        let claimLeftAsShown = EvidenceSnapshot(form)?.values["claim"]?.digest == EvidenceSnapshot.Value(draft.claim).digest
        do {
            try await services.update(portfolio.id, revision: origin.revision) {
                (p: inout Portfolio) throws(RuleError) in
                let id = savedID
                let before = p.evidenceItem(withID: id)
                let item = EvidenceItem(
                    id: id, title: draft.title, type: draft.type, date: day, reflection: draft.reflection,
                    attachments: before?.attachments ?? [], sensitive: draft.sensitive, added: before?.added ?? now,
                    ingredients: knownIngredients(draft.ingredients), impact: recordedImpact(draft))
                if existing == nil {
                    try p.addEvidence(item, by: actor, role: .participant, rules: rules, at: now, today: Day(now))
                } else {
                    try p.replaceEvidence(item, by: actor, role: .participant, rules: rules, at: now, today: Day(now))
                }
                let mapped = p.mappings(forEvidence: id)
                let wanted = Set(draft.statements)
                // Unmap what was unticked and, when the claim was rewritten, what is kept with
                // another claim (mapped again below with the new one). A claim left as the form
                // showed it keeps each statement's own claim (made per statement on the command
                // line), since the form shows only one.
                let drop = mapped.filter {
                    !wanted.contains($0.statement) || (!claimLeftAsShown && $0.claim != draft.claim)
                }.map(\.statement)
                if !drop.isEmpty { try p.unmap(evidence: id, from: drop, by: actor, role: .participant, at: now) }
                let still = Set(p.mappings(forEvidence: id).map(\.statement))
                let add = draft.statements.filter { !still.contains($0) }
                if !add.isEmpty {
                    try p.map(evidence: id, to: add, claim: draft.claim, frameworks: frameworks, by: actor, role: .participant, at: now)
                }
            }
        } catch let error as RuleError {
            return await formPage(
                portfolio: portfolio, item: current, draft: draft, errors: [(field(for: error), error.message)],
                status: .unprocessableContent, origin: origin, opened: EvidenceSnapshot(form), context: context)
        } catch let error as StoreError where WebServices.isStale(error) {
            let latest = (try? await services.store.portfolio(portfolio.id)) ?? portfolio
            return await conflictPage(
                latest: latest, itemID: existing, draft: draft, form: form, origin: origin,
                message: WebServices.conflictMessage(error), context: context)
        }
        let verb = existing == nil ? "added" : "saved"
        return await services.redirect(
            "/portfolios/\(portfolio.id)", flash: "Evidence \(savedID) \(verb).", context: context)
    }

    func remove(_ request: Request, context: WebContext) async throws -> Response {
        _ = try ownID(context)
        let form = try await services.form(request, context: context)
        let (user, portfolio) = try await ownPortfolio(context)
        let item = try item(portfolio, context)
        let origin = try FormOrigin.posted(form)
        do {
            try await services.update(portfolio.id, revision: origin.revision) {
                (p: inout Portfolio) throws(RuleError) in
                try p.removeEvidence(item.id, by: user.participant ?? user.id, role: .participant, at: services.now)
            }
        } catch let error as StoreError where WebServices.isStale(error) {
            let latest = (try? await services.store.portfolio(portfolio.id)) ?? portfolio
            let kept = latest.evidenceItem(withID: item.id) ?? item
            return await conflictPage(
                latest: latest, itemID: item.id, draft: Draft(kept, portfolio: latest), form: form, origin: origin,
                message: WebServices.conflictMessage(error)
                    + " Nothing was removed: check the changes, then remove it again if you still mean to.",
                context: context)
        }
        return await services.redirect("/portfolios/\(portfolio.id)", flash: "Evidence \(item.id) removed.", context: context)
    }

    /// Attaches an uploaded file. Every check of the request comes first: who is asking, the
    /// body's size and CSRF token, the form's revision against the portfolio's, that the
    /// portfolio can be changed, the file's type, contents and size, and the portfolio rules (on
    /// a copy). Only then are the bytes stored, in the one place they are, so a refused upload
    /// leaves the store as it was.
    func upload(_ request: Request, context: WebContext) async throws -> Response {
        _ = try ownID(context)
        let form = try await services.form(request, context: context, upload: true)
        let (user, portfolio) = try await ownPortfolio(context)
        let item = try item(portfolio, context)
        let origin = try FormOrigin.posted(form)
        let revision = origin.revision
        func refuse(_ message: String, status: HTTPResponse.Status = .unprocessableContent) async -> Response {
            await formPage(
                portfolio: portfolio, item: item, draft: Draft(item, portfolio: portfolio), errors: [("file", message)],
                status: status, origin: origin, opened: EvidenceSnapshot(form), context: context)
        }
        let staleUpload = { (latest: Portfolio) in
            await conflictPage(
                latest: latest, itemID: item.id,
                draft: Draft(latest.evidenceItem(withID: item.id) ?? item, portfolio: latest),
                form: form, origin: origin,
                message: WebServices.conflictMessage(StoreError(.staleRevision, ""))
                    + " Choose the file again to upload it.",
                context: context)
        }
        guard revision == portfolio.revision else { return await staleUpload(portfolio) }
        guard portfolio.state.allowsParticipantChanges else {
            return await refuse("This portfolio is with your tutor, so nothing can be attached until it is returned to you.")
        }
        guard let file = form.file("file"), !file.data.isEmpty else {
            return await refuse("Choose a file to upload.")
        }
        let limit = services.configuration.maxUploadBytes
        guard file.data.count <= limit else {
            return await refuse(
                "The file is \(Present.sizeText(file.data.count)); attachments can be at most \(Present.limitText(limit)). Make it smaller or split it.",
                status: .contentTooLarge)
        }
        let name = (file.filename as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension.lowercased()
        guard let signature = Self.allowedTypes[ext] else {
            return await refuse("Files of this type cannot be attached. Use PDF, Word, Excel, PowerPoint, PNG, JPEG, text or CSV.")
        }
        if let signature, !file.data.starts(with: signature) {
            return await refuse("The file's contents do not match its name (.\(ext)). Check it is the file you meant.")
        }
        if signature == nil, String(data: file.data, encoding: .utf8) == nil {
            return await refuse("A .\(ext) file must be plain text (UTF-8).")
        }
        let (actor, now, rules) = (user.participant ?? user.id, services.now, services.rules)
        let attach: @Sendable (Attachment, inout Portfolio) throws(RuleError) -> Void = { attachment, p throws(RuleError) in
            guard var current = p.evidenceItem(withID: item.id) else { throw RuleError("no evidence \(item.id) in portfolio \(p.id)") }
            if current.attachments.contains(where: { $0.sha256 == attachment.sha256 }) { return }
            current.attachments.append(attachment)
            try p.replaceEvidence(current, by: actor, role: .participant, rules: rules, at: now, today: Day(now))
        }
        // Checked and held in memory: the bytes reach the store only with the change that
        // refers to them, so a refused or stale upload leaves nothing behind.
        let staged: StagedAttachment
        do { staged = try await services.store.stageAttachment(data: file.data, name: name) } catch {
            return await refuse(error.message)
        }
        do throws(RuleError) {
            var trial = portfolio
            try attach(staged.attachment, &trial)
        } catch {
            return await refuse(error.message)
        }
        do {
            try await services.update(portfolio.id, revision: revision, adding: [staged]) {
                (p: inout Portfolio) throws(RuleError) in
                try attach(staged.attachment, &p)
            }
        } catch let error as StoreError where WebServices.isStale(error) {
            return await staleUpload((try? await services.store.portfolio(portfolio.id)) ?? portfolio)
        }
        return await services.redirect(
            "/portfolios/\(portfolio.id)/evidence/\(item.id)", flash: "Attached \(name) to evidence \(item.id).", context: context)
    }
}
