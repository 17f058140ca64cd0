import Foundation
import SencoCore
import SencoStore

/// The values an evidence item's page showed when it was opened, as the item's forms carry them
/// back in hidden fields (`opened-title`…), so that a change refused because the item changed
/// meanwhile can say which fields changed, from what to what.
///
/// A value longer than `copyLimit` bytes travels as its SHA-256 (`opened-reflection-sha256`)
/// instead: a form may be at most 64 KB, and a second copy of a long reflection would halve what
/// can be typed. Such a field is still found to have changed, and its new value shown.
struct EvidenceSnapshot: Equatable {
    static let copyLimit = 2_000

    /// The fields, in the order of the form, with the words the form uses for them.
    static let fields: [(key: String, label: String)] = [
        ("title", "Title"), ("type", "Type of evidence"), ("date", "Date it happened"), ("reflection", "Reflection"),
        ("baseline", "Measure before (baseline)"), ("after", "Measure after"), ("change", "What changed"),
        ("ingredients", "Key ingredients of effective SEN support"),
        ("sensitive", "Holds pupil or other sensitive data"),
        ("statements", "Statements this evidence shows"), ("claim", "How the evidence shows the ticked statements"),
        ("attachments", "Attachments"),
    ]

    /// A value: itself and its digest, or (carried back from a form, when long) only its digest.
    struct Value: Equatable {
        var text: String?
        var digest: String

        init(_ text: String) {
            digest = SecureToken.sha256(Data(text.utf8))
            self.text = text
        }

        init(digest: String) {
            self.text = nil
            self.digest = digest
        }
    }

    var values: [String: Value]

    /// The values of `item` as stored in `portfolio`, as its page shows them.
    init(_ item: EvidenceItem, in portfolio: Portfolio, rules: EvidenceRules, prompts: ReflectionPrompts) {
        let mappings = portfolio.mappings(forEvidence: item.id)
        let shown: [String: String] = [
            "title": item.title, "type": rules.type(withID: item.type)?.label ?? item.type,
            "date": item.date.description,
            "reflection": item.reflection, "baseline": item.impact?.baseline ?? "", "after": item.impact?.after ?? "",
            "change": item.impact?.change ?? "",
            "ingredients": Present.ingredientNames(item, prompts: prompts).joined(separator: "; "),
            "sensitive": item.sensitive ? "yes" : "no", "statements": mappings.map(\.statement).joined(separator: ", "),
            "claim": mappings.first?.claim ?? "", "attachments": item.attachments.map(\.name).joined(separator: ", "),
        ]
        values = shown.mapValues { Value($0) }
    }

    /// The values a posted form carries; nil when it carries none (a form made before forms did).
    init?(_ form: FormData) {
        var values: [String: Value] = [:]
        for (key, _) in Self.fields {
            if form.has("opened-\(key)") {
                values[key] = Value(form["opened-\(key)"])
            } else if form.has("opened-\(key)-sha256") {
                values[key] = Value(digest: form["opened-\(key)-sha256"])
            }
        }
        guard values.count == Self.fields.count else { return nil }
        self.values = values
    }

    /// The hidden fields that carry these values in a form.
    var hidden: [HiddenField] {
        Self.fields.compactMap { key, _ in
            guard let value = values[key] else { return nil }
            if let text = value.text, text.utf8.count <= Self.copyLimit {
                return HiddenField(name: "opened-\(key)", value: text)
            }
            return HiddenField(name: "opened-\(key)-sha256", value: value.digest)
        }
    }

    /// Each field whose value here (when the form was opened) is not its value `now`.
    func differences(to now: EvidenceSnapshot) -> [ChangesView.Field] {
        Self.fields.compactMap { key, label in
            guard let was = values[key], let current = now.values[key], was.digest != current.digest else { return nil }
            return ChangesView.Field(
                label: label, was: was.text.map(Self.shown),
                wasNote: was.text == nil ? "Changed since you opened the page (too long to repeat here)." : nil,
                now: Self.shown(current.text ?? ""))
        }
    }

    /// An empty value, said in words.
    private static func shown(_ text: String) -> String {
        text.isEmpty ? "(nothing)" : text
    }
}

/// A hidden input of a form.
struct HiddenField {
    var name: String
    var value: String
}
