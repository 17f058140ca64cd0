import SencoStore
import SencoCore

/// Who may do what with a portfolio. Every route asks here; nothing is decided in a template.
///
/// - participant: only their own portfolio, and only they change its evidence and submit it;
/// - tutor: only the portfolios of their own participants, which they judge, return and sign off;
/// - moderator: only portfolios in a moderation sample assigned to them (or unassigned), through
///   the moderation pages, which hide first marks until reconciliation and redact sensitive evidence;
/// - provider: every portfolio, read-only, with the reports and packs.
enum Access {
    static func canView(_ user: SignedInUser, _ portfolio: Portfolio) -> Bool {
        switch user.role {
        case .participant: user.participant == portfolio.id
        case .tutor: user.tutor != nil && user.tutor == portfolio.participant.tutor
        case .provider: true
        default: false
        }
    }

    static func canEdit(_ user: SignedInUser, _ portfolioID: String) -> Bool {
        user.role == .participant && user.participant == portfolioID
    }

    static func canJudge(_ user: SignedInUser, _ portfolio: Portfolio) -> Bool {
        user.role == .tutor && user.tutor != nil && user.tutor == portfolio.participant.tutor
    }

    static func canModerate(_ user: SignedInUser, participant: String, plans: [ModerationPlan]) -> Bool {
        guard user.role == .moderator else { return false }
        return plans.contains { plan in
            plan.entries.contains { $0.participant == participant && ($0.moderator == nil || $0.moderator == user.id) }
        }
    }
}
