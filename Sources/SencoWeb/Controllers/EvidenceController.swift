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

    private func ownPortfolio(_ context: WebContext) throws -> (SignedInUser, Portfolio) {
        let user = try context.requireUser()
        let id = try context.parameters.require("participant")
        guard Identifier.isValid(id) else { throw WebError.notFound }
        guard Access.canEdit(user, id) else { throw WebError.forbidden }
        return (user, try services.store.portfolio(id))
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

        init(_ form: FormData) {
            title = form["title"].trimmingCharacters(in: .whitespacesAndNewlines)
            type = form["type"]
            date = form["date"].trimmingCharacters(in: .whitespaces)
            reflection = form["reflection"]
            sensitive = form["sensitive"] == "yes"
            statements = form.values("statement")
            claim = form["claim"].trimmingCharacters(in: .whitespacesAndNewlines)
            ingredients = form.values("ingredient")
            impact = ImpactRecord(baseline: form["baseline"], after: form["after"], change: form["change"])
        }
    }

    /// Field errors keyed by the field's id; "" for errors about the whole form.
    typealias Errors = [(field: String, message: String)]

    func formPage(
        portfolio: Portfolio, item: EvidenceItem?, draft: Draft, errors: Errors, status: HTTPResponse.Status = .ok,
        context: WebContext
    ) async -> Response {
        func error(_ field: String) -> String? { errors.first { $0.field == field }?.message }
        var values: [String: Any] = [
            "participant": portfolio.id, "revision": portfolio.revision, "isNew": item == nil,
            "action": item.map { "/portfolios/\(portfolio.id)/evidence/\($0.id)" } ?? "/portfolios/\(portfolio.id)/evidence",
            "title": draft.title, "date": draft.date, "reflection": draft.reflection, "sensitive": draft.sensitive,
            "claim": draft.claim, "today": Day(services.now).description,
            "types": services.rules.types.map { ["id": $0.id, "label": $0.label, "selected": $0.id == draft.type] },
            "sections": Present.picker(services.npq, checked: Set(draft.statements)),
            "editable": portfolio.state.allowsParticipantChanges,
        ]
        values.merge(promptValues(draft, portfolio: portfolio, item: item)) { _, new in new }
        if let item {
            values["evidenceID"] = item.id
            values["attachments"] = item.attachments.map { ["name": $0.name, "sha256": $0.sha256, "size": Present.sizeText($0.size)] }
            values["hasAttachments"] = !item.attachments.isEmpty
            values["limit"] = Present.sizeText(services.configuration.maxUploadBytes)
        }
        if !errors.isEmpty {
            values["hasErrors"] = true
            values["errors"] = errors.map { ["field": $0.field.isEmpty ? "evidence-form" : $0.field, "message": $0.message] }
            for field in ["title", "type", "date", "reflection", "statements", "claim", "file"] {
                if let message = error(field) { values["\(field)Error"] = message }
            }
        }
        let heading = item == nil ? "Add evidence" : "Edit evidence \(item!.id)"
        return services.views.page(
            "evidence-form", title: errors.isEmpty ? heading : "Error: \(heading)", status: status, context: values,
            chrome: await services.chrome(context, current: item == nil ? "/portfolios/\(portfolio.id)/evidence/new" : ""))
    }

    func newForm(_ request: Request, context: WebContext) async throws -> Response {
        let (_, portfolio) = try ownPortfolio(context)
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
        let (_, portfolio) = try ownPortfolio(context)
        let item = try item(portfolio, context)
        return await formPage(portfolio: portfolio, item: item, draft: Draft(item, portfolio: portfolio), errors: [], context: context)
    }

    /// Checks what the rules cannot see (a date that parses, a claim when statements are ticked)
    /// and returns the errors a person can fix, each linked to its field.
    private func check(_ draft: Draft) -> (Day?, Errors) {
        var errors: Errors = []
        if draft.title.isEmpty { errors.append(("title", "Enter a title for the evidence.")) }
        if services.rules.type(withID: draft.type) == nil { errors.append(("type", "Choose the type of evidence.")) }
        let day = Day(draft.date)
        if day == nil { errors.append(("date", "Enter a real date, for example 12 October 2026.")) }
        if !draft.statements.isEmpty && draft.claim.isEmpty {
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
        let (user, portfolio) = try ownPortfolio(context)
        let form = context.form ?? FormData()
        guard let revision = Int(form["revision"]) else { throw WebError.badForm }
        let current = try existing.map { id -> EvidenceItem in
            guard let item = portfolio.evidenceItem(withID: id) else { throw WebError.notFound }
            return item
        }
        let draft = Draft(form)
        let (day, errors) = check(draft)
        guard let day, errors.isEmpty else {
            return await formPage(portfolio: portfolio, item: current, draft: draft, errors: errors, status: .unprocessableContent, context: context)
        }
        let now = services.now
        let actor = user.participant ?? user.id
        let frameworks = services.library.frameworks
        let rules = services.rules
        var savedID = existing ?? ""
        do {
            try services.update(portfolio.id, revision: revision) { (p: inout Portfolio) throws(RuleError) in
                let id = existing ?? p.nextEvidenceID()
                savedID = id
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
                // Unmap what was unticked, and what is kept with a changed claim (it is mapped again below).
                let drop = mapped.filter { !wanted.contains($0.statement) || $0.claim != draft.claim }.map(\.statement)
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
                status: .unprocessableContent, context: context)
        } catch let error as StoreError where error.code == .staleRevision || error.code == .busy {
            let latest = (try? services.store.portfolio(portfolio.id)) ?? portfolio
            return await formPage(
                portfolio: latest, item: current.flatMap { latest.evidenceItem(withID: $0.id) } ?? current, draft: draft,
                errors: [("", WebError.from(error).message + " Your text is still in the form below.")],
                status: .conflict, context: context)
        }
        let verb = existing == nil ? "added" : "saved"
        return await services.redirect(
            "/portfolios/\(portfolio.id)", flash: "Evidence \(savedID) \(verb).", context: context)
    }

    func remove(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try ownPortfolio(context)
        let item = try item(portfolio, context)
        guard let revision = Int((context.form ?? FormData())["revision"]) else { throw WebError.badForm }
        try services.update(portfolio.id, revision: revision) { (p: inout Portfolio) throws(RuleError) in
            try p.removeEvidence(item.id, by: user.participant ?? user.id, role: .participant, at: services.now)
        }
        return await services.redirect("/portfolios/\(portfolio.id)", flash: "Evidence \(item.id) removed.", context: context)
    }

    func upload(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try ownPortfolio(context)
        let item = try item(portfolio, context)
        let form = context.form ?? FormData()
        guard let revision = Int(form["revision"]) else { throw WebError.badForm }
        func refuse(_ message: String) async -> Response {
            var errors: Errors = [("file", message)]
            if portfolio.revision != revision { errors = [("file", message)] }
            return await formPage(
                portfolio: portfolio, item: item, draft: Draft(item, portfolio: portfolio), errors: errors,
                status: .unprocessableContent, context: context)
        }
        guard let file = form.file("file"), !file.data.isEmpty else {
            return await refuse("Choose a file to upload.")
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
        let attachment = try services.store.storeAttachment(data: file.data, name: name)
        try services.update(portfolio.id, revision: revision) { (p: inout Portfolio) throws(RuleError) in
            guard var current = p.evidenceItem(withID: item.id) else { throw RuleError("no evidence \(item.id) in portfolio \(p.id)") }
            if current.attachments.contains(where: { $0.sha256 == attachment.sha256 }) { return }
            current.attachments.append(attachment)
            try p.replaceEvidence(current, by: user.participant ?? user.id, role: .participant, rules: services.rules, at: services.now, today: Day(services.now))
        }
        return await services.redirect(
            "/portfolios/\(portfolio.id)/evidence/\(item.id)", flash: "Attached \(name) to evidence \(item.id).", context: context)
    }
}
