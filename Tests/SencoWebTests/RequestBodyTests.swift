import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SencoCore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// Who may send a body is settled before the body is read, and what is read is capped: an
/// anonymous or unauthorised POST is refused unread; a signed-in form is read up to 64 KB and
/// 200 fields, and must carry its session's CSRF token. Nothing refused changes the store.
@Suite struct RequestBodyTests {
    @Test func anAnonymousPostIsRefusedWithoutReadingItsBody() async throws {
        let fixture = try WebFixture()
        let direct = try DirectRouter(fixture.setup)
        let before = fixture.snapshot()
        for path in [
            "/portfolios/p-demo-01/evidence", "/login", "/logout", "/portfolios/p-demo-01/evidence/e1/attachments",
        ] {
            let body = WatchedBody.form(megabytes: 4)
            let started = ContinuousClock.now
            let response = try await direct.post(path, headers: [:], body: body)
            #expect(response.status == .forbidden, "anonymous POST \(path)")
            #expect(body.reads.count == 0, "the body of an anonymous POST \(path) is never read")
            #expect(ContinuousClock.now - started < .seconds(2), "refused at once")
            #expect(response.headers[.connection] == "close")
        }
        #expect(fixture.snapshot() == before)
    }

    @Test func postsFromEndedOrUnsignedSessionsAreRefusedUnread() async throws {
        let fixture = try WebFixture()
        let direct = try DirectRouter(fixture.setup)
        try await direct.application.test(.router) { client in
            // An anonymous session (the sign-in page's) posting to a page behind sign-in.
            var anonymous = Browser()
            try await anonymous.get(client, "/login")
            let unsigned = WatchedBody.form(megabytes: 4)
            let toSignIn = try await direct.post(
                "/portfolios/p-demo-01/submit", headers: anonymous.headers, body: unsigned)
            #expect(toSignIn.status == .seeOther)
            #expect(toSignIn.headers[.location]?.hasPrefix("/login") == true)
            #expect(unsigned.reads.count == 0)

            // A signed-in session that has ended.
            let browser = try await Browser.signIn(client, as: "participant")
            fixture.clock.advance(31 * 60)
            let ended = WatchedBody.form(megabytes: 4)
            let expired = try await direct.post("/portfolios/p-demo-01/submit", headers: browser.headers, body: ended)
            #expect(expired.status == .seeOther)
            #expect(expired.headers[.location] == "/login?expired=1")
            #expect(ended.reads.count == 0)
        }
    }

    /// The role, and for a participant the portfolio being theirs, are checked before the body.
    @Test(arguments: [
        ("tutor", "/portfolios/p-demo-01/evidence", 403),
        ("tutor", "/portfolios/p-demo-01/evidence/e1/attachments", 403),
        ("participant", "/portfolios/p-demo-02/evidence", 404), ("participant", "/portfolios/p-demo-02/submit", 404),
        ("participant", "/portfolios/p-demo-02/review/1.1", 403), ("provider", "/portfolios/p-demo-02/signoff", 403),
        ("participant", "/moderation/p-demo-02/statements/1.1", 403),
    ])
    func aSignedInPostThatIsNotAllowedIsRefusedBeforeItsBodyIsRead(user: String, path: String, status: Int) async throws
    {
        let fixture = try WebFixture()
        let direct = try DirectRouter(fixture.setup)
        let before = fixture.snapshot()
        try await direct.application.test(.router) { client in
            let browser = try await Browser.signIn(client, as: user)
            let body = WatchedBody.form(megabytes: 4)
            let response = try await direct.post(path, headers: browser.headers, body: body)
            #expect(Int(response.status.code) == status, "\(user) POST \(path)")
            #expect(body.reads.count == 0, "\(user) POST \(path): the body is never read")
        }
        #expect(fixture.snapshot() == before)
    }

