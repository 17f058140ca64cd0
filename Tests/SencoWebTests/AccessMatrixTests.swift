import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// Every route × every role × own and someone else's data, with the status each must get:
/// 403 for a role that never uses the page (decided before anything is read), and for someone
/// else's id the 404 an unknown id gets, so the answer says nothing about which ids exist.
/// In the fixture: participant owns p-demo-01 (draft); tutor (t-okafor) tutors p-demo-01 and
/// p-demo-02; tutor-2 tutors p-demo-03; the plan samples the judged p-demo-02 and p-demo-03 for
/// "moderator"; p-demo-01 is not sampled.
@Suite struct AccessMatrixTests {
    struct Case: CustomStringConvertible, Sendable {
        var path: String
        /// participant, tutor, moderator, provider
        var expected: [Int]
        var description: String { path }
    }

    static let cases: [Case] = [
        Case(path: "/portfolios/p-demo-01", expected: [200, 200, 403, 200]),
        Case(path: "/portfolios/p-demo-02", expected: [404, 200, 403, 200]),
        Case(path: "/portfolios/p-demo-03", expected: [404, 404, 403, 200]),
        Case(path: "/portfolios/p-demo-01/feedback", expected: [200, 200, 403, 200]),
        Case(path: "/portfolios/p-demo-02/feedback", expected: [404, 200, 403, 200]),
        Case(path: "/portfolios/p-demo-03/feedback", expected: [404, 404, 403, 200]),
        Case(path: "/portfolios/p-nobody/feedback", expected: [404, 404, 403, 404]),
        Case(path: "/portfolios/p-demo-01/evidence/new", expected: [200, 403, 403, 403]),
        Case(path: "/portfolios/p-demo-02/evidence/new", expected: [404, 403, 403, 403]),
        Case(path: "/portfolios/p-demo-01/evidence/e1", expected: [200, 403, 403, 403]),
        Case(path: "/portfolios/p-demo-02/evidence/e1", expected: [404, 403, 403, 403]),
        Case(path: "/tutor", expected: [403, 200, 403, 403]),
        Case(path: "/portfolios/p-demo-02/review", expected: [403, 200, 403, 200]),
        Case(path: "/portfolios/p-demo-03/review", expected: [403, 404, 403, 200]),
        Case(path: "/portfolios/p-demo-02/review/1.1", expected: [403, 200, 403, 200]),
        Case(path: "/portfolios/p-demo-03/review/1.1", expected: [403, 404, 403, 200]),
        Case(path: "/moderation", expected: [403, 403, 200, 403]),
        Case(path: "/moderation/p-demo-02", expected: [403, 403, 200, 403]),
        Case(path: "/moderation/p-demo-01", expected: [403, 403, 404, 403]),
        Case(path: "/moderation/p-demo-02/statements/1.1", expected: [403, 403, 200, 403]),
        Case(path: "/moderation/p-demo-02/reconcile", expected: [403, 403, 200, 403]),
        Case(path: "/moderation-reports/plan-1", expected: [403, 403, 200, 200]),
        Case(path: "/provider", expected: [403, 403, 403, 200]),
        Case(path: "/provider/cohorts/demo-cohort", expected: [403, 403, 403, 200]),
        Case(path: "/provider/cohorts/demo-cohort/completion/csv", expected: [403, 403, 403, 200]),
        Case(path: "/provider/cohorts/demo-cohort/completion/html", expected: [403, 403, 403, 200]),
        Case(path: "/provider/cohorts/demo-cohort/pack", expected: [403, 403, 403, 200]),
        Case(path: "/provider/cohorts/new", expected: [403, 403, 403, 200]),
        Case(path: "/provider/cohorts/demo-cohort/edit", expected: [403, 403, 403, 200]),
        Case(path: "/provider/cohorts/no-cohort/edit", expected: [403, 403, 403, 404]),
        Case(path: "/provider/cohorts/demo-cohort/participants/new", expected: [403, 403, 403, 200]),
        Case(path: "/provider/cohorts/demo-cohort/import", expected: [403, 403, 403, 200]),
        Case(path: "/provider/cohorts/no-cohort/import", expected: [403, 403, 403, 404]),
        Case(path: "/provider/users", expected: [403, 403, 403, 200]),
        Case(path: "/provider/users/new", expected: [403, 403, 403, 200]),
        Case(path: "/provider/users/participant", expected: [403, 403, 403, 200]),
        Case(path: "/provider/users/tutor-2", expected: [403, 403, 403, 200]),
        Case(path: "/provider/users/nobody", expected: [403, 403, 403, 404]),
        Case(path: "/portfolios/p-nobody", expected: [404, 404, 403, 404]),
        Case(path: "/no-such-page", expected: [404, 404, 404, 404]),
    ]

    static let roles = ["participant", "tutor", "moderator", "provider"]

