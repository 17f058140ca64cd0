import Foundation
import Hummingbird
import SencoCore
import SencoStore

/// The participant's feedback loop: for each statement, its status, the tutor's latest feedback
/// and the history of judgements, with the return note, the sign-off outcome and a fail's
/// reason. Who may see it is who may see the portfolio (`viewable`): the participant
/// themself, their tutor and the provider.
///
/// A moderator's blind second marks are not shown: they inform reconciliation, and only the
/// agreed outcome (a judgement of its own) changes a statement's status.
extension PortfolioController {
    func feedback(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await viewable(context)
        let framework = services.npq
        let own = Access.canEdit(user, portfolio.id)
        let editable = own && portfolio.state.allowsParticipantChanges
        let tutors = (try? await services.store.cohort(portfolio.participant.cohort))?.tutors ?? []
        let names = Dictionary(tutors.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let sections = framework.npqSections
        let chosen = request.uri.queryParameters["section"].flatMap { Int(String($0)) }.flatMap { number in
            sections.contains { $0.number == number } ? number : nil
        }

        var counts: [JudgementStatus: Int] = [:]
        for statement in framework.statements { counts[portfolio.status(of: statement.id), default: 0] += 1 }

        let shown = sections.filter { chosen == nil || $0.number == chosen }
        let sectionValues = shown.map { section in
            let statements = (section.learnThat + section.learnHowTo).map { statement in
                let status = portfolio.status(of: statement.id)
                let history = portfolio.history(of: statement.id).filter { $0.kind != .second }
                let latest = portfolio.latestJudgement(of: statement.id)?.feedback ?? ""
                return FeedbackPage.Statement(
                    id: statement.id, domID: "fb-" + statement.id.replacingOccurrences(of: ".", with: "-"),
                    text: statement.text, status: status.label, statusKey: status.rawValue,
                    latestFeedback: latest.isEmpty ? nil : latest, gap: editable && status != .met,
                    hasHistory: !history.isEmpty, historyCount: history.count,
                    history: history.reversed().map { judgement in
                        FeedbackPage.Judgement(
                            when: Present.dateTime(judgement.at), judged: judgement.status.label,
                            who: Self.who(judgement, names: names),
                            note: judgement.feedback.isEmpty ? nil : judgement.feedback)
                    })
            }
            return FeedbackPage.Section(number: section.number, title: section.title, statements: statements)
        }
        let sectionLinks =
            [
                FeedbackPage.SectionLink(
                    href: "/portfolios/\(portfolio.id)/feedback", label: "All sections", current: chosen == nil)
            ]
            + sections.map {
                FeedbackPage.SectionLink(
                    href: "/portfolios/\(portfolio.id)/feedback?section=\($0.number)", label: "Section \($0.number)",
                    current: $0.number == chosen)
            }
        let outcome = portfolio.state == .signedOff ? portfolio.outcome : nil
        let view = FeedbackPage(
            own: own, participant: portfolio.id, name: portfolio.participant.name, state: portfolio.state.label,
            outcome: outcome?.rawValue,
            failReason: outcome != nil && outcome != .passed && !portfolio.stateNote.isEmpty
                ? portfolio.stateNote : nil,
            returnNote: portfolio.state == .returned && !portfolio.stateNote.isEmpty ? portfolio.stateNote : nil,
            counts: JudgementStatus.allCases.reversed().map {
                FeedbackPage.Count(label: $0.label, count: counts[$0] ?? 0)
            },
            sectionLinks: sectionLinks, sections: sectionValues)
        let base = own ? "Feedback on my portfolio" : "Feedback on the portfolio of \(portfolio.participant.name)"
        return services.views.page(
            view, title: base + (chosen.map { ", section \($0)" } ?? ""),
            chrome: await services.chrome(context))
    }

    /// Who made a judgement, as the participant knows them.
    static func who(_ judgement: Judgement, names: [String: String]) -> String {
        switch judgement.kind {
        case .agreed: return "agreed after moderation"
        default:
            if judgement.role == .provider { return "the provider" }
            return names[judgement.by].map { "\($0) (tutor)" } ?? "a tutor"
        }
    }
}
