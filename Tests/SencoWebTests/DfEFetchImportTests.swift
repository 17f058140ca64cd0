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

/// Participants fetched live from the DfE on the import page, against the loopback fake: every
/// page of `GET /api/v3/participants/npq` is read through the server's client, the same preview
/// as a file's is shown, and nothing is stored until it is confirmed.
@Suite(.serialized)
struct DfEFetchImportTests {
    static let path = DfEImportPageTests.path

    @Test func withoutAnAPIThereIsNoFetchAndAskingForOneIsRefused() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let form = String(buffer: try await provider.get(client, Self.path).body)
            #expect(form.contains("participants cannot be fetched from the DfE here"))
            #expect(!form.contains("id=\"source-dfe\""), "no fetch offered")
            let before = fixture.snapshot()
            let refused = try await provider.post(
                client, Self.path, [("source", "dfe"), ("tutor", "t-bell"), ("dfe-cohort", "2025")])
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("This server has no DfE API configured"))
            #expect(fixture.snapshot() == before)
        }
    }

    @Test func everyPageIsFetchedPreviewedAndStoredOnlyWhenConfirmed() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.withFakeAPI { fake, setup in
            // A full first page of another course, then the one to bring in on the second page.
            var listed = (0..<100).map { n in
                DfEImportPageTests.participant(
                    String(format: "bbbb%04d-2345-4678-9abc-def012345678", n), name: "Other \(n)",
                    trn: String(format: "3%06d", n), course: "npq-headship")
            }
            listed.append(
                DfEImportPageTests.participant(DfEImportPageTests.newID, name: "Fetched Person", trn: "7777777"))
            await fake.state.setParticipants(listed)
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                let form = String(buffer: try await provider.get(client, Self.path).body)
                #expect(form.contains("id=\"source-dfe\""), "the fetch is offered")
                #expect(form.contains("<code>\(fake.baseURL)</code>") && !form.contains(fake.token))
                let before = fixture.snapshot()
                let preview = try await provider.post(
                    client, Self.path, [("source", "dfe"), ("tutor", "t-bell"), ("dfe-cohort", "2025")])
                #expect(preview.status == .ok)
                let html = String(buffer: preview.body)
                #expect(html.contains("Read from the DfE (every page of GET /api/v3/participants/npq)"), "\(html)")
                #expect(html.contains("dfe-abcdef01") && html.contains("Fetched Person"))
                #expect(html.contains("Skipped: other courses or DfE cohorts <span class=\"count\">(100)</span>"))
                #expect(!html.contains(fake.token))
                let asked = await fake.requests.filter { $0.hasPrefix("GET /api/v3/participants/npq") }
                #expect(
                    asked == [
                        "GET /api/v3/participants/npq?page[page]=1&page[per_page]=100",
                        "GET /api/v3/participants/npq?page[page]=2&page[per_page]=100",
                    ], "every page, until a short one")
                #expect(fixture.snapshot() == before, "a preview stores nothing")

                let confirmed = try await provider.post(
                    client, Self.path + "/confirm",
                    [
                        ("file", try #require(hiddenValue("file", in: html))),
                        ("digest", try #require(hiddenValue("digest", in: html))),
                        ("plan", try #require(hiddenValue("plan", in: html))), ("tutor", "t-bell"),
                        ("dfe-cohort", "2025"), ("source", try #require(hiddenValue("source", in: html))),
                    ])
                #expect(confirmed.status == .seeOther)
                let added = try fixture.store.portfolio("dfe-abcdef01")
                #expect(added.participant.dfe?.participantID == DfEImportPageTests.newID)
                #expect(added.participant.tutor == "t-bell")
                #expect(
                    await fake.requests.filter { $0.hasPrefix("GET /api/v3/participants/npq") }.count == 2,
                    "the confirmation stores what was previewed; it does not fetch again")
            }
        }
    }

    @Test func aFetchTheAPIRefusesIsSaidInWordsAndTheChoicesKept() async throws {
        let fixture = try WebFixture()
        let wrong = "wrong-token-\(UUID().uuidString)"
        try await fixture.withFakeAPI(token: wrong) { fake, setup in
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                try await provider.get(client, Self.path)
                let before = fixture.snapshot()
                let refused = try await provider.post(
                    client, Self.path, [("source", "dfe"), ("tutor", "t-bell"), ("dfe-cohort", "2025")])
                #expect(refused.status == .badGateway)
                let html = String(buffer: refused.body)
                #expect(
                    html.contains(
                        "<a href=\"#source-dfe\">The DfE’s participants could not be fetched: the API does not accept the token (401 Unauthorized)"
                    ), "\(html)")
                #expect(
                    html.contains(
                        "id=\"source-dfe\" name=\"source\" value=\"dfe\" aria-describedby=\"source-dfe-hint source-error\" checked"
                    ), "the choice is kept")
                #expect(html.contains("<option value=\"t-bell\" selected>"))
                #expect(!html.contains(wrong) && !html.contains(fake.token))
                #expect(fixture.snapshot() == before)
            }
        }
    }

    @Test func aBadChoiceIsRefusedBeforeTheDfEIsAsked() async throws {
        let fixture = try WebFixture()
        try await fixture.withFakeAPI { fake, setup in
            try await buildApplication(setup).test(.router) { client in
                var provider = try await Browser.signIn(client, as: "provider")
                try await provider.get(client, Self.path)
                let refused = try await provider.post(
                    client, Self.path, [("source", "dfe"), ("tutor", "nobody"), ("dfe-cohort", "2025")])
                #expect(refused.status == .unprocessableContent)
                #expect(String(buffer: refused.body).contains("Choose the tutor new participants will have."))
                #expect(await fake.requests.isEmpty, "the DfE was not asked")
            }
        }
    }
}
