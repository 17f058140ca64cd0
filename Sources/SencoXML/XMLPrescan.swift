import Foundation

/// One pass over a document's bytes, before libxml2 sees them, that refuses what libxml2 2.9
/// would spend more than linear time or memory on, and any encoding but UTF-8.
///
/// libxml2 checks an element's attributes for duplicates pair by pair, appends each attribute to
/// the end of a list it walks, and looks namespace prefixes up through every declaration in
/// scope, all before any callback of ours runs: 60,000 attributes on one element take minutes.
/// So the limits in `XMLReadOptions` are enforced here, on the bytes.
///
/// The pass follows XML's markup (tags, quoted attribute values, comments, CDATA sections,
/// processing instructions) closely enough to see every start tag libxml2 will parse. Markup it
/// cannot follow is refused here rather than guessed at, so libxml2 never parses a tag this pass
/// skipped. Where libxml2 finds an error this pass let through, the parse stops at that error
/// (see `withSafelyParsedDocument`), so libxml2 never resynchronises on bytes read differently.
/// Text runs are skipped with `memchr`; the pass allocates nothing unless it refuses.
struct XMLPrescan {
    private let start: UnsafePointer<UInt8>
    private let count: Int
    private let source: String
    private let options: XMLReadOptions
    /// Whether the bytes were converted from UTF-16, which only a UTF-16 declaration may say.
    private let fromUTF16: Bool
    private var namespaceDeclarations = 0

    /// Checks `bytes` (UTF-8, or converted to UTF-8 from UTF-16 when `fromUTF16`), throwing the
    /// first problem found.
    static func check(
        _ bytes: UnsafeRawBufferPointer, fromUTF16: Bool, source: String, options: XMLReadOptions
    ) throws(XMLError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var scan = XMLPrescan(
            start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count, source: source, options: options,
            fromUTF16: fromUTF16)
        try scan.run()
    }

    private init(
        start: UnsafePointer<UInt8>, count: Int, source: String, options: XMLReadOptions, fromUTF16: Bool
    ) {
        self.start = start
        self.count = count
        self.source = source
        self.options = options
        self.fromUTF16 = fromUTF16
    }

    private mutating func run() throws(XMLError) {
        var index = 0
        if count >= 3, start[0] == 0xEF, start[1] == 0xBB, start[2] == 0xBF { index = 3 }
        try checkSignature(at: index)
        index = try declaration(at: index)
        while let lt = find(Byte.lt, from: index, to: count) {
            index = try markup(at: lt)
        }
    }

    // MARK: Encoding

    /// libxml2 switches to UCS-4, UTF-16 or EBCDIC by itself when a document starts with one of
    /// their signatures; none of those is accepted, so none may reach it.
    private func checkSignature(at index: Int) throws(XMLError) {
        for offset in index..<min(index + 4, count) where start[offset] == 0 {
            throw error(
                .invalidEncoding,
                "document is not UTF-8: it starts with a zero byte (UTF-16 without a byte order mark, or UTF-32)",
                at: offset)
        }
        if count - index >= 4, start[index] == 0x4C, start[index + 1] == 0x6F, start[index + 2] == 0xA7,
            start[index + 3] == 0x94
        {
            throw error(.invalidEncoding, "document is not UTF-8: it starts like EBCDIC", at: index)
        }
    }

    /// Checks the encoding an XML declaration names, and returns where the document goes on after
    /// it. libxml2 is told to ignore the declaration, so this is where a wrong one is refused.
    private func declaration(at index: Int) throws(XMLError) -> Int {
        guard hasPrefix("<?xml", at: index), index + 5 < count, Self.isSpace(start[index + 5]) else { return index }
        guard let end = pastTerminator(Byte.question, twice: false, from: index + 2) else {
            throw error(.notWellFormed, "the XML declaration is not closed with '?>'", at: index)
        }
        // Pseudo-attributes up to "?>"; anything malformed is left for libxml2 to name.
        let limit = end - 2
        var i = index + 5
        while true {
            i = skipSpace(from: i)
            let nameStart = i
            while i < limit, Self.isASCIILetter(start[i]) { i += 1 }
            let name = text(nameStart, i - nameStart)
            i = skipSpace(from: i)
            guard i < limit, start[i] == Byte.equals else { break }
            i = skipSpace(from: i + 1)
            guard i < limit, start[i] == Byte.quote || start[i] == Byte.apostrophe,
                let close = find(start[i], from: i + 1, to: limit)
            else { break }
            if name == "encoding" { try checkEncoding(from: i + 1, to: close) }
            i = close + 1
        }
        return end
    }

