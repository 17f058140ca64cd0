/// What the DfE answered to one action on a participant (a void, a deferral, a resumption) and
/// what senco recorded, with what may follow.
struct DfEActionResultPage: PageView {
    static let template = "dfe-action-result"

    var id: String
    var name: String
    var cohort: String
    var heading: String
    /// What the DfE now holds.
    var answer: [LabelledValue]
    /// What follows from it (declare again, clawback…).
    var notes: [String]
    var hasNotes: Bool
    /// The DfE made the change but the log could not record it, and why.
    var unrecorded: String?
}
