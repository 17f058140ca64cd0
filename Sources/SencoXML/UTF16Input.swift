/// A document in UTF-16 with a byte order mark, converted to UTF-8 before libxml2 sees it.
///
/// libxml2 would convert it through iconv or ICU, which report a bad sequence on stderr and give
/// no position; converting here refuses an unpaired surrogate with its line and column, and
/// leaves libxml2 one encoding to read.
enum UTF16Input {
    /// The document as UTF-8, or nil when it does not start with a UTF-16 byte order mark.
    static func utf8(from bytes: UnsafeRawBufferPointer, source: String) throws(XMLError) -> [UInt8]? {
        guard bytes.count >= 2 else { return nil }
        let bigEndian: Bool
        switch (bytes[0], bytes[1]) {
        case (0xFE, 0xFF): bigEndian = true
        case (0xFF, 0xFE): bigEndian = false
        default: return nil
        }
        func unit(at index: Int) -> UInt32 {
            bigEndian
                ? UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
                : UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index])
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 2)
        var line = 1
        var column = 1
        var index = 2
        while index + 1 < bytes.count {
            var scalar = unit(at: index)
            index += 2
            if (0xD800...0xDBFF).contains(scalar), index + 1 < bytes.count, (0xDC00...0xDFFF).contains(unit(at: index))
            {
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (unit(at: index) - 0xDC00)
                index += 2
            } else if (0xD800...0xDFFF).contains(scalar) {
                throw XMLError(
                    code: .invalidEncoding,
                    message: "invalid UTF-16: unpaired surrogate 0x\(String(scalar, radix: 16, uppercase: true))",
                    source: source, line: line, column: column)
            }
            switch scalar {
            case 0..<0x80:
                output.append(UInt8(scalar))
            case 0x80..<0x800:
                output.append(UInt8(0xC0 | scalar >> 6))
                output.append(UInt8(0x80 | scalar & 0x3F))
            case 0x800..<0x10000:
                output.append(UInt8(0xE0 | scalar >> 12))
                output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                output.append(UInt8(0x80 | scalar & 0x3F))
            default:
                output.append(UInt8(0xF0 | scalar >> 18))
                output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
                output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                output.append(UInt8(0x80 | scalar & 0x3F))
            }
            if scalar == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        if index != bytes.count {
            throw XMLError(
                code: .invalidEncoding, message: "invalid UTF-16: the document has an odd number of bytes",
                source: source, line: line, column: column)
        }
        return output
    }
}
