/// A problem reading, writing or validating XML, with where it happened.
///
/// libxml2's numeric error codes are converted once, here at the boundary, into a small set of
/// codes a caller can act on; the original message is kept for people.
public struct XMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is. A struct rather than an enum so codes can be added without
    /// breaking callers that switch over them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The input is not well-formed XML (including truncated documents and undeclared entities).
        public static let notWellFormed = Code("not-well-formed")
        /// The input declares a DOCTYPE, which this reader refuses outright.
        public static let doctypeForbidden = Code("doctype-forbidden")
        /// The input is larger than the reader's size limit.
        public static let tooLarge = Code("too-large")
        /// Elements are nested more deeply than the reader allows.
        public static let tooDeep = Code("too-deep")
        /// An element has more attributes than the reader allows.
        public static let tooManyAttributes = Code("too-many-attributes")
        /// An element or attribute name is longer than the reader allows.
        public static let nameTooLong = Code("name-too-long")
        /// An attribute value is longer than the reader allows.
        public static let valueTooLong = Code("value-too-long")
        /// The document declares more namespaces than the reader allows.
        public static let tooManyNamespaces = Code("too-many-namespaces")
        /// The bytes are not UTF-8 (or UTF-16 with a byte order mark), or the document declares
        /// another encoding.
        public static let invalidEncoding = Code("invalid-encoding")
        /// A character XML 1.0 does not allow (most C0 control characters, U+FFFE, U+FFFF).
        public static let forbiddenCharacter = Code("forbidden-character")
        /// The document is well-formed but does not satisfy the schema.
        public static let schemaInvalid = Code("schema-invalid")
        /// The schema itself could not be read or compiled.
        public static let schemaUnusable = Code("schema-unusable")
        /// libxml2's writer reported a failure.
        public static let writeFailed = Code("write-failed")
    }

    public var code: Code
    public var message: String
    /// The name of the document (usually its file path) or `<input>`.
    public var source: String
    /// 1-based line, or 0 when unknown.
    public var line: Int
    /// 1-based column, or 0 when unknown.
    public var column: Int

    public init(code: Code, message: String, source: String = "<input>", line: Int = 0, column: Int = 0) {
        self.code = code
        self.message = message
        self.source = source
        self.line = line
        self.column = column
    }

    /// `source:line:column: message`, the form compilers and editors understand.
    public var description: String {
        var location = source
        if line > 0 {
            location += ":\(line)"
            if column > 0 { location += ":\(column)" }
        }
        return "\(location): \(message)"
    }
}
