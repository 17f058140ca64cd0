import Foundation
import Testing

@testable import SencoData

/// `Timestamp` writes and reads `xs:dateTime` without Foundation's formatters (issue 7).
struct TimestampTests {
    @Test func writesWhatISO8601DateFormatterWrites() {
        let formatter = ISO8601DateFormatter()
        var seconds = -2_208_988_800.0  // 1900-01-01
        while seconds < 4_102_444_800 {  // 2100-01-01
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Timestamp.string(date) == formatter.string(from: date))
            #expect(Timestamp.date(Timestamp.string(date)) == date)
            seconds += 86_400 * 17 + 3_661
        }
    }

    @Test(arguments: [
        ("2025-10-05T21:33:20Z", 1_759_700_000.0), ("2024-02-29T00:00:00Z", 1_709_164_800),
        ("2025-10-05T22:33:20+01:00", 1_759_700_000), ("2025-10-05T21:33:20.5Z", 1_759_700_000.5),
    ])
    func readsTheFormsItAccepts(text: String, seconds: Double) {
        #expect(Timestamp.date(text) == Date(timeIntervalSince1970: seconds))
    }

    @Test(arguments: [
        "2025-02-30T00:00:00Z", "2025-13-01T00:00:00Z", "2025-10-05T24:00:00Z", "2025-10-05T21:60:00Z",
        "1899-12-31T00:00:00Z", "2025-10-05 21:33:20Z", "2025-10-05T21:33:20", "2025-1O-05T21:33:20Z", "",
    ])
    func refusesWhatIsNotADateTime(text: String) {
        #expect(Timestamp.date(text) == nil)
    }
}
