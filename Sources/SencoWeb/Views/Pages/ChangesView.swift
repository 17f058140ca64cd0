/// What changed in a portfolio since a form was opened, shown when the change the form asked
/// for was refused because of it (409) (`changes.mustache`, inside `{{#changes}}`).
struct ChangesView {
    /// One event of the portfolio's log.
    struct Event {
        var when: String
        var who: String
        var text: String
        /// The feedback, reason or note that went with it.
        var quote: String?
    }

    /// One field of an evidence item whose stored value is not the one the form showed.
    struct Field {
        var label: String
        /// The value when the form was opened; nil when the form carried only its digest.
        var was: String?
        /// Said instead of `was` when the form did not carry the value itself.
        var wasNote: String?
        var now: String
    }

    var heading: String
    var hasFields: Bool
    var fields: [Field]
    var hasEvents: Bool
    var events: [Event]
    /// Said when no change the person may see can be listed.
    var unlisted: String?
    var advice: String
}