    @Test(arguments: cases)
    func everyRoleGetsTheExpectedStatus(_ route: Case) async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            for (index, role) in Self.roles.enumerated() {
                var browser = try await Browser.signIn(client, as: role)
                let response = try await browser.get(client, route.path)
                #expect(Int(response.status.code) == route.expected[index], "\(role) GET \(route.path)")
            }
            // Nobody signed in: every page but sign-in sends you to sign in.
            if route.path != "/no-such-page" {
                let anonymous = try await client.execute(uri: route.path, method: .get)
                #expect(anonymous.status == .seeOther, "anonymous GET \(route.path)")
                #expect(anonymous.headers[.location] == "/login")
            }
        }
    }

    /// State-changing requests on someone else's data, with a valid CSRF token: refused, and
    /// not one stored byte changes.
    struct Attempt: CustomStringConvertible, Sendable {
        var user: String
        var path: String
        var fields: [Field]
        /// 403 when the role never makes this change; 404 when it is someone else's portfolio.
        var expected = 404
        var description: String { "\(user) POST \(path)" }
    }

    struct Field: Sendable {
        var name: String
        var value: String
        init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    static let attempts: [Attempt] = [
        Attempt(user: "participant", path: "/portfolios/p-demo-02/submit", fields: [Field("revision", "1")]),
        Attempt(user: "participant", path: "/portfolios/p-demo-02/evidence", fields: [Field("revision", "1"), Field("title", "x"), Field("type", "reading-log"), Field("date", "2026-01-01")]),
        Attempt(user: "participant", path: "/portfolios/p-demo-02/evidence/e1/delete", fields: [Field("revision", "1")]),
        Attempt(user: "tutor", path: "/portfolios/p-demo-01/evidence", fields: [Field("revision", "1"), Field("title", "x"), Field("type", "reading-log"), Field("date", "2026-01-01")], expected: 403),
        Attempt(user: "tutor-2", path: "/portfolios/p-demo-02/review/1.1", fields: [Field("revision", "1"), Field("status", "met")]),
        Attempt(user: "tutor-2", path: "/portfolios/p-demo-02/return", fields: [Field("revision", "1"), Field("feedback", "no")]),
        Attempt(user: "tutor-2", path: "/portfolios/p-demo-02/signoff", fields: [Field("revision", "1"), Field("outcome", "failed"), Field("reason", "no")]),
        Attempt(user: "provider", path: "/portfolios/p-demo-02/review/1.1", fields: [Field("revision", "1"), Field("status", "met")], expected: 403),
        Attempt(user: "moderator", path: "/portfolios/p-demo-02/review/1.1", fields: [Field("revision", "1"), Field("status", "met")], expected: 403),
        Attempt(user: "moderator", path: "/moderation/p-demo-01/statements/1.1", fields: [Field("revision", "1"), Field("status", "met")]),
        Attempt(user: "moderator-2", path: "/moderation/p-demo-02/statements/1.1", fields: [Field("revision", "1"), Field("status", "met")]),
        Attempt(user: "participant", path: "/moderation/p-demo-02/reconcile/1.1", fields: [Field("revision", "1"), Field("status", "met"), Field("note", "n")], expected: 403),
        // Accounts are the provider's alone: every other role is refused before the form is read.
        Attempt(user: "participant", path: "/provider/users", fields: [Field("id", "x"), Field("name", "X"), Field("role", "provider")], expected: 403),
        Attempt(user: "tutor", path: "/provider/users", fields: [Field("id", "x"), Field("name", "X"), Field("role", "provider")], expected: 403),
        Attempt(user: "moderator", path: "/provider/users", fields: [Field("id", "x"), Field("name", "X"), Field("role", "provider")], expected: 403),
        Attempt(user: "participant", path: "/provider/users/participant-2/link", fields: [], expected: 403),
        Attempt(user: "tutor", path: "/provider/users/participant/link", fields: [], expected: 403),
        Attempt(user: "participant", path: "/provider/users/participant-2/disable", fields: [], expected: 403),
        Attempt(user: "tutor", path: "/provider/users/tutor-2/disable", fields: [], expected: 403),
        Attempt(user: "moderator", path: "/provider/users/moderator-2/enable", fields: [], expected: 403),
        Attempt(user: "provider", path: "/provider/users/nobody/disable", fields: [], expected: 404),
        Attempt(user: "tutor", path: "/provider/cohorts", fields: [Field("id", "c-x"), Field("title", "T"), Field("provider", "P"), Field("start", "2026-10-05")], expected: 403),
        Attempt(user: "tutor", path: "/provider/cohorts/demo-cohort/edit", fields: [Field("title", "T"), Field("provider", "P"), Field("start", "2026-10-05")], expected: 403),
        Attempt(user: "participant", path: "/provider/cohorts/demo-cohort/participants", fields: [Field("id", "p-x"), Field("name", "N"), Field("school", "S"), Field("tutor", "t-bell")], expected: 403),
        Attempt(user: "moderator", path: "/provider/cohorts/demo-cohort/import/confirm", fields: [Field("file", ""), Field("digest", "")], expected: 403),
        Attempt(user: "provider", path: "/provider/cohorts/no-cohort/participants", fields: [Field("id", "p-x"), Field("name", "N"), Field("school", "S"), Field("tutor", "t-bell")], expected: 404),
        Attempt(user: "provider", path: "/provider/users/nobody/link", fields: [], expected: 404),
    ]

    @Test(arguments: attempts)
    func changesToOthersDataAreRefusedAndNothingChanges(_ attempt: Attempt) async throws {
        let (user, path, fields) = (attempt.user, attempt.path, attempt.fields.map { ($0.name, $0.value) })
        let fixture = try WebFixture()
        let before = fixture.snapshot()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: user)
            try await browser.get(client, "/")
            let response = try await browser.post(client, path, fields)
            #expect(Int(response.status.code) == attempt.expected, "\(user) POST \(path)")
        }
        #expect(fixture.snapshot() == before, "the store is unchanged")
    }
}
