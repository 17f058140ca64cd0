/// The rule for text a person typed or pasted into a free-text field (a title, a reflection, a
/// claim, feedback), shared by the web forms and the command line.
///
/// Text pasted from word processors and PDFs carries page and column breaks as control
/// characters that XML 1.0 cannot hold. The breaks people mean are kept as line breaks:
/// vertical tab (U+000B) and form feed (U+000C) become a newline, and CRLF or a lone CR becomes
/// LF. Every other C0 control character (U+0000–U+001F apart from tab, LF and CR) is refused
/// with an error naming the field, so nothing is silently dropped from what someone wrote.
public enum PastedText {
    /// `text` with page breaks and line ends normalised; throws naming `field` if it holds a
    /// control character that cannot be stored.
    public static func normalise(_ text: String, field: String) throws(RuleError) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(text.unicodeScalars.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            let wasCR = previousWasCR
            previousWasCR = false
            switch scalar.value {
            case 0x0A:
                if !wasCR { scalars.append("\n") }
            case 0x0D:
                scalars.append("\n")
                previousWasCR = true
            case 0x0B, 0x0C:
                scalars.append("\n")
            case 0x09:
                scalars.append(scalar)
            case 0x00...0x1F:
                let code = String(scalar.value, radix: 16, uppercase: true)
                throw RuleError(
                    "\(field) contains a control character (U+\(String(repeating: "0", count: 4 - code.count))\(code)) that cannot be stored; remove it and try again"
                )
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
