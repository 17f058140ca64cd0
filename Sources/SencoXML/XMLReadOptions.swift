/// Limits the reader enforces before and during a parse.
///
/// The per-element limits are checked by a single pass over the bytes before libxml2 sees them,
/// because libxml2 2.9 does work that grows with their square (duplicate-attribute checks,
/// appending each attribute to the end of a list, namespace lookups), and no callback of its
/// runs before that work. The defaults are far above anything the project writes: its
/// documents have at most a dozen attributes on an element, names under 40 bytes, no
/// namespaces, and their longest attribute values are attachment file names.
public struct XMLReadOptions: Sendable, Hashable {
    /// Inputs larger than this are refused before libxml2 sees a byte.
    public var maximumBytes: Int
    /// Element nesting deeper than this is refused. libxml2 itself stops at 256 without
    /// `XML_PARSE_HUGE`, which this reader never sets, so values above 256 have no effect.
    public var maximumDepth: Int
    /// Attributes on one element, namespace declarations included.
    public var maximumAttributes: Int
    /// Bytes in one element or attribute name.
    public var maximumNameBytes: Int
    /// Bytes in one attribute value, as written (before entities are replaced).
    public var maximumAttributeValueBytes: Int
    /// Namespace declarations (`xmlns`, `xmlns:p`) in the whole document: each one in scope
    /// lengthens libxml2's lookup of every prefixed name.
    public var maximumNamespaceDeclarations: Int
    /// Problems kept from one schema validation; the rest are counted, not kept. (A parse stops
    /// at its first error, which is the one reported.)
    public var maximumErrors: Int

    public init(
        maximumBytes: Int = 32 * 1024 * 1024, maximumDepth: Int = 64, maximumAttributes: Int = 256,
        maximumNameBytes: Int = 1_000, maximumAttributeValueBytes: Int = 1024 * 1024,
        maximumNamespaceDeclarations: Int = 64, maximumErrors: Int = 20
    ) {
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
        self.maximumAttributes = maximumAttributes
        self.maximumNameBytes = maximumNameBytes
        self.maximumAttributeValueBytes = maximumAttributeValueBytes
        self.maximumNamespaceDeclarations = maximumNamespaceDeclarations
        self.maximumErrors = maximumErrors
    }

    public static let `default` = XMLReadOptions()
}
