import Foundation
import Hummingbird
import SencoCore

/// A cohort list's filters from the query string: a state, a tutor of the cohort and a search on
/// name or participant id. Anything unusable (an unknown state or tutor) is no filter at all,
/// never an error page. Matching reads only the summary.
struct CohortFilter {
    var search: String
    var state: CompletionRow.State?
    var tutor: String?

    init(_ query: Parameters, cohort: Cohort) {
        // A form sent by GET encodes a space as "+", which the query parser leaves as it is.
        search = String(query["q"] ?? "").replacingOccurrences(of: "+", with: " ").trimmingCharacters(in: .whitespaces)
        state = query["state"].flatMap { CompletionRow.State(rawValue: String($0)) }
        tutor = query["tutor"].map(String.init).flatMap { id in cohort.tutors.contains { $0.id == id } ? id : nil }
    }

    var isActive: Bool { !search.isEmpty || state != nil || tutor != nil }

    /// The filters as query items, for page links that keep them.
    var query: [(String, String)] { [("q", search), ("state", state?.rawValue ?? ""), ("tutor", tutor ?? "")] }

    func matches(_ summary: PortfolioSummary) -> Bool {
        if let state, CompletionRow.State(summary.state) != state { return false }
        if let tutor, summary.participant.tutor != tutor { return false }
        if search.isEmpty { return true }
        return summary.participant.name.localizedCaseInsensitiveContains(search)
            || summary.participant.id.localizedCaseInsensitiveContains(search)
    }

    /// The state and tutor choices for the filter form, with the chosen ones selected.
    func options(for cohort: Cohort) -> (states: [SelectOption], tutors: [SelectOption]) {
        (
            CompletionRow.State.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == state)
            },
            cohort.tutors.map { SelectOption(value: $0.id, label: $0.name, selected: $0.id == tutor) }
        )
    }

    /// A key for what was rendered with these filters.
    var key: String { "q=\(search)&state=\(state?.rawValue ?? "")&tutor=\(tutor ?? "")" }
}
