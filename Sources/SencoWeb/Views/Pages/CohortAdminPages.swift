/// Creating or editing a cohort (`cohort-form.mustache`).
struct CohortFormPage: PageView {
    static let template = "cohort-form"

    var isNew: Bool
    var action: String
    var csrf: String?
    var id: String
    var title: String
    var provider: String
    var start: String
    /// One tutor a line, as `ID=Full Name`.
    var tutors: String

    var hasErrors: Bool
    var errors: [FieldError]
    var idError: String?
    var titleError: String?
    var providerError: String?
    var startError: String?
    var tutorsError: String?

    /// The cohort's DfE defaults, as typed.
    var dfeSchedules: [SelectOption]
    var dfeScheduleError: String?
    var dfeCohort: String
    var dfeCohortError: String?
    var dfeDeliveryPartner: String
    var dfeDeliveryPartnerError: String?
}

/// Adding one participant to a cohort (`participant-form.mustache`).
struct ParticipantFormPage: PageView {
    static let template = "participant-form"

    var cohort: String
    var cohortTitle: String
    var cohortStart: String
    var csrf: String?
    var id: String
    var name: String
    var school: String
    var tutors: [SelectOption]
    var email: String
    var trn: String
    var started: String

    var hasErrors: Bool
    var errors: [FieldError]
    var idError: String?
    var nameError: String?
    var schoolError: String?
    var tutorError: String?
    var emailError: String?
    var trnError: String?
    var startedError: String?
}

/// Adding participants from a CSV file: the upload form, then the preview of every row
/// (`import.mustache`).
struct ImportPage: PageView {
    static let template = "import"

    struct Row {
        var line: Int
        var id: String
        var name: String
        var school: String
        var email: String
        var trn: String
        var tutor: String
        var started: String
        var ok: Bool
        var problems: [String]
    }

    var cohort: String
    var cohortTitle: String
    var csrf: String?
    var columns: String
    var tutorIDs: String
    var limit: String

    var hasErrors: Bool
    var errors: [FieldError]
    var fileError: String?

    /// Whether rows were read from a file (the page is the preview, not the upload form).
    var preview: Bool
    var count: Int
    var bad: Int
    var allGood: Bool
    var rows: [Row]
    /// The previewed file (base64) and its SHA-256, carried to the confirmation when every row
    /// can be added.
    var file: String?
    var digest: String?
}
