/// How closely an NPQ statement matches a National Award outcome.
public enum CrosswalkRelation: String, Sendable, Hashable, CaseIterable, Codable {
    case exact, partial, related
}

public struct CrosswalkLink: Sendable, Hashable {
    /// The NPQ statement id.
    public var statement: String
    /// The National Award outcome id.
    public var outcome: String
    public var relation: CrosswalkRelation
    public var rationale: String
    public var line: Int

    public init(statement: String, outcome: String, relation: CrosswalkRelation, rationale: String, line: Int = 0) {
        self.statement = statement
        self.outcome = outcome
        self.relation = relation
        self.rationale = rationale
        self.line = line
    }
}

public struct CrosswalkGap: Sendable, Hashable {
    public var outcome: String
    public var reason: String
    public var line: Int

    public init(outcome: String, reason: String, line: Int = 0) {
        self.outcome = outcome
        self.reason = reason
        self.line = line
    }
}

/// Links between the statements of one framework (`from`) and the outcomes of another (`to`).
public struct Crosswalk: Sendable, Hashable {
    public var id: String
    public var from: String
    public var to: String
    public var version: String
    public var title: String
    public var note: String?
    public var links: [CrosswalkLink]
    public var noEquivalent: [CrosswalkGap]

    public init(
        id: String, from: String, to: String, version: String, title: String, note: String?, links: [CrosswalkLink],
        noEquivalent: [CrosswalkGap]
    ) {
        self.id = id
        self.from = from
        self.to = to
        self.version = version
        self.title = title
        self.note = note
        self.links = links
        self.noEquivalent = noEquivalent
    }

    /// Links from a `from` statement, strongest relation first.
    public func links(fromStatement id: String) -> [CrosswalkLink] {
        links.filter { $0.statement == id }.sorted { $0.relation.strength > $1.relation.strength }
    }

    /// Links to a `to` outcome, strongest relation first.
    public func links(toOutcome id: String) -> [CrosswalkLink] {
        links.filter { $0.outcome == id }.sorted { $0.relation.strength > $1.relation.strength }
    }

    public func gap(forOutcome id: String) -> CrosswalkGap? {
        noEquivalent.first { $0.outcome == id }
    }
}

extension CrosswalkRelation {
    /// Whether evidence through a link of this relation can show the outcome itself (`exact`,
    /// `partial`), rather than only point to its topic (`related`).
    public var showsOutcome: Bool { self != .related }

    var strength: Int {
        switch self {
        case .exact: 3
        case .partial: 2
        case .related: 1
        }
    }
}
