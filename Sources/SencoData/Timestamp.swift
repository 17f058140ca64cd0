import Foundation
import SencoCore

/// `xs:dateTime` values as the project writes them: UTC, seconds precision, `Z` suffix.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = Int((Double(seconds) / 86_400).rounded(.down))
        let civil = civilFromDays(day)
        let rest = seconds - day * 86_400
        guard (0...9999).contains(civil.year) else {
            return String(
                format: "%04d-%02d-%02dT%02d:%02d:%02dZ", civil.year, civil.month, civil.day, rest / 3600, (rest / 60) % 60,
                rest % 60)
        }
        // Digit by digit rather than String(format:), which costs microseconds on Linux and runs
        // for every item and judgement written.
        return String(unsafeUninitializedCapacity: 20) { buffer in
            Day.writeDigits(civil.year, count: 4, into: buffer, at: 0)
            buffer[4] = UInt8(ascii: "-")
            Day.writeDigits(civil.month, count: 2, into: buffer, at: 5)
            buffer[7] = UInt8(ascii: "-")
            Day.writeDigits(civil.day, count: 2, into: buffer, at: 8)
            buffer[10] = UInt8(ascii: "T")
            Day.writeDigits(rest / 3600, count: 2, into: buffer, at: 11)
            buffer[13] = UInt8(ascii: ":")
            Day.writeDigits((rest / 60) % 60, count: 2, into: buffer, at: 14)
            buffer[16] = UInt8(ascii: ":")
            Day.writeDigits(rest % 60, count: 2, into: buffer, at: 17)
            buffer[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// Parses `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`.
    public static func date(_ text: String) -> Date? {
        if let date = wholeSecondsUTC(text.utf8) { return date }
        let scalars = Array(text.utf8)
        guard scalars.count >= 19, scalars[4] == UInt8(ascii: "-"), scalars[7] == UInt8(ascii: "-"),
            scalars[10] == UInt8(ascii: "T"), scalars[13] == UInt8(ascii: ":"), scalars[16] == UInt8(ascii: ":"),
            let day = Day(String(text.prefix(10)))
        else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: scalars[range], as: UTF8.self)) }
        guard let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < scalars.count, scalars[index] == UInt8(ascii: ".") {
            var digits = ""
            index += 1
            while index < scalars.count, (48...57).contains(scalars[index]) {
                digits.append(Character(UnicodeScalar(scalars[index])))
                index += 1
            }
            fraction = Double("0." + digits) ?? 0
        }
        var offset = 0
        let zone = String(decoding: scalars[index...], as: UTF8.self)
        if zone == "Z" {
            offset = 0
        } else if zone.count == 6, let sign = zone.first, sign == "+" || sign == "-",
            let h = Int(zone.dropFirst().prefix(2)), let m = Int(zone.suffix(2))
        {
            offset = (h * 3600 + m * 60) * (sign == "-" ? -1 : 1)
        } else {
            return nil
        }
        let secondsIntoDay: Int = hour * 3600 + minute * 60 + second - offset
        let base: Double = day.date.timeIntervalSince1970 + Double(secondsIntoDay)
        return Date(timeIntervalSince1970: base + fraction)
    }

    /// The form this project writes, `YYYY-MM-DDThh:mm:ssZ`, parsed with integer arithmetic; nil
    /// for anything else (which then takes the general path).
    static func wholeSecondsUTC(_ utf8: String.UTF8View) -> Date? {
        guard utf8.count == 20 else { return nil }
        return utf8.withContiguousStorageIfAvailable { u -> Date? in
            guard u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), u[10] == UInt8(ascii: "T"), u[13] == UInt8(ascii: ":"),
                u[16] == UInt8(ascii: ":"), u[19] == UInt8(ascii: "Z")
            else { return nil }
            func number(_ from: Int, _ to: Int) -> Int? {
                var value = 0
                for i in from..<to {
                    guard (48...57).contains(u[i]) else { return nil }
                    value = value * 10 + Int(u[i]) - 48
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 7), let day = number(8, 10), let hour = number(11, 13),
                let minute = number(14, 16), let second = number(17, 19), year >= 1900, (1...12).contains(month), day >= 1,
                day <= Day.daysIn(month: month, year: year), hour < 24, minute < 60, second < 61
            else { return nil }
            let days = Day.daysSinceEpoch(year: year, month: month, day: day)
            return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3_600 + minute * 60 + second))
        } ?? nil
    }

    /// Howard Hinnant's days-to-civil algorithm: no Calendar, so it is fast and zone-free.
    private static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
