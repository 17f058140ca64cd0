import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import Testing

@testable import SencoWeb

/// The pages that summarise a whole cohort read it one portfolio at a time (`mapPortfolios`);
/// these check they still show every participant they should, and only those.
@Suite struct CohortPagesTests {
    @Test func providerSeesEveryParticipantCountedAndListed() async throws {
        let fixture = try WebFixture()
        let ids = try fixture.store.participantIDs(inCohort: "demo-cohort")
        #expect(ids.count >= 2)
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "provider")
            let home = String(buffer: try await browser.get(client, "/provider").body)
            #expect(home.contains("demo-cohort"))
            #expect(home.contains(">\(ids.count)<"), "the cohort's participant count")
            let page = String(buffer: try await browser.get(client, "/provider/cohorts/demo-cohort").body)
            for id in ids { #expect(page.contains(id), "cohort page lists \(id)") }
        }
    }

    @Test func tutorSeesOnlyTheirOwnParticipants() async throws {
        let fixture = try WebFixture()
        let portfolios = try fixture.store.portfolios(inCohort: "demo-cohort")
        let mine = portfolios.filter { $0.participant.tutor == "t-okafor" }.map(\.id)
        let others = portfolios.filter { $0.participant.tutor != "t-okafor" }.map(\.id)
        #expect(!mine.isEmpty)
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "tutor")
            let page = String(buffer: try await browser.get(client, "/tutor").body)
            for id in mine { #expect(page.contains("/portfolios/\(id)"), "tutor home lists \(id)") }
            for id in others { #expect(!page.contains("/portfolios/\(id)"), "tutor home hides \(id)") }
        }
    }

    @Test func cohortPackHoldsEveryParticipantAndItsManifest() async throws {
        let fixture = try WebFixture()
        let ids = try fixture.store.participantIDs(inCohort: "demo-cohort")
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "provider")
            let response = try await browser.get(client, "/provider/cohorts/demo-cohort/pack")
            #expect(response.status == .ok)
            let zip = Data(buffer: response.body)
            let text = String(decoding: zip, as: UTF8.self)
            #expect(text.contains("pack-demo-cohort/manifest.xml"))
            for id in ids {
                #expect(text.contains("pack-demo-cohort/\(id)/portfolio.xml"), "pack holds \(id)")
                #expect(text.contains("pack-demo-cohort/\(id)/portfolio.html"), "pack holds \(id)'s page")
            }
        }
    }
}
