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

/// Deferring and resuming from the participant's DfE page against the loopback fake: the DfE's
/// reason is chosen from its own list, the exact request is shown before anything is sent, the
/// answer is recorded as `senco dfe defer` records it, and a refusal (the API's 422) or a fault
/// is shown in words.
@Suite(.serialized)
struct DfETrainingStatusPageTests {
    static let deferPath = "/provider/portfolios/p-demo-01/dfe/defer"
    static let resumePath = "/provider/portfolios/p-demo-01/dfe/resume"

    @Test func withoutAnAPINothingIsOfferedAndNothingSent() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let record = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-01/dfe").body)
            #expect(record.contains("href=\"\(Self.deferPath)\""), "an active participant can be deferred")
            #expect(!record.contains("href=\"\(Self.resumePath)\""), "not resumed")
            let page = String(buffer: try await provider.get(client, Self.deferPath).body)
            #expect(page.contains("This server has no DfE API configured"))
            #expect(page.contains("senco dfe defer p-demo-01"))
            #expect(!page.contains("<form method=\"post\" action=\"\(Self.deferPath)\""), "nothing offered")
            let before = fixture.snapshot()
            let revision = String(try fixture.store.portfolio("p-demo-01").revision)
            let refused = try await provider.post(
                client, Self.deferPath, [("revision", revision), ("reason", "career-break"), ("step", "send")])
            #expect(refused.status == .conflict)
            #expect(fixture.snapshot() == before)
        }
    }

    @Test func aParticipantWithoutADfEIDHasNothingToSend() async throws {
        let fixture = try WebFixture()
        try await fixture.withFakeAPI { fake, setup in
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                let page = String(buffer: try await provider.get(client, Self.resumePath).body)
                #expect(page.contains("has no DfE participant id"))
                #expect(!page.contains("action=\"\(Self.resumePath)\""))
                let revision = String(try fixture.store.portfolio("p-demo-01").revision)
                let refused = try await provider.post(client, Self.resumePath, [("revision", revision)])
                #expect(refused.status == .conflict)
                #expect(await fake.requests.isEmpty)
            }
        }
    }

    @Test func aDeferralIsChosenConfirmedSentAndRecordedThenResumed() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.withFakeAPI { fake, setup in
            try await fixture.declare(1, .started, at: fake)
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                let form = String(buffer: try await provider.get(client, Self.deferPath).body)
                for reason in TrainingStatusChange.deferralReasons {
                    #expect(form.contains("<option value=\"\(reason)\">"), "the document's reason \(reason)")
                }
                let revision = try #require(hiddenValue("revision", in: form))

                // No reason, or one the DfE does not have: refused, nothing sent.
                let missing = try await provider.post(
                    client, Self.deferPath, [("revision", revision), ("reason", ""), ("step", "check")])
                #expect(missing.status == .unprocessableContent)
                #expect(
                    String(buffer: missing.body).contains(
                        "<a href=\"#reason\">Choose the DfE’s reason for the deferral.</a>"))
                let unknown = try await provider.post(
                    client, Self.deferPath, [("revision", revision), ("reason", "holiday"), ("step", "send")])
                #expect(unknown.status == .unprocessableContent)
                #expect(String(buffer: unknown.body).contains("Choose one of the DfE’s reasons"))

                // The exact request, before anything is sent.
                let check = try await provider.post(
                    client, Self.deferPath, [("revision", revision), ("reason", "career-break"), ("step", "check")])
                #expect(check.status == .ok)
                let confirm = String(buffer: check.body)
                #expect(confirm.contains("<code>PUT /api/v3/participants/npq/\(WebFixture.dfeID(1))/defer</code>"))
                #expect(
                    confirm.contains(
                        "{&quot;data&quot;:{&quot;attributes&quot;:{&quot;course_identifier&quot;:&quot;npq-senco&quot;,&quot;reason&quot;:&quot;career-break&quot;},&quot;type&quot;:&quot;participant-defer&quot;}}"
                    ), "\(confirm)")
                #expect(hiddenValue("step", in: confirm) == "send")
                #expect(await fake.requests.filter { $0.hasPrefix("PUT") }.isEmpty, "nothing sent yet")

                let sent = try await provider.post(
                    client, Self.deferPath, [("revision", revision), ("reason", "career-break"), ("step", "send")])
                #expect(sent.status == .ok)
                let result = String(buffer: sent.body)
                #expect(result.contains("Deferred at the DfE"), "\(result)")
                #expect(result.contains("<dd>career-break</dd>"))
                #expect(!result.contains(fake.token))
                #expect(await fake.state.trainingStatus(WebFixture.dfeID(1)) == "deferred")
                let portfolio = try fixture.store.portfolio("p-demo-01")
                #expect(portfolio.participant.dfe?.trainingStatus == .deferred)
                #expect(portfolio.participant.dfe?.statusReason == "career-break")
                let entry = try #require(portfolio.activities.last)
                #expect(entry.action == Portfolio.dfeStatusAction && entry.by == "provider")
                #expect(entry.trainingStatus?.status == .deferred && entry.trainingStatus?.since != nil)

                // The same confirmation again: refused as stale, nothing sent.
                let puts = await fake.requests.filter { $0.hasPrefix("PUT") }.count
                let again = try await provider.post(
                    client, Self.deferPath, [("revision", revision), ("reason", "career-break"), ("step", "send")])
                #expect(again.status == .conflict)
                #expect(await fake.requests.filter { $0.hasPrefix("PUT") }.count == puts)

                let record = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-01/dfe").body)
                #expect(
                    record.contains("href=\"\(Self.resumePath)\"") && !record.contains("href=\"\(Self.deferPath)\""))
                let resume = String(buffer: try await provider.get(client, Self.resumePath).body)
                #expect(
                    resume.contains(
                        "{&quot;data&quot;:{&quot;attributes&quot;:{&quot;course_identifier&quot;:&quot;npq-senco&quot;},&quot;type&quot;:&quot;participant-resume&quot;}}"
                    ))
                let resumed = try await provider.post(
                    client, Self.resumePath, [("revision", try #require(hiddenValue("revision", in: resume)))])
                #expect(resumed.status == .ok)
                #expect(String(buffer: resumed.body).contains("Resumed at the DfE"))
                #expect(try fixture.store.portfolio("p-demo-01").participant.dfe?.trainingStatus == .active)
                #expect(await fake.state.trainingStatus(WebFixture.dfeID(1)) == "active")
            }
        }
    }

    @Test func theAPIsRefusalNamesItsFieldAndNothingIsRecorded() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.withFakeAPI { fake, setup in
            // No declaration yet: the API will not defer them.
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                try await provider.get(client, Self.deferPath)
                let before = fixture.snapshot()
                let revision = String(try fixture.store.portfolio("p-demo-01").revision)
                let refused = try await provider.post(
                    client, Self.deferPath, [("revision", revision), ("reason", "parental-leave"), ("step", "send")])
                #expect(refused.status == .badGateway)
                let page = String(buffer: refused.body)
                #expect(page.contains("The DfE did not make the change"))
                #expect(
                    page.contains(
                        "the API refused defer of \(WebFixture.dfeID(1)) on participant_id (422 Unprocessable Entity): You cannot defer an NPQ participant that has no declarations"
                    ), "\(page)")
                #expect(
                    hiddenValue("reason", in: page) == "parental-leave", "the confirmation is offered again as it was")
                #expect(!page.contains(fake.token))
                #expect(fixture.snapshot() == before, "nothing recorded")
            }
        }
    }

    @Test func aServerErrorIsRetriedAndTheDeferralMade() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.withFakeAPI { fake, setup in
            try await fixture.declare(2, .started, at: fake)
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                try await provider.get(client, "/provider/portfolios/p-demo-02/dfe/defer")
                await fake.queue(.serverError)
                let revision = String(try fixture.store.portfolio("p-demo-02").revision)
                let sent = try await provider.post(
                    client, "/provider/portfolios/p-demo-02/dfe/defer",
                    [("revision", revision), ("reason", "bereavement"), ("step", "send")])
                #expect(sent.status == .ok, "\(String(buffer: sent.body))")
                #expect(
                    await fake.requests.filter { $0 == "PUT /api/v3/participants/npq/\(WebFixture.dfeID(2))/defer" }
                        .count
                        == 2, "the 500 was retried")
                #expect(try fixture.store.portfolio("p-demo-02").participant.dfe?.trainingStatus == .deferred)
            }
        }
    }
}
