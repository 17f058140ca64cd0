/// Telling the DfE a participant has deferred or resumed: for a deferral, the DfE's reason is
/// chosen first; then the exact request (method, path, JSON body) is shown with the button that
/// sends it. A refusal by the API comes back here, in words.
struct DfEStatusChangePage: PageView {
    static let template = "dfe-status-change"

    /// The request as it will be sent.
    struct Request {
        var method: String
        var path: String
        var body: String
        /// The deferral reason carried to the sending step.
        var reason: String?
    }

    var id: String
    var name: String
    var cohort: String
    /// `defer` or `resume`: the route and the words.
    var action: String
    var isDefer: Bool
    var heading: String
    var csrf: String?
    var revision: Int
    var configured: Bool
    var api: String
    /// The participant has a DfE participant id; without one nothing can be sent.
    var hasIdentity: Bool
    /// Their training status as senco last recorded it.
    var status: String
    /// The DfE's deferral reasons, to choose from (before the request is shown).
    var reasons: [SelectOption]
    var hasErrors: Bool
    var errors: [FieldError]
    var reasonError: String?
    /// Set once there is a request to confirm.
    var request: Request?
    /// The portfolio changed after the page was read, so nothing was sent.
    var changed: Bool
    /// The API's refusal or failure, in words.
    var error: String?
}
