/// Limits the reader enforces before and during a parse.
public struct XMLReadOptions: Sendable, Hashable {
    /// Inputs larger than this are refused before libxml2 sees a byte.
    public var maximumBytes: Int
    /// Element nesting deeper than this is refused. libxml2 itself stops at 256 without
    /// `XML_PARSE_HUGE`, which this reader never sets, so values above 256 have no effect.
    public var maximumDepth: Int

    public init(maximumBytes: Int = 32 * 1024 * 1024, maximumDepth: Int = 64) {
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
    }

    public static let `default` = XMLReadOptions()
}
