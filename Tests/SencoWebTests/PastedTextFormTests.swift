import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// Text pasted into the forms: page breaks (VT, FF) become newlines; any other control character
/// is refused with 422 naming the field, and the form comes back with everything typed.
@Suite struct PastedTextFormTests {
    static let reflection = "First page of my notes.\u{0C}Second page.\u{0B}A column break, & “quotes” café."

    @Test func pageBreaksInPastedTextBecomeNewlines() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            try await browser.get(client, "/portfolios/p-demo-01/evidence/new")
            let fields =
                SecurityTests.evidence.filter { $0.0 != "reflection" && $0.0 != "title" }
                + [("revision", "1"), ("title", "Pasted\u{0C}title"), ("reflection", Self.reflection)]
            let response = try await browser.post(client, "/portfolios/p-demo-01/evidence", fields)
            #expect(response.status == .seeOther)
        }
        let portfolio = try fixture.store.portfolio("p-demo-01")
        let item = try #require(portfolio.evidence.last)
        #expect(item.reflection == "First page of my notes.\nSecond page.\nA column break, & “quotes” café.")
        #expect(item.title == "Pasted\ntitle")
    }

    @Test(arguments: ["title", "reflection", "claim"])
    func aControlCharacterIsRefusedNamingTheFieldAndEverythingTypedIsKept(_ field: String) async throws {
        let fixture = try WebFixture()
        let before = fixture.snapshot()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            try await browser.get(client, "/portfolios/p-demo-01/evidence/new")
            let typed: [(String, String)] = [
                ("title", "Reading log: chapter 6"), ("type", "reading-log"), ("date", "2026-09-01"),
                ("reflection", "I read chapter 6 and compared it with our policy."), ("statement", "1.1"),
                ("sensitive", "yes"),
                ("claim", "Shows I know the Code of Practice."),
            ].map { $0.0 == field ? ($0.0, $0.1 + " bell\u{07}here") : $0 }
            let response = try await browser.post(client, "/portfolios/p-demo-01/evidence", typed + [("revision", "1")])
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            let label = [
                "title": "Title", "reflection": "Reflection", "claim": "How the evidence shows the ticked statements",
            ][field]!
            #expect(html.contains("\(label) contains a control character (U+0007)"), "the error names the field")
            #expect(html.contains("<a href=\"#\(field)\">\(label) contains"), "the error summary links to the field")
            #expect(html.contains("id=\"\(field)-error\""))
            #expect(html.contains("Reading log: chapter 6"))
            #expect(html.contains("I read chapter 6 and compared it with our policy."))
            #expect(html.contains("Shows I know the Code of Practice."))
            #expect(html.contains("bell\u{07}here"), "the refused text is kept as typed, to be corrected")
            #expect(html.contains("value=\"reading-log\" selected"))
            #expect(html.contains("id=\"sensitive\" name=\"sensitive\" type=\"checkbox\" value=\"yes\" checked"))
            #expect(html.contains("value=\"2026-09-01\""))
        }
        #expect(fixture.snapshot() == before)
    }

    @Test func tutorsAndModeratorsFeedbackIsCheckedTheSameWay() async throws {
        let fixture = try WebFixture()
        let before = fixture.snapshot()
        try await fixture.app().test(.router) { client in
            var tutor = try await Browser.signIn(client, as: "tutor")
            try await tutor.get(client, "/portfolios/p-demo-02/review/1.1")
            let judged = try await tutor.post(
                client, "/portfolios/p-demo-02/review/1.1",
                [("revision", "1"), ("status", "not-met"), ("feedback", "Add\u{1B}more")])
            #expect(judged.status == .unprocessableContent)
            var html = String(buffer: judged.body)
            #expect(html.contains("Feedback contains a control character (U+001B)"))
            #expect(html.contains("<a href=\"#feedback\">"))
            #expect(html.contains("Add\u{1B}more</textarea>"))

            try await tutor.get(client, "/portfolios/p-demo-02/review")
            let returned = try await tutor.post(
                client, "/portfolios/p-demo-02/return", [("revision", "1"), ("feedback", "Nearly\u{00}")])
            #expect(returned.status == .unprocessableContent)
            html = String(buffer: returned.body)
            #expect(html.contains("Feedback for the participant contains a control character (U+0000)"))
            #expect(html.contains("<a href=\"#return-feedback\">"))

            var moderator = try await Browser.signIn(client, as: "moderator")
            try await moderator.get(client, "/moderation/p-demo-02")
            let marked = try await moderator.post(
                client, "/moderation/p-demo-02/statements/1.1",
                [("revision", "1"), ("status", "met"), ("feedback", "ok\u{08}")])
            #expect(marked.status == .unprocessableContent)
            html = String(buffer: marked.body)
            #expect(html.contains("Notes contains a control character (U+0008)"))
            #expect(html.contains("ok\u{08}</textarea>"))
        }
        #expect(fixture.snapshot() == before)
    }
}
