import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// A participant's DfE record and the form that changes it, checked as `senco participant dfe`
/// checks it; the cohort form's DfE defaults; the cohort page's links to them.
@Suite struct DfEIdentityPageTests {
    static let declarationID = "d0b4a32e-a272-489e-b30a-cb17131457fc"

    @Test func theRecordShowsTheIdentityAndTheStateTheAPILastReported() async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        let current = try fixture.store.portfolio("p-demo-02")
        try fixture.store.update("p-demo-02", expectedRevision: current.revision) { portfolio throws(StoreError) in
            portfolio.log.append(
                .activity(
                    Activity(
                        at: Date(timeIntervalSince1970: 1_790_000_000), by: "senco", role: .system,
                        action: Portfolio.declaredAction,
                        declaration: DeclarationRecord(type: .started, dfeID: Self.declarationID, state: "eligible"))))
        }
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let html = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-02/dfe").body)
            #expect(html.contains("<title>DfE record: Priya Shah – senco</title>"))
            #expect(html.contains(WebFixture.dfeID(2)))
            #expect(html.contains("npq-leadership-autumn (the cohort’s)"), "inherited values say so")
            #expect(html.contains("<th scope=\"row\">started</th>") && html.contains("eligible"))
            #expect(html.contains(Self.declarationID))
            #expect(html.contains("not declared"), "the other milestones")
            // The cohort page leads here.
            let cohort = String(buffer: try await provider.get(client, "/provider/cohorts/demo-cohort").body)
            #expect(cohort.contains("href=\"/provider/portfolios/p-demo-02/dfe\""))
            #expect(cohort.contains("href=\"/provider/cohorts/demo-cohort/dfe\""))
            #expect(cohort.contains("href=\"/provider/cohorts/demo-cohort/dfe/import\""))
        }
    }

    @Test func aParticipantWithoutADfEIDIsToldSoAndOfferedTheForm() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let html = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-01/dfe").body)
            #expect(html.contains("has no DfE participant id yet"))
            #expect(html.contains("href=\"/provider/portfolios/p-demo-01/dfe/edit\">Record the DfE identity"))
        }
    }

    @Test func theFormSavesAnIdentityAndLogsIt() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let form = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-01/dfe/edit").body)
            let revision = try #require(hiddenValue("revision", in: form))
            let saved = try await provider.post(
                client, "/provider/portfolios/p-demo-01/dfe",
                [
                    ("revision", revision), ("dfe-id", WebFixture.dfeID(1).uppercased()), ("trn", "1234567"),
                    ("schedule", "npq-leadership-spring"), ("dfe-cohort", "2025"),
                    ("delivery-partner", "524DF095-F9BF-4F9D-BA4C-772545A99E60"), ("funded-place", "yes"),
                    ("training-status", "deferred"),
                ])
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/provider/portfolios/p-demo-01/dfe")
            let portfolio = try fixture.store.portfolio("p-demo-01")
            let dfe = try #require(portfolio.participant.dfe)
            #expect(dfe.participantID == WebFixture.dfeID(1), "lowercase, as the API gives it")
            #expect(dfe.schedule == "npq-leadership-spring" && dfe.cohort == 2025 && dfe.fundedPlace == true)
            #expect(dfe.deliveryPartner == "524df095-f9bf-4f9d-ba4c-772545a99e60")
            #expect(dfe.trainingStatus == .deferred && dfe.statusSince != nil, "dated when it was set")
            #expect(portfolio.participant.trn == "1234567")
            #expect(
                portfolio.activities.suffix(2).map(\.action) == [
                    Portfolio.dfeStatusAction, Portfolio.dfeIdentityAction,
                ])
            #expect(portfolio.activities.last?.by == "provider")
        }
    }

    struct Bad: CustomStringConvertible, Sendable {
        var field: String
        var value: String
        var phrase: String
        var description: String { "\(field)=\(value)" }
    }

    static let bad: [Bad] = [
        Bad(field: "dfe-id", value: "not-a-uuid", phrase: "must be a UUID"),
        Bad(field: "dfe-id", value: "", phrase: "Enter the DfE participant id"),
        Bad(field: "dfe-id", value: WebFixture.dfeID(2), phrase: "is already p-demo-02’s"),
        Bad(field: "trn", value: "12345", phrase: "must be 7 digits"),
        Bad(field: "schedule", value: "npq-specialist-autumn", phrase: "Choose a schedule"),
        Bad(field: "dfe-cohort", value: "1999", phrase: "must be a year from 2021"),
        Bad(field: "delivery-partner", value: "partner & <co>", phrase: "must be a UUID"),
        Bad(field: "training-status", value: "paused", phrase: "Choose a training status"),
    ]

    /// Each bad value: 422, the error summarised and linked to its field, what was typed kept,
    /// nothing stored.
    @Test(arguments: bad)
    func aBadValueIsRefusedLinkedAndKeptAndNothingIsStored(_ bad: Bad) async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let form = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-01/dfe/edit").body)
            let revision = try #require(hiddenValue("revision", in: form))
            let before = fixture.snapshot()
            var fields = [
                ("revision", revision), ("dfe-id", WebFixture.dfeID(1)), ("trn", "7654321"), ("schedule", ""),
                ("dfe-cohort", "2026"), ("delivery-partner", ""), ("funded-place", "no"), ("training-status", "active"),
            ]
            fields.removeAll { $0.0 == bad.field }
            fields.append((bad.field, bad.value))
            let response = try await provider.post(client, "/provider/portfolios/p-demo-01/dfe", fields)
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("<title>Error: DfE identity"))
            #expect(html.contains("href=\"#\(bad.field)\""), "the error links to its field")
            #expect(html.contains(bad.phrase), "\(bad.phrase)")
            #expect(html.contains("id=\"\(bad.field)-error\""))
            #expect(
                html.contains(bad.field == "trn" ? "value=\"12345\"" : "value=\"7654321\""), "what was typed is kept")
            if bad.field == "delivery-partner" { #expect(html.contains("value=\"partner &amp; &lt;co&gt;\"")) }
            if bad.field == "dfe-id" && !bad.value.isEmpty { #expect(html.contains("value=\"\(bad.value)\"")) }
            #expect(fixture.snapshot() == before, "nothing stored")
        }
    }

    @Test func aStaleFormComesBackWithWhatWasTypedAndStoresNothing() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let form = String(buffer: try await provider.get(client, "/provider/portfolios/p-demo-01/dfe/edit").body)
            let revision = try #require(hiddenValue("revision", in: form))
            // Someone changes the portfolio meanwhile.
            let current = try fixture.store.portfolio("p-demo-01")
            try fixture.store.update("p-demo-01", expectedRevision: current.revision) { $0.stateNote = "changed" }
            let before = fixture.snapshot()
            let response = try await provider.post(
                client, "/provider/portfolios/p-demo-01/dfe",
                [("revision", revision), ("dfe-id", WebFixture.dfeID(7)), ("training-status", "active")])
            #expect(response.status == .conflict)
            let html = String(buffer: response.body)
            #expect(html.contains("after you opened this form, so nothing was saved"))
            #expect(html.contains("value=\"\(WebFixture.dfeID(7))\""))
            #expect(hiddenValue("revision", in: html) == String(current.revision + 1), "the latest revision")
            #expect(fixture.snapshot() == before)
        }
    }

    @Test func theCohortFormKeepsTheDfEDefaultsCheckedAsTheCommandLineChecksThem() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let form = String(buffer: try await provider.get(client, "/provider/cohorts/demo-cohort/edit").body)
            #expect(form.contains("name=\"dfe-schedule\"") && form.contains("name=\"dfe-delivery-partner\""))
            let cohort = try fixture.store.cohort("demo-cohort")
            let base = [
                ("title", cohort.title), ("provider", cohort.provider), ("start", cohort.start.description),
                ("tutors", cohort.tutors.map { "\($0.id)=\($0.name)" }.joined(separator: "\n")),
            ]
            let before = fixture.snapshot()
            let refused = try await provider.post(
                client, "/provider/cohorts/demo-cohort/edit",
                base + [
                    ("dfe-schedule", "npq-leadership-autumn"), ("dfe-cohort", "20x5"), ("dfe-delivery-partner", "dp-1"),
                ])
            #expect(refused.status == .unprocessableContent)
            let html = String(buffer: refused.body)
            #expect(html.contains("href=\"#dfe-cohort\"") && html.contains("href=\"#dfe-delivery-partner\""))
            #expect(html.contains("id=\"dfe-delivery-partner-error\"") && html.contains("value=\"dp-1\""))
            #expect(html.contains("<option value=\"npq-leadership-autumn\" selected>"), "the choice is kept")
            #expect(fixture.snapshot() == before)
            let saved = try await provider.post(
                client, "/provider/cohorts/demo-cohort/edit",
                base + [
                    ("dfe-schedule", "npq-leadership-autumn"), ("dfe-cohort", "2025"),
                    ("dfe-delivery-partner", "524df095-f9bf-4f9d-ba4c-772545a99e60"),
                ])
            #expect(saved.status == .seeOther)
            #expect(
                try fixture.store.cohort("demo-cohort").dfe
                    == Cohort.DfEDefaults(
                        schedule: "npq-leadership-autumn", cohort: 2025,
                        deliveryPartner: "524df095-f9bf-4f9d-ba4c-772545a99e60"))
        }
    }
}
