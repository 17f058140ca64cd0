import Foundation

extension Date {
    /// This instant truncated to whole seconds, the precision portfolios record, so a value
    /// written and read back compares equal.
    public var wholeSeconds: Date {
        Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down))
    }
}
