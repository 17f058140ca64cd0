internal import CLibXML2
import Foundation

/// A streaming XML writer over libxml2's `xmlTextWriter`, writing into memory.
///
/// Every string goes through the writer's escaping calls, never through string concatenation,
/// and characters XML 1.0 forbids are refused with an error rather than written.
public final class XMLWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr
    private var finished = false

    /// - Parameter indent: indent nested elements by two spaces (text content is never altered).
    public init(indent: Bool = true) throws(XMLError) {
        initialiseLibXML2()
        guard let buffer = xmlBufferCreate() else {
            throw XMLError(code: .writeFailed, message: "could not allocate an XML buffer")
        }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw XMLError(code: .writeFailed, message: "could not create an XML writer")
        }
        self.buffer = buffer
        self.writer = writer
        if indent {
            xmlTextWriterSetIndent(writer, 1)
            _ = "  ".withCString { xmlTextWriterSetIndentString(writer, $0) }
        }
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    /// Writes the XML declaration (version 1.0, UTF-8).
    public func startDocument() throws(XMLError) {
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "start the document")
    }

    /// Writes a comment. `--` is not allowed inside XML comments and is refused.
    public func comment(_ text: String) throws(XMLError) {
        try Self.checkCharacters(text, what: "comment")
        if text.contains("--") || text.hasSuffix("-") {
            throw XMLError(code: .forbiddenCharacter, message: "a comment cannot contain \"--\" or end with \"-\"")
        }
        try check(text.withCString { xmlTextWriterWriteComment(writer, $0) }, "write a comment")
    }

    public func startElement(_ name: String) throws(XMLError) {
        try Self.checkName(name)
        try check(name.withCString { xmlTextWriterStartElement(writer, $0) }, "start element \(name)")
    }

    public func attribute(_ name: String, _ value: String) throws(XMLError) {
        try Self.checkName(name)
        try Self.checkCharacters(value, what: "attribute \(name)")
        try check(
            name.withCString { n in value.withCString { v in xmlTextWriterWriteAttribute(writer, n, v) } },
            "write attribute \(name)")
    }

    /// Writes character data, escaped.
    public func text(_ text: String) throws(XMLError) {
        try Self.checkCharacters(text, what: "text")
        try check(text.withCString { xmlTextWriterWriteString(writer, $0) }, "write text")
    }

    public func endElement() throws(XMLError) {
        try check(xmlTextWriterEndElement(writer), "end an element")
    }

    /// An element with attributes and text content and no child elements.
    public func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], text: String? = nil)
        throws(XMLError)
    {
        try startElement(name)
        for (key, value) in attributes { try attribute(key, value) }
        if let text { try self.text(text) }
        try endElement()
    }

    /// An element whose content is written by `body`. Errors thrown by `body` pass through.
    public func element(
        _ name: String, _ attributes: KeyValuePairs<String, String> = [:], body: () throws -> Void
    ) throws {
        try startElement(name)
        for (key, value) in attributes { try attribute(key, value) }
        try body()
        try endElement()
    }

    /// Closes every open element, ends the document and returns its bytes.
    public func finish() throws(XMLError) -> Data {
        if !finished {
            try check(xmlTextWriterEndDocument(writer), "end the document")
            finished = true
        }
        try check(xmlTextWriterFlush(writer), "flush")
        guard let content = xmlBufferContent(buffer) else { return Data() }
        return Data(bytes: content, count: Int(xmlBufferLength(buffer)))
    }

    /// `action` is only built when the call failed: every element and attribute goes through
    /// here, and interpolating the message eagerly was a tenth of the writer's time.
    private func check(_ result: Int32, _ action: @autoclosure () -> String) throws(XMLError) {
        if result < 0 {
            throw XMLError(code: .writeFailed, message: "the XML writer could not \(action())")
        }
    }

    /// True if every character is allowed by XML 1.0's `Char` production.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// The first character in `text` that XML 1.0 forbids, if any.
    public static func firstForbiddenCharacter(in text: String) -> (scalar: Unicode.Scalar, offset: Int)? {
        for (offset, scalar) in text.unicodeScalars.enumerated() where !isAllowed(scalar) {
            return (scalar, offset)
        }
        return nil
    }

    static func checkCharacters(_ text: String, what: @autoclosure () -> String) throws(XMLError) {
        if allCharactersAllowed(text.utf8) { return }
        if let (scalar, offset) = firstForbiddenCharacter(in: text) {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            throw XMLError(
                code: .forbiddenCharacter,
                message: "\(what()) contains U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex) at character \(offset + 1), which XML 1.0 does not allow")
        }
    }

    /// The fast path of `checkCharacters`: one pass over the UTF-8 bytes. A Swift string is valid
    /// UTF-8, so the only characters XML 1.0 forbids that can appear are the C0 controls other
    /// than tab, line feed and carriage return (single bytes below 0x20) and U+FFFE and U+FFFF
    /// (EF BF BE and EF BF BF). True when none is present.
    static func allCharactersAllowed(_ utf8: String.UTF8View) -> Bool {
        if let answer = utf8.withContiguousStorageIfAvailable({ allCharactersAllowed($0) }) { return answer }
        return allCharactersAllowed(Array(utf8))
    }

    static func allCharactersAllowed<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool where Bytes.Index == Int {
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            let byte = bytes[index]
            if byte < 0x20 {
                if byte != 0x09 && byte != 0x0A && byte != 0x0D { return false }
            } else if byte == 0xEF, index + 2 < end, bytes[index + 1] == 0xBF, bytes[index + 2] >= 0xBE {
                return false
            }
            index += 1
        }
        return true
    }

    static func checkName(_ name: String) throws(XMLError) {
        if isPlainASCIIName(name.utf8) { return }
        guard let first = name.unicodeScalars.first,
            first.properties.isAlphabetic || first == "_",
            name.unicodeScalars.allSatisfy({
                $0.properties.isAlphabetic || $0.properties.numericType != nil || "_-.".unicodeScalars.contains($0)
            })
        else {
            throw XMLError(code: .forbiddenCharacter, message: "\"\(name)\" is not a valid XML name")
        }
    }

    /// The fast path of `checkName`, without Unicode property look-ups: an ASCII letter or `_`,
    /// then ASCII letters, digits, `_`, `-` or `.` (every name the project writes). Anything else
    /// goes through the full check.
    static func isPlainASCIIName(_ utf8: String.UTF8View) -> Bool {
        var first = true
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): break
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."): if first { return false }
            default: return false
            }
            first = false
        }
        return !first
    }
}
