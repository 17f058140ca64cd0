import Foundation
import SencoCore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// How a refused form says what changed: the log's events past the count the form carried, in
/// the scope the form is about; for an evidence item, each field that changed, old and new.
@Suite struct ChangeReportTests {
    static let at = Date(timeIntervalSince1970: 1_790_000_000)

    static func portfolio() throws -> Portfolio {
        let participant = Participant(
            id: "p-1", name: "Alex Rivers", school: "A School", cohort: "c", tutor: "t-1", started: Day(at))
        var portfolio = Portfolio(participant: participant, frameworks: ["npq-senco-2023"], stateSince: at)
        portfolio.log = [
            .activity(
                Activity(
                    at: at, by: "p-1", role: .participant, action: "evidence-added", evidence: "e1",
                    note: "Added evidence e1")),
            .judgement(Judgement(at: at, by: "t-1", role: .tutor, statement: "1.1", status: .met, feedback: "Good.")),
            .judgement(
                Judgement(
                    at: at, by: "m-1", role: .moderator, statement: "1.1", status: .notMet, kind: .second,
                    feedback: "Blind.")),
            .activity(
                Activity(
                    at: at, by: "p-1", role: .participant, action: "mapped", evidence: "e1", statement: "1.2",
                    note: "Mapped e1 to 1.2")),
        ]
        return portfolio
    }

    @Test func listsOnlyTheEventsSinceTheFormInItsScope() throws {
        let latest = try Self.portfolio()
        let names = ["p-1": "Alex Rivers", "t-1": "Dr Grace Okafor"]
        let all = ChangeReport.make(
            latest: latest, origin: FormOrigin(revision: 1, logged: 1), scope: .portfolio, names: names, advice: "")
        #expect(all.events.map(\.text) == ["1.1 judged met", "Mapped e1 to 1.2"], "second marks are not for everyone")
        #expect(all.events.first?.who == "Dr Grace Okafor" && all.events.first?.quote == "Good.")
        let statement = ChangeReport.make(
            latest: latest, origin: FormOrigin(revision: 1, logged: 0), scope: .statement("1.2", kinds: [.first]),
            names: names,
            advice: "")
        #expect(statement.events.map(\.text) == ["Mapped e1 to 1.2"])
        let blind = ChangeReport.make(
            latest: latest, origin: FormOrigin(revision: 1, logged: 0),
            scope: .statement("1.1", kinds: [], secondMarksBy: "m-1"),
            names: names, advice: "")
        #expect(
            blind.events.map(\.text) == ["1.1 second-marked not met"], "a moderator sees their own marks, not the first"
        )
    }

    @Test func saysWhenNothingItMayShowChangedOrTheChangesCannotBeKnown() throws {
        let latest = try Self.portfolio()
        let none = ChangeReport.make(
            latest: latest, origin: FormOrigin(revision: 1, logged: 4), scope: .portfolio, names: [:], advice: "")
        #expect(none.events.isEmpty && none.unlisted?.contains("Nothing this page shows has changed") == true)
        let unknown = ChangeReport.make(
            latest: latest, origin: FormOrigin(revision: 1, logged: nil), scope: .portfolio, names: [:], advice: "")
        #expect(unknown.unlisted?.contains("did not record the version") == true)
        let replaced = ChangeReport.make(
            latest: latest, origin: FormOrigin(revision: 1, logged: 9), scope: .portfolio, names: [:], advice: "")
        #expect(replaced.unlisted?.contains("was replaced") == true)
    }

    @Test func aLongValueTravelsAsItsDigestAndIsStillFoundChanged() throws {
        let fixture = try WebFixture()
        let portfolio = try fixture.store.portfolio("p-demo-01")
        var item = try #require(portfolio.evidenceItem(withID: "e1"))
        item.reflection = String(repeating: "Long reflection. ", count: 200)
        var opened = portfolio
        try opened.replaceEvidence(
            item, by: "p-demo-01", role: .participant, rules: fixture.setup.schemas.rules, at: Self.at,
            today: Day(Self.at))
        let prompts = fixture.setup.schemas.prompts
        let snapshot = EvidenceSnapshot(item, in: opened, rules: fixture.setup.schemas.rules, prompts: prompts)
        let hidden = snapshot.hidden
        #expect(
            hidden.contains { $0.name == "opened-reflection-sha256" }
                && !hidden.contains { $0.name == "opened-reflection" })
        #expect(hidden.contains { $0.name == "opened-title" && $0.value == item.title })
        let carried = try #require(EvidenceSnapshot(FormData(fields: hidden.map { ($0.name, $0.value) })))
        #expect(carried.differences(to: snapshot).isEmpty, "the same values, one of them by digest")
        var changed = item
        changed.reflection += "Added elsewhere."
        changed.title = "New title"
        var now = opened
        try now.replaceEvidence(
            changed, by: "p-demo-01", role: .participant, rules: fixture.setup.schemas.rules, at: Self.at,
            today: Day(Self.at))
        let differences = carried.differences(
            to: EvidenceSnapshot(changed, in: now, rules: fixture.setup.schemas.rules, prompts: prompts))
        #expect(differences.map(\.label) == ["Title", "Reflection"])
        #expect(differences[0].was == item.title && differences[0].now == "New title")
        #expect(
            differences[1].was == nil && differences[1].now == changed.reflection,
            "the long old value is not repeated; the new one is shown")
    }
}
