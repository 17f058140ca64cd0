import Foundation
import SencoCore

/// Lists what changed in a portfolio since a form was opened: the log events since (the log is
/// only ever appended to, so the events past the count the form carries are exactly those), or
/// for an evidence item the fields whose stored value is not the one the form showed.
enum ChangeReport {
    static let heading = "What changed since you opened this page"

    /// - Parameters:
    ///   - latest: the portfolio as it is now.
    ///   - origin: what the form was made from.
    ///   - scope: the events the form is about; when none of them happened, `fallback`'s are
    ///     listed instead (a judgement's form lists the statement's events, else the portfolio's).
    ///   - names: people's names by the ids the log records.
    ///   - fields: fields that differ (evidence forms), listed before any event.
    static func make(
        latest: Portfolio, origin: FormOrigin, scope: ChangeScope, fallback: ChangeScope? = nil,
        names: [String: String], fields: [ChangesView.Field] = [], advice: String
    ) -> ChangesView {
        var events: [ChangesView.Event] = []
        var unlisted: String?
        if let logged = origin.logged, logged <= latest.log.count {
            let since = latest.log[logged...]
            var chosen = since.filter(scope.includes)
            if chosen.isEmpty, fields.isEmpty, let fallback { chosen = since.filter(fallback.includes) }
            events = chosen.map { event(for: $0, names: names) }
            if events.isEmpty && fields.isEmpty {
                unlisted =
                    "Nothing this page shows has changed: the portfolio was saved again (revision \(origin.revision) is now \(latest.revision)) with changes elsewhere."
            }
        } else if fields.isEmpty {
            unlisted =
                origin.logged == nil
                ? "The page you came from did not record the version it showed, so the changes cannot be listed. The page below shows the latest version."
                : "The portfolio was replaced since you opened the page, so the changes cannot be listed. The page below shows the latest version."
        }
        return ChangesView(
            heading: heading, hasFields: !fields.isEmpty, fields: fields, hasEvents: !events.isEmpty, events: events,
            unlisted: unlisted, advice: advice)
    }

    static func event(for event: LogEvent, names: [String: String]) -> ChangesView.Event {
        switch event {
        case .judgement(let judgement):
            let text: String
            switch judgement.kind {
            case .first: text = "\(judgement.statement) judged \(judgement.status.label)"
            case .second: text = "\(judgement.statement) second-marked \(judgement.status.label)"
            case .agreed: text = "\(judgement.statement) agreed after moderation as \(judgement.status.label)"
            }
            return ChangesView.Event(
                when: Present.dateTime(judgement.at), who: names[judgement.by] ?? judgement.by, text: text,
                quote: judgement.feedback.isEmpty ? nil : judgement.feedback)
        case .activity(let activity):
            return ChangesView.Event(
                when: Present.dateTime(activity.at), who: names[activity.by] ?? activity.by,
                text: activity.note.isEmpty ? activity.action : activity.note, quote: nil)
        }
    }
}
