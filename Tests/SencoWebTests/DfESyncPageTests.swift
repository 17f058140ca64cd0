import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoData
import SencoDfE
import SencoDfEFake
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// Updating a cohort's declaration states from the DfE with the button on its DfE page, against
/// the loopback fake: the same sync as `senco dfe sync`, its marker kept as the command line
/// keeps it, "everything again" ignoring it, and the API's failures shown in words.
@Suite(.serialized)
struct DfESyncPageTests {
    static let sync = "/provider/cohorts/demo-cohort/dfe/sync"

    @Test func withoutAnAPIThePageSaysSoAndNothingIsRead() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let page = String(buffer: try await provider.get(client, DfESubmitPageTests.review).body)
            #expect(page.contains("senco dfe sync --cohort demo-cohort"))
            #expect(!page.contains("action=\"\(Self.sync)\""), "no button")
            let before = fixture.snapshot()
            let refused = try await provider.post(client, Self.sync, [("scope", "changes")])
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("no DfE API configured"))
            #expect(fixture.snapshot() == before)
        }
    }

    @Test func statesTheDfEMovedAreRecordedAndTheMarkerKeptAsTheCommandLineKeepsIt() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.withFakeAPI { fake, setup in
            let first = try await fixture.declare(1, .started, at: fake)
            try await fixture.declare(2, .started, at: fake)
            await fake.state.setState(first, to: "eligible")
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                let page = String(buffer: try await provider.get(client, DfESubmitPageTests.review).body)
                #expect(page.contains("has not been updated from the DfE before"))
                #expect(page.contains("action=\"\(Self.sync)\""))

                let done = try await provider.post(client, Self.sync, [("scope", "changes")])
                #expect(done.status == .ok)
                let result = String(buffer: done.body)
                #expect(
                    result.contains("Asked the DfE for everything: 1 declaration and 0 outcomes changed state."),
                    "\(result)")
                #expect(
                    result.contains(
                        "Alex Rivers (p-demo-01)</a></th><td>started declaration</td><td>submitted</td><td>eligible</td>"
                    ))
                #expect(!result.contains(fake.token))
                #expect(try fixture.store.portfolio("p-demo-01").declarationRecords[.started]?.state == "eligible")
                let entry = try #require(try fixture.store.portfolio("p-demo-01").activities.last)
                #expect(entry.action == "dfe-state" && entry.by == "provider")
                let marker = try #require(try fixture.store.cohort("demo-cohort").dfeSyncedSince)
                #expect(result.contains("The next update asks only for what changed since \(Timestamp.string(marker))"))

                // The next update asks only for what changed since the marker.
                let after = String(buffer: try await provider.get(client, DfESubmitPageTests.review).body)
                #expect(after.contains("An update asks for what changed since \(Timestamp.string(marker))"))
                let second = try await provider.post(client, Self.sync, [("scope", "changes")])
                #expect(
                    String(buffer: second.body).contains("Asked the DfE for changes since \(Timestamp.string(marker))"))
                #expect(String(buffer: second.body).contains("0 declarations and 0 outcomes changed state"))
                let asked = await fake.requests.filter { $0.hasPrefix("GET /api/v3/participant-declarations") }
                #expect(asked.count == 2)
                #expect(!asked[0].contains("updated_since") && asked[1].contains("filter[updated_since]="), "\(asked)")

                // Everything again, as --full: no filter.
                let full = try await provider.post(client, Self.sync, [("scope", "full")])
                #expect(String(buffer: full.body).contains("Asked the DfE for everything"))
                let last = await fake.requests.last { $0.hasPrefix("GET /api/v3/participant-declarations") }
                #expect(last.map { !$0.contains("updated_since") } == true)
            }
        }
    }

    @Test func aServerErrorIsRetriedAndATokenRefusedIsSaidInWords() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.withFakeAPI { fake, setup in
            let id = try await fixture.declare(3, .started, at: fake)
            await fake.state.setState(id, to: "payable")
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                try await provider.get(client, DfESubmitPageTests.review)
                await fake.queue(.serverError)
                let done = try await provider.post(client, Self.sync, [("scope", "full")])
                #expect(done.status == .ok)
                #expect(String(buffer: done.body).contains("1 declaration and 0 outcomes changed state"))
                #expect(try fixture.store.portfolio("p-demo-03").declarationRecords[.started]?.state == "payable")
            }
        }
        let wrong = "wrong-token-\(UUID().uuidString)"
        try await fixture.withFakeAPI(token: wrong) { fake, setup in
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                try await provider.get(client, DfESubmitPageTests.review)
                let marker = try fixture.store.cohort("demo-cohort").dfeSyncedSince
                let refused = try await provider.post(client, Self.sync, [("scope", "changes")])
                #expect(refused.status == .badGateway)
                let page = String(buffer: refused.body)
                #expect(page.contains("The update stopped"))
                #expect(page.contains("the API does not accept the token (401 Unauthorized)"))
                #expect(!page.contains(wrong) && !page.contains(fake.token))
                #expect(try fixture.store.cohort("demo-cohort").dfeSyncedSince == marker, "the marker did not move")
            }
        }
    }

    @Test func aScopeThatIsNeitherIsABadForm() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, "/provider")
            let before = fixture.snapshot()
            #expect(try await provider.post(client, Self.sync, [("scope", "everything")]).status == .badRequest)
            #expect(fixture.snapshot() == before)
        }
    }
}
