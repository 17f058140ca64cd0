import Foundation
import SencoCore

/// `xs:dateTime` values as the project writes them: UTC, seconds precision, `Z` suffix.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = Int((Double(seconds) / 86_400).rounded(.down))
        let civil = civilFromDays(day)
        let rest = seconds - day * 86_400
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", civil.year, civil.month, civil.day, rest / 3600, (rest / 60) % 60,
            rest % 60)
    }

    /// Parses `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`.
    public static func date(_ text: String) -> Date? {
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
