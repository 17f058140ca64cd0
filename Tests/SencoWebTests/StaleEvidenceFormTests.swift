import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// The participant's forms after someone else changed the portfolio since the page was opened:
/// nothing is stored, the answer is 409 with what was typed and what changed, and the form then
/// names the latest version, so that saving again works, as a decision made with the change in
/// view. Each form names the revision and the log it was made from; an evidence item's forms
/// also carry the values they showed, so the fields that changed are listed, old and new.
@Suite struct StaleEvidenceFormTests {
    static let edit = "/portfolios/p-demo-01/evidence/e1"
    static let typed = "My reflection, typed in this window: <kept> & “quoted”."

    @Test func aStaleEditListsEachChangedFieldOldAndNewThenSavesWhenSentAgain() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let opened = String(buffer: try await participant.get(client, Self.edit).body)
            let hidden = try StaleForm.hidden(opened, action: Self.edit)
            #expect(StaleForm.value("opened-title", in: hidden) == "Reading log: SEND Code of Practice, chapter 6")
            #expect(StaleForm.value("logged", in: hidden) != nil)
            try StaleForm.retitle(fixture, to: "Retitled in the other window")
            let before = fixture.snapshot()

            let refused = try await participant.post(
                client, Self.edit, hidden + StaleForm.evidence(title: "My typed title", reflection: Self.typed))
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(fixture.snapshot() == before, "nothing stored")
            #expect(page.contains("value=\"My typed title\""), "the typed title is kept")
            #expect(page.contains(Self.typed.htmlEscapedForTest), "and the typed reflection")
            #expect(page.contains("<dt>Title</dt>"), "the changed field is listed")
            #expect(
                page.contains(
                    "When you opened the page: <span class=\"prewrap\">Reading log: SEND Code of Practice, chapter 6</span>"
                ))
            #expect(page.contains("Now: <span class=\"prewrap\">Retitled in the other window</span>"))
            #expect(!page.contains("<dt>Reflection</dt>"), "an unchanged field is not")
            #expect(page.contains("Edited evidence e1 (Alex Rivers)"), "and who changed it, and when")
            #expect(page.contains("href=\"#changes\""), "the error summary leads to the changes")

            let again = try StaleForm.hidden(page, action: Self.edit)
            #expect(
                StaleForm.value("opened-title", in: again) == "Retitled in the other window",
                "the form now names the latest version")
            let saved = try await participant.post(
                client, Self.edit, again + StaleForm.evidence(title: "My typed title", reflection: Self.typed))
            #expect(saved.status == .seeOther)
            #expect(try fixture.store.portfolio("p-demo-01").evidenceItem(withID: "e1")?.title == "My typed title")
        }
    }

    @Test func aStaleNewItemListsWhatHappenedSinceThenAdds() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let action = "/portfolios/p-demo-01/evidence"
            let opened = String(buffer: try await participant.get(client, "/portfolios/p-demo-01/evidence/new").body)
            let hidden = try StaleForm.hidden(opened, action: action)
            try StaleForm.retitle(fixture, to: "Retitled in the other window")
            let before = fixture.snapshot()
            let refused = try await participant.post(
                client, action, hidden + StaleForm.evidence(title: "A new item", reflection: Self.typed))
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(fixture.snapshot() == before)
            #expect(page.contains("value=\"A new item\""))
            #expect(
                page.contains("Edited evidence e1 (Alex Rivers)"), "the other window's edit is listed, with who made it"
            )
            let count = try fixture.store.portfolio("p-demo-01").evidence.count
            let added = try await participant.post(
                client, action,
                try StaleForm.hidden(page, action: action)
                    + StaleForm.evidence(title: "A new item", reflection: Self.typed))
            #expect(added.status == .seeOther)
            #expect(try fixture.store.portfolio("p-demo-01").evidence.count == count + 1)
        }
    }

    @Test func aStaleRemovalRemovesNothingUntilSentAgain() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let action = Self.edit + "/delete"
            let opened = String(buffer: try await participant.get(client, Self.edit).body)
            let hidden = try StaleForm.hidden(opened, action: action)
            try StaleForm.retitle(fixture, to: "Retitled in the other window")
            let before = fixture.snapshot()
            let refused = try await participant.post(client, action, hidden)
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(fixture.snapshot() == before, "e1 is still there")
            #expect(page.contains("Nothing was removed"))
            #expect(page.contains("Now: <span class=\"prewrap\">Retitled in the other window</span>"))
            let removed = try await participant.post(client, action, try StaleForm.hidden(page, action: action))
            #expect(removed.status == .seeOther)
            #expect(try fixture.store.portfolio("p-demo-01").evidenceItem(withID: "e1") == nil)
        }
    }

    @Test func aStaleUploadStoresNoBytesUntilSentAgain() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let action = Self.edit + "/attachments"
            let opened = String(buffer: try await participant.get(client, Self.edit).body)
            let hidden = try StaleForm.hidden(opened, action: action)
            try StaleForm.retitle(fixture, to: "Retitled in the other window")
            let before = fixture.snapshot()
            let bytes = Array("Meeting notes from the other day".utf8)
            let refused = try await participant.upload(client, action, fields: hidden, name: "notes.txt", bytes: bytes)
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(fixture.snapshot() == before, "no blob, no change")
            #expect(page.contains("Choose the file again"))
            #expect(page.contains("Now: <span class=\"prewrap\">Retitled in the other window</span>"))
            let attached = try await participant.upload(
                client, action, fields: try StaleForm.hidden(page, action: action), name: "notes.txt", bytes: bytes)
            #expect(attached.status == .seeOther)
            #expect(
                try fixture.store.portfolio("p-demo-01").evidenceItem(withID: "e1")?.attachments.map(\.name) == [
                    "notes.txt"
                ])
        }
    }

    @Test func anItemRemovedMeanwhileComesBackAsANewItemHoldingTheText() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let opened = String(buffer: try await participant.get(client, Self.edit).body)
            let hidden = try StaleForm.hidden(opened, action: Self.edit)
            try StaleForm.elsewhere(fixture, "p-demo-01") { p in
                _ = try p.removeEvidence("e1", by: "p-demo-01", role: .participant, at: StaleForm.elsewhereTime)
            }
            let before = fixture.snapshot()
            let refused = try await participant.post(
                client, Self.edit, hidden + StaleForm.evidence(title: "Still wanted", reflection: Self.typed))
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(fixture.snapshot() == before)
            #expect(page.contains("Evidence e1 was removed after you opened the page"))
            #expect(page.contains("value=\"Still wanted\""))
            let action = "/portfolios/p-demo-01/evidence"
            #expect(page.contains("action=\"\(action)\""), "the form now adds a new item")
            let added = try await participant.post(
                client, action,
                try StaleForm.hidden(page, action: action)
                    + StaleForm.evidence(title: "Still wanted", reflection: Self.typed))
            #expect(added.status == .seeOther)
            #expect(try fixture.store.portfolio("p-demo-01").evidence.contains { $0.title == "Still wanted" })
        }
    }

    /// "Show prompts for this type" redraws the form; it must not quietly move the form on to
    /// the latest version, or the next save would overwrite a change nobody has seen.
    @Test func showingPromptsKeepsTheVersionTheFormWasOpenedAt() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let opened = String(buffer: try await participant.get(client, Self.edit).body)
            let hidden = try StaleForm.hidden(opened, action: Self.edit)
            try StaleForm.retitle(fixture, to: "Retitled in the other window")
            let prompts = try await participant.post(
                client, Self.edit + "/prompts",
                hidden + StaleForm.evidence(title: "My typed title", reflection: Self.typed))
            #expect(prompts.status == .ok)
            let redrawn = try StaleForm.hidden(String(buffer: prompts.body), action: Self.edit)
            #expect(StaleForm.value("revision", in: redrawn) == StaleForm.value("revision", in: hidden))
            #expect(StaleForm.value("opened-title", in: redrawn) == "Reading log: SEND Code of Practice, chapter 6")
            let refused = try await participant.post(
                client, Self.edit, redrawn + StaleForm.evidence(title: "My typed title", reflection: Self.typed))
            #expect(refused.status == .conflict, "saving from the redrawn form shows the other change first")
            #expect(
                try fixture.store.portfolio("p-demo-01").evidenceItem(withID: "e1")?.title
                    == "Retitled in the other window")
        }
    }

    @Test func aStaleSubmissionSubmitsNothingUntilSentAgain() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let action = "/portfolios/p-demo-01/submit"
            let opened = String(buffer: try await participant.get(client, "/portfolios/p-demo-01").body)
            let hidden = try StaleForm.hidden(opened, action: action)
            try StaleForm.retitle(fixture, to: "Retitled in the other window")
            let before = fixture.snapshot()
            let refused = try await participant.post(client, action, hidden)
            #expect(refused.status == .conflict)
            let page = String(buffer: refused.body)
            #expect(fixture.snapshot() == before)
            #expect(try fixture.store.portfolio("p-demo-01").state == .draft)
            #expect(page.contains("Edited evidence e1"))
            #expect(page.contains("Retitled in the other window"), "the page shows the latest version")
            let submitted = try await participant.post(client, action, try StaleForm.hidden(page, action: action))
            #expect(submitted.status == .seeOther)
            #expect(try fixture.store.portfolio("p-demo-01").state == .submitted)
        }
    }
}

extension String {
    /// As the templates escape it.
    var htmlEscapedForTest: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
