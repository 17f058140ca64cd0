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
    /// Everything sent and recorded.
    var allOK: Bool
    var hasFailed: Bool
    /// Why the run stopped early (401, 403), if it did.
    var stopped: String?
    /// What was left for the next page when this one's sending time ran out.
    var left: Left?

    struct Left {
        var requests: String
        var participants: String
        var seconds: Int
    }
}
