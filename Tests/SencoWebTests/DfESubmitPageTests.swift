import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoDfE
import SencoDfEFake
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// Sending a cohort's declarations from the browser against the loopback fake: the list as
/// `dfe submit --dry-run` prints it, a confirmation that must match that list, the result per
/// request, each milestone declared once; and, with no API configured, nothing offered.
@Suite(.serialized)
struct DfESubmitPageTests {
    static let review = "/provider/cohorts/demo-cohort/dfe"

    @Test func withoutAnAPIThePageSaysSoShowsTheListAndOffersNothingToSend() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let response = try await provider.get(client, Self.review)
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(html.contains("This server has no DfE API configured"))
            #expect(!html.contains("action=\"/provider/cohorts/demo-cohort/dfe/submit\""), "nothing to send")
            #expect(html.contains("started declaration"))
            #expect(
                html.contains("&quot;participant_id&quot;:&quot;\(WebFixture.dfeID(1))&quot;"),
                "each body as it would be sent, escaped")
            let before = fixture.snapshot()
            let digest = hiddenValue("digest", in: html) ?? ""
            let refused = try await provider.post(
                client, "/provider/cohorts/demo-cohort/dfe/submit", [("digest", digest)])
            #expect(refused.status == .conflict)
            #expect(fixture.snapshot() == before)
        }
    }

    @Test func theConfirmedListIsSentOnceAndEachResultShown() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.withFakeAPI { fake, setup in
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                let html = String(buffer: try await provider.get(client, Self.review).body)
                #expect(
                    html.contains(
                        "Each request below goes to the DfE’s lead-provider API at <code>\(fake.baseURL)</code>"))
                #expect(!html.contains(fake.token), "never the token")
                let count = html.components(separatedBy: "<pre class=\"request-body\">").count - 1
                #expect(count >= 3, "a started declaration for each demo participant")
                let digest = try #require(hiddenValue("digest", in: html))
                #expect(html.contains("Send these \(count) requests to the DfE"))

                let sent = try await provider.post(
                    client, "/provider/cohorts/demo-cohort/dfe/submit", [("digest", digest)])
                #expect(sent.status == .ok)
                let result = String(buffer: sent.body)
                #expect(result.contains("\(count) done, 0 not done"), "\(result)")
                #expect(result.contains("declared: submitted"))
                #expect(!result.contains(fake.token))
                #expect(await fake.declarations.count == count)
                for n in 1...3 {
                    let portfolio = try fixture.store.portfolio("p-demo-0\(n)")
                    #expect(portfolio.isDeclared(.started))
                    #expect(portfolio.activities.last { $0.declaration != nil }?.by == "provider", "who sent it")
                }
                // The same confirmation again: the list has changed (all sent), so nothing is sent.
                let again = try await provider.post(
                    client, "/provider/cohorts/demo-cohort/dfe/submit", [("digest", digest)])
                #expect(again.status == .conflict)
                #expect(String(buffer: again.body).contains("The list has changed"))
                #expect(await fake.declarations.count == count)
                let after = String(buffer: try await provider.get(client, Self.review).body)
                #expect(after.contains("Nothing to send"))
                let record = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-01/dfe").body)
                #expect(record.contains("submitted"), "the state the API gave")
            }
        }
    }

    /// One page sends for a limited time (a proxy would give up on a page sending a thousand
    /// declarations); whoever is not reached by then is left, untouched, for the next page.
    @Test func whatTheSendingTimeDoesNotReachIsLeftUntouchedAndOfferedAgain() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.withFakeAPI { fake, setup in
            var setup = setup
            setup.configuration.dfe?.sendingTime = .zero
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                let html = String(buffer: try await provider.get(client, Self.review).body)
                let count = html.components(separatedBy: "<pre class=\"request-body\">").count - 1
                let digest = try #require(hiddenValue("digest", in: html))
                let before = fixture.snapshot()
                let sent = try await provider.post(
                    client, "/provider/cohorts/demo-cohort/dfe/submit", [("digest", digest)])
                #expect(sent.status == .ok)
                let page = String(buffer: sent.body)
                #expect(page.contains("0 done, 0 not done, \(count) requests not sent yet."), "\(page)")
                #expect(page.contains("for 3 participants were not sent yet"))
                #expect(page.contains("href=\"/provider/cohorts/demo-cohort/dfe\">Review the rest and send it</a>"))
                #expect(await fake.requests.isEmpty, "nothing reached the API")
                #expect(fixture.snapshot() == before, "nothing recorded")
                let again = String(buffer: try await provider.get(client, Self.review).body)
                #expect(hiddenValue("digest", in: again) == digest, "the same list is offered again")
            }
        }
    }

    @Test func aListChangedSinceThePageWasReadIsShownAgainAndNothingIsSent() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.withFakeAPI { fake, setup in
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                let html = String(buffer: try await provider.get(client, Self.review).body)
                let digest = try #require(hiddenValue("digest", in: html))
                // A participant loses their DfE id meanwhile: the list is not what was reviewed.
                let current = try fixture.store.portfolio("p-demo-03")
                try fixture.store.update("p-demo-03", expectedRevision: current.revision) { $0.participant.dfe = nil }
                let refused = try await provider.post(
                    client, "/provider/cohorts/demo-cohort/dfe/submit", [("digest", digest)])
                #expect(refused.status == .conflict)
                let page = String(buffer: refused.body)
                #expect(page.contains("<title>Error: Send to the DfE"))
                #expect(page.contains("so nothing was sent"))
                #expect(page.contains("p-demo-03: no DfE participant id"), "the new list, with why")
                #expect(await fake.requests.isEmpty, "nothing reached the API")
            }
        }
    }

    @Test func aRefusalByTheAPIIsShownForItsRequestAndTheRestAreSent() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.withFakeAPI { fake, setup in
            // The API does not know p-demo-02's DfE id.
            let current = try fixture.store.portfolio("p-demo-02")
            try fixture.store.update("p-demo-02", expectedRevision: current.revision) {
                $0.participant.dfe = DfEIdentity(participantID: WebFixture.dfeID(8))
            }
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                let html = String(buffer: try await provider.get(client, Self.review).body)
                let digest = try #require(hiddenValue("digest", in: html))
                let sent = try await provider.post(
                    client, "/provider/cohorts/demo-cohort/dfe/submit", [("digest", digest)])
                let result = String(buffer: sent.body)
                #expect(result.contains("<title>Error: Sent to the DfE"))
                #expect(result.contains("Not done: the API refused p-demo-02 started on participant_id"), "\(result)")
                #expect(result.contains("1 not done"))
                #expect(!(try fixture.store.portfolio("p-demo-02").isDeclared(.started)))
                #expect(try fixture.store.portfolio("p-demo-01").isDeclared(.started))
            }
        }
    }
}
