/// Adding or editing an evidence item: its fields, the reflection prompts for its type, the
/// baseline-and-impact pair, key ingredients, the statement picker, and (for an item already
/// saved) its attachments and removal (`evidence-form.mustache` and its partials).
struct EvidenceFormPage: PageView {
    static let template = "evidence-form"

    struct TypeOption {
        var id: String
        var label: String
        var selected: Bool
    }

    var participant: String
    var isNew: Bool
    /// The item's id, for an item already saved.
    var evidenceID: String?
    var action: String
    var csrf: String?
    var revision: Int
    /// How many log events the page was made from (`FormOrigin`).
    var logged: Int?
    /// The item's values as the page showed them, carried by each of its forms
    /// (`EvidenceSnapshot`); empty for a new item.
    var opened: [HiddenField]
    /// What changed since the form was opened, after a change refused because of it.
    var changes: ChangesView?
    /// Whether the portfolio is with the participant (else the form shows, and cannot save).
    var editable: Bool
    var today: String

    var hasErrors: Bool
    var errors: [FieldError]
    var titleError: String?
    var typeError: String?
    var dateError: String?
    var reflectionError: String?
    var statementsError: String?
    var claimError: String?
    var fileError: String?

    var title: String
    var types: [TypeOption]
    var date: String
    var reflection: String
    var sensitive: Bool
    var sections: [PickerSection]
    var claim: String
    /// The statements already ticked carry claims of their own (made on the command line); the
    /// form shows the first, and says that the others are kept unless it is changed.
    var claimsDiffer: Bool

    /// The `evidence-prompts` partial.
    var promptPanel: EvidencePrompts
    /// The `evidence-impact` partial.
    var impactFields: EvidenceImpactFields
    /// The `evidence-ingredients` partial.
    var ingredientPanel: EvidenceIngredients

    var attachments: [AttachmentLink]
    var hasAttachments: Bool
    /// The attachment limit, stated exactly.
    var limit: String?
}

/// The statement picker's sections, each a disclosure of checkboxes (`Present.picker`).
struct PickerSection {
    struct Box {
        var id: String
        var domID: String
        var text: String
        var checked: Bool
    }

    struct Group {
        var heading: String
        var statements: [Box]
    }

    var number: Int
    var title: String
    /// Open when any of its statements is ticked.
    var open: Bool
    var ticked: Int
    var learnThat: [Box]
    var groups: [Group]
}

/// Reflection prompts from the source documents for the type chosen (`evidence-prompts.mustache`).
struct EvidencePrompts {
    struct Group {
        var place: String
        var stem: String?
        var prompts: [Prompt]
    }

    struct Prompt {
        var text: String
        var label: String?
        var line: Int
    }

    /// The chosen type's name, or nil before a type is chosen.
    var promptType: String?
    var hasPrompts: Bool
    var promptGroups: [Group]
    var promptAttribution: String?
    /// Where "Show prompts for this type" posts the form.
    var promptsAction: String
}

/// The baseline-and-impact pair (`evidence-impact.mustache`).
struct EvidenceImpactFields {
    var impactRequiredFor: String
    var baseline: String
    var after: String
    var change: String
}

/// Key ingredients of effective SEN support to tag the item with (`evidence-ingredients.mustache`).
struct EvidenceIngredients {
    struct Ingredient {
        var id: String
        var domID: String
        var number: Int
        var name: String
        var checked: Bool
    }

    var hasIngredients: Bool
    var ingredientSource: String
    var ingredients: [Ingredient]
}
