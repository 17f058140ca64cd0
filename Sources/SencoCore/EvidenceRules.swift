import Foundation

/// The evidence types and the sufficiency rules coverage applies: data from
/// `Portfolios/evidence-rules.xml`, so providers can change them without code.
public struct EvidenceRules: Sendable, Hashable {
    public enum Shows: String, Sendable, Hashable, CaseIterable {
        case knowledge, practice, both
    }

    public enum Wants: String, Sendable, Hashable, CaseIterable {
        case knowledge, practice, any
    }

    /// Whether a type records a baseline-and-impact pair (`ImpactRecord`), and whether its
    /// items need a complete one to be sufficient.
    public enum Impact: String, Sendable, Hashable, CaseIterable {
        case none, optional, required
    }

    public struct EvidenceType: Sendable, Hashable, Identifiable {
        public var id: String
        public var label: String
        public var description: String
        public var shows: Shows
        public var impact: Impact

        public init(id: String, label: String, description: String, shows: Shows, impact: Impact = .none) {
            self.id = id
            self.label = label
            self.description = description
            self.shows = shows
            self.impact = impact
        }
    }

    public struct Sufficiency: Sendable, Hashable {
        public var statementKind: StatementKind
        public var wants: Wants
        public var minimumReflection: Int
        public var explanation: String

        public init(statementKind: StatementKind, wants: Wants, minimumReflection: Int, explanation: String) {
            self.statementKind = statementKind
            self.wants = wants
            self.minimumReflection = minimumReflection
            self.explanation = explanation
        }
    }

    public var types: [EvidenceType]
    public var sufficiency: [Sufficiency]
    /// Warn when one item is mapped to more statements than this.
    public var stretchWarnAbove: Int
    public var stretchExplanation: String

    public init(types: [EvidenceType], sufficiency: [Sufficiency], stretchWarnAbove: Int, stretchExplanation: String) {
        self.types = types
        self.sufficiency = sufficiency
        self.stretchWarnAbove = stretchWarnAbove
        self.stretchExplanation = stretchExplanation
    }

    public func type(withID id: String) -> EvidenceType? {
        types.first { $0.id == id }
    }

    public func rule(for kind: StatementKind) -> Sufficiency? {
        sufficiency.first { $0.statementKind == kind }
    }

    /// Whether `item` is enough, on its own, to show a statement of this kind.
    public func isSufficient(_ item: EvidenceItem, for kind: StatementKind) -> Bool {
        isSufficient(
            item, for: kind,
            reflectionCharacters: Self.trimmedCharacterCount(item.reflection, upTo: rule(for: kind)?.minimumReflection ?? 0))
    }

    /// As `isSufficient(_:for:)`, given the item's reflection length as
    /// `trimmedCharacterCount(item.reflection, upTo: n)` for any `n` at least this kind's minimum
    /// (`longestMinimumReflection` serves every kind), so a caller asking about several kinds
    /// counts each reflection once.
    public func isSufficient(_ item: EvidenceItem, for kind: StatementKind, reflectionCharacters: Int) -> Bool {
        let itemType = type(withID: item.type)
        // A type that requires a baseline-and-impact pair is never sufficient without a complete one.
        if itemType?.impact == .required && !(item.impact?.isComplete ?? false) { return false }
        guard let rule = rule(for: kind) else { return true }
        let shows = itemType?.shows
        let typeFits: Bool
        switch rule.wants {
        case .any: typeFits = true
        case .knowledge: typeFits = shows == .knowledge || shows == .both
        case .practice: typeFits = shows == .practice || shows == .both
        }
        return typeFits && reflectionCharacters >= rule.minimumReflection
    }

    /// The largest minimum reflection length of any rule.
    public var longestMinimumReflection: Int {
        sufficiency.map(\.minimumReflection).max() ?? 0
    }

    /// `min(limit, text.trimmingCharacters(in: .whitespacesAndNewlines).count)`, without copying
    /// the text or counting past `limit` (coverage asks this of every item of every portfolio, and
    /// reflections run to thousands of characters).
    public static func trimmedCharacterCount(_ text: String, upTo limit: Int) -> Int {
        guard limit > 0 else { return 0 }
        let scalars = text.unicodeScalars
        let whitespace = CharacterSet.whitespacesAndNewlines
        guard let first = scalars.firstIndex(where: { !whitespace.contains($0) }),
            let last = scalars.lastIndex(where: { !whitespace.contains($0) })
        else { return 0 }
        func count(_ characters: String) -> Int {
            var count = 0
            for _ in characters {
                count += 1
                if count >= limit { break }
            }
            return count
        }
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return count(text) }
        return count(String(scalars[first...last]))
    }
}
