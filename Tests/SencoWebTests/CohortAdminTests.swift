import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// The provider's cohort pages: create and edit a cohort, add a participant, and add many from
/// a CSV file through a preview that stores nothing until it is confirmed.
@Suite struct CohortAdminTests {
    static let tutors = "t-a=Tutor A\nt-b=Tutor Bee & <Co>"

    static func hidden(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    @Test func aProviderCreatesACohortAndEditsIt() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            #expect(try await provider.get(client, "/provider/cohorts/new").status == .ok)
            let created = try await provider.post(
                client, "/provider/cohorts",
                [
                    ("id", "2026-autumn"), ("title", "Autumn 2026"), ("provider", "Example Hub"),
                    ("start", "2026-10-05"), ("tutors", Self.tutors),
                ])
            #expect(created.status == .seeOther)
            #expect(created.headers[.location] == "/provider/cohorts/2026-autumn")
            let cohort = try fixture.store.cohort("2026-autumn")
            #expect(cohort.title == "Autumn 2026" && cohort.start == Day("2026-10-05"))
            #expect(cohort.tutors.map(\.id) == ["t-a", "t-b"])
            #expect(cohort.tutors.last?.name == "Tutor Bee & <Co>")

            let form = String(buffer: try await provider.get(client, "/provider/cohorts/2026-autumn/edit").body)
            #expect(form.contains("t-b=Tutor Bee &amp; &lt;Co&gt;"), "the tutors as lines, escaped")
            let saved = try await provider.post(
                client, "/provider/cohorts/2026-autumn/edit",
                [
                    ("title", "Autumn 2026 (group 2)"), ("provider", "Example Hub"), ("start", "2026-10-12"),
                    ("tutors", "t-a=Tutor A"),
                ])
            #expect(saved.status == .seeOther)
            let edited = try fixture.store.cohort("2026-autumn")
            #expect(
                edited.title == "Autumn 2026 (group 2)" && edited.start == Day("2026-10-12")
                    && edited.tutors.map(\.id) == ["t-a"])
        }
    }

    @Test func aSearchForAWholeNameFromTheFormFindsTheParticipant() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            // What a browser sends for the search form's "Alex Rivers".
            let html = String(
                buffer: try await provider.get(client, "/provider/cohorts/demo-cohort?q=Alex+Rivers").body)
            #expect(html.contains("1 participant."))
            #expect(html.contains("p-demo-01"))
        }
    }

    @Test func aTutorWithParticipantsCannotBeRemovedAndNothingChanges() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, "/provider/cohorts/demo-cohort/edit")
            let before = fixture.snapshot()
            let response = try await provider.post(
                client, "/provider/cohorts/demo-cohort/edit",
                [("title", "Renamed"), ("provider", "Hub"), ("start", "2026-01-05"), ("tutors", "t-bell=Sam Bell")])
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("t-okafor still tutors participants"))
            #expect(html.contains("href=\"#tutors\""))
            #expect(html.contains("value=\"Renamed\""), "what was typed is kept")
            #expect(fixture.snapshot() == before)
        }
    }

    struct Bad: CustomStringConvertible, Sendable {
        var fields: [[String]]
        var linked: [String]
        var description: String { linked.joined(separator: ",") }
    }

    static let badCohorts: [Bad] = [
        Bad(
            fields: [["id", ""], ["title", ""], ["provider", ""], ["start", ""], ["tutors", ""]],
            linked: ["id", "title", "provider", "start"]),
        Bad(
            fields: [
                ["id", "demo-cohort"], ["title", "T"], ["provider", "P"], ["start", "2026-10-05"], ["tutors", ""],
            ], linked: ["id"]),
        Bad(
            fields: [
                ["id", "Bad Id"], ["title", "T"], ["provider", "P"], ["start", "2026-10-05"], ["tutors", ""],
            ], linked: ["id"]),
        Bad(
            fields: [["id", "c-x"], ["title", "T"], ["provider", "P"], ["start", "1900-01-01"], ["tutors", ""]],
            linked: ["start"]),
        Bad(
            fields: [["id", "c-x"], ["title", "T"], ["provider", "P"], ["start", "not a date"], ["tutors", ""]],
            linked: ["start"]),
        Bad(
            fields: [
                ["id", "c-x"], ["title", "T"], ["provider", "P"], ["start", "2026-10-05"],
                ["tutors", "no equals sign"],
            ], linked: ["tutors"]),
        Bad(
            fields: [
                ["id", "c-x"], ["title", "T"], ["provider", "P"], ["start", "2026-10-05"], ["tutors", "t-a=A\nt-a=B"],
            ], linked: ["tutors"]),
        Bad(
            fields: [
                ["id", "c-x"], ["title", "T\u{1}"], ["provider", "P"], ["start", "2026-10-05"], ["tutors", ""],
            ], linked: ["title"]),
    ]

    @Test(arguments: badCohorts)
    func aRefusedCohortComesBackWithErrorsLinkedToItsFieldsAndNothingIsStored(_ bad: Bad) async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, "/provider/cohorts/new")
            let before = fixture.snapshot()
            let response = try await provider.post(client, "/provider/cohorts", bad.fields.map { ($0[0], $0[1]) })
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("<title>Error: "))
            for field in bad.linked { #expect(html.contains("href=\"#\(field)\""), "linked to \(field)") }
            #expect(fixture.snapshot() == before)
        }
    }

    @Test func aProviderAddsOneParticipant() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            #expect(try await provider.get(client, "/provider/cohorts/demo-cohort/participants/new").status == .ok)
            let response = try await provider.post(
                client, "/provider/cohorts/demo-cohort/participants",
                [
                    ("id", "p-new-01"), ("name", " Sam O’Neil "), ("school", "Hill & Dale School"), ("tutor", "t-bell"),
                    ("email", "sam@example.org"),
                    ("trn", "1234567"), ("started", ""),
                ])
            #expect(response.status == .seeOther)
            let portfolio = try fixture.store.portfolio("p-new-01")
            #expect(portfolio.participant.name == "Sam O’Neil")
            #expect(portfolio.participant.tutor == "t-bell" && portfolio.participant.cohort == "demo-cohort")
            #expect(portfolio.participant.started == (try fixture.store.cohort("demo-cohort")).start)
            #expect(portfolio.state == .draft)
        }
    }

    static let badParticipants: [Bad] = [
        Bad(
            fields: [["id", ""], ["name", ""], ["school", ""], ["tutor", ""]],
            linked: ["id", "name", "school", "tutor"]),
        Bad(fields: [["id", "p-demo-01"], ["name", "N"], ["school", "S"], ["tutor", "t-bell"]], linked: ["id"]),
        Bad(fields: [["id", "p-x"], ["name", "N"], ["school", "S"], ["tutor", "t-nobody"]], linked: ["tutor"]),
        Bad(
            fields: [
                ["id", "p-x"], ["name", "N"], ["school", "S"], ["tutor", "t-bell"], ["email", "not an email"],
            ], linked: ["email"]),
        Bad(
            fields: [["id", "p-x"], ["name", "N"], ["school", "S"], ["tutor", "t-bell"], ["trn", "12345"]],
            linked: ["trn"]),
        Bad(
            fields: [
                ["id", "p-x"], ["name", "N"], ["school", "S"], ["tutor", "t-bell"], ["started", "1999-01-01"],
            ], linked: ["started"]),
        Bad(
            fields: [
                ["id", "p-x"], ["name", String(repeating: "n", count: 201)], ["school", "S"], ["tutor", "t-bell"],
            ], linked: ["name"]),
    ]

    @Test(arguments: badParticipants)
    func aRefusedParticipantComesBackWithErrorsAndNothingIsStored(_ bad: Bad) async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, "/provider/cohorts/demo-cohort/participants/new")
            let before = fixture.snapshot()
            let response = try await provider.post(
                client, "/provider/cohorts/demo-cohort/participants", bad.fields.map { ($0[0], $0[1]) })
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            for field in bad.linked { #expect(html.contains("href=\"#\(field)\""), "linked to \(field)") }
            #expect(fixture.snapshot() == before)
        }
    }

    static let goodCSV = """
        id,name,school,tutor,email,trn,started\r
        p-csv-01,"Rivers, Alex",Hillside Primary,t-okafor,alex@example.org,1234567,\r
        p-csv-02,"Sam ""Sammy"" Lee",Brook Lane & Co,t-bell,,,2026-01-10\r

        """

    @Test func aCSVFileIsPreviewedThenAddedOnlyWhenConfirmed() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            #expect(try await provider.get(client, "/provider/cohorts/demo-cohort/import").status == .ok)
            let before = fixture.snapshot()
            let preview = try await provider.upload(
                client, "/provider/cohorts/demo-cohort/import", name: "people.csv", bytes: Array(Self.goodCSV.utf8))
            #expect(preview.status == .ok)
            let html = String(buffer: preview.body)
            #expect(html.contains("Add these 2 participants"))
            #expect(html.contains("Sam &quot;Sammy&quot; Lee"))
            #expect(fixture.snapshot() == before, "a preview stores nothing")

            let file = try #require(Self.hidden("file", in: html))
            let digest = try #require(Self.hidden("digest", in: html))
            let tampered = Data(Self.goodCSV.replacingOccurrences(of: "p-csv-02", with: "p-csv-99").utf8)
                .base64EncodedString()
            let refused = try await provider.post(
                client, "/provider/cohorts/demo-cohort/import/confirm", [("file", tampered), ("digest", digest)])
            #expect(refused.status == .unprocessableContent, "a file that is not the one previewed")
            #expect(fixture.snapshot() == before)

            let confirmed = try await provider.post(
                client, "/provider/cohorts/demo-cohort/import/confirm", [("file", file), ("digest", digest)])
            #expect(confirmed.status == .seeOther)
            #expect(try fixture.store.portfolio("p-csv-01").participant.name == "Rivers, Alex")
            #expect(try fixture.store.portfolio("p-csv-02").participant.started == Day("2026-01-10"))
            #expect(try fixture.store.portfolio("p-csv-02").participant.school == "Brook Lane & Co")

            let after = fixture.snapshot()
            try await provider.get(client, "/provider/cohorts/demo-cohort/import")
            let again = try await provider.post(
                client, "/provider/cohorts/demo-cohort/import/confirm", [("file", file), ("digest", digest)])
            #expect(again.status == .unprocessableContent, "the same file twice: every id is now taken")
            #expect(String(buffer: again.body).contains("There is already a participant p-csv-01"))
            #expect(fixture.snapshot() == after)
        }
    }

    @Test(arguments: [
        (
            "id,name,school,tutor\np-csv-01,A,S,t-okafor\np-demo-01,B,S,t-okafor\np-csv-01,C,S,t-bell\nBad Id,D,S,t-nobody\n",
            "There is already a participant p-demo-01"
        ),
        ("id,name,school,tutor,trn,email,started\np-csv-01,A,S,t-okafor,12,x,1900-01-01\n", "7 digits"),
        ("id,name,school\np-csv-01,A,S\n", "the column tutor must be there"),
        ("id,name,school,tutor,colour\np-csv-01,A,S,t-okafor,red\n", "unknown column"),
        ("id,name,school,tutor\np-csv-01,A,S\n", "3 fields where the header names 4"),
        ("id,name,school,tutor\np-csv-01,\"A,S,t-okafor\n", "not closed"),
        ("", "empty"),
        ("id,name,school,tutor\n", "no participants"),
    ])
    func aCSVFileWithBadRowsIsRefusedWholeAndNothingIsStored(csv: String, phrase: String) async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, "/provider/cohorts/demo-cohort/import")
            let before = fixture.snapshot()
            let response = try await provider.upload(
                client, "/provider/cohorts/demo-cohort/import", name: "people.csv", bytes: Array(csv.utf8))
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains(phrase), "\(phrase)")
            #expect(html.contains("There is a problem"))
            #expect(!html.contains("import/confirm"), "nothing to confirm")
            #expect(fixture.snapshot() == before)
        }
    }

    @Test(arguments: [
        "/provider/cohorts", "/provider/cohorts/demo-cohort/edit", "/provider/cohorts/demo-cohort/participants",
        "/provider/cohorts/demo-cohort/import", "/provider/cohorts/demo-cohort/import/confirm",
    ])
    func everyCohortFormNeedsItsCSRFToken(_ path: String) async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, "/provider/cohorts/demo-cohort/import")
            let before = fixture.snapshot()
            let fields = [
                ("id", "c-csrf"), ("title", "T"), ("provider", "P"), ("start", "2026-10-05"), ("tutors", "t-a=A"),
                ("name", "N"),
                ("school", "S"), ("tutor", "t-bell"), ("file", Data(Self.goodCSV.utf8).base64EncodedString()),
                ("digest", CohortAdminController.digest(Data(Self.goodCSV.utf8))),
            ]
            #expect(try await provider.post(client, path, fields, omitCSRF: true).status == .forbidden)
            #expect(try await provider.post(client, path, fields, csrf: "not-the-token").status == .forbidden)
            if path.hasSuffix("/import") {
                let upload = try await provider.upload(
                    client, path, name: "people.csv", bytes: Array(Self.goodCSV.utf8), csrf: "wrong")
                #expect(upload.status == .forbidden)
            }
            #expect(fixture.snapshot() == before)
        }
    }
}