    private func checkEncoding(from valueStart: Int, to valueEnd: Int) throws(XMLError) {
        let declared = text(valueStart, valueEnd - valueStart)
        switch declared.uppercased() {
        case "UTF-8", "UTF8":
            if fromUTF16 {
                throw error(
                    .invalidEncoding, "declares encoding \"\(declared)\" but starts with a UTF-16 byte order mark",
                    at: valueStart)
            }
        case "UTF-16", "UTF16", "UTF-16LE", "UTF-16BE":
            if !fromUTF16 {
                throw error(
                    .invalidEncoding, "declares encoding \"\(declared)\" but has no UTF-16 byte order mark",
                    at: valueStart)
            }
        default:
            throw error(
                .invalidEncoding,
                "declares encoding \"\(declared)\"; only UTF-8, or UTF-16 with a byte order mark, is accepted",
                at: valueStart)
        }
    }

    // MARK: Markup

    /// Reads the markup starting with the `<` at `lt`; returns the index just after it.
    private mutating func markup(at lt: Int) throws(XMLError) -> Int {
        guard lt + 1 < count else { throw error(.notWellFormed, "the document ends with '<'", at: lt) }
        switch start[lt + 1] {
        case Byte.slash:
            return try endTag(at: lt)
        case Byte.question:
            guard let end = pastTerminator(Byte.question, twice: false, from: lt + 2) else {
                throw error(.notWellFormed, "a processing instruction is not closed with '?>'", at: lt)
            }
            return end
        case Byte.bang:
            if hasPrefix("<!--", at: lt) {
                guard let end = pastTerminator(Byte.dash, twice: true, from: lt + 4) else {
                    throw error(.notWellFormed, "a comment is not closed with '-->'", at: lt)
                }
                return end
            }
            if hasPrefix("<![CDATA[", at: lt) {
                guard let end = pastTerminator(Byte.closeBracket, twice: true, from: lt + 9) else {
                    throw error(.notWellFormed, "a CDATA section is not closed with ']]>'", at: lt)
                }
                return end
            }
            if hasPrefix("<!DOCTYPE", at: lt) {
                throw error(.doctypeForbidden, "DOCTYPE declarations are not allowed (no DTDs, no entities)", at: lt)
            }
            throw error(.notWellFormed, "'<!' starts neither a comment nor a CDATA section", at: lt)
        default:
            return try startTag(at: lt)
        }
    }

