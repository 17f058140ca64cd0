/// The provider's form for a participant's DfE identity, validated as `senco participant dfe`
/// validates it; a refused form comes back with what was typed and every error linked.
struct DfEIdentityFormPage: PageView {
    static let template = "dfe-identity-form"

    var id: String
    var name: String
    var csrf: String?
    var revision: Int
    var hasErrors: Bool
    var errors: [FieldError]
    /// Someone changed the portfolio since the form was read.
    var conflict: String?
    var dfeID: String
    var dfeIDError: String?
    var trn: String
    var trnError: String?
    var schedules: [SelectOption]
    var scheduleError: String?
    var dfeCohort: String
    var dfeCohortError: String?
    /// The cohort's defaults, named in the hints.
    var cohortYear: String
    var cohortPartner: String
    var deliveryPartner: String
    var deliveryPartnerError: String?
    var fundedPlaces: [SelectOption]
    var statuses: [SelectOption]
    var trainingStatusError: String?
}
