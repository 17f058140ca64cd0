/// The confirmation before voiding a declaration made in error: exactly what is sent (`PUT
/// /api/v3/participant-declarations/{id}/void`, no body), what the DfE then does, and a button
/// that sends it. A refusal by the API comes back here, in words.
struct DfEVoidPage: PageView {
    static let template = "dfe-void"

    /// The declaration the log records for the milestone, which the DfE still counts.
    struct Declaration {
        var dfeID: String
        var state: String
        /// Paid already: voiding makes it `awaiting_clawback`.
        var paid: Bool
        /// What is sent: method and path.
        var request: String
        /// For `completed`: the outcome the DfE made from it, which voiding retracts.
        var outcome: String?
    }

    var id: String
    var name: String
    var cohort: String
    var type: String
    var csrf: String?
    /// The portfolio revision this page was made from: the confirmation must match it.
    var revision: Int
    /// Whether this server may send to the DfE; when not, nothing is offered.
    var configured: Bool
    var api: String
    /// nil: the DfE holds no declaration of this type that can be voided.
    var declaration: Declaration?
    /// The portfolio changed after the page was read, so nothing was sent.
    var changed: Bool
    /// The API's refusal or failure, in words.
    var error: String?
}
