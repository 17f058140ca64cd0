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

    public struct EvidenceType: Sendable, Hashable, Identifiable {
        public var id: String
        public var label: String
        public var description: String
        public var shows: Shows

        public init(id: String, label: String, description: String, shows: Shows) {
            self.id = id
            self.label = label
            self.description = description
            self.shows = shows
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
        guard let rule = rule(for: kind) else { return true }
        let shows = type(withID: item.type)?.shows
        let typeFits: Bool
        switch rule.wants {
        case .any: typeFits = true
        case .knowledge: typeFits = shows == .knowledge || shows == .both
        case .practice: typeFits = shows == .practice || shows == .both
        }
        guard typeFits else { return false }
        return Self.trimmedLength(of: item.reflection, atLeast: rule.minimumReflection)
    }

    /// Whether `text`, without leading and trailing whitespace, has at least `minimum` Unicode
    /// scalars. Counted in place, without copying or grapheme breaking, because coverage asks
    /// this for every item of every portfolio in a cohort.
    static func trimmedLength(of text: String, atLeast minimum: Int) -> Bool {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return minimum <= 0 }
        return scalars.distance(from: first, to: last) + 1 >= minimum
    }
}
