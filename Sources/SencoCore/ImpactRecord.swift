import Foundation

/// A baseline-and-impact pair for an intervention or a provision review: what was measured
/// before, the same measure after, and what changed (the Induction Pack's review stage asks for
/// "progress made and extent to which outcomes have been met" and "the evidence to support the
/// judgments made").
public struct ImpactRecord: Sendable, Hashable {
    /// The measure before: what, how and when ("Reading age 6y 2m on the Salford test, 8 January").
    public var baseline: String
    /// The same measure after.
    public var after: String
    /// What changed, and what the participant makes of it.
    public var change: String

    public init(baseline: String, after: String, change: String) {
        self.baseline = baseline
        self.after = after
        self.change = change
    }

    /// All three parts are written.
    public var isComplete: Bool {
        [baseline, after, change].allSatisfy { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }
}
