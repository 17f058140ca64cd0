import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging
import NIOCore
import SencoCore
import SencoData
@testable import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// A clock the tests move forward.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var time = Date(timeIntervalSince1970: 1_790_000_000)
    var now: Date { lock.withLock { time } }
    func advance(_ seconds: TimeInterval) { lock.withLock { time += seconds } }
}

/// A temporary store with the demo cohort and one account per role (plus a second participant
/// and a second tutor, for "someone else's data"), and the app built over it.
struct WebFixture {
    static let password = "correct horse battery staple"

    let root: URL
    let store: DirectoryStore
    let users: UserDirectory
    let clock = TestClock()
    let setup: WebSetup

    /// `snapshots`: how far the store trusts the file clock (tests of kept lists shorten its windows).
    init(snapshots: CohortSnapshots = CohortSnapshots()) throws {
        root = try TestSupport.temporaryDirectory("senco-web")
        let schemas = try TestSupport.schemas()
        let library = try TestSupport.library()
        store = DirectoryStore(
            root: root, schemas: schemas, summaryFramework: try TestSupport.library().framework(withID: "npq-senco-2023"),
            cohortSnapshots: snapshots)
        users = try UserDirectory(root: root, schemaDirectory: TestSupport.portfoliosDirectory)
        try Demo.seed(store: store, library: library, now: Date(timeIntervalSince1970: 1_790_000_000))
        var plan = try Moderation.plan(
            id: "plan-1", cohort: "demo-cohort", portfolios: try store.portfolios(inCohort: "demo-cohort"), rate: 100,
            minimumPerTutor: 1, seed: 1, by: "provider", at: Date(timeIntervalSince1970: 1_790_000_000))
        for i in plan.entries.indices { plan.entries[i].moderator = "moderator" }
        try store.savePlan(plan)
        let hash = Bcrypt.hash(Self.password, cost: 4)
        let created = Date(timeIntervalSince1970: 1_790_000_000)
        for account in [
            UserAccount(id: "participant", role: .participant, name: "Alex Rivers", participant: "p-demo-01", passwordHash: hash, created: created),
            UserAccount(id: "participant-2", role: .participant, name: "Priya Shah", participant: "p-demo-02", passwordHash: hash, created: created),
            UserAccount(id: "tutor", role: .tutor, name: "Dr Grace Okafor", tutor: "t-okafor", passwordHash: hash, created: created),
            UserAccount(id: "tutor-2", role: .tutor, name: "Sam Bell", tutor: "t-bell", passwordHash: hash, created: created),
            UserAccount(id: "moderator", role: .moderator, name: "Moderator", passwordHash: hash, created: created),
            UserAccount(id: "moderator-2", role: .moderator, name: "Other moderator", passwordHash: hash, created: created),
            UserAccount(id: "provider", role: .provider, name: "Programme lead", passwordHash: hash, created: created),
        ] {
            try users.add(account)
        }
        let clock = self.clock
        // Quiet: other suites check that nothing (libxml2) writes to stderr while they run.
        var logger = Logger(label: "senco.web.test")
        logger.logLevel = .critical
        setup = try WebSetup(
            configuration: WebConfiguration(bcryptCost: 4, now: { clock.now }), directory: store, users: users, library: library,
            schemas: schemas, logger: logger)
    }

    func app() throws -> some ApplicationProtocol {
        try buildApplication(setup)
    }

    /// Every stored byte, except the time of each account's last sign-in (which every sign-in
    /// records): what "nothing changed" compares.
    func snapshot() -> [String: Data] {
        var files = TestSupport.snapshot(root)
        if let key = files.keys.first(where: { $0.hasSuffix("users.xml") && !$0.dropFirst().contains("/") }),
            let accounts = try? users.users(), let data = try? UserCodec.encode(accounts.map { account in
            var account = account
            account.lastSignIn = nil
            return account
        }) {
            files[key] = data
        }
        return files
    }
}

/// A browser-like session for router tests: keeps the cookie and the latest CSRF token.
struct Browser {
    var cookie: String?
    var csrf: String?
    /// Sent as `X-Real-IP`, for apps configured to trust that header (the sign-in throttle's client).
    var clientAddress: String?

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    mutating func remember(_ response: TestResponse) {
        if let setCookie = response.headers[.setCookie], let pair = setCookie.split(separator: ";").first {
            cookie = String(pair)
        }
        if let token = Self.csrfToken(in: String(buffer: response.body)) {
            csrf = token
        }
    }

    var headers: HTTPFields {
        var h: HTTPFields = [:]
        if let cookie { h[.cookie] = cookie }
        if let clientAddress { h[HTTPField.Name("X-Real-IP")!] = clientAddress }
        return h
    }

    @discardableResult
    mutating func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        remember(response)
        return response
    }

    @discardableResult
    mutating func post(
        _ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)], csrf override: String? = nil,
        omitCSRF: Bool = false
    ) async throws -> TestResponse {
        var all = fields
        if !omitCSRF { all.append(("csrf", override ?? csrf ?? "")) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var h = headers
        h[.contentType] = "application/x-www-form-urlencoded"
        let response = try await client.execute(uri: uri, method: .post, headers: h, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// Signs in through the form, as a browser would.
    static func signIn(
        _ client: some TestClientProtocol, as user: String, password: String = WebFixture.password, from address: String? = nil
    ) async throws -> Browser {
        var browser = Browser(clientAddress: address)
        try await browser.get(client, "/login")
        let response = try await browser.post(client, "/login", [("username", user), ("password", password)])
        #expect(response.status == .seeOther, "signing in as \(user)")
        return browser
    }
}
