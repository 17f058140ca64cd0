import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoExport
import SencoTestSupport
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

    /// The streamed pack is a whole ZIP: every participant's two files, the manifest last, intact
    /// by `senco verify`'s own check, and accepted by `unzip -t` and Python's `zipfile`.
    @Test func cohortPackHoldsEveryParticipantAndItsManifest() async throws {
        let fixture = try WebFixture()
        let ids = try fixture.store.participantIDs(inCohort: "demo-cohort").sorted()
        let scratch = try TestSupport.temporaryDirectory("web-pack")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appendingPathComponent("pack-demo-cohort.zip")
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "provider")
            let response = try await browser.get(client, "/provider/cohorts/demo-cohort/pack")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/zip")
            try Data(buffer: response.body).write(to: url)
        }
        let names = try ZipReader(url).entries.map(\.name)
        #expect(
            names == ids.flatMap { ["pack-demo-cohort/\($0)/portfolio.xml", "pack-demo-cohort/\($0)/portfolio.html"] }
                + ["pack-demo-cohort/manifest.xml"])
        let report = try PackVerifier.verify(url)
        #expect(report.isIntact && report.checked == 2 * ids.count, "\(report)")
        #expect(report.sensitiveEvidence == "redacted")
        #expect(try ZipTools.unzipTest(url).status == 0)
        #expect(try ZipTools.pythonListing(url).outcome.status == 0)
    }

    /// A damaged portfolio and a broken cohort file do not take the pages down: the provider's
    /// pages name them in a notice, the rest are listed, and the tutor is told something is missing.
    @Test func damagedEntriesAreNamedAndTheRestShown() async throws {
        let fixture = try WebFixture()
        let ids = try fixture.store.participantIDs(inCohort: "demo-cohort")
        let portfolios = fixture.root.appendingPathComponent("cohorts/demo-cohort/portfolios")
        let tutorsOwn = try fixture.store.portfolios(inCohort: "demo-cohort").first { $0.participant.tutor == "t-okafor" }!.id
        let broken = ids.first { $0 != tutorsOwn }!
        try Data("<portfolio".utf8).write(to: portfolios.appendingPathComponent("\(broken).xml"))
        try fixture.store.createCohort(Cohort(id: "broken-cohort", title: "Broken", provider: "P", start: Day("2026-01-05")!))
        try Data("not xml".utf8).write(to: fixture.root.appendingPathComponent("cohorts/broken-cohort/cohort.xml"))
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "provider")
            let home = try await browser.get(client, "/provider")
            #expect(home.status == .ok)
            #expect(String(buffer: home.body).contains("cohorts/broken-cohort/cohort.xml"))
            let page = try await browser.get(client, "/provider/cohorts/demo-cohort")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("cohorts/demo-cohort/portfolios/\(broken).xml"), "the bad entry is named")
            for id in ids where id != broken { #expect(html.contains("/portfolios/\(id)"), "\(id) still listed") }
            let csv = try await browser.get(client, "/provider/cohorts/demo-cohort/completion/csv")
            #expect(csv.status == .ok)
            let pack = try await browser.get(client, "/provider/cohorts/demo-cohort/pack")
            #expect(pack.status == .ok)
            #expect(!String(decoding: Data(buffer: pack.body), as: UTF8.self).contains("pack-demo-cohort/\(broken)/"))
        }
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "tutor")
            let page = try await browser.get(client, "/tutor")
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("could not be read"))
        }
    }
}
