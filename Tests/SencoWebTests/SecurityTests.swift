import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoTestSupport
import Testing

@testable import SencoWeb

@Suite struct SecurityTests {
    static let evidence: [(String, String)] = [
        ("title", "Observation of a Year 3 reading intervention"), ("type", "observation"), ("date", "2026-09-01"),
        ("reflection", String(repeating: "I watched the intervention and noted how the pupils responded. ", count: 4)),
        ("statement", "1.1"), ("claim", "Shows how I check the effect of support."),
    ]

    @Test func aFormWithoutTheCSRFTokenIsRefusedAndNothingChanges() async throws {
        let fixture = try WebFixture()
        let before = fixture.snapshot()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            let missing = try await browser.post(client, "/portfolios/p-demo-01/evidence", Self.evidence + [("revision", "1")], omitCSRF: true)
            #expect(missing.status == .forbidden)
            let wrong = try await browser.post(client, "/portfolios/p-demo-01/evidence", Self.evidence + [("revision", "1")], csrf: "not-the-token")
            #expect(wrong.status == .forbidden)
            #expect(String(buffer: wrong.body).contains("nothing was changed"))
            let submit = try await browser.post(client, "/portfolios/p-demo-01/submit", [("revision", "1")], csrf: "")
            #expect(submit.status == .forbidden)
        }
        #expect(fixture.snapshot() == before)
    }

    @Test func theCSRFTokenOfAnotherSessionIsRefused() async throws {
        let fixture = try WebFixture()
        let before = fixture.snapshot()
        try await fixture.app().test(.router) { client in
            let other = try await Browser.signIn(client, as: "participant")
            var browser = try await Browser.signIn(client, as: "participant")
            try await browser.get(client, "/portfolios/p-demo-01")
            let response = try await browser.post(client, "/portfolios/p-demo-01/submit", [("revision", "1")], csrf: other.csrf)
            #expect(response.status == .forbidden)
        }
        #expect(fixture.snapshot() == before)
    }

    @Test func aParticipantAddsEvidenceAndSeesItInTheirCoverage() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            try await browser.get(client, "/portfolios/p-demo-01/evidence/new")
            let response = try await browser.post(client, "/portfolios/p-demo-01/evidence", Self.evidence + [("revision", "1")])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/portfolios/p-demo-01")
            let page = try await browser.get(client, "/portfolios/p-demo-01")
            let html = String(buffer: page.body)
            #expect(html.contains("Evidence e2 added."))
            #expect(html.contains("Observation of a Year 3 reading intervention"))
        }
        let portfolio = try fixture.store.portfolio("p-demo-01")
        #expect(portfolio.revision == 2)
        #expect(portfolio.mappings(forEvidence: "e2").map(\.statement) == ["1.1"])
    }

    @Test func aStaleEditIsRefusedWithAMessageAndNothingChanges() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var first = try await Browser.signIn(client, as: "participant")
            var second = try await Browser.signIn(client, as: "participant")
            try await first.get(client, "/portfolios/p-demo-01/evidence/e1")
            try await second.get(client, "/portfolios/p-demo-01/evidence/e1")
            let fields: [(String, String)] = [
                ("title", "First tab's title"), ("type", "reading-log"), ("date", "2026-01-05"),
                ("reflection", "x"), ("revision", "1"),
            ]
            let saved = try await first.post(client, "/portfolios/p-demo-01/evidence/e1", fields)
            #expect(saved.status == .seeOther)
            let afterFirst = fixture.snapshot()
            var stale = fields
            stale[0] = ("title", "Second tab's title")
            let refused = try await second.post(client, "/portfolios/p-demo-01/evidence/e1", stale)
            #expect(refused.status == .conflict)
            let html = String(buffer: refused.body)
            #expect(
                html.contains("changed after you opened the page"),
                "one wording for someone else's change, on every form")
            #expect(html.contains("First tab&#39;s title"), "and what they changed is shown")
            #expect(html.contains("Second tab&#39;s title") || html.contains("Second tab's title"), "the typed text is kept")
            #expect(fixture.snapshot() == afterFirst, "nothing changed")
        }
        #expect(try fixture.store.portfolio("p-demo-01").evidenceItem(withID: "e1")?.title == "First tab's title")
    }

    @Test func anExpiredSessionGoesToSignInAndItsFormsChangeNothing() async throws {
        let fixture = try WebFixture()
        let before = fixture.snapshot()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            #expect(try await browser.get(client, "/portfolios/p-demo-01").status == .ok)
            fixture.clock.advance(31 * 60)
            let page = try await browser.get(client, "/portfolios/p-demo-01")
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/login?expired=1")
            let post = try await browser.post(client, "/portfolios/p-demo-01/submit", [("revision", "1")])
            #expect(post.status == .seeOther)
            #expect(post.headers[.location] == "/login?expired=1")
            let login = try await browser.get(client, "/login?expired=1")
            #expect(String(buffer: login.body).contains("Your session ended"))
        }
        #expect(fixture.snapshot() == before)
    }

    @Test func sessionsEndAfterEightHoursEvenWhenUsed() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "provider")
            for _ in 0..<16 {
                fixture.clock.advance(29 * 60)
                #expect(try await browser.get(client, "/provider").status == .ok)
            }
            fixture.clock.advance(29 * 60)
            #expect(try await browser.get(client, "/provider").status == .seeOther)
        }
    }

    @Test func repeatedWrongPasswordsLockTheAccountForAWhile() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = Browser()
            try await browser.get(client, "/login")
            for _ in 0..<5 {
                let wrong = try await browser.post(client, "/login", [("username", "tutor"), ("password", "wrong password!")])
                #expect(wrong.status == .unauthorized)
            }
            let locked = try await browser.post(client, "/login", [("username", "tutor"), ("password", WebFixture.password)])
            #expect(locked.status == .tooManyRequests)
            fixture.clock.advance(16 * 60)
            let later = try await browser.post(client, "/login", [("username", "tutor"), ("password", WebFixture.password)])
            #expect(later.status == .seeOther)
        }
    }

    @Test func unknownUsersAndWrongPasswordsGetTheSameAnswer() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = Browser()
            try await browser.get(client, "/login")
            let unknown = try await browser.post(client, "/login", [("username", "nobody"), ("password", "whatever it is")])
            let wrong = try await browser.post(client, "/login", [("username", "tutor"), ("password", "whatever it is")])
            #expect(unknown.status == wrong.status)
            #expect(String(buffer: unknown.body).contains("The user name or password is not right"))
        }
    }

    @Test func signingInStartsANewSessionAndCookiesAreHttpOnlyAndSameSite() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = Browser()
            let login = try await browser.get(client, "/login")
            let anonymous = browser.cookie
            let setCookie = login.headers[.setCookie] ?? ""
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            #expect(!setCookie.contains("Secure"), "not configured for TLS")
            try await browser.post(client, "/login", [("username", "tutor"), ("password", WebFixture.password)])
            #expect(browser.cookie != anonymous, "a new session id after sign-in")
            var old = Browser(cookie: anonymous, csrf: nil)
            #expect(try await old.get(client, "/tutor").status == .seeOther, "the pre-sign-in id is worthless")
        }
    }

    @Test func secureCookiesWhenConfiguredForTLS() async throws {
        var fixture = try WebFixture()
        var setup = fixture.setup
        setup.configuration.secureCookies = true
        _ = fixture
        fixture = try WebFixture()
        try await buildApplication(setup).test(.router) { client in
            let login = try await client.execute(uri: "/login", method: .get)
            #expect((login.headers[.setCookie] ?? "").contains("Secure"))
        }
    }

    @Test func everyPageHasAContentSecurityPolicyWithoutInlineScript() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            for path in ["/login", "/portfolios/p-demo-01", "/static/style.css", "/no-such-page"] {
                let response = try await browser.get(client, path)
                let csp = response.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("default-src 'none'"), "\(path)")
                #expect(!csp.contains("unsafe-inline"), "\(path)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                let html = String(buffer: response.body)
                #expect(!html.contains("<script"), "\(path) has no script")
                #expect(!html.contains("style=\""), "\(path) has no inline style")
            }
        }
    }

    @Test func signingOutEndsTheSession() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "tutor")
            try await browser.get(client, "/tutor")
            let cookie = browser.cookie
            #expect(try await browser.post(client, "/logout", []).status == .seeOther)
            var old = Browser(cookie: cookie, csrf: nil)
            #expect(try await old.get(client, "/tutor").status == .seeOther)
        }
    }

    @Test func uploadsAreLimitedInSizeAndType() async throws {
        let fixture = try WebFixture()
        var setup = fixture.setup
        setup.configuration.maxUploadBytes = 64 * 1024
        let before = fixture.snapshot()
        try await buildApplication(setup).test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            try await browser.get(client, "/portfolios/p-demo-01/evidence/e1")
            func upload(_ name: String, _ bytes: [UInt8]) async throws -> TestResponse {
                let boundary = "XyZboundary"
                var body = ByteBuffer()
                for (field, value) in [("csrf", browser.csrf ?? ""), ("revision", "1")] {
                    body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n")
                }
                body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                body.writeBytes(bytes)
                body.writeString("\r\n--\(boundary)--\r\n")
                var headers = browser.headers
                headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
                return try await client.execute(uri: "/portfolios/p-demo-01/evidence/e1/attachments", method: .post, headers: headers, body: body)
            }
            #expect(try await upload("big.pdf", Array("%PDF".utf8) + [UInt8](repeating: 65, count: 70 * 1024)).status == .contentTooLarge)
            #expect(try await upload("run.exe", [0x4D, 0x5A, 0, 0]).status == .unprocessableContent)
            #expect(try await upload("fake.pdf", Array("hello".utf8)).status == .unprocessableContent)
            #expect(fixture.snapshot() == before, "refused uploads store nothing")
            let ok = try await upload("notes.txt", Array("Meeting notes".utf8))
            #expect(ok.status == .seeOther)
        }
        #expect(try fixture.store.portfolio("p-demo-01").evidenceItem(withID: "e1")?.attachments.map(\.name) == ["notes.txt"])
    }
}
