/// Reflection prompts for evidence entries, and the key ingredients of effective SEN support that
/// evidence items can carry as tags: data from `Portfolios/reflection-prompts.xml`, copied from
/// the source documents, so a participant writing an entry sees the questions the documents ask.
public struct ReflectionPrompts: Sendable, Hashable {
    /// A document the prompts come from.
    public struct Source: Sendable, Hashable, Identifiable {
        public var id: String
        /// The converted text in `shared/seeds/`.
        public var file: String
        public var title: String
        public var publisher: String
        public var published: String
        public var licence: String

        public init(id: String, file: String, title: String, publisher: String, published: String, licence: String) {
            self.id = id
            self.file = file
            self.title = title
            self.publisher = publisher
            self.published = published
            self.licence = licence
        }
    }

    /// One of the key ingredients of effective SEN support.
    public struct Ingredient: Sendable, Hashable, Identifiable {
        public var id: String
        public var number: Int
        public var name: String
        public var source: String
        public var section: String
        public var line: Int

        public init(id: String, number: Int, name: String, source: String, section: String, line: Int) {
            self.id = id
            self.number = number
            self.name = name
            self.source = source
            self.section = section
            self.line = line
        }
    }

    public struct Prompt: Sendable, Hashable, Identifiable {
        public var id: String
        public var source: String
        /// The section of the source document the prompt is printed in.
        public var section: String
        /// The heading directly above it, when that is not the section itself.
        public var heading: String?
        /// Its line in the converted text.
        public var line: Int
        /// The words that introduce the list it comes from ("As a SENCO, you need to ask:").
        public var stem: String?
        /// The printed label in front of it ("Appreciation").
        public var label: String?
        public var text: String
        /// Evidence type ids it suits.
        public var types: [String]
        /// NPQ for SENCOs sections it bears on.
        public var npqSections: [Int]

        public init(
            id: String, source: String, section: String, heading: String?, line: Int, stem: String?, label: String?,
            text: String, types: [String], npqSections: [Int]
        ) {
            self.id = id
            self.source = source
            self.section = section
            self.heading = heading
            self.line = line
            self.stem = stem
            self.label = label
            self.text = text
            self.types = types
            self.npqSections = npqSections
        }

        /// "Appreciation – What is appreciated…", as printed.
        public var displayText: String { label.map { "\($0) – \(text)" } ?? text }
    }

    public var version: Int
    public var attribution: String
    public var sources: [Source]
    public var ingredients: [Ingredient]
    public var prompts: [Prompt]

    public init(version: Int, attribution: String, sources: [Source], ingredients: [Ingredient], prompts: [Prompt]) {
        self.version = version
        self.attribution = attribution
        self.sources = sources
        self.ingredients = ingredients
        self.prompts = prompts
    }

    public static let empty = ReflectionPrompts(version: 1, attribution: "", sources: [], ingredients: [], prompts: [])

    public func source(withID id: String) -> Source? { sources.first { $0.id == id } }
    public func ingredient(withID id: String) -> Ingredient? { ingredients.first { $0.id == id } }

    /// The prompts that suit an evidence type and bear on an NPQ section, in file order; either
    /// filter may be left out.
    public func prompts(type: String? = nil, section: Int? = nil) -> [Prompt] {
        prompts.filter { prompt in
            (type.map { prompt.types.contains($0) } ?? true) && (section.map { prompt.npqSections.contains($0) } ?? true)
        }
    }

    /// "SENCO Induction Pack…, Section 6…, “Assess”": the document, section and heading.
    public func place(of prompt: Prompt) -> String {
        var parts = [source(withID: prompt.source)?.title ?? prompt.source, prompt.section]
        if let heading = prompt.heading { parts.append("“\(heading)”") }
        return parts.joined(separator: ", ")
    }

    /// The place and the line: "SENCO Induction Pack…, Section 6…, “Assess”, line 570".
    public func citation(for prompt: Prompt) -> String {
        "\(place(of: prompt)), line \(prompt.line)"
    }

    /// What a schema cannot check: types that exist in the evidence rules, sources that exist,
    /// and every evidence type served by at least one prompt.
    public func check(against rules: EvidenceRules) -> [Finding] {
        var findings: [Finding] = []
        let known = Set(rules.types.map(\.id))
        let sourceIDs = Set(sources.map(\.id))
        for prompt in prompts {
            for type in prompt.types where !known.contains(type) {
                findings.append(.error("prompt \(prompt.id) names evidence type \"\(type)\", which the evidence rules do not have"))
            }
            if !sourceIDs.contains(prompt.source) {
                findings.append(.error("prompt \(prompt.id) names source \"\(prompt.source)\", which is not listed"))
            }
        }
        let served = Set(prompts.flatMap(\.types))
        for type in rules.types where !served.contains(type.id) {
            findings.append(.error("no reflection prompt suits evidence type \"\(type.id)\""))
        }
        return findings
    }
}