    private mutating func startTag(at lt: Int) throws(XMLError) -> Int {
        let nameStart = lt + 1
        var i = nameEnd(from: nameStart)
        let nameLength = i - nameStart
        guard nameLength > 0 else { throw error(.notWellFormed, "'<' is not followed by an element name", at: lt) }
        guard nameLength <= options.maximumNameBytes else {
            throw error(
                .nameTooLong, "an element name is \(nameLength) bytes; the limit is \(options.maximumNameBytes)",
                at: nameStart)
        }
        var element: String { "<" + text(nameStart, nameLength) + ">" }
        var attributes = 0
        while true {
            let afterPrevious = i
            i = skipSpace(from: i)
            guard i < count else {
                throw error(.notWellFormed, "the document ends inside the start tag \(element)", at: lt)
            }
            if start[i] == Byte.gt { return i + 1 }
            if start[i] == Byte.slash {
                guard i + 1 < count, start[i + 1] == Byte.gt else {
                    throw error(.notWellFormed, "'/' in the start tag \(element) is not followed by '>'", at: i)
                }
                return i + 2
            }
            guard i > afterPrevious else {
                throw error(.notWellFormed, "attributes of \(element) must be separated by white space", at: i)
            }
            let attributeStart = i
            i = nameEnd(from: i)
            let attributeLength = i - attributeStart
            guard attributeLength > 0 else {
                throw error(.notWellFormed, "unexpected '\(text(i, 1))' in the start tag \(element)", at: i)
            }
            attributes += 1
            guard attributes <= options.maximumAttributes else {
                throw error(
                    .tooManyAttributes, "\(element) has more than \(options.maximumAttributes) attributes",
                    at: attributeStart)
            }
            guard attributeLength <= options.maximumNameBytes else {
                throw error(
                    .nameTooLong,
                    "an attribute name on \(element) is \(attributeLength) bytes; the limit is \(options.maximumNameBytes)",
                    at: attributeStart)
            }
            var attribute: String { "'" + text(attributeStart, attributeLength) + "'" }
            if isNamespaceDeclaration(at: attributeStart, length: attributeLength) {
                namespaceDeclarations += 1
                guard namespaceDeclarations <= options.maximumNamespaceDeclarations else {
                    throw error(
                        .tooManyNamespaces,
                        "the document declares more than \(options.maximumNamespaceDeclarations) namespaces",
                        at: attributeStart)
                }
            }
            i = skipSpace(from: i)
            guard i < count, start[i] == Byte.equals else {
                throw error(.notWellFormed, "attribute \(attribute) on \(element) has no value", at: attributeStart)
            }
            i = skipSpace(from: i + 1)
            guard i < count, start[i] == Byte.quote || start[i] == Byte.apostrophe else {
                throw error(.notWellFormed, "the value of attribute \(attribute) on \(element) is not quoted", at: i)
            }
            let valueStart = i + 1
            guard let close = find(start[i], from: valueStart, to: count) else {
                throw error(.notWellFormed, "the value of attribute \(attribute) on \(element) is not closed", at: i)
            }
            let valueLength = close - valueStart
            guard valueLength <= options.maximumAttributeValueBytes else {
                throw error(
                    .valueTooLong,
                    "attribute \(attribute) on \(element) is \(valueLength) bytes; the limit is \(options.maximumAttributeValueBytes)",
                    at: valueStart)
            }
            if let lessThan = find(Byte.lt, from: valueStart, to: close) {
                throw error(.notWellFormed, "'<' in the value of attribute \(attribute) on \(element)", at: lessThan)
            }
            i = close + 1
        }
    }

    private func endTag(at lt: Int) throws(XMLError) -> Int {
        let nameStart = lt + 2
        var i = nameEnd(from: nameStart)
        let nameLength = i - nameStart
        guard nameLength > 0 else { throw error(.notWellFormed, "'</' is not followed by an element name", at: lt) }
        guard nameLength <= options.maximumNameBytes else {
            throw error(
                .nameTooLong, "an element name is \(nameLength) bytes; the limit is \(options.maximumNameBytes)",
                at: nameStart)
        }
        i = skipSpace(from: i)
        guard i < count, start[i] == Byte.gt else {
            throw error(.notWellFormed, "the end tag </\(text(nameStart, nameLength))> is not closed with '>'", at: lt)
        }
        return i + 1
    }

    private func isNamespaceDeclaration(at index: Int, length: Int) -> Bool {
        length >= 5 && hasPrefix("xmlns", at: index) && (length == 5 || start[index + 5] == Byte.colon)
    }

    // MARK: Bytes

