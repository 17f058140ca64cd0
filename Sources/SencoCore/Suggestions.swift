/// "Did you mean" for every kind of id a user types: statements, participants, cohorts,
/// evidence, tutors. One rule, so every message reads the same.
public enum Suggestions {
    /// Up to `limit` of `candidates` closest to `id` by edit distance, nearest first; only ones
    /// near enough to be a plausible typo.
    public static func closest(to id: String, among candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        let wanted = id.lowercased()
        let scored = candidates.map { ($0, editDistance(wanted, $0.lowercased())) }
        let best = scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return best.prefix(limit).filter { $0.1 <= max(2, wanted.count / 2) }.map(\.0)
    }

    /// `"; did you mean a, b?"`, or nothing when no candidate is close.
    public static func phrase(for id: String, among candidates: some Sequence<String>) -> String {
        let found = closest(to: id, among: candidates)
        return found.isEmpty ? "" : "; did you mean \(found.joined(separator: ", "))?"
    }
}
