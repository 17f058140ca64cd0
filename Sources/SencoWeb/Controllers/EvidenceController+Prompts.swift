import Foundation
import Hummingbird
import SencoCore

/// Reflection prompts and key-ingredient tags on the evidence form. The prompts shown are those
/// that suit the type chosen; "Show prompts for this type" posts the form back here, which
/// redraws it with the prompts and changes nothing (so what was typed is kept, with no script).
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
        return await formPage(portfolio: portfolio, item: item, draft: draft, errors: pasted, context: context)
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

    func promptValues(_ draft: Draft, portfolio: Portfolio, item: EvidenceItem?) -> [String: Any] {
        let prompts = services.schemas.prompts
        let ticked = Set(draft.ingredients)
        let impactTypes = services.rules.types.filter { $0.impact == .required }.map(\.label)
        var values: [String: Any] = [
            "baseline": draft.impact.baseline, "after": draft.impact.after, "change": draft.impact.change,
            "impactRequiredFor": impactTypes.joined(separator: " and "),
            "promptsAction": item.map { "/portfolios/\(portfolio.id)/evidence/\($0.id)/prompts" }
                ?? "/portfolios/\(portfolio.id)/evidence/new/prompts",
            "ingredients": prompts.ingredients.map {
                ["id": $0.id, "name": $0.name, "number": $0.number, "domID": "ingredient-\($0.id)", "checked": ticked.contains($0.id)]
            },
            "hasIngredients": !prompts.ingredients.isEmpty,
            "ingredientSource": prompts.ingredients.first.flatMap { prompts.source(withID: $0.source)?.title } ?? "",
        ]
        guard let type = services.rules.type(withID: draft.type) else { return values }
        let found = prompts.prompts(type: type.id)
        values["promptType"] = type.label
        values["hasPrompts"] = !found.isEmpty
        var groups: [[String: Any]] = []
        for prompt in found {
            let place = prompts.place(of: prompt)
            let row: [String: Any] = ["text": prompt.text, "label": prompt.label ?? "", "line": prompt.line]
            if var last = groups.last, last["place"] as? String == place {
                var rows = last["prompts"] as? [[String: Any]] ?? []
                rows.append(row)
                last["prompts"] = rows
                groups[groups.count - 1] = last
            } else {
                groups.append(["place": place, "stem": prompt.stem ?? "", "prompts": [row]])
            }
        }
        values["promptGroups"] = groups
        values["promptAttribution"] = prompts.attribution
        return values
    }
}
