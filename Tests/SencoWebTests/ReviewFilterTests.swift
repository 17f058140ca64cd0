import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoStore
import Testing

@testable import SencoWeb

/// 224 statements are workable: the tutor's review lists one section or one judgement, each
/// statement page moves to the previous or next statement of that list, and "save and go to
/// the next" follows it.
@Suite struct ReviewFilterTests {
    static func rows(_ page: String) -> [String] {
        page.components(separatedBy: "<tr id=\"s-").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func aSectionAndAJudgementNarrowTheList() async throws {
        let fixture = try WebFixture()
        let npq = try #require(fixture.setup.library.framework(withID: "npq-senco-2023"))
        let portfolio = try fixture.store.portfolio("p-demo-02")
        try await fixture.app().test(.router) { client in
            var tutor = try await Browser.signIn(client, as: "tutor")
            let all = String(buffer: try await tutor.get(client, "/portfolios/p-demo-02/review").body)
            #expect(Self.rows(all).count == npq.statements.count)
            #expect(all.contains("All \(npq.statements.count) statements."))

            let three = String(buffer: try await tutor.get(client, "/portfolios/p-demo-02/review?section=3").body)
            let section3 = npq.npqSections.first { $0.number == 3 }.map { ($0.learnThat + $0.learnHowTo).map(\.id) } ?? []
            #expect(Self.rows(three) == section3)
            #expect(three.contains("Showing \(section3.count) of \(npq.statements.count) statements."))
            #expect(three.contains("<option value=\"3\" selected>"))
            #expect(three.contains("href=\"/portfolios/p-demo-02/review/\(section3[0])?section=3\""), "links keep the list")

            let met = String(buffer: try await tutor.get(client, "/portfolios/p-demo-02/review?status=met").body)
            let judgedMet = npq.statements.map(\.id).filter { portfolio.status(of: $0) == .met }
            #expect(Self.rows(met).sorted() == judgedMet.sorted())

            let nothing = String(buffer: try await tutor.get(client, "/portfolios/p-demo-02/review?section=8&status=met").body)
            if Self.rows(nothing).isEmpty { #expect(nothing.contains("No statement matches.")) }

            let unknown = try await tutor.get(client, "/portfolios/p-demo-02/review?section=99&status=lost")
            #expect(unknown.status == .ok)
            #expect(Self.rows(String(buffer: unknown.body)).count == npq.statements.count, "unknown values are no filter")
        }
    }

    @Test func previousAndNextFollowTheListAndSaveAndNextGoesThere() async throws {
        let fixture = try WebFixture()
        let npq = try #require(fixture.setup.library.framework(withID: "npq-senco-2023"))
        let two = try #require(npq.npqSections.first { $0.number == 2 })
        let section2 = (two.learnThat + two.learnHowTo).map(\.id)
        try await fixture.app().test(.router) { client in
            var tutor = try await Browser.signIn(client, as: "tutor")
            let first = String(buffer: try await tutor.get(client, "/portfolios/p-demo-02/review/\(section2[0])?section=2").body)
            #expect(!first.contains("rel=\"prev\""), "the first of the list has no previous")
            #expect(first.contains("href=\"/portfolios/p-demo-02/review/\(section2[1])?section=2\" rel=\"next\""))
            #expect(first.contains("name=\"filterSection\" value=\"2\""))

            let middle = String(buffer: try await tutor.get(client, "/portfolios/p-demo-02/review/\(section2[1])?section=2").body)
            #expect(middle.contains("href=\"/portfolios/p-demo-02/review/\(section2[0])?section=2\" rel=\"prev\""))

            let last = String(buffer: try await tutor.get(client, "/portfolios/p-demo-02/review/\(section2.last!)?section=2").body)
            #expect(!last.contains("rel=\"next\""), "the last of the section has no next")
            #expect(!last.contains("name=\"then\""), "nor a button to go there")

            let revision = try fixture.store.portfolio("p-demo-02").revision
            let saved = try await tutor.post(
                client, "/portfolios/p-demo-02/review/\(section2[0])",
                [("revision", String(revision)), ("status", "not-met"), ("feedback", "Map the observation notes here."), ("filterSection", "2"), ("then", "next")])
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/portfolios/p-demo-02/review/\(section2[1])?section=2")
            #expect(try fixture.store.portfolio("p-demo-02").status(of: section2[0]) == .notMet)

            let plain = try await tutor.post(
                client, "/portfolios/p-demo-02/review/\(section2[1])",
                [("revision", String(revision + 1)), ("status", "not-met"), ("feedback", "Not yet."), ("filterSection", "2")])
            #expect(plain.headers[.location] == "/portfolios/p-demo-02/review?section=2#s-\(section2[1])", "Save judgement goes back to the list")
        }
    }
}
