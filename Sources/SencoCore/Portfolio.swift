import Foundation

/// The result recorded when a portfolio is signed off.
public enum Outcome: String, Sendable, Hashable, CaseIterable, Codable {
    case passed, failed
}

/// Who can act on a portfolio.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    case participant, tutor, moderator, provider, system
}

/// Where a portfolio is in the assessment workflow.
public enum PortfolioState: String, Sendable, Hashable, CaseIterable, Codable {
    case draft, submitted
    case inReview = "in-review"
    case returned
    case signedOff = "signed-off"
    case withdrawn

    public var label: String {
        switch self {
        case .draft: "draft"
        case .submitted: "submitted"
        case .inReview: "in review"
        case .returned: "returned"
        case .signedOff: "signed off"
        case .withdrawn: "withdrawn"
        }
    }
}

/// A tutor's (or moderator's) judgement of one statement.
public enum JudgementStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case notYetEvidenced = "not-yet-evidenced"
    case readyForReview = "ready-for-review"
    case notMet = "not-met"
    case partiallyMet = "partially-met"
    case met

    public var label: String {
        switch self {
        case .notYetEvidenced: "not yet evidenced"
        case .readyForReview: "ready for review"
        case .notMet: "not met"
        case .partiallyMet: "partially met"
        case .met: "met"
        }
    }
}

public struct Participant: Sendable, Hashable {
    public var id: String
    public var name: String
    public var school: String
    public var email: String?
    /// The DfE teacher reference number.
    public var trn: String?
    public var cohort: String
    public var tutor: String
    public var started: Day
    /// Who the participant is in the DfE's lead-provider API; nil until the provider records it.
    public var dfe: DfEIdentity?

    public init(
        id: String, name: String, school: String, email: String? = nil, trn: String? = nil, cohort: String,
        tutor: String, started: Day, dfe: DfEIdentity? = nil
    ) {
        self.dfe = dfe
        self.id = id
        self.name = name
        self.school = school
        self.email = email
        self.trn = trn
        self.cohort = cohort
        self.tutor = tutor
        self.started = started
    }
}

public struct Attachment: Sendable, Hashable {
    public var name: String
    public var size: Int
    public var sha256: String
    public var mediaType: String?

    public init(name: String, size: Int, sha256: String, mediaType: String? = nil) {
        self.name = name
        self.size = size
        self.sha256 = sha256
        self.mediaType = mediaType
    }
}

public struct EvidenceItem: Sendable, Hashable, Identifiable {
    public var id: String
    public var title: String
    /// The evidence type id from the evidence rules (`reflective-account`, `provision-map`…).
    public var type: String
    /// When the thing the evidence records happened.
    public var date: Day
    public var reflection: String
    public var attachments: [Attachment]
    /// Holds pupil or other sensitive data: redacted from moderation exports by default.
    public var sensitive: Bool
    public var added: Date
    /// Key ingredients of effective SEN support the participant tags the item with (ids from
    /// `Portfolios/reflection-prompts.xml`), in the order chosen; none by default.
    public var ingredients: [String]
    /// A measure before, a measure after, and what changed: for interventions and provision reviews.
    public var impact: ImpactRecord?

    public init(
        id: String, title: String, type: String, date: Day, reflection: String, attachments: [Attachment] = [],
        sensitive: Bool = false, added: Date, ingredients: [String] = [], impact: ImpactRecord? = nil
    ) {
        self.id = id
        self.title = title
        self.type = type
        self.date = date
        self.reflection = reflection
        self.attachments = attachments
        self.sensitive = sensitive
        self.added = added
        self.ingredients = ingredients
        self.impact = impact
    }
}

/// A participant's claim that an evidence item shows a statement.
public struct Mapping: Sendable, Hashable {
    public var evidence: String
    public var statement: String
    public var claim: String

    public init(evidence: String, statement: String, claim: String) {
        self.evidence = evidence
        self.statement = statement
        self.claim = claim
    }
}

/// One event in the append-only log.
public enum LogEvent: Sendable, Hashable {
    case activity(Activity)
    case judgement(Judgement)

    public var at: Date {
        switch self {
        case .activity(let activity): activity.at
        case .judgement(let judgement): judgement.at
        }
    }
}

