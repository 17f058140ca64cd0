/// A participant's DfE record for the provider: who they are in the lead-provider API, each
/// declaration with the state the API last reported, and what is held back and why.
struct DfEParticipantPage: PageView {
    static let template = "dfe-participant"

    struct DeclarationRow {
        var type: String
        /// senco's readiness: ready, due, not yet, not applicable.
        var status: String
        var date: String?
        /// The state the API last reported, or nil when not declared.
        var state: String?
        var dfeID: String?
        /// The DfE still counts it, so it can be voided (`/provider/portfolios/P/dfe/void/TYPE`).
        var voidable: Bool
    }

    var id: String
    var name: String
    var cohort: String
    var cohortTitle: String
    var hasIdentity: Bool
    var identity: [LabelledValue]
    var declarations: [DeclarationRow]
    /// Why what is ready is not sent now (one line each).
    var hasHeld: Bool
    var held: [String]
    /// How many requests `dfe submit` would send for this participant now, in words.
    var toSend: String
    /// The DfE's training status can be changed from here: deferred (when active) or resumed
    /// (when deferred or withdrawn).
    var canDefer: Bool
    var canResume: Bool
    /// A completed declaration the DfE holds for a portfolio no longer signed off (reopened):
    /// what it is, so the page offers its void.
    var completedAfterReopening: String?
}