    private enum Byte {
        static let tab: UInt8 = 0x09
        static let newline: UInt8 = 0x0A
        static let carriageReturn: UInt8 = 0x0D
        static let space: UInt8 = 0x20
        static let bang: UInt8 = 0x21
        static let quote: UInt8 = 0x22
        static let apostrophe: UInt8 = 0x27
        static let dash: UInt8 = 0x2D
        static let slash: UInt8 = 0x2F
        static let colon: UInt8 = 0x3A
        static let lt: UInt8 = 0x3C
        static let equals: UInt8 = 0x3D
        static let gt: UInt8 = 0x3E
        static let question: UInt8 = 0x3F
        static let closeBracket: UInt8 = 0x5D
    }

    /// The bytes that end a name: white space, `"`, `'`, `/`, `<`, `=`, `>`. Anything else is
    /// taken as part of a name here; libxml2 refuses what XML does not allow in one.
    private static let nameDelimiters: UInt64 = {
        var mask: UInt64 = 0
        for byte in [
            Byte.tab, Byte.newline, Byte.carriageReturn, Byte.space, Byte.quote, Byte.apostrophe, Byte.slash, Byte.lt,
            Byte.equals, Byte.gt,
        ] {
            mask |= 1 << UInt64(byte)
        }
        return mask
    }()

    @inline(__always) private static func isSpace(_ byte: UInt8) -> Bool {
        byte == Byte.space || byte == Byte.newline || byte == Byte.tab || byte == Byte.carriageReturn
    }

    @inline(__always) private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
    }

    @inline(__always) private func nameEnd(from index: Int) -> Int {
        let delimiters = Self.nameDelimiters
        var i = index
        while i < count {
            let byte = start[i]
            if byte < 64 && (delimiters >> UInt64(byte)) & 1 != 0 { break }
            i += 1
        }
        return i
    }

    @inline(__always) private func skipSpace(from index: Int) -> Int {
        var i = index
        while i < count && Self.isSpace(start[i]) { i += 1 }
        return i
    }

    @inline(__always) private func find(_ byte: UInt8, from index: Int, to end: Int) -> Int? {
        guard index < end, let found = memchr(start + index, Int32(byte), end - index) else { return nil }
        return UnsafeRawPointer(start).distance(to: UnsafeRawPointer(found))
    }

    /// The index just past the first `?>` (`before` once) or `-->`, `]]>` (`before` twice) that
    /// begins at or after `from`.
    private func pastTerminator(_ before: UInt8, twice: Bool, from: Int) -> Int? {
        var search = from + (twice ? 2 : 1)
        while let gt = find(Byte.gt, from: search, to: count) {
            if start[gt - 1] == before && (!twice || start[gt - 2] == before) { return gt + 1 }
            search = gt + 1
        }
        return nil
    }

    private func hasPrefix(_ prefix: StaticString, at index: Int) -> Bool {
        prefix.withUTF8Buffer { bytes in
            guard count - index >= bytes.count else { return false }
            for offset in 0..<bytes.count where start[index + offset] != bytes[offset] { return false }
            return true
        }
    }

    /// A short, printable rendering of some bytes of the document, for a message.
    private func text(_ index: Int, _ length: Int) -> String {
        let bytes = UnsafeBufferPointer(start: start + index, count: min(max(length, 0), 60))
        var shown = ""
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            shown.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? "\u{FFFD}" : scalar)
        }
        return length > 60 ? shown + "…" : shown
    }

    /// An error at byte `offset`, with the line and column libxml2 would give: a line ends at a
    /// line feed, a carriage return and line feed, or a carriage return alone (XML reads all
    /// three as one line feed); columns count characters from 1.
    private func error(_ code: XMLError.Code, _ message: String, at offset: Int) -> XMLError {
        var line = 1
        var lineStart = 0
        let end = min(offset, count)
        var index = 0
        while index < end {
            let byte = start[index]
            if byte == Byte.newline
                || (byte == Byte.carriageReturn && (index + 1 >= count || start[index + 1] != Byte.newline))
            {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        var column = 1
        for index in lineStart..<end where start[index] & 0xC0 != 0x80 { column += 1 }
        return XMLError(code: code, message: message, source: source, line: line, column: column)
    }
}
