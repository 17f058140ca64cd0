import Foundation

/// A recorded moderation sample for a cohort.
public struct ModerationPlan: Sendable, Hashable, Identifiable {
    public struct Entry: Sendable, Hashable {
        public var participant: String
        public var tutor: String
        /// The share of the participant's judged statements that were not met or partially met.
        public var borderline: Double
        public var moderator: String?

        public init(participant: String, tutor: String, borderline: Double, moderator: String? = nil) {
            self.participant = participant
            self.tutor = tutor
            self.borderline = borderline
            self.moderator = moderator
        }
    }

    public var id: String
    public var cohort: String
    public var rate: Int
    public var minimumPerTutor: Int
    public var seed: UInt64
    public var created: Date
    public var createdBy: String
    public var entries: [Entry]

    public init(
        id: String, cohort: String, rate: Int, minimumPerTutor: Int, seed: UInt64, created: Date, createdBy: String,
        entries: [Entry]
    ) {
        self.id = id
        self.cohort = cohort
        self.rate = rate
        self.minimumPerTutor = minimumPerTutor
        self.seed = seed
        self.created = created
        self.createdBy = createdBy
        self.entries = entries
    }

    public func contains(_ participant: String) -> Bool {
        entries.contains { $0.participant == participant }
    }
}

/// Choosing, second-marking and reconciling a moderation sample, and reporting agreement.
public enum Moderation {
    /// Portfolios that can be moderated: judged at least once and not withdrawn.
    public static func isEligible(_ portfolio: Portfolio) -> Bool {
        portfolio.state != .withdrawn && portfolio.judgements.contains { $0.kind == .first }
    }

    /// The share of a portfolio's currently judged statements that are not met or partially met.
    public static func borderline(_ portfolio: Portfolio) -> Double {
        let judged = Set(portfolio.judgements.filter { $0.kind == .first }.map(\.statement))
        guard !judged.isEmpty else { return 0 }
        let weak = judged.filter {
            let status = portfolio.status(of: $0)
            return status == .notMet || status == .partiallyMet
        }
        return Double(weak.count) / Double(judged.count)
    }

    /// What drawing a sample needs to know of one portfolio, so a cohort can be sampled without
    /// holding every portfolio in memory.
    public struct Candidate: Sendable, Hashable {
        public var participant: String
        public var tutor: String
        public var eligible: Bool
        public var borderline: Double

        public init(_ portfolio: Portfolio) {
            participant = portfolio.id
            tutor = portfolio.participant.tutor
            eligible = Moderation.isEligible(portfolio)
            borderline = Moderation.borderline(portfolio)
        }
    }

    /// Draws a sample stratified by tutor: from each tutor's eligible portfolios, at least
    /// `minimumPerTutor` and at least `rate`% (rounded up), chosen without replacement with weights
    /// that favour borderline portfolios (weight 1 + 4 × borderline share), reproducibly from `seed`.
    public static func plan(
        id: String, cohort: String, portfolios: [Portfolio], rate: Int, minimumPerTutor: Int, seed: UInt64,
        by actor: String, at now: Date
    ) throws(RuleError) -> ModerationPlan {
        try plan(
            id: id, cohort: cohort, candidates: portfolios.map(Candidate.init), rate: rate, minimumPerTutor: minimumPerTutor,
            seed: seed, by: actor, at: now)
    }

    /// `plan(…portfolios:…)` from each portfolio's `Candidate`.
    public static func plan(
        id: String, cohort: String, candidates: [Candidate], rate: Int, minimumPerTutor: Int, seed: UInt64,
        by actor: String, at now: Date
    ) throws(RuleError) -> ModerationPlan {
        guard (1...100).contains(rate) else { throw RuleError("--rate \(rate) is outside 1–100 (a percentage)") }
        guard minimumPerTutor >= 0 else { throw RuleError("--min-per-tutor cannot be negative") }
        let eligible = candidates.filter(\.eligible)
        guard !eligible.isEmpty else {
            throw RuleError("cohort \(cohort) has no judged portfolios to sample yet")
        }
        var generator = SeededRandom(seed: seed)
        var entries: [ModerationPlan.Entry] = []
        let byTutor = Dictionary(grouping: eligible, by: \.tutor)
        for tutor in byTutor.keys.sorted() {
            var pool = (byTutor[tutor] ?? []).sorted { $0.participant < $1.participant }
            let wanted = min(pool.count, max(minimumPerTutor, Int((Double(pool.count) * Double(rate) / 100).rounded(.up))))
            for _ in 0..<wanted {
                let weights = pool.map { 1 + 4 * $0.borderline }
                let total = weights.reduce(0, +)
                var pick = Double.random(in: 0..<total, using: &generator)
                var index = 0
                while index < weights.count - 1 && pick >= weights[index] {
                    pick -= weights[index]
                    index += 1
                }
                let chosen = pool.remove(at: index)
                entries.append(.init(participant: chosen.participant, tutor: tutor, borderline: chosen.borderline))
            }
        }
        return ModerationPlan(
            id: id, cohort: cohort, rate: rate, minimumPerTutor: minimumPerTutor, seed: seed, created: now,
            createdBy: actor, entries: entries)
    }
}

