import Foundation

/// A calendar date with no time or zone (`2025-10-06`), as evidence dates and start dates are.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Parses `YYYY-MM-DD`, refusing dates that do not exist (2025-02-30).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year), year >= 1900
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// A date known to exist (a constant, or one built from another day); `day` is clamped to
    /// the month's length so that a year's shift of 29 February lands on the 28th.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = min(max(month, 1), 12)
        self.day = min(max(day, 1), Day.daysIn(month: self.month, year: year))
    }

    public init(_ date: Date, calendar: Calendar = Day.utc) {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        year = parts.year ?? 1970
        month = parts.month ?? 1
        day = parts.day ?? 1
    }

    public static var today: Day { Day(Date()) }

    public static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!
        return calendar
    }()

    /// `YYYY-MM-DD`. Built digit by digit: `String(format:)` costs microseconds on Linux, and
    /// every evidence item writes one.
    public var description: String {
        guard (0...9999).contains(year) else { return String(format: "%04d-%02d-%02d", year, month, day) }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            Day.writeDigits(year, count: 4, into: buffer, at: 0)
            buffer[4] = UInt8(ascii: "-")
            Day.writeDigits(month, count: 2, into: buffer, at: 5)
            buffer[7] = UInt8(ascii: "-")
            Day.writeDigits(day, count: 2, into: buffer, at: 8)
            return 10
        }
    }

    /// Writes the last `count` decimal digits of a non-negative `value` into `buffer` at `offset`.
    @inlinable
    public static func writeDigits(_ value: Int, count: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var rest = value
        for position in stride(from: offset + count - 1, through: offset, by: -1) {
            buffer[position] = UInt8(truncatingIfNeeded: 48 + rest % 10)
            rest /= 10
        }
    }

    /// Midnight UTC at the start of this day, computed with the proleptic Gregorian calendar's
    /// arithmetic (identical to `Day.utc` for every year a `Day` can hold, 1900 on).
    public var date: Date {
        Date(timeIntervalSince1970: Double(Day.daysSinceEpoch(year: year, month: month, day: day)) * 86_400)
    }

    /// Days from 1970-01-01 to the given date (Howard Hinnant's days-from-civil).
    public static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
