import SencoCore
import Testing

@Suite struct PastedTextTests {
    @Test func pageBreaksAndLineEndsBecomeNewlines() throws {
        #expect(try PastedText.normalise("a\u{0B}b\u{0C}c", field: "Reflection") == "a\nb\nc")
        #expect(try PastedText.normalise("a\r\nb\rc\nd", field: "Reflection") == "a\nb\nc\nd")
        #expect(try PastedText.normalise("tab\tkept, café 🧑🏽‍🏫 & <x>", field: "Title") == "tab\tkept, café 🧑🏽‍🏫 & <x>")
        #expect(try PastedText.normalise("", field: "Title") == "")
    }

    @Test(arguments: [0x00, 0x01, 0x07, 0x08, 0x0E, 0x1B, 0x1F])
    func otherControlCharactersAreRefusedNamingTheField(_ value: Int) {
        let text = "before" + String(UnicodeScalar(UInt8(value))) + "after"
        #expect {
            try PastedText.normalise(text, field: "Claim")
        } throws: { error in
            let message = (error as? RuleError)?.message ?? ""
            let code = String(value, radix: 16, uppercase: true)
            return message.hasPrefix(
                "Claim contains a control character (U+\(String(repeating: "0", count: 4 - code.count))\(code))")
        }
    }
}
