/// Rules for the ids that name cohorts, participants, staff and evidence. Ids become file names
/// and URL path segments, so they are restricted to lowercase letters, digits and single hyphens:
/// no dots, slashes or anything else that could move a path.
public enum Identifier {
    public static let maximumLength = 64

    public static func isValid(_ id: String) -> Bool {
        guard !id.isEmpty, id.count <= maximumLength, id.first != "-", id.last != "-", !id.contains("--") else {
            return false
        }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Why `id` is not valid, phrased for a one-line error, or nil when it is.
    public static func problem(with id: String, what: String) -> String? {
        if isValid(id) { return nil }
        if id.isEmpty { return "\(what) id is empty" }
        if id.count > maximumLength { return "\(what) id \(id.quotedForMessage(limit: 20)) is longer than \(maximumLength) characters" }
        return "\(what) id \(id.quotedForMessage()) may only contain lowercase letters, digits and single hyphens (no dots or slashes)"
    }
}