    @Test func aFormOverSixtyFourKilobytesIsRefusedWith413() async throws {
        let fixture = try WebFixture()
        let direct = try DirectRouter(fixture.setup)
        let before = fixture.snapshot()
        try await direct.application.test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            try await browser.get(client, "/portfolios/p-demo-01/evidence/new")
            let fields =
                SecurityTests.evidence.filter { $0.0 != "reflection" }
                + [("revision", "1"), ("reflection", String(repeating: "A long pasted reflection. ", count: 4_000))]
            let response = try await browser.post(client, "/portfolios/p-demo-01/evidence", fields)
            #expect(response.status == .contentTooLarge)
            let html = String(buffer: response.body)
            #expect(html.contains("This form is too large"))
            #expect(html.contains("at most 64 KB"))

            // Without a declared length, reading stops at the cap.
            let body = WatchedBody.form(megabytes: 1)
            let chunked = try await direct.post("/portfolios/p-demo-01/evidence", headers: browser.headers, body: body)
            #expect(chunked.status == .contentTooLarge)
            #expect(body.reads.count <= 2, "no more than the cap is read")
        }
        #expect(fixture.snapshot() == before)
    }

    @Test func aFormWithAThousandFieldsIsRefusedWith413() async throws {
        let fixture = try WebFixture()
        let count = try fixture.store.portfolio("p-demo-01").evidence.count
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            try await browser.get(client, "/portfolios/p-demo-01/evidence/new")
            let many = (0..<1_000).map { ("statement", "1.\($0)") }
            let response = try await browser.post(
                client, "/portfolios/p-demo-01/evidence", SecurityTests.evidence + [("revision", "1")] + many)
            #expect(response.status == .contentTooLarge)
            #expect(String(buffer: response.body).contains("too many fields"))
            // A form of the site's own size is still accepted.
            let normal = try await browser.post(
                client, "/portfolios/p-demo-01/evidence", SecurityTests.evidence + [("revision", "1")])
            #expect(normal.status == .seeOther)
        }
        #expect(
            try fixture.store.portfolio("p-demo-01").evidence.count == count + 1, "only the normal form added evidence")
    }

    struct Route: CustomStringConvertible, Sendable {
        var user: String
        var path: String
        var fields: [[String]]
        var description: String { "\(user) POST \(path)" }
    }

    /// Every state-changing route, by a user who may use it, with the form it expects.
    static let routes: [Route] = [
        Route(
            user: "participant", path: "/portfolios/p-demo-01/evidence",
            fields: SecurityTests.evidence.map { [$0.0, $0.1] } + [["revision", "1"]]),
        Route(
            user: "participant", path: "/portfolios/p-demo-01/evidence/e1",
            fields: SecurityTests.evidence.map { [$0.0, $0.1] } + [["revision", "1"]]),
        Route(user: "participant", path: "/portfolios/p-demo-01/evidence/e1/attachments", fields: [["revision", "1"]]),
        Route(user: "participant", path: "/portfolios/p-demo-01/evidence/e1/delete", fields: [["revision", "1"]]),
        Route(user: "participant", path: "/portfolios/p-demo-01/submit", fields: [["revision", "1"]]),
        Route(user: "participant", path: "/logout", fields: []),
        Route(
            user: "tutor", path: "/portfolios/p-demo-02/review/1.1", fields: [["revision", "1"], ["status", "met"]]),
        Route(
            user: "tutor", path: "/portfolios/p-demo-02/return",
            fields: [["revision", "1"], ["feedback", "More please."]]),
        Route(
            user: "tutor", path: "/portfolios/p-demo-02/signoff",
            fields: [["revision", "1"], ["outcome", "failed"], ["reason", "No."]]),
        Route(
            user: "moderator", path: "/moderation/p-demo-02/statements/1.1",
            fields: [["revision", "1"], ["status", "met"]]),
        Route(
            user: "moderator", path: "/moderation/p-demo-02/reconcile/1.1",
            fields: [["revision", "1"], ["status", "met"], ["note", "n"]]),
    ]

    @Test(arguments: routes)
    func aSignedInPostWithoutOrWithAWrongCSRFTokenIsRefusedAndNothingIsStored(_ route: Route) async throws {
        let fixture = try WebFixture()
        let before = fixture.snapshot()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: route.user)
            try await browser.get(client, "/")
            let fields = route.fields.map { ($0[0], $0[1]) }
            let missing = try await browser.post(client, route.path, fields, omitCSRF: true)
            #expect(missing.status == .forbidden, "\(route): no token")
            let wrong = try await browser.post(client, route.path, fields, csrf: "not-the-token")
            #expect(wrong.status == .forbidden, "\(route): a wrong token")
            #expect(String(buffer: wrong.body).contains("nothing was changed"))
            let home = try await browser.get(client, "/")
            #expect(home.headers[.location]?.hasPrefix("/login") == false, "\(route): still signed in")
        }
        #expect(fixture.snapshot() == before, "\(route): the store is unchanged")
    }

    @Test func signingInNeedsTheSignInPagesToken() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = Browser()
            try await browser.get(client, "/login")
            let wrong = try await browser.post(
                client, "/login", [("username", "tutor"), ("password", WebFixture.password)], csrf: "forged")
            #expect(wrong.status == .forbidden)
            let right = try await browser.post(
                client, "/login", [("username", "tutor"), ("password", WebFixture.password)])
            #expect(right.status == .seeOther)
        }
    }
}
