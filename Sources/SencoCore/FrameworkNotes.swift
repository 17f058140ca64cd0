/// What a framework document says about itself beyond its statements, kept as published: what
/// its kinds of statement are, the introduction it prints first, and the works it cites.
public struct FrameworkNotes: Sendable, Hashable {
    /// The document's own account of one kind of statement ("key evidence statements").
    public struct Definition: Sendable, Hashable {
        public var kind: StatementKind
        public var term: String
        public var text: String

        public init(kind: StatementKind, term: String, text: String) {
            self.kind = kind
            self.term = term
            self.text = text
        }
    }

    public struct Introduction: Sendable, Hashable {
        public var title: String
        public var paragraphs: [String]

        public init(title: String, paragraphs: [String]) {
            self.title = title
            self.paragraphs = paragraphs
        }
    }

    /// One cited work, once however many sections cite it.
    public struct Reference: Sendable, Hashable, Identifiable {
        public struct Address: Sendable, Hashable {
            public var url: String
            /// The source line whose hyperlink target gave an address the printed text lacks.
            public var restoredFromLine: Int?

            public init(url: String, restoredFromLine: Int? = nil) {
                self.url = url
                self.restoredFromLine = restoredFromLine
            }
        }

        public var id: String
        /// People, as printed ("Coe, R., Aloisi, C., …"); nil when a body is the author or none is named.
        public var authors: String?
        /// An organisation as author ("Education Endowment Foundation").
        public var body: String?
        public var year: Int
        public var title: String
        public var addresses: [Address]

        public init(id: String, authors: String?, body: String?, year: Int, title: String, addresses: [Address]) {
            self.id = id
            self.authors = authors
            self.body = body
            self.year = year
            self.title = title
            self.addresses = addresses
        }
    }

    public var definitions: [Definition]
    public var introduction: Introduction?
    public var bibliography: [Reference]

    public init(definitions: [Definition] = [], introduction: Introduction? = nil, bibliography: [Reference] = []) {
        self.definitions = definitions
        self.introduction = introduction
        self.bibliography = bibliography
    }

    public func definition(of kind: StatementKind) -> Definition? { definitions.first { $0.kind == kind } }
    public func reference(withID id: String) -> Reference? { bibliography.first { $0.id == id } }
}
