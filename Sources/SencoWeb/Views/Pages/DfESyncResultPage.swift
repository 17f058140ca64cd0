/// What an update of a cohort's declaration states from the DfE found: each declaration and
/// outcome whose state changed, and from when the DfE was asked.
struct DfESyncResultPage: PageView {
    static let template = "dfe-sync-result"

    struct Change {
        var participant: String
        var name: String
        var what: String
        var from: String
        var to: String
    }

    var cohort: String
    var title: String
    /// "changes since 2026-01-31T09:00:00Z", or "everything".
    var asked: String
    /// "2 declarations and 1 outcome changed state".
    var summary: String
    var changes: [Change]
    var hasChanges: Bool
    /// Where the next update starts, when this one moved the marker.
    var kept: String?
    /// Why the update stopped (the API's refusal or failure), if it did.
    var error: String?
}
