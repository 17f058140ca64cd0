import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// Participants from a saved DfE participants file in the browser: every participant checked
/// and shown, conflicts listed, nothing stored until the preview is confirmed, and a
/// confirmation that is not the previewed file, or a store that has changed, stores nothing.
@Suite struct DfEImportPageTests {
    static let path = "/provider/cohorts/demo-cohort/dfe/import"
    static let newID = "abcdef01-2345-4678-9abc-def012345678"

    static func participant(_ id: String, name: String, trn: String, course: String = "npq-senco") -> String {
        """
        {"id":"\(id)","type":"npq-participant","attributes":{"full_name":"\(name)","previous_names":[],
        "teacher_reference_number":"\(trn)","updated_at":"2026-09-01T10:00:00.000Z","npq_enrolments":[{"course_identifier":"\(course)",
        "schedule_identifier":"npq-leadership-autumn","cohort":"2025","npq_application_id":"db3a7848-7308-4879-942a-c4a70ced400a",
        "eligible_for_funding":true,"training_status":"active","targeted_delivery_funding_eligibility":false,"funded_place":true,
        "email":null,"withdrawal":null,"deferral":null}],"participant_id_changes":[]}}
        """
    }

    /// A new participant, one on another course, and p-demo-02's own record with a TRN another
    /// participant holds under another id (a conflict).
    static let file = """
        {"data":[\(participant(newID, name: "Nia O'Brien & <Co>", trn: "7777777")),
        \(participant("abcdef02-2345-4678-9abc-def012345678", name: "Other Course", trn: "8888888", course: "npq-headship")),
        \(participant("abcdef03-2345-4678-9abc-def012345678", name: "Clash", trn: "1111111"))]}
        """

    func fixtureWithAClash() throws -> WebFixture {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        let current = try fixture.store.portfolio("p-demo-02")
        try fixture.store.update("p-demo-02", expectedRevision: current.revision) { $0.participant.trn = "1111111" }
        return fixture
    }

    @Test func aFileIsPreviewedWithConflictsListedThenStoredOnlyWhenConfirmed() async throws {
        let fixture = try fixtureWithAClash()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let form = String(buffer: try await provider.get(client, Self.path).body)
            #expect(form.contains("value=\"2025\""), "the cohort's DfE cohort")
            let before = fixture.snapshot()
            let preview = try await provider.upload(
                client, Self.path, fields: [("tutor", "t-bell"), ("dfe-cohort", "2025")], file: "participants.json",
                bytes: Array(Self.file.utf8))
            #expect(preview.status == .ok)
            let html = String(buffer: preview.body)
            #expect(
                html.contains("Nia O&#39;Brien &amp; &lt;Co&gt;") || html.contains("Nia O&#x27;Brien &amp; &lt;Co&gt;"),
                "escaped")
            #expect(html.contains("dfe-abcdef01") && html.contains(Self.newID))
            #expect(html.contains("TRN 1111111 is already p-demo-02"), "the conflict is listed")
            #expect(html.contains("no npq-senco enrolment in DfE cohort 2025"), "other courses are listed as skipped")
            #expect(html.contains("New participants go to Sam Bell"))
            #expect(fixture.snapshot() == before, "a preview stores nothing")

            let file = try #require(hiddenValue("file", in: html))
            let digest = try #require(hiddenValue("digest", in: html))
            let plan = try #require(hiddenValue("plan", in: html))
            let tampered = Data(Self.file.replacingOccurrences(of: "Clash", with: "Clasp").utf8).base64EncodedString()
            let refused = try await provider.post(
                client, Self.path + "/confirm",
                [("file", tampered), ("digest", digest), ("plan", plan), ("tutor", "t-bell"), ("dfe-cohort", "2025")])
            #expect(refused.status == .unprocessableContent, "not the file that was previewed")
            #expect(String(buffer: refused.body).contains("did not match the file that was checked"))
            #expect(fixture.snapshot() == before)

            let confirmed = try await provider.post(
                client, Self.path + "/confirm",
                [("file", file), ("digest", digest), ("plan", plan), ("tutor", "t-bell"), ("dfe-cohort", "2025")])
            #expect(confirmed.status == .seeOther)
            let added = try fixture.store.portfolio("dfe-abcdef01")
            #expect(added.participant.name == "Nia O'Brien & <Co>" && added.participant.tutor == "t-bell")
            #expect(added.participant.dfe?.participantID == Self.newID)
            #expect(
                try fixture.store.portfolio("p-demo-02").participant.dfe?.participantID == WebFixture.dfeID(2),
                "the conflict left alone")
            let flash = String(buffer: try await provider.get(client, "/provider/cohorts/demo-cohort").body)
            #expect(flash.contains("1 added and 0 updated in demo-cohort; 1 conflicts left alone"))
        }
    }

    @Test func aStoreChangedSinceThePreviewSendsThePreviewBackAndStoresNothing() async throws {
        let fixture = try fixtureWithAClash()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, Self.path)
            let html = String(
                buffer: try await provider.upload(
                    client, Self.path, fields: [("tutor", "t-bell"), ("dfe-cohort", "2025")], file: "p.json",
                    bytes: Array(Self.file.utf8)
                ).body)
            let file = try #require(hiddenValue("file", in: html))
            let digest = try #require(hiddenValue("digest", in: html))
            let plan = try #require(hiddenValue("plan", in: html))
            // Meanwhile the clash is resolved by hand: the import would now do something else.
            let current = try fixture.store.portfolio("p-demo-02")
            try fixture.store.update("p-demo-02", expectedRevision: current.revision) { $0.participant.trn = nil }
            let before = fixture.snapshot()
            let again = try await provider.post(
                client, Self.path + "/confirm",
                [("file", file), ("digest", digest), ("plan", plan), ("tutor", "t-bell"), ("dfe-cohort", "2025")])
            #expect(again.status == .conflict)
            let page = String(buffer: again.body)
            #expect(page.contains("The store changed") && page.contains("<title>Error: Check the participants"))
            #expect(fixture.snapshot() == before)
        }
    }

    @Test(arguments: [
        ("not json at all", "tutor", "t-bell", "The file cannot be used"),
        ("{\"data\":[{\"id\":\"nope\"}]}", "tutor", "t-bell", "data[0]: type is not npq-participant"),
        ("{\"data\":[]}", "tutor", "t-nobody", "Choose the tutor new participants will have"),
        ("{\"data\":[]}", "dfe-cohort", "1999", "The DfE cohort must be a year from 2021"),
    ])
    func aBadFileOrChoiceIsRefusedLinkedAndStoresNothing(file: String, field: String, value: String, phrase: String)
        async throws
    {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, Self.path)
            let before = fixture.snapshot()
            var fields = [("tutor", "t-bell"), ("dfe-cohort", "2025")]
            fields.removeAll { $0.0 == field }
            fields.append((field, value))
            let response = try await provider.upload(
                client, Self.path, fields: fields, file: "p.json", bytes: Array(file.utf8))
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains(phrase), "\(phrase)")
            let linked = phrase.hasPrefix("The file") || phrase.hasPrefix("data[0]") ? "file" : field
            #expect(html.contains("href=\"#\(linked)\""))
            #expect(!html.contains("dfe/import/confirm"), "nothing to confirm")
            #expect(fixture.snapshot() == before)
        }
    }
}
