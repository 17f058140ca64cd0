/// Participants from the DfE's participants list (`GET /api/v3/participants/npq`), a saved file
/// or fetched live: the form, then a preview of every participant checked, with conflicts listed,
/// and a button that stores exactly what was previewed.
struct DfEImportPage: PageView {
    static let template = "dfe-import"

    struct NewRow {
        var id: String
        var dfeID: String
        var name: String
        var trn: String
        var schedule: String
        var status: String
    }

    struct UpdateRow {
        var id: String
        var dfeID: String
        var change: String
    }

    var cohort: String
    var cohortTitle: String
    var csrf: String?
    var hasErrors: Bool
    var errors: [FieldError]
    var fileError: String?
    /// Whether this server can fetch from the DfE (its settings), and where.
    var configured: Bool
    var api: String
    /// The provider chose to fetch from the DfE rather than upload a file.
    var fromDfE: Bool
    var sourceError: String?
    var tutors: [SelectOption]
    var tutorError: String?
    var dfeCohort: String
    var dfeCohortError: String?
    var limit: String
    /// Set once a file has been checked.
    var preview: Preview?

    struct Preview {
        var hasCreates: Bool
        var creates: [NewRow]
        var hasUpdates: Bool
        var updates: [UpdateRow]
        var unchanged: Int
        var hasConflicts: Bool
        var conflicts: [String]
        var hasSkipped: Bool
        var skipped: [String]
        var skippedCount: Int
        /// Participants the confirmation adds or changes.
        var count: Int
        var hasWork: Bool
        /// The confirmation button's words.
        var confirm: String
        var tutor: String
        var tutorName: String
        var dfeCohort: String
        var file: String
        /// Where the participants were read from, in words.
        var source: String
        var fromDfE: Bool
        /// The file's SHA-256: the confirmation must bring back the same file.
        var digest: String
        /// What the import would do: the confirmation stores only if that is still so.
        var planDigest: String
        /// The store changed between the preview and the confirmation.
        var changed: Bool
    }
}
