/// One statement of a framework, with where it sits in the published document.
public struct Statement: Sendable, Hashable, Identifiable {
    /// The published id: `1.1`, `1.a` or `NA-3.1.6`.
    public var id: String
    public var kind: StatementKind
    /// The published text, verbatim.
    public var text: String
    /// The NPQ section number, or the National Award area number.
    public var section: Int
    /// The bold "…including by:" heading for NPQ "Learn how to…" statements; the sub-area
    /// number (`3.1`) for National Award outcomes; nil for "Learn that…" statements.
    public var group: String?
    /// Position in the whole framework, from 0, in document order.
    public var order: Int
    /// The line of the data file it was read from, for error messages; 0 when not from a file.
    public var line: Int
    /// The Act the statement cites, when it cites statute ("Children and Families Act 2014");
    /// nil for statutory guidance such as the SEND Code of Practice, and for everything else.
    public var statute: String?

    public init(
        id: String, kind: StatementKind, text: String, section: Int, group: String?, order: Int, line: Int = 0,
        statute: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.text = text
        self.section = section
        self.group = group
        self.order = order
        self.line = line
        self.statute = statute
    }
}
