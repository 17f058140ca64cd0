import Foundation
import Hummingbird
import SencoCore

/// Reflection prompts and key-ingredient tags on the evidence form. The prompts shown are those
/// that suit the type chosen; "Show prompts for this type" posts the form back here, which
/// redraws it with the prompts and changes nothing (so what was typed is kept, with no script,
/// and the form still names the version of the portfolio it was opened at).
extension EvidenceController {
    func addPromptRoutes(to group: RouterGroup<WebContext>) {
        group.post("/portfolios/:participant/evidence/new/prompts", use: showPrompts)
        group.post("/portfolios/:participant/evidence/:evidence/prompts", use: showPrompts)
    }

    func showPrompts(_ request: Request, context: WebContext) async throws -> Response {
        // The same checks, in the same order, as the controller's own forms: who, then the body, then the store.
        let user = try context.requireUser()
        guard user.role == .participant else { throw WebError.forbidden }
        let id = try context.parameters.require("participant")
        guard Identifier.isValid(id), Access.canEdit(user, id) else { throw WebError.notFound }
        let form = try await services.form(request, context: context)
        let portfolio = try await services.store.portfolio(id)
        let item = try context.parameters.get("evidence").map { evidenceID -> EvidenceItem in
            guard let item = portfolio.evidenceItem(withID: evidenceID) else { throw WebError.notFound }
            return item
        }
        var pasted: Errors = []
        let draft = Draft(form, errors: &pasted)
        // The form still names the version it was opened at: redrawing it is not reading the
        // latest one (that would let the next save overwrite a change nobody has seen).
        return await formPage(
            portfolio: portfolio, item: item, draft: draft, errors: pasted, origin: try FormOrigin.posted(form),
            opened: EvidenceSnapshot(form), context: context)
    }

    /// Only the ingredient ids the prompts file knows, each once, in the file's order.
    func knownIngredients(_ ids: [String]) -> [String] {
        let wanted = Set(ids)
        return services.schemas.prompts.ingredients.map(\.id).filter { wanted.contains($0) }
    }

    /// The baseline-and-impact pair to store: nil when all three parts are blank.
    func recordedImpact(_ draft: Draft) -> ImpactRecord? {
        let impact = draft.impact
        let blank = [impact.baseline, impact.after, impact.change].allSatisfy {
            $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        return blank ? nil : impact
    }

    /// The prompts that suit the type chosen, grouped by the place in their document.
    func promptPanel(_ draft: Draft, portfolio: Portfolio, item: EvidenceItem?) -> EvidencePrompts {
        let prompts = services.schemas.prompts
        var panel = EvidencePrompts(
            promptType: nil, hasPrompts: false, promptGroups: [], promptAttribution: nil,
            promptsAction: item.map { "/portfolios/\(portfolio.id)/evidence/\($0.id)/prompts" }
                ?? "/portfolios/\(portfolio.id)/evidence/new/prompts")
        guard let type = services.rules.type(withID: draft.type) else { return panel }
        let found = prompts.prompts(type: type.id)
        panel.promptType = type.label
        panel.hasPrompts = !found.isEmpty
        for prompt in found {
            let place = prompts.place(of: prompt)
            let row = EvidencePrompts.Prompt(
                text: prompt.text, label: prompt.label.flatMap { $0.isEmpty ? nil : $0 }, line: prompt.line)
            if panel.promptGroups.last?.place == place {
                panel.promptGroups[panel.promptGroups.count - 1].prompts.append(row)
            } else {
                panel.promptGroups.append(
                    EvidencePrompts.Group(
                        place: place, stem: prompt.stem.flatMap { $0.isEmpty ? nil : $0 }, prompts: [row]))
            }
        }
        panel.promptAttribution = prompts.attribution
        return panel
    }

    func impactFields(_ draft: Draft) -> EvidenceImpactFields {
        EvidenceImpactFields(
            impactRequiredFor: services.rules.types.filter { $0.impact == .required }.map(\.label).joined(
                separator: " and "),
            baseline: draft.impact.baseline, after: draft.impact.after, change: draft.impact.change)
    }

    func ingredientPanel(_ draft: Draft) -> EvidenceIngredients {
        let prompts = services.schemas.prompts
        let ticked = Set(draft.ingredients)
        return EvidenceIngredients(
            hasIngredients: !prompts.ingredients.isEmpty,
            ingredientSource: prompts.ingredients.first.flatMap { prompts.source(withID: $0.source)?.title } ?? "",
            ingredients: prompts.ingredients.map {
                EvidenceIngredients.Ingredient(
                    id: $0.id, domID: "ingredient-\($0.id)", number: $0.number, name: $0.name,
                    checked: ticked.contains($0.id))
            })
    }
}
