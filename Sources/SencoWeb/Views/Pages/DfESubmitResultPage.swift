/// What became of each request of a confirmed submission.
struct DfESubmitResultPage: PageView {
    static let template = "dfe-submit-result"

    struct Line {
        var participant: String
        var name: String
        var what: String
        var result: String
        var ok: Bool
    }

    var cohort: String
    var title: String
    var lines: [Line]
    var hasLines: Bool
    var succeeded: Int
    var failed: Int
    var allOK: Bool
    /// Why the run stopped early (401, 403), if it did.
    var stopped: String?
}
