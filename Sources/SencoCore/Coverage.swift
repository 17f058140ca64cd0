/// How much of a framework a portfolio evidences: per section counts, per statement evidence,
/// the gaps, and the National Award outcomes reached through the crosswalk.
public struct Coverage: Sendable, Hashable {
    public struct Count: Sendable, Hashable {
        public var total = 0
        public var evidenced = 0
        public var sufficient = 0
        public var met = 0
    }

    public struct SectionCoverage: Sendable, Hashable {
        public var number: Int
        public var title: String
        public var learnThat = Count()
        public var learnHowTo = Count()
    }

    public struct StatementCoverage: Sendable, Hashable {
        public var statement: Statement
        public var evidence: [String]
        public var sufficient: Bool
        public var status: JudgementStatus
    }

    /// A National Award outcome seen through the crosswalk. Any link with evidence makes it
    /// evidenced; only an `exact` or `partial` link whose statement is sufficiently evidenced
    /// makes it sufficient, because a `related` link points to the topic without showing the outcome.
    public struct OutcomeCoverage: Sendable, Hashable {
        /// One evidenced NPQ statement linked to the outcome.
        public struct Route: Sendable, Hashable {
            public var statement: String
            public var relation: CrosswalkRelation
            /// Whether the statement's own evidence is sufficient.
            public var statementSufficient: Bool
            /// Whether this route can make the outcome sufficient: a sufficient statement through
            /// an exact or partial link.
            public var counts: Bool { statementSufficient && relation.showsOutcome }
        }

        public var outcome: Statement
        /// The evidenced NPQ statements linked to this outcome, strongest link first.
        public var routes: [Route]
        /// Why no NPQ statement covers it, when the crosswalk says none does.
        public var noEquivalent: String?

        public init(outcome: Statement, routes: [Route], noEquivalent: String?) {
            self.outcome = outcome
            self.routes = routes
            self.noEquivalent = noEquivalent
        }

        /// The evidenced NPQ statements linked to this outcome.
        public var via: [String] { routes.map(\.statement) }
        public var evidenced: Bool { !routes.isEmpty }
        public var sufficient: Bool { routes.contains(where: \.counts) }
        /// The statements that make it sufficient.
        public var sufficientVia: [String] { routes.filter(\.counts).map(\.statement) }
        /// Evidenced only through `related` links: shown as evidenced, never as sufficient.
        public var onlyRelated: Bool { evidenced && routes.allSatisfy { $0.relation == .related } }
    }

    public struct StretchWarning: Sendable, Hashable {
        public var evidence: String
        public var statements: Int
        public var limit: Int
    }

    public var participant: String
    public var framework: String
    public var sections: [SectionCoverage]
    public var statements: [StatementCoverage]
    public var outcomes: [OutcomeCoverage]
    public var warnings: [StretchWarning]

    public var gaps: [Statement] { statements.filter { $0.evidence.isEmpty }.map(\.statement) }
    public var insufficient: [StatementCoverage] { statements.filter { !$0.evidence.isEmpty && !$0.sufficient } }
    public var total: Count {
        sections.reduce(into: Count()) { sum, section in
            for count in [section.learnThat, section.learnHowTo] {
                sum.total += count.total
                sum.evidenced += count.evidenced
                sum.sufficient += count.sufficient
                sum.met += count.met
            }
        }
    }

    /// - Parameters:
    ///   - crosswalk: links from `framework`'s statements to `award`'s outcomes, if wanted.
    public init(
        portfolio: Portfolio, framework: Framework, rules: EvidenceRules, crosswalk: Crosswalk? = nil,
        award: Framework? = nil
    ) {
        participant = portfolio.id
        self.framework = framework.id
        var byStatement: [String: [String]] = [:]
        for mapping in portfolio.mappings {
            byStatement[mapping.statement, default: []].append(mapping.evidence)
        }
        var items: [String: EvidenceItem] = [:]
        for item in portfolio.evidence { items[item.id] = item }
        var latest: [String: JudgementStatus] = [:]
        for judgement in portfolio.judgements where judgement.kind != .second {
            latest[judgement.statement] = judgement.status
        }

        var statements: [StatementCoverage] = []
        var sections: [Int: SectionCoverage] = [:]
        for section in framework.npqSections {
            sections[section.number] = SectionCoverage(number: section.number, title: section.title)
        }
        for area in framework.awardAreas {
            sections[area.number] = SectionCoverage(number: area.number, title: area.title)
        }
        // Whether an item suffices depends only on the item and the statement's kind: decide each
        // pair once, not once per mapping, and count each reflection once.
        var sufficiency: [StatementKind: [String: Bool]] = [:]
        var reflectionLengths: [String: Int] = [:]
        let longestMinimum = rules.longestMinimumReflection
        func isSufficient(_ id: String, for kind: StatementKind) -> Bool {
            if let known = sufficiency[kind]?[id] { return known }
            guard let item = items[id] else { return false }
            let length =
                reflectionLengths[id]
                ?? EvidenceRules.trimmedCharacterCount(item.reflection, upTo: longestMinimum)
            reflectionLengths[id] = length
            let answer = rules.isSufficient(item, for: kind, reflectionCharacters: length)
            sufficiency[kind, default: [:]][id] = answer
            return answer
        }
        for statement in framework.statements {
            let evidence = byStatement[statement.id] ?? []
            let sufficient = evidence.contains { id in isSufficient(id, for: statement.kind) }
            let status = latest[statement.id] ?? (evidence.isEmpty ? .notYetEvidenced : .readyForReview)
            statements.append(StatementCoverage(statement: statement, evidence: evidence, sufficient: sufficient, status: status))
            var section = sections[statement.section] ?? SectionCoverage(number: statement.section, title: "")
            func bump(_ count: inout Count) {
                count.total += 1
                if !evidence.isEmpty { count.evidenced += 1 }
                if sufficient { count.sufficient += 1 }
                if status == .met { count.met += 1 }
            }
            if statement.kind == .learnHowTo { bump(&section.learnHowTo) } else { bump(&section.learnThat) }
            sections[statement.section] = section
        }
        self.statements = statements
        self.sections = sections.values.sorted { $0.number < $1.number }

        var outcomes: [OutcomeCoverage] = []
        if let crosswalk, let award, let links = OutcomeLinks(crosswalk: crosswalk, from: framework, to: award) {
            let coverageByID = Dictionary(statements.map { ($0.statement.id, $0) }, uniquingKeysWith: { a, _ in a })
            outcomes = links.coverage { id in
                coverageByID[id].map { StatementEvidence(evidenced: !$0.evidence.isEmpty, sufficient: $0.sufficient) }
            }
        }
        self.outcomes = outcomes

        // One pass over the mappings (asking each item for its mappings would be items × mappings).
        var statementsByEvidence: [String: Set<String>] = [:]
        for mapping in portfolio.mappings { statementsByEvidence[mapping.evidence, default: []].insert(mapping.statement) }
        var warnings: [StretchWarning] = []
        for item in portfolio.evidence {
            let count = statementsByEvidence[item.id]?.count ?? 0
            if count > rules.stretchWarnAbove {
                warnings.append(StretchWarning(evidence: item.id, statements: count, limit: rules.stretchWarnAbove))
            }
        }
        self.warnings = warnings
    }
}
