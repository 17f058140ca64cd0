import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// The provider's accounts pages and the public set-password page a one-time link leads to.
@Suite struct AccountsTests {
    static let newPassword = "a brand new passphrase"

    /// The token of the one-time link on a page, if it shows one.
    static func token(in html: String) -> String? {
        guard let range = html.range(of: "/set-password/") else { return nil }
        let token = html[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return token.isEmpty ? nil : String(token)
    }

    /// Adds an account through the form as the provider; returns the link's token.
    static func addAccount(
        _ client: some TestClientProtocol, provider: inout Browser, _ fields: [(String, String)]
    ) async throws -> String {
        try await provider.get(client, "/provider/users/new")
        let response = try await provider.post(client, "/provider/users", fields)
        #expect(response.status == .ok, "the account is added")
        return try #require(token(in: String(buffer: response.body)))
    }

    /// Sets a password through the link in a browser with no session.
    static func setPassword(
        _ client: some TestClientProtocol, token: String, password: String = newPassword, confirm: String? = nil
    ) async throws -> TestResponse {
        var visitor = Browser()
        let form = try await visitor.get(client, "/set-password/\(token)")
        if form.status != .ok { return form }
        return try await visitor.post(
            client, "/set-password/\(token)", [("password", password), ("confirm", confirm ?? password)])
    }

    static func signIn(_ client: some TestClientProtocol, _ user: String, _ password: String) async throws
        -> TestResponse
    {
        var browser = Browser()
        try await browser.get(client, "/login")
        return try await browser.post(client, "/login", [("username", user), ("password", password)])
    }

    @Test func aProviderAddsAnAccountWithNoPasswordAndItsHolderSetsOneOnceFromTheLink() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let token = try await Self.addAccount(
                client, provider: &provider,
                [("id", "grace-2"), ("name", ""), ("role", "tutor"), ("tutor", "t-okafor")])
            let account = try #require(try fixture.users.user("grace-2"))
            #expect(account.passwordHash == nil, "no password until its holder sets one")
            #expect(account.tutor == "t-okafor")
            #expect(account.name == "Dr Grace Okafor", "the tutor's name in the cohort")
            let stored = String(
                decoding: try Data(contentsOf: fixture.root.appendingPathComponent("links.xml")), as: UTF8.self)
            #expect(!stored.contains(token), "only the token's hash is stored")
            #expect(stored.contains(OneTimeLink.hash(token)))

            #expect(
                try await Self.signIn(client, "grace-2", "anything at all here").status == .unauthorized,
                "no password yet")

            // Problems with the new password cost nothing: the link still works.
            let short = try await Self.setPassword(client, token: token, password: "short")
            #expect(short.status == .unprocessableContent)
            let shortPage = String(buffer: short.body)
            #expect(shortPage.contains("href=\"#password\""), "the error summary links to the field")
            #expect(!shortPage.contains("value=\"short\""), "a password is never sent back")
            let differ = try await Self.setPassword(client, token: token, confirm: "something else entirely")
            #expect(differ.status == .unprocessableContent)
            #expect(String(buffer: differ.body).contains("href=\"#confirm\""))

