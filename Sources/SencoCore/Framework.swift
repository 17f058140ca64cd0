/// Where a framework's text comes from, for attribution in every export that shows it.
public struct FrameworkSource: Sendable, Hashable {
    public var document: String
    public var publisher: String
    public var published: String
    public var licence: String
    public var attribution: String
    /// The copyright line as printed ("Crown copyright 2023"), when the file records it.
    public var copyright: String?
    /// The licence's address, when the file records it.
    public var licenceURL: String?

    public init(
        document: String, publisher: String, published: String, licence: String, attribution: String,
        copyright: String? = nil, licenceURL: String? = nil
    ) {
        self.document = document
        self.publisher = publisher
        self.published = published
        self.licence = licence
        self.attribution = attribution
        self.copyright = copyright
        self.licenceURL = licenceURL
    }
}

/// A bold "…including by:" heading and the "Learn how to…" statements under it.
public struct StatementGroup: Sendable, Hashable {
    public var heading: String
    public var statements: [Statement]
    public var line: Int

    public init(heading: String, statements: [Statement], line: Int = 0) {
        self.heading = heading
        self.statements = statements
        self.line = line
    }
}

/// One of the eight sections of the NPQ for SENCOs.
public struct NPQSection: Sendable, Hashable {
    public var number: Int
    public var title: String
    /// Only Section Four has an introductory paragraph.
    public var intro: String?
    public var learnThat: [Statement]
    public var groups: [StatementGroup]
    /// The section's reference list as printed.
    public var references: [String]
    /// For each printed reference, its entry in the framework's bibliography ("" when none).
    public var referenceIDs: [String]

    public init(
        number: Int, title: String, intro: String?, learnThat: [Statement], groups: [StatementGroup],
        references: [String], referenceIDs: [String] = []
    ) {
        self.number = number
        self.title = title
        self.intro = intro
        self.learnThat = learnThat
        self.groups = groups
        self.references = references
        self.referenceIDs = referenceIDs
    }

    public var learnHowTo: [Statement] { groups.flatMap(\.statements) }
}

/// A sub-area of the National Award outcomes, with the stem its outcomes complete.
public struct AwardSubarea: Sendable, Hashable {
    /// `area.n`, e.g. `3.1`.
    public var number: String
    public var title: String
    /// E.g. "Training should enable SENCOs to know and understand:".
    public var stem: String
    public var outcomes: [Statement]

    public init(number: String, title: String, stem: String, outcomes: [Statement]) {
        self.number = number
        self.title = title
        self.stem = stem
        self.outcomes = outcomes
    }
}

/// An area of the National Award outcomes.
public struct AwardArea: Sendable, Hashable {
    public var number: Int
    public var title: String
    public var subareas: [AwardSubarea]

    public init(number: Int, title: String, subareas: [AwardSubarea]) {
        self.number = number
        self.title = title
        self.subareas = subareas
    }
}

/// A framework as data. The two published frameworks have different shapes, so the content is
/// one of two cases; everything that only needs statements uses `statements`.
public struct Framework: Sendable, Hashable, Identifiable {
    public enum Content: Sendable, Hashable {
        case npq(sections: [NPQSection])
        case nationalAward(roleFeaturesStem: String, roleFeatures: [String], areas: [AwardArea])
    }

    public var id: String
    public var version: String
    public var title: String
    public var shortTitle: String
    public var source: FrameworkSource
    public var content: Content
    /// What the document says about itself beyond its statements: definitions, introduction, bibliography.
    public var notes: FrameworkNotes
    /// Every statement in document order.
    public let statements: [Statement]
    private let index: [String: Int]

    public init(
        id: String, version: String, title: String, shortTitle: String, source: FrameworkSource, content: Content,
        notes: FrameworkNotes = FrameworkNotes()
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.shortTitle = shortTitle
        self.source = source
        self.content = content
        self.notes = notes
        var all: [Statement] = []
        switch content {
        case .npq(let sections):
            for section in sections {
                all += section.learnThat
                all += section.learnHowTo
            }
        case .nationalAward(_, _, let areas):
            for area in areas { for subarea in area.subareas { all += subarea.outcomes } }
        }
        statements = all
        var index: [String: Int] = [:]
        for (position, statement) in all.enumerated() where index[statement.id] == nil {
            index[statement.id] = position
        }
        self.index = index
    }

    public static func == (lhs: Framework, rhs: Framework) -> Bool {
        lhs.id == rhs.id && lhs.version == rhs.version && lhs.title == rhs.title && lhs.shortTitle == rhs.shortTitle
            && lhs.source == rhs.source && lhs.content == rhs.content && lhs.notes == rhs.notes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(version)
    }

    public func statement(withID id: String) -> Statement? {
        index[id].map { statements[$0] }
    }

    public var npqSections: [NPQSection] {
        if case .npq(let sections) = content { return sections }
        return []
    }

    public var awardAreas: [AwardArea] {
        if case .nationalAward(_, _, let areas) = content { return areas }
        return []
    }

    /// Number of top-level divisions: sections for the NPQ, areas for the National Award.
    public var divisionCount: Int {
        switch content {
        case .npq(let sections): sections.count
        case .nationalAward(_, _, let areas): areas.count
        }
    }

    /// Up to `limit` real ids closest to `id`, for "did you mean" suggestions.
    public func suggestions(for id: String, limit: Int = 3) -> [String] {
        Suggestions.closest(to: id, among: statements.map(\.id), limit: limit)
    }
}

/// Levenshtein distance; ids are short, so the quadratic table is fine.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = Array(repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
