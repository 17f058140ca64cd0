/// What `senco dfe submit` would send for a cohort, request by request with its body, and the
/// button that sends exactly that list (its digest goes with the form, so a list that has
/// changed since is refused and shown again); and the buttons that update the declarations'
/// states from the DfE, as `senco dfe sync` does.
struct DfESubmitPage: PageView {
    static let template = "dfe-submit"

    struct Item {
        var participant: String
        var name: String
        var what: String
        var when: String
        var method: String
        var path: String
        var body: String
    }

    var cohort: String
    var title: String
    var csrf: String?
    /// Whether this server may send to the DfE; when not, nothing is offered to send.
    var configured: Bool
    /// How long one press of the button sends for (`DfESettings.sendingTime`).
    var sendingSeconds: Int
    var api: String
    var hasItems: Bool
    var items: [Item]
    /// "3 requests", "1 request".
    var count: String
    var hasHeld: Bool
    var held: [String]
    var digest: String
    /// The list changed between the page and the confirmation, so nothing was sent.
    var changed: Bool
    var hasProblems: Bool
    var problems: [String]
    /// Where the next update of declaration states starts (the cohort's marker); nil: never
    /// updated, so the next reads everything.
    var syncedSince: String?
}