extension Portfolio {
    /// A moderator's blind second mark. The moderator must not be the first marker of the
    /// statement or the participant's tutor, and the statement must have a first mark.
    public mutating func secondMark(
        statement statementID: String, status: JudgementStatus, feedback: String, moderator: String,
        frameworks: [Framework], at now: Date
    ) throws(RuleError) {
        if state == .withdrawn { throw RuleError("portfolio \(id) is withdrawn") }
        try requireStatement(statementID, frameworks: frameworks)
        if let problem = Identifier.problem(with: moderator, what: "moderator") { throw RuleError(problem) }
        let firsts = judgements.filter { $0.statement == statementID && $0.kind == .first }
        guard let first = firsts.last else {
            throw RuleError("\(statementID) has no first mark yet; a second mark needs one to moderate")
        }
        if firsts.contains(where: { $0.by == moderator }) || moderator == participant.tutor {
            throw RuleError("\(moderator) made the first mark for \(id); a second marker must be someone else")
        }
        _ = first
        log.append(
            .judgement(Judgement(at: now, by: moderator, role: .moderator, statement: statementID, status: status, kind: .second, feedback: feedback)))
    }

    /// Records the outcome first and second marker agreed; it becomes the statement's status.
    public mutating func reconcile(
        statement statementID: String, status: JudgementStatus, note: String, by actor: String, role: Role,
        frameworks: [Framework], at now: Date
    ) throws(RuleError) {
        try requireStatement(statementID, frameworks: frameworks)
        guard judgements.contains(where: { $0.statement == statementID && $0.kind == .second }) else {
            throw RuleError("\(statementID) has no second mark; there is nothing to reconcile")
        }
        if note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw RuleError("a reconciliation needs a note recording how the markers agreed")
        }
        log.append(
            .judgement(Judgement(at: now, by: actor, role: role, statement: statementID, status: status, kind: .agreed, feedback: note)))
    }

    /// The first mark as it stood before the latest second mark, the second mark, and any agreed
    /// outcome, for each statement that has been second-marked.
    public var doubleMarks: [(statement: String, first: Judgement, second: Judgement, agreed: Judgement?)] {
        var result: [(String, Judgement, Judgement, Judgement?)] = []
        let statements = Set(judgements.filter { $0.kind == .second }.map(\.statement))
        for statement in statements.sorted() {
            let events = judgements.filter { $0.statement == statement }
            guard let secondIndex = events.lastIndex(where: { $0.kind == .second }),
                let first = events[..<secondIndex].last(where: { $0.kind == .first }) ?? events.last(where: { $0.kind == .first })
            else { continue }
            let agreed = events[secondIndex...].last { $0.kind == .agreed }
            result.append((statement, first, events[secondIndex], agreed))
        }
        return result
    }
}

/// Agreement between first and second markers, per tutor.
public struct ModerationReport: Sendable, Hashable {
    public struct Disagreement: Sendable, Hashable {
        public var participant: String
        public var statement: String
        public var first: JudgementStatus
        public var second: JudgementStatus
        public var agreed: JudgementStatus?
        public var note: String?
    }

    public struct TutorAgreement: Sendable, Hashable {
        public var tutor: String
        public var portfoliosSampled: Int
        public var statementsDoubleMarked: Int
        public var agreements: Int
        /// nil when nothing has been double-marked yet.
        public var percentAgreement: Double?
        /// Cohen's kappa over the judgement statuses; nil when undefined (no marks, or both
        /// markers used a single category throughout, which leaves chance agreement at 1).
        public var kappa: Double?
        public var disagreements: [Disagreement]
    }

    public var plan: String
    public var cohort: String
    public var tutors: [TutorAgreement]
    public var overall: TutorAgreement

    public init(plan: ModerationPlan, portfolios: [Portfolio]) {
        self.plan = plan.id
        cohort = plan.cohort
        let byID = Dictionary(portfolios.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var all: [(String, [(String, Judgement, Judgement, Judgement?)])] = []
        for entry in plan.entries {
            guard let portfolio = byID[entry.participant] else { continue }
            all.append((entry.tutor, portfolio.doubleMarks.map { (entry.participant, $0.first, $0.second, $0.agreed) }))
        }
        func summarise(_ tutor: String, _ items: [(String, [(String, Judgement, Judgement, Judgement?)])]) -> TutorAgreement {
            let pairs = items.flatMap { $0.1 }
            let agreements = pairs.filter { $0.1.status == $0.2.status }.count
            let disagreements = pairs.filter { $0.1.status != $0.2.status }.map {
                Disagreement(participant: $0.0, statement: $0.1.statement, first: $0.1.status, second: $0.2.status, agreed: $0.3?.status, note: $0.3?.feedback)
            }
            return TutorAgreement(
                tutor: tutor, portfoliosSampled: items.count, statementsDoubleMarked: pairs.count, agreements: agreements,
                percentAgreement: pairs.isEmpty ? nil : 100 * Double(agreements) / Double(pairs.count),
                kappa: Self.kappa(pairs.map { ($0.1.status, $0.2.status) }), disagreements: disagreements)
        }
        let grouped = Dictionary(grouping: all, by: \.0)
        tutors = grouped.keys.sorted().map { summarise($0, grouped[$0] ?? []) }
        overall = summarise("all tutors", all)
    }

    /// Cohen's kappa for two raters over the same items.
    public static func kappa(_ pairs: [(JudgementStatus, JudgementStatus)]) -> Double? {
        guard !pairs.isEmpty else { return nil }
        let n = Double(pairs.count)
        let observed = Double(pairs.filter { $0.0 == $0.1 }.count) / n
        var expected = 0.0
        for category in JudgementStatus.allCases {
            let first = Double(pairs.filter { $0.0 == category }.count) / n
            let second = Double(pairs.filter { $0.1 == category }.count) / n
            expected += first * second
        }
        guard expected < 1 else { return nil }
        return (observed - expected) / (1 - expected)
    }
}
