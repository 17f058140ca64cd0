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

/// Voiding a declaration from the participant's DfE page against the loopback fake: the
/// confirmation says exactly what is sent; confirming (at the revision the page was made from)
/// sends it through the command line's ledger and records the answer; a paid one becomes
/// `awaiting_clawback`; the API's refusals are shown in words; a reopened portfolio offers the
/// void of its completed declaration.
@Suite(.serialized)
struct DfEVoidPageTests {
    static func voidPath(_ n: Int, _ type: String = "started") -> String {
        "/provider/portfolios/p-demo-0\(n)/dfe/void/\(type)"
    }

    @Test func withoutAnAPIThePageSaysWhatWouldBeSentAndOffersNothing() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        let id = UUID().uuidString.lowercased()
        try fixture.recordDeclaration("p-demo-01", .started, id: id)
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let record = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-01/dfe").body)
            #expect(record.contains("href=\"\(Self.voidPath(1))\""), "the declaration the DfE holds offers its void")
            #expect(!record.contains("href=\"\(Self.voidPath(1, "retained-1"))\""), "nothing declared, nothing to void")
            let page = try await provider.get(client, Self.voidPath(1))
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(
                html.contains("<code>PUT /api/v3/participant-declarations/\(id)/void</code>"), "exactly what is sent")
            #expect(html.contains("awaiting_clawback"), "what happens to a paid one")
            #expect(html.contains("may be declared again"))
            #expect(html.contains("This server has no DfE API configured"))
            #expect(!html.contains("action=\"\(Self.voidPath(1))\""), "nothing offered to send")
            let before = fixture.snapshot()
            let revision = try fixture.store.portfolio("p-demo-01").revision
            let refused = try await provider.post(client, Self.voidPath(1), [("revision", String(revision))])
            #expect(refused.status == .conflict)
            #expect(fixture.snapshot() == before, "nothing stored changed")
        }
    }

    @Test func theConfirmedVoidIsSentOnceRecordedAndTheMilestoneMayBeDeclaredAgain() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.withFakeAPI { fake, setup in
            let id = try await fixture.declare(1, .started, at: fake)
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                let html = String(buffer: try await provider.get(client, Self.voidPath(1)).body)
                #expect(html.contains("The request goes to <code>\(fake.baseURL)</code>"))
                #expect(!html.contains(fake.token), "never the token")
                let revision = try #require(hiddenValue("revision", in: html))
                #expect(revision == String(try fixture.store.portfolio("p-demo-01").revision))

                let done = try await provider.post(client, Self.voidPath(1), [("revision", revision)])
                #expect(done.status == .ok)
                let result = String(buffer: done.body)
                #expect(result.contains("Voided: the started declaration"), "\(result)")
                #expect(result.contains("<dt>State now</dt><dd>voided</dd>"))
                #expect(result.contains("may be declared again"))
                #expect(!result.contains(fake.token))
                #expect(await fake.declarations.first { $0.id == id }?.state == "voided")
                let portfolio = try fixture.store.portfolio("p-demo-01")
                #expect(!portfolio.isDeclared(.started))
                let entry = try #require(portfolio.activities.last { $0.declaration != nil })
                #expect(
                    entry.by == "provider" && entry.action == "dfe-state", "recorded as the CLI records it, by whom")
                #expect(entry.declaration == DeclarationRecord(type: .started, dfeID: id, state: "voided"))

                // The same confirmation again: the portfolio has moved on, so nothing is sent.
                let voids = await fake.requests.filter { $0.hasSuffix("/void") }.count
                let again = try await provider.post(client, Self.voidPath(1), [("revision", revision)])
                #expect(again.status == .conflict)
                #expect(String(buffer: again.body).contains("The portfolio has changed"))
                #expect(await fake.requests.filter { $0.hasSuffix("/void") }.count == voids, "nothing sent")

                let record = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-01/dfe").body)
                #expect(!record.contains("href=\"\(Self.voidPath(1))\""), "a voided declaration is not offered again")
                let review = String(buffer: try await provider.get(client, DfESubmitPageTests.review).body)
                #expect(
                    review.contains(
                        "&quot;declaration_type&quot;:&quot;started&quot;,&quot;participant_id&quot;:&quot;\(WebFixture.dfeID(1))&quot;"
                    ),
                    "the milestone is declared again from the cohort's page")
            }
        }
    }

    @Test func aPaidDeclarationBecomesAwaitingClawbackAfterA500AndARetry() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.withFakeAPI { fake, setup in
            let id = try await fixture.declare(2, .started, state: "paid", at: fake)
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                let html = String(buffer: try await provider.get(client, Self.voidPath(2)).body)
                #expect(html.contains("It has been paid, so it becomes <code>awaiting_clawback</code>"))
                let revision = try #require(hiddenValue("revision", in: html))
                await fake.queue(.serverError)
                let done = try await provider.post(client, Self.voidPath(2), [("revision", revision)])
                #expect(done.status == .ok)
                let result = String(buffer: done.body)
                #expect(result.contains("<dd>awaiting_clawback</dd>"), "\(result)")
                #expect(result.contains("the payment is taken back"))
                #expect(
                    await fake.requests.filter { $0 == "PUT /api/v3/participant-declarations/\(id)/void" }.count == 2,
                    "the 500 was retried")
                #expect(
                    try fixture.store.portfolio("p-demo-02").declarationRecords[.started]?.state == "awaiting_clawback")
            }
        }
    }

    @Test func aDeclarationTheAPIDoesNotKnowIsReportedAndNothingIsRecorded() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.withFakeAPI { fake, setup in
            let unknown = UUID().uuidString.lowercased()
            try fixture.recordDeclaration("p-demo-03", .retained1, id: unknown)
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                let html = String(buffer: try await provider.get(client, Self.voidPath(3, "retained-1")).body)
                let revision = try #require(hiddenValue("revision", in: html))
                let before = fixture.snapshot()
                let refused = try await provider.post(client, Self.voidPath(3, "retained-1"), [("revision", revision)])
                #expect(refused.status == .badGateway)
                let page = String(buffer: refused.body)
                #expect(page.contains("<title>Error: Void the retained-1 declaration"))
                #expect(page.contains("The DfE did not void it"))
                #expect(page.contains("the API has no record for declaration \(unknown) (404 Not Found)"), "\(page)")
                #expect(!page.contains(fake.token))
                #expect(fixture.snapshot() == before, "nothing recorded")
            }
        }
    }

    @Test func aTokenTheAPIRefusesIsSaidInWordsAndNeverShown() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        let wrong = "wrong-token-\(UUID().uuidString)"
        try await fixture.withFakeAPI(token: wrong) { fake, setup in
            try await fixture.declare(1, .started, at: fake)
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                try await provider.get(client, Self.voidPath(1))
                let revision = String(try fixture.store.portfolio("p-demo-01").revision)
                let refused = try await provider.post(client, Self.voidPath(1), [("revision", revision)])
                #expect(refused.status == .badGateway)
                let page = String(buffer: refused.body)
                #expect(page.contains("the API does not accept the token (401 Unauthorized)"), "\(page)")
                #expect(!page.contains(wrong) && !page.contains(fake.token), "never a token")
                #expect(try fixture.store.portfolio("p-demo-01").isDeclared(.started), "nothing recorded")
            }
        }
    }

    @Test func reopeningASignedOffPortfolioOffersTheVoidOfItsCompletedDeclaration() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        let npq = try #require(fixture.setup.library.framework(withID: "npq-senco-2023"))
        let start = try fixture.store.portfolio("p-demo-02")
        try fixture.store.update("p-demo-02", expectedRevision: start.revision) {
            (p: inout Portfolio) throws(StoreError) in
            do throws(RuleError) {
                try p.signOff(
                    by: "t-okafor", outcome: .failed, reason: "Not enough evidence yet", framework: npq,
                    at: Date(timeIntervalSince1970: 1_790_000_500))
            } catch { throw StoreError(.invalidInput, error.message) }
        }
        try await fixture.withFakeAPI { fake, setup in
            let id = try await fixture.declare(2, .completed, hasPassed: false, at: fake)
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                let before = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-02/dfe").body)
                #expect(!before.contains("completed-after-reopening"), "signed off: nothing to offer yet")
                let form = String(
                    buffer: try await provider.get(client, "/provider/portfolios/p-demo-02/workflow").body)
                let reopened = try await provider.post(
                    client, "/provider/portfolios/p-demo-02/reopen",
                    [
                        ("revision", try #require(hiddenValue("revision", in: form))),
                        ("logged", try #require(hiddenValue("logged", in: form))), ("reason", "Signed off in error"),
                    ])
                #expect(reopened.status == .seeOther)
                #expect(reopened.headers[.location] == "/provider/portfolios/p-demo-02/dfe#completed-after-reopening")
                let page = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-02/dfe").body)
                #expect(page.contains("Portfolio p-demo-02 reopened"), "the flash")
                #expect(page.contains("The DfE holds a completed declaration for Priya Shah (\(id), submitted)"))
                #expect(page.contains("href=\"\(Self.voidPath(2, "completed"))\""), "the void is offered")
                #expect(try fixture.store.portfolio("p-demo-02").isDeclared(.completed), "offered, not done")
                #expect(await fake.requests.filter { $0.hasSuffix("/void") }.isEmpty)

                let confirm = String(buffer: try await provider.get(client, Self.voidPath(2, "completed")).body)
                #expect(confirm.contains("The outcome the DfE made from it (failed on 2025-11-03) is retracted"))
                let done = try await provider.post(
                    client, Self.voidPath(2, "completed"),
                    [("revision", try #require(hiddenValue("revision", in: confirm)))])
                #expect(done.status == .ok)
                #expect(String(buffer: done.body).contains("retracted (voided)"))
                let after = try fixture.store.portfolio("p-demo-02")
                #expect(!after.isDeclared(.completed))
                #expect(after.dfeOutcome?.state == "voided")
            }
        }
    }

    @Test func reopeningWithoutACompletedDeclarationGoesBackToTheCohort() async throws {
        let fixture = try WebFixture()
        let npq = try #require(fixture.setup.library.framework(withID: "npq-senco-2023"))
        let start = try fixture.store.portfolio("p-demo-02")
        let signed = try fixture.store.update("p-demo-02", expectedRevision: start.revision) {
            (p: inout Portfolio) throws(StoreError) in
            do throws(RuleError) {
                try p.signOff(
                    by: "t-okafor", outcome: .failed, reason: "Not enough evidence yet", framework: npq,
                    at: Date(timeIntervalSince1970: 1_790_000_500))
            } catch { throw StoreError(.invalidInput, error.message) }
        }
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, "/provider/portfolios/p-demo-02/workflow")
            let reopened = try await provider.post(
                client, "/provider/portfolios/p-demo-02/reopen",
                [("revision", String(signed.revision)), ("reason", "Appeal upheld")])
            #expect(reopened.status == .seeOther)
            #expect(reopened.headers[.location] == "/provider/cohorts/demo-cohort")
        }
    }

    @Test func anUnknownMilestoneIsNotFound() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            #expect(try await provider.get(client, Self.voidPath(1, "retained-3")).status == .notFound)
            let before = fixture.snapshot()
            #expect(
                try await provider.post(client, Self.voidPath(1, "retained-3"), [("revision", "1")]).status == .notFound
            )
            #expect(fixture.snapshot() == before)
        }
    }
}
