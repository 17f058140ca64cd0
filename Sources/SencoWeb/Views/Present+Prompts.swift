import SencoCore

extension Present {
    /// The names of the key ingredients an item is tagged with, in the prompts file's order; an
    /// id the file no longer has is shown as it is stored.
    static func ingredientNames(_ item: EvidenceItem, prompts: ReflectionPrompts) -> [String] {
        item.ingredients.map { id in prompts.ingredient(withID: id).map { "\($0.number). \($0.name)" } ?? id }
    }
}
