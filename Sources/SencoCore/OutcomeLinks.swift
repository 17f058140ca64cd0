/// A crosswalk read once for coverage: each outcome of the award, in the award's order, with
/// the links that reach it (strongest first) and, where the crosswalk says no NPQ statement
/// covers it, why. The one rule for an outcome's coverage, used for one portfolio (`Coverage`)
/// and for a whole cohort from its summaries (`OutcomeTally`), so the two cannot disagree.
public struct OutcomeLinks: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var outcome: Statement
        public var links: [CrosswalkLink]
        public var noEquivalent: String?
    }

    public var entries: [Entry]

    /// Nil unless `crosswalk` goes from `framework` to `award`.
    public init?(crosswalk: Crosswalk, from framework: Framework, to award: Framework) {
        guard crosswalk.from == framework.id, crosswalk.to == award.id else { return nil }
        var byOutcome: [String: [CrosswalkLink]] = [:]
        for link in crosswalk.links { byOutcome[link.outcome, default: []].append(link) }
        var gaps: [String: String] = [:]
        for gap in crosswalk.noEquivalent where gaps[gap.outcome] == nil { gaps[gap.outcome] = gap.reason }
        entries = award.statements.map { outcome in
            // The order of `Crosswalk.links(toOutcome:)`: strongest first.
            let links = (byOutcome[outcome.id] ?? []).sorted { $0.relation.strength > $1.relation.strength }
            return Entry(outcome: outcome, links: links, noEquivalent: gaps[outcome.id])
        }
    }

    /// Every outcome's coverage, given what is known of each NPQ statement (nil: nothing).
    /// An outcome is reached through each link whose statement has evidence; it is sufficient
    /// only through an `exact` or `partial` link to a sufficiently evidenced statement.
    public func coverage(_ evidence: (String) -> Coverage.StatementEvidence?) -> [Coverage.OutcomeCoverage] {
        entries.map { entry in
            let routes = entry.links.compactMap { link -> Coverage.OutcomeCoverage.Route? in
                guard let known = evidence(link.statement), known.evidenced else { return nil }
                return Coverage.OutcomeCoverage.Route(
                    statement: link.statement, relation: link.relation, statementSufficient: known.sufficient)
            }
            return Coverage.OutcomeCoverage(outcome: entry.outcome, routes: routes, noEquivalent: entry.noEquivalent)
        }
    }
}

extension Coverage {
    /// What an outcome's coverage needs to know of one NPQ statement.
    public struct StatementEvidence: Sendable, Hashable {
        public var evidenced: Bool
        public var sufficient: Bool

        public init(evidenced: Bool, sufficient: Bool) {
            self.evidenced = evidenced
            self.sufficient = sufficient
        }
    }
}

extension Coverage.OutcomeCoverage {
    /// Where an outcome stands, one of five, in the order `senco coverage` lists them.
    public enum Standing: String, Sendable, Hashable, CaseIterable {
        /// An exact or partial link reaches it from a sufficiently evidenced statement.
        case sufficient
        /// Reached through an exact or partial link, but that statement's evidence is not yet sufficient.
        case notYetSufficient = "not-yet-sufficient"
        /// Reached only through `related` links, which point to its topic without showing it.
        case onlyRelated = "only-related"
        /// No evidenced statement links to it yet.
        case notReached = "not-reached"
        /// The crosswalk says no NPQ statement covers it, and nothing reaches it.
        case noEquivalent = "no-equivalent"
    }

    public var standing: Standing {
        if sufficient { return .sufficient }
        if onlyRelated { return .onlyRelated }
        if evidenced { return .notYetSufficient }
        return noEquivalent == nil ? .notReached : .noEquivalent
    }
}
