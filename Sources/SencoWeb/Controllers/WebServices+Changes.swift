import Foundation
import SencoCore
import SencoStore

extension WebServices {
    /// People's names by the ids a portfolio's log records: the participant's own, and their
    /// cohort's tutors'. Anyone else (a provider, a moderator) is shown by their user name.
    func names(in portfolio: Portfolio) async -> [String: String] {
        var names = [portfolio.participant.id: portfolio.participant.name]
        for tutor in (try? await store.cohort(portfolio.participant.cohort))?.tutors ?? [] where names[tutor.id] == nil
        {
            names[tutor.id] = tutor.name
        }
        return names
    }

    /// Whether a change was refused because someone else changed the portfolio since the form
    /// was opened (or was saving a change at that moment).
    static func isStale(_ error: any Error) -> Bool {
        guard let store = error as? StoreError else { return false }
        return store.code == .staleRevision || store.code == .busy
    }

    /// Why a change was refused because of someone else's, for the error summary of the form
    /// that comes back (the list of changes below it says what to do).
    static func conflictMessage(_ error: StoreError) -> String {
        error.code == .busy
            ? "Someone else was saving a change to this portfolio at the same moment, so yours was not saved."
            : "This portfolio changed after you opened the page (a change saved in another window, or by someone else), so yours was not saved."
    }
}
