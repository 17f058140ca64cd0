/// The three kinds of statement the two frameworks contain.
public enum StatementKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An NPQ "Learn that…" statement: knowledge, evidenced by reflection drawing on reading.
    case learnThat = "learn-that"
    /// An NPQ "Learn how to…" statement: practice, evidenced by something done in school.
    case learnHowTo = "learn-how-to"
    /// A National Award learning outcome.
    case outcome

    public var label: String {
        switch self {
        case .learnThat: "Learn that…"
        case .learnHowTo: "Learn how to…"
        case .outcome: "Learning outcome"
        }
    }
}