/// Something that happened to the portfolio: who, when, what. Never holds names or reflections.
public struct Activity: Sendable, Hashable {
    public var at: Date
    public var by: String
    public var role: Role
    /// `evidence-added`, `mapped`, `submitted`…
    public var action: String
    public var evidence: String?
    public var statement: String?
    /// On a `signed-off` entry: whether the participant passed.
    public var outcome: Outcome?
    public var note: String
    /// On a `dfe-declared` (or `dfe-state`) entry: the declaration the API holds.
    public var declaration: DeclarationRecord?
    /// On a `dfe-status` entry: the training status the DfE holds; on a `withdrawn` entry: the
    /// DfE reason to send the withdrawal with.
    public var trainingStatus: TrainingStatusRecord?
    /// On a `dfe-outcome` entry, or the `dfe-declared` entry of a completed declaration: the
    /// outcome the DfE holds.
    public var dfeOutcome: OutcomeRecord?
    /// On a `dfe-identity` entry: the DfE participant id the DfE retired in favour of the current one.
    public var previousDfEID: String?

    public init(
        at: Date, by: String, role: Role, action: String, evidence: String? = nil, statement: String? = nil,
        outcome: Outcome? = nil, note: String = "", declaration: DeclarationRecord? = nil,
        trainingStatus: TrainingStatusRecord? = nil, dfeOutcome: OutcomeRecord? = nil, previousDfEID: String? = nil
    ) {
        self.trainingStatus = trainingStatus
        self.dfeOutcome = dfeOutcome
        self.previousDfEID = previousDfEID
        self.declaration = declaration
        self.outcome = outcome
        self.at = at
        self.by = by
        self.role = role
        self.action = action
        self.evidence = evidence
        self.statement = statement
        self.note = note
    }
}

public struct Judgement: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// The tutor's mark.
        case first
        /// A moderator's blind second mark.
        case second
        /// The outcome agreed when first and second marks are reconciled.
        case agreed
    }

    public var at: Date
    public var by: String
    public var role: Role
    public var statement: String
    public var status: JudgementStatus
    public var kind: Kind
    public var feedback: String

    public init(
        at: Date, by: String, role: Role, statement: String, status: JudgementStatus, kind: Kind = .first,
        feedback: String = ""
    ) {
        self.at = at
        self.by = by
        self.role = role
        self.statement = statement
        self.status = status
        self.kind = kind
        self.feedback = feedback
    }
}

/// One participant's portfolio: the unit that is stored, judged, exported and moderated.
public struct Portfolio: Sendable, Hashable, Identifiable {
    /// 2 added the participant's DfE identity and the DfE declaration records in the log;
    /// version 1 documents still read, and are written back as version 2.
    public static let schemaVersion = 2

    /// Incremented by every stored change; an update must name the revision it read.
    public var revision: Int
    public var participant: Participant
    public var frameworks: [String]
    public var state: PortfolioState
    public var stateSince: Date
    /// The note that came with the last state change (return feedback, withdrawal reason).
    public var stateNote: String
    public var evidence: [EvidenceItem]
    public var mappings: [Mapping]
    public var log: [LogEvent]

    public var id: String { participant.id }

    public init(
        revision: Int = 0, participant: Participant, frameworks: [String], state: PortfolioState = .draft,
        stateSince: Date, stateNote: String = "", evidence: [EvidenceItem] = [], mappings: [Mapping] = [],
        log: [LogEvent] = []
    ) {
        self.revision = revision
        self.participant = participant
        self.frameworks = frameworks
        self.state = state
        self.stateSince = stateSince
        self.stateNote = stateNote
        self.evidence = evidence
        self.mappings = mappings
        self.log = log
    }

    public func evidenceItem(withID id: String) -> EvidenceItem? {
        evidence.first { $0.id == id }
    }

    public func mappings(forEvidence id: String) -> [Mapping] {
        mappings.filter { $0.evidence == id }
    }

    public func mappings(forStatement id: String) -> [Mapping] {
        mappings.filter { $0.statement == id }
    }

    public var judgements: [Judgement] {
        log.compactMap {
            if case .judgement(let judgement) = $0 { return judgement }
            return nil
        }
    }

    public var activities: [Activity] {
        log.compactMap {
            if case .activity(let activity) = $0 { return activity }
            return nil
        }
    }

    /// The next free evidence id of the form `e<n>`.
    public func nextEvidenceID() -> String {
        let used = Set(evidence.map(\.id))
        var n = evidence.count + 1
        while used.contains("e\(n)") { n += 1 }
        return "e\(n)"
    }
}

extension Attachment {
    /// Why `name` cannot be an attachment's name, or nil: a plain file name (no folders, no
    /// control characters), as it will be offered for download.
    public static func nameProblem(_ name: String) -> String? {
        let shown = name.quotedForMessage()
        if name.isEmpty { return "attachment name is empty" }
        if name.utf8.count > 255 { return "attachment name \(name.quotedForMessage(limit: 40)) is longer than 255 bytes" }
        if name == "." || name == ".." || name.contains("/") || name.contains("\\") {
            return "attachment name \(shown) is not a plain file name"
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "attachment name \(shown) contains control characters"
        }
        return nil
    }
}
