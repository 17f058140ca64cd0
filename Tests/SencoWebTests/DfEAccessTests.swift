import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// The DfE pages are the provider's alone: every route × every role, unknown ids, nobody signed
/// in, and every form's CSRF token; a refused request changes nothing.
@Suite struct DfEAccessTests {
    struct Case: CustomStringConvertible, Sendable {
        var path: String
        /// participant, tutor, moderator, provider
        var expected: [Int]
        var description: String { path }
    }

    static let pages: [Case] = [
        Case(path: "/provider/portfolios/p-demo-01/dfe", expected: [403, 403, 403, 200]),
        Case(path: "/provider/portfolios/p-demo-03/dfe", expected: [403, 403, 403, 200]),
        Case(path: "/provider/portfolios/p-nobody/dfe", expected: [403, 403, 403, 404]),
        Case(path: "/provider/portfolios/p-demo-01/dfe/edit", expected: [403, 403, 403, 200]),
        Case(path: "/provider/portfolios/p-nobody/dfe/edit", expected: [403, 403, 403, 404]),
        Case(path: "/provider/cohorts/demo-cohort/dfe", expected: [403, 403, 403, 200]),
        Case(path: "/provider/cohorts/no-cohort/dfe", expected: [403, 403, 403, 404]),
        Case(path: "/provider/cohorts/demo-cohort/dfe/import", expected: [403, 403, 403, 200]),
        Case(path: "/provider/cohorts/no-cohort/dfe/import", expected: [403, 403, 403, 404]),
        Case(path: "/provider/portfolios/p-demo-01/dfe/void/started", expected: [403, 403, 403, 200]),
        Case(path: "/provider/portfolios/p-demo-03/dfe/void/completed", expected: [403, 403, 403, 200]),
        Case(path: "/provider/portfolios/p-nobody/dfe/void/started", expected: [403, 403, 403, 404]),
        Case(path: "/provider/portfolios/p-demo-01/dfe/void/finished", expected: [403, 403, 403, 404]),
        Case(path: "/provider/portfolios/p-demo-01/dfe/defer", expected: [403, 403, 403, 200]),
        Case(path: "/provider/portfolios/p-nobody/dfe/defer", expected: [403, 403, 403, 404]),
        Case(path: "/provider/portfolios/p-demo-01/dfe/resume", expected: [403, 403, 403, 200]),
        Case(path: "/provider/portfolios/p-nobody/dfe/resume", expected: [403, 403, 403, 404]),
    ]

    static let roles = ["participant", "tutor", "moderator", "provider"]

    @Test(arguments: pages)
    func everyRoleGetsTheExpectedStatus(_ route: Case) async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        try await fixture.app().test(.router) { client in
            for (index, role) in Self.roles.enumerated() {
                var browser = try await Browser.signIn(client, as: role)
                let response = try await browser.get(client, route.path)
                #expect(Int(response.status.code) == route.expected[index], "\(role) GET \(route.path)")
            }
            let anonymous = try await client.execute(uri: route.path, method: .get)
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login")
        }
    }

    static let forms: [String] = [
        "/provider/portfolios/p-demo-01/dfe", "/provider/cohorts/demo-cohort/dfe/submit",
        "/provider/cohorts/demo-cohort/dfe/import", "/provider/cohorts/demo-cohort/dfe/import/confirm",
        "/provider/portfolios/p-demo-01/dfe/void/started", "/provider/portfolios/p-demo-01/dfe/defer",
        "/provider/portfolios/p-demo-01/dfe/resume", "/provider/cohorts/demo-cohort/dfe/sync",
    ]

    /// Another role's POST is refused before its body is read; a provider's without the
    /// session's CSRF token, or with another, is refused too; nothing stored changes.
    @Test(arguments: forms)
    func everyFormIsTheProvidersAndNeedsItsCSRFToken(_ path: String) async throws {
        let fixture = try WebFixture()
        try fixture.giveDfEIdentities()
        let before = fixture.snapshot()
        let fields = [
            ("revision", "1"), ("dfe-id", WebFixture.dfeID(9)), ("training-status", "active"), ("digest", "x"),
            ("tutor", "t-okafor"), ("dfe-cohort", "2025"), ("file", Data("{\"data\":[]}".utf8).base64EncodedString()),
            ("reason", "career-break"), ("step", "send"), ("scope", "changes"),
        ]
        try await fixture.app().test(.router) { client in
            for role in ["participant", "tutor", "moderator"] {
                var browser = try await Browser.signIn(client, as: role)
                try await browser.get(client, "/")
                #expect(try await browser.post(client, path, fields).status == .forbidden, "\(role) POST \(path)")
            }
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, "/provider")
            #expect(try await provider.post(client, path, fields, omitCSRF: true).status == .forbidden)
            #expect(try await provider.post(client, path, fields, csrf: "not-the-token").status == .forbidden)
            if path.hasSuffix("/import") {
                let upload = try await provider.upload(
                    client, path, fields: [("tutor", "t-okafor"), ("dfe-cohort", "2025")], file: "p.json",
                    bytes: Array("{\"data\":[]}".utf8), csrf: "wrong")
                #expect(upload.status == .forbidden)
            }
            let anonymous = try await client.execute(uri: path, method: .post)
            #expect(anonymous.status == .forbidden || anonymous.status == .seeOther)
        }
        #expect(fixture.snapshot() == before, "nothing stored changed")
    }
}
