import Foundation

/// A submitted form: `application/x-www-form-urlencoded` or `multipart/form-data`.
struct FormData: Sendable {
    struct File: Sendable {
        var field: String
        var filename: String
        var contentType: String
        var data: Data
    }

    private(set) var fields: [(name: String, value: String)] = []
    private(set) var files: [File] = []

    /// The first value of a field, or "".
    subscript(_ name: String) -> String {
        fields.first { $0.name == name }?.value ?? ""
    }

    func values(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    func has(_ name: String) -> Bool {
        fields.contains { $0.name == name }
    }

    func file(_ name: String) -> File? {
        files.first { $0.field == name }
    }

    init(fields: [(String, String)] = [], files: [File] = []) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
        self.files = files
    }

    enum ParseError: Error {
        case unsupportedType
        case malformed
        /// More fields (or file parts) than the form may have.
        case tooManyFields
    }

    /// Parses a body by its content type; anything else is refused. A body with more than
    /// `maxFields` fields is refused before any of them is decoded.
    static func parse(contentType: String?, body: Data, maxFields: Int = .max) throws(ParseError) -> FormData {
        let type = (contentType ?? "").lowercased()
        if type.hasPrefix("application/x-www-form-urlencoded") || (type.isEmpty && body.isEmpty) {
            return try urlEncoded(body, maxFields: maxFields)
        }
        if type.hasPrefix("multipart/form-data") {
            guard let boundary = parameter("boundary", in: contentType ?? "") else { throw .malformed }
            return try multipart(body, boundary: boundary, maxFields: maxFields)
        }
        throw .unsupportedType
    }

    static func urlEncoded(_ body: Data, maxFields: Int = .max) throws(ParseError) -> FormData {
        // Counted on the raw bytes, before anything is decoded.
        if body.lazy.filter({ $0 == UInt8(ascii: "&") }).count >= maxFields { throw .tooManyFields }
        guard let text = String(data: body, encoding: .utf8) else { throw .malformed }
        var form = FormData()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) throws(ParseError) -> String {
                guard let value = s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else { throw .malformed }
                return value
            }
            let name = try decode(parts[0])
            let value = parts.count > 1 ? try decode(parts[1]) : ""
            form.fields.append((name: name, value: value.replacingOccurrences(of: "\r\n", with: "\n")))
        }
        return form
    }

    /// A strict reader of RFC 7578 bodies: CRLF line ends, a Content-Disposition per part.
    static func multipart(_ body: Data, boundary: String, maxFields: Int = .max) throws(ParseError) -> FormData {
        let bytes = [UInt8](body)
        let delimiter = Array("--\(boundary)".utf8)
        var form = FormData()
        guard var position = find(delimiter, in: bytes, from: 0) else { throw .malformed }
        position += delimiter.count
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if position + 2 <= bytes.count, bytes[position] == 45, bytes[position + 1] == 45 { break }
            guard position + 2 <= bytes.count, bytes[position] == 13, bytes[position + 1] == 10 else { throw .malformed }
            position += 2
            if form.fields.count + form.files.count >= maxFields { throw .tooManyFields }
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: bytes, from: position) else { throw .malformed }
            guard let headerText = String(bytes: bytes[position..<headerEnd], encoding: .utf8) else { throw .malformed }
            let contentStart = headerEnd + 4
            guard let next = find(Array("\r\n".utf8) + delimiter, in: bytes, from: contentStart) else { throw .malformed }
            let content = Data(bytes[contentStart..<next])
            position = next + 2 + delimiter.count

            var disposition = ""
            var partType = "application/octet-stream"
            for line in headerText.components(separatedBy: "\r\n") {
                let pieces = line.split(separator: ":", maxSplits: 1)
                guard pieces.count == 2 else { continue }
                let key = pieces[0].trimmingCharacters(in: .whitespaces).lowercased()
                let value = pieces[1].trimmingCharacters(in: .whitespaces)
                if key == "content-disposition" { disposition = value }
                if key == "content-type" { partType = value }
            }
            guard disposition.lowercased().hasPrefix("form-data"), let name = parameter("name", in: disposition) else {
                throw .malformed
            }
            if let filename = parameter("filename", in: disposition) {
                if !filename.isEmpty || !content.isEmpty {
                    form.files.append(File(field: name, filename: filename, contentType: partType, data: content))
                }
            } else {
                guard let value = String(data: content, encoding: .utf8) else { throw .malformed }
                form.fields.append((name: name, value: value.replacingOccurrences(of: "\r\n", with: "\n")))
            }
        }
        return form
    }

    /// `name=value` or `name="value"` inside a header value.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            return value
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
