/// How long each kind of text may be. The same limits hold for the command line, the web forms
/// and `portfolio import`, so no route stores what another would refuse.
public enum TextLimits {
    public static let title = 300
    public static let name = 200
    public static let claim = 2_000
    public static let feedback = 20_000
    public static let reason = 2_000
    public static let reflectionBytes = 200_000

    /// Why `text` is too long for `field`, or nil.
    public static func problem(_ text: String, field: String, limit: Int) -> String? {
        let count = text.count
        return count > limit ? "\(field) is \(count) characters; the limit is \(limit)" : nil
    }
}
