import Foundation
import Testing

@testable import SencoCore

/// Arithmetic and counting shortcuts (issue 7) give the answers of the Foundation calls they replace.
struct FastPathTests {
    @Test func dayTextAndMidnightMatchFoundation() {
        var day = Day("1900-01-01")!
        let end = Day("2101-01-01")!
        while day < end {
            #expect(day.description == String(format: "%04d-%02d-%02d", day.year, day.month, day.day))
            #expect(day.date == Day.utc.date(from: DateComponents(year: day.year, month: day.month, day: day.day)))
            day = Day(day.date.addingTimeInterval(86_400 * 13))
        }
    }

    @Test(arguments: [
        "", "   ", "\n\t ", "short", "  padded  ", "\nline one\nline two\n", "café naïve ’quotes’ 🧑🏽‍🏫 👩‍👧",
        "e\u{301}\u{301} combining", " \u{301}starts with a combining mark", "\u{A0}no-break spaces\u{A0}", "\u{2028}separator\u{2029}",
        String(repeating: "Reflection with emoji 🙂 and accents é. ", count: 40),
    ])
    func trimmedCountMatchesTrimmingThenCounting(text: String) {
        let expected = text.trimmingCharacters(in: .whitespacesAndNewlines).count
        for limit in [0, 1, 5, 150, 300, expected, expected + 1, 10_000] {
            #expect(EvidenceRules.trimmedCharacterCount(text, upTo: limit) == min(limit, expected), "limit \(limit)")
        }
    }
}
