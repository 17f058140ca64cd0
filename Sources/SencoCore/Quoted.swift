extension String {
    /// The text as it may appear inside a one-line message: in quotes, control characters and
    /// line breaks shown as escapes (so a typed id cannot move the cursor, clear a terminal or
    /// forge a second line of output), and cut to `limit` characters.
    public func quotedForMessage(limit: Int = 80) -> String {
        var result = "\""
        var count = 0
        for scalar in unicodeScalars {
            if count >= limit {
                result += "…"
                break
            }
            switch scalar.value {
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0x22: result += "\\\""
            case 0x5C: result += "\\\\"
            case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return result + "\""
    }
}
