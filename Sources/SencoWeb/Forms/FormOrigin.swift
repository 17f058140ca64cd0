import SencoCore

/// The version of a portfolio a form was made from, as the form carries it back: the revision,
/// which the store checks (a stale one is refused), and how many events of the portfolio's log
/// the page was made from, so that a refused change can list what happened since.
///
/// A form shown again after a rule refused it (422) keeps the origin it was posted with, even
/// though the page around it is read afresh: only a page that has listed the changes since (the
/// 409 answer) may carry a newer revision, so that saving over someone else's change is always
/// a decision made with that change in view.
struct FormOrigin: Sendable, Equatable {
    var revision: Int
    /// The number of log events the page showed; nil from a form made before pages said.
    var logged: Int?

    init(revision: Int, logged: Int?) {
        self.revision = revision
        self.logged = logged
    }

    /// The version a page made from `portfolio` shows.
    init(_ portfolio: Portfolio) {
        self.init(revision: portfolio.revision, logged: portfolio.log.count)
    }

    /// The origin a posted form names; a form without a revision cannot be read (400).
    static func posted(_ form: FormData) throws -> FormOrigin {
        guard let revision = Int(form["revision"]) else { throw WebError.badForm }
        return FormOrigin(revision: revision, logged: Int(form["logged"]).flatMap { $0 >= 0 ? $0 : nil })
    }
}
