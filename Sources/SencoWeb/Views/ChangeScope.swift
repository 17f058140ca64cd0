import SencoCore

/// Which events of a portfolio's log a refused form lists: those about what the form changes,
/// and only those the person may see (a moderator's blind second marks are never shown to a
/// tutor, a participant or a provider, and a second marker never sees a first mark).
struct ChangeScope: Sendable {
    let includes: @Sendable (LogEvent) -> Bool

    /// Everything the portfolio's own pages show: every activity, and every judgement but the
    /// moderators' blind second marks.
    static let portfolio = ChangeScope { event in
        if case .judgement(let judgement) = event { return judgement.kind != .second }
        return true
    }

    /// One statement: its judgements of `kinds` (and the second marks `secondMarksBy` made
    /// themself), and evidence mapped to it or taken off it.
    static func statement(_ id: String, kinds: Set<Judgement.Kind>, secondMarksBy: String? = nil) -> ChangeScope {
        ChangeScope { event in
            switch event {
            case .judgement(let judgement):
                guard judgement.statement == id else { return false }
                return kinds.contains(judgement.kind) || (judgement.kind == .second && judgement.by == secondMarksBy)
            case .activity(let activity):
                return activity.statement == id && (activity.action == "mapped" || activity.action == "unmapped")
            }
        }
    }

    /// One evidence item: every activity that names it; without its mappings when the changed
    /// fields are listed (its statements are one of them), so that who changed it and when is
    /// said once.
    static func evidence(_ id: String, mappings: Bool = true) -> ChangeScope {
        ChangeScope { event in
            guard case .activity(let activity) = event, activity.evidence == id else { return false }
            return mappings || (activity.action != "mapped" && activity.action != "unmapped")
        }
    }
}