            let set = try await Self.setPassword(client, token: token)
            #expect(set.status == .seeOther)
            #expect(set.headers[.location] == "/login?password-set=1")
            #expect(
                try fixture.users.user("grace-2")?.passwordHash.map { Bcrypt.verify(Self.newPassword, hash: $0) }
                    == true)

            let again = try await Self.setPassword(client, token: token, password: "another new passphrase")
            #expect(again.status == .gone, "a link works once")
            #expect(
                try fixture.users.user("grace-2")?.passwordHash.map { Bcrypt.verify(Self.newPassword, hash: $0) }
                    == true)

            #expect(try await Self.signIn(client, "grace-2", Self.newPassword).status == .seeOther)
            #expect(
                try fixture.users.user("grace-2")?.lastSignIn == fixture.clock.now.wholeSeconds,
                "the sign-in is recorded")
            let list = String(buffer: try await provider.get(client, "/provider/users").body)
            #expect(list.contains("grace-2"))
            #expect(!list.contains(token))
        }
    }

    @Test(arguments: ["participant", "moderator", "provider"])
    func accountsOfEveryRoleCanBeAdded(role: String) async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            var fields = [("id", "new-\(role)"), ("name", role == "participant" ? "" : "Jo Bloggs"), ("role", role)]
            if role == "participant" { fields.append(("participant", "p-demo-03")) }
            _ = try await Self.addAccount(client, provider: &provider, fields)
            let account = try #require(try fixture.users.user("new-\(role)"))
            #expect(account.role.rawValue == role)
            #expect(account.passwordHash == nil)
            if role == "participant" {
                #expect(account.participant == "p-demo-03")
                #expect(account.name == (try fixture.store.portfolio("p-demo-03")).participant.name)
            }
        }
    }

    @Test func anExpiredLinkNoLongerWorks() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let token = try await Self.addAccount(
                client, provider: &provider, [("id", "late"), ("name", "Late Person"), ("role", "moderator")])
            fixture.clock.advance(7 * 24 * 60 * 60 - 60)
            var visitor = Browser()
            #expect(try await visitor.get(client, "/set-password/\(token)").status == .ok, "within 7 days")
            fixture.clock.advance(120)
            let get = try await visitor.get(client, "/set-password/\(token)")
            #expect(get.status == .gone)
            #expect(String(buffer: get.body).contains("This link no longer works"))
            let post = try await visitor.post(
                client, "/set-password/\(token)", [("password", Self.newPassword), ("confirm", Self.newPassword)])
            #expect(post.status == .gone)
            #expect(try fixture.users.user("late")?.passwordHash == nil)
        }
    }

    @Test func aNewLinkReplacesTheOldOneSetsOnlyItsOwnAccountAndEndsItsSessions() async throws {
        let fixture = try WebFixture()
        let otherHash = try fixture.users.user("participant-2")?.passwordHash
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            #expect(try await participant.get(client, "/portfolios/p-demo-01").status == .ok)
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, "/provider/users/participant")
            let first = try #require(
                Self.token(
                    in: String(buffer: try await provider.post(client, "/provider/users/participant/link", []).body)))
            let second = try #require(
                Self.token(
                    in: String(buffer: try await provider.post(client, "/provider/users/participant/link", []).body)))
            #expect(first != second)
            #expect(try await Self.setPassword(client, token: first).status == .gone, "replaced by the newer link")
            #expect(
                try await Self.signIn(client, "participant", WebFixture.password).status == .seeOther,
                "the old password works until the link is used")
            #expect(try await Self.setPassword(client, token: second).status == .seeOther)
            #expect(try await Self.signIn(client, "participant", WebFixture.password).status == .unauthorized)
            #expect(try await Self.signIn(client, "participant", Self.newPassword).status == .seeOther)
            let ended = try await participant.get(client, "/portfolios/p-demo-01")
            #expect(ended.status == .seeOther, "the account's sessions ended when its password was set")
            #expect(
                try await Self.signIn(client, "participant-2", Self.newPassword).status == .unauthorized,
                "another account is untouched")
        }
        #expect(try fixture.users.user("participant-2")?.passwordHash == otherHash)
    }

    @Test func linksAreKeptInTheStoreSoTheyOutliveARestart() async throws {
        let fixture = try WebFixture()
        let token = try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, "/provider/users/tutor-2")
            return try #require(
                Self.token(in: String(buffer: try await provider.post(client, "/provider/users/tutor-2/link", []).body))
            )
        }
        // A new application over the same directory: nothing of the first one's memory.
        let restarted = try WebSetup(
            configuration: WebConfiguration(bcryptCost: 4, now: { fixture.clock.now }), directory: fixture.store,
            users: fixture.users,
            library: try TestSupport.library(), schemas: try TestSupport.schemas(), logger: fixture.setup.logger)
        let status = try await buildApplication(restarted).test(.router) { client in
            try await Self.setPassword(client, token: token).status
        }
        #expect(status == .seeOther)
        #expect(try await Self.signInWorks(fixture: fixture, user: "tutor-2", password: Self.newPassword))
    }

    static func signInWorks(fixture: WebFixture, user: String, password: String) async throws -> Bool {
        try await fixture.app().test(.router) { client in
            try await signIn(client, user, password).status == .seeOther
        }
    }

    /// `senco user disable` writes the accounts file, which a server on a directory store keeps
    /// sessions beside in its own memory: the next request of a disabled account's session
    /// finds it disabled and signs it out, and enabling the account again does not bring the
    /// session back.
    @Test func anAccountDisabledOutsideTheServerIsSignedOutAtItsNextRequest() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            var tutor = try await Browser.signIn(client, as: "tutor")
            #expect(try await participant.get(client, "/portfolios/p-demo-01").status == .ok)
            try fixture.users.update("participant") { $0.disabled = true }
            let next = try await participant.get(client, "/portfolios/p-demo-01")
            #expect(next.status == .seeOther)
            #expect(next.headers[.location] == "/login?expired=1", "told the session ended")
            #expect(try await tutor.get(client, "/tutor").status == .ok, "other accounts are untouched")
            try fixture.users.update("participant") { $0.disabled = false }
            #expect(
                try await participant.get(client, "/portfolios/p-demo-01").status == .seeOther,
                "the ended session stays ended")
        }
    }

    @Test func aDisabledAccountCannotSignInItsSessionsEndAndTheAnswerIsThatOfAWrongPassword() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, "/provider/users/participant")
            let disable = try await provider.post(client, "/provider/users/participant/disable", [])
            #expect(disable.status == .seeOther)
            #expect(try fixture.users.user("participant")?.disabled == true)
            #expect(
                try await participant.get(client, "/portfolios/p-demo-01").status == .seeOther, "signed out everywhere")

            let disabled = try await Self.signIn(client, "participant", WebFixture.password)
            let wrong = try await Self.signIn(client, "tutor", "not the password at all")
            #expect(disabled.status == .unauthorized)
            #expect(disabled.status == wrong.status)
            let message = "The user name or password is not right"
            #expect(String(buffer: disabled.body).contains(message) && String(buffer: wrong.body).contains(message))
            let page = String(buffer: try await provider.get(client, "/provider/users").body)
            #expect(page.contains("disabled"))

            try await provider.get(client, "/provider/users/participant")
            #expect(try await provider.post(client, "/provider/users/participant/enable", []).status == .seeOther)
            #expect(try await Self.signIn(client, "participant", WebFixture.password).status == .seeOther)

            try await provider.get(client, "/provider/users/provider")
            let own = try await provider.post(client, "/provider/users/provider/disable", [])
            #expect(own.status == .seeOther)
            #expect(try fixture.users.user("provider")?.disabled == false, "a provider cannot lock themself out")
            #expect(
                String(buffer: try await provider.get(client, "/provider/users/provider").body).contains(
                    "You cannot disable your own account."))
        }
    }

    struct BadAccount: CustomStringConvertible, Sendable {
        var fields: [Field]
        /// Fields the error summary must link to.
        var linked: [String]
        var description: String { linked.joined(separator: ", ") }
        struct Field: Sendable {
            var name: String
            var value: String
        }
        init(_ fields: [(String, String)], linked: [String]) {
            self.fields = fields.map { Field(name: $0.0, value: $0.1) }
            self.linked = linked
        }
    }

    static let badAccounts: [BadAccount] = [
        BadAccount([("id", ""), ("name", "")], linked: ["id", "role-participant"]),
        BadAccount([("id", "Not Valid!"), ("name", "Jo"), ("role", "moderator")], linked: ["id"]),
        BadAccount([("id", "tutor"), ("name", "Jo"), ("role", "moderator")], linked: ["id"]),
        BadAccount([("id", "jo"), ("name", ""), ("role", "provider")], linked: ["name"]),
        BadAccount(
            [("id", "jo"), ("name", ""), ("role", "participant"), ("participant", "p-nobody")], linked: ["participant"]),
        BadAccount(
            [("id", "jo"), ("name", ""), ("role", "participant"), ("participant", "")], linked: ["participant"]),
        BadAccount([("id", "jo"), ("name", ""), ("role", "tutor"), ("tutor", "t-nobody")], linked: ["tutor"]),
        BadAccount([("id", "jo"), ("name", "Jo"), ("role", "system")], linked: ["role-participant"]),
        BadAccount([("id", "jo"), ("name", "A\u{0}B"), ("role", "moderator")], linked: ["name"]),
    ]

    @Test(arguments: badAccounts)
    func aRefusedAccountComesBackWithWhatWasTypedAndErrorsLinkedToTheFieldsAndNothingIsStored(_ bad: BadAccount)
        async throws
    {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, "/provider/users/new")
            let before = fixture.snapshot()
            let response = try await provider.post(client, "/provider/users", bad.fields.map { ($0.name, $0.value) })
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("There is a problem"))
            #expect(html.contains("<title>Error: "))
            for field in bad.linked { #expect(html.contains("href=\"#\(field)\""), "linked to \(field)") }
            if let id = bad.fields.first(where: { $0.name == "id" })?.value, !id.isEmpty, !id.contains("!") {
                #expect(html.contains("value=\"\(id)\""), "what was typed is kept")
            }
            #expect(fixture.snapshot() == before, "nothing is stored")
        }
    }

    @Test(arguments: [
        "/provider/users", "/provider/users/participant/link", "/provider/users/participant/disable",
        "/provider/users/participant/enable", "/set-password/TOKEN",
    ])
    func everyNewFormNeedsItsCSRFToken(_ path: String) async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            try await provider.get(client, "/provider/users/participant")
            let token = try #require(
                Self.token(
                    in: String(buffer: try await provider.post(client, "/provider/users/participant/link", []).body)))
            let target = path.replacingOccurrences(of: "TOKEN", with: token)
            try await provider.get(client, "/provider/users/participant")
            let before = fixture.snapshot()
            let fields = [
                ("id", "csrf-test"), ("name", "C"), ("role", "moderator"), ("password", Self.newPassword),
                ("confirm", Self.newPassword),
            ]
            let missing = try await provider.post(client, target, fields, omitCSRF: true)
            #expect(missing.status == .forbidden)
            let wrong = try await provider.post(client, target, fields, csrf: "not-the-token")
            #expect(wrong.status == .forbidden)
            var stranger = Browser()
            let anonymous = try await stranger.post(client, target, fields, omitCSRF: true)
            #expect(anonymous.status == .forbidden, "no session, no form")
            #expect(fixture.snapshot() == before, "nothing changed")
            #expect(try await Self.setPassword(client, token: token).status == .seeOther, "the link was not used up")
        }
    }

    @Test func theAccountListIsSearchedFilteredAndPaged() async throws {
        let fixture = try WebFixture()
        for n in 1...55 {
            try fixture.users.add(
                UserAccount(
                    id: String(format: "staff-%02d", n), role: .moderator, name: "Staff member \(n)", passwordHash: nil,
                    created: fixture.clock.now))
        }
        try fixture.users.update("staff-07") { $0.disabled = true }
        try await fixture.app().test(.router) { client in
            var provider = try await Browser.signIn(client, as: "provider")
            let first = String(buffer: try await provider.get(client, "/provider/users").body)
            #expect(first.contains("Showing 1 to 50 of 62 accounts."))
            #expect(first.contains("rel=\"next\""))
            let second = String(buffer: try await provider.get(client, "/provider/users?page=2").body)
            #expect(second.contains("Showing 51 to 62 of 62 accounts."))
            let moderators = String(
                buffer: try await provider.get(client, "/provider/users?role=moderator&q=staff-0").body)
            #expect(moderators.contains("9 accounts."))
            let disabled = String(buffer: try await provider.get(client, "/provider/users?state=disabled").body)
            #expect(disabled.contains("1 account.") && disabled.contains("staff-07"))
            let waiting = String(buffer: try await provider.get(client, "/provider/users?state=waiting").body)
            #expect(waiting.contains("54 accounts."))
            let spaced = String(buffer: try await provider.get(client, "/provider/users?q=member+12").body)
            #expect(spaced.contains("1 account.") && spaced.contains("staff-12"), "a space sent as +")
            let none = String(buffer: try await provider.get(client, "/provider/users?q=nobody-at-all").body)
            #expect(none.contains("No account matches."))
        }
    }

    @Test func anUnknownOrMalformedTokenGetsTheSameAnswer() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var visitor = Browser()
            for token in ["made-up", String(repeating: "a", count: 43), "%2e%2e", String(repeating: "x", count: 200)] {
                let response = try await visitor.get(client, "/set-password/\(token)")
                #expect(response.status == .gone, "\(token)")
            }
        }
    }
}
