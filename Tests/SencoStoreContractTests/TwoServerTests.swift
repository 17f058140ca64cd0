import Foundation
import SencoPostgres
import SencoTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Two `senco serve` processes on one PostgreSQL database behave as one service: a sign-in
/// through one is valid on the other, a sign-out through one ends it on both, a stale write
/// through one is refused after a write through the other, and a lock-out earned on one holds on
/// the other. Real processes on loopback, as a load balancer would see them.
@Suite(.serialized) struct TwoServerTests {
    static let password = "two servers, one database"

    @Test func twoServersOnOneDatabaseBehaveAsOne() async throws {
        // Dropped at the end; a failed run leaves it in the throwaway cluster, which goes too.
        let database = try await TestDatabase.create()
        let url = try TestDatabase.url(for: database)
        try Senco.run(["store", "copy", TestSupport.sampleStore.path, url])
        try Senco.run(["user", "add", "prov", "--role", "provider", "--store", url], stdin: Self.password + "\n")
        try Senco.run(
            ["user", "add", "part", "--role", "participant", "--participant-id", "p-26s-06", "--store", url],
            stdin: Self.password + "\n")

        let a = try Server(store: url)
        defer { a.stop() }
        let b = try Server(store: url)
        defer { b.stop() }
        try await a.waitUntilReady()
        try await b.waitUntilReady()

        // A sign-in through A is valid on B; a sign-out through B ends it on A.
        var provider = try await Browser.signIn(a, user: "prov", password: Self.password)
        #expect(try await provider.get(b, "/provider").status == 200, "B knows A's session")
        _ = try await provider.post(b, "/logout", [:])
        let after = try await provider.get(a, "/provider")
        #expect(after.status == 303, "signed out on B is signed out on A")

        // A stale write through A, after a write through B, is refused.
        var participant = try await Browser.signIn(b, user: "part", password: Self.password)
        let form = try await participant.get(a, "/portfolios/p-26s-06/evidence/new")
        #expect(form.status == 200)
        let revision = try #require(Browser.field("revision", in: form.body))
        let fields = ["revision": revision, "title": "Observed a review meeting", "type": "reading-log", "date": "2026-03-02"]
        #expect(try await participant.post(b, "/portfolios/p-26s-06/evidence", fields).status == 303, "B saves")
        let stale = try await participant.post(a, "/portfolios/p-26s-06/evidence", fields)
        #expect(stale.status == 409, "A refuses the same revision")
        #expect(stale.body.contains("Observed a review meeting"), "and keeps what was typed")
        let listed = try Senco.run(["evidence", "list", "-p", "p-26s-06", "--store", url]).stdout
        #expect(listed.components(separatedBy: "Observed a review meeting").count == 2, "stored once")

        // Failures through A count on B: past the allowance, B refuses at once with 429.
        var guesser = Browser()
        for _ in 0..<5 {
            let refused = try await guesser.signInAttempt(a, user: "prov", password: "not the password")
            #expect(refused.status == 401)
        }
        let throttled = try await guesser.signInAttempt(b, user: "prov", password: Self.password)
        #expect(throttled.status == 429, "the lock-out is shared")
        #expect(throttled.headers["retry-after"] != nil)

        // SIGTERM: each server finishes and exits cleanly.
        #expect(a.stop() == 0)
        #expect(b.stop() == 0)
        try await TestDatabase.drop(database)
    }
}

extension TestDatabase {
    /// A URL for `location` as the command line takes it (the test server's own URL, another
    /// database).
    static func url(for location: PostgresLocation) throws -> String {
        let server = ProcessInfo.processInfo.environment[variable] ?? ""
        guard var components = URLComponents(string: server) else { throw PostgresTestSetupError(description: "\(variable) is not a URL") }
        components.path = "/" + location.database
        guard let url = components.string else { throw PostgresTestSetupError(description: "cannot make a URL for \(location)") }
        return url
    }
}

/// The built `senco` executable.
enum Senco {
    static var executable: URL {
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [products.appendingPathComponent("senco"), Bundle.main.bundleURL.appendingPathComponent("senco")] {
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return TestSupport.root.appendingPathComponent(".build/debug/senco")
    }

    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["SENCO_FRAMEWORKS"] = TestSupport.frameworksDirectory.path
        return environment
    }

    struct Output {
        var stdout: String
        var stderr: String
    }

    /// Runs `senco` to the end; a non-zero exit fails with its stderr.
    @discardableResult
    static func run(_ arguments: [String], stdin: String = "") throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let (input, output, error) = (Pipe(), Pipe(), Pipe())
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresTestSetupError(description: "senco \(arguments.first ?? "") exited \(process.terminationStatus): \(err)")
        }
        return Output(stdout: out, stderr: err)
    }
}

/// One `senco serve` process on a free loopback port.
final class Server: @unchecked Sendable {
    let port: Int
    let process = Process()
    private let lock = NSLock()
    private var status: Int32?

    init(store: String) throws {
        port = try Self.freePort()
        process.executableURL = Senco.executable
        process.arguments = ["serve", "--store", store, "--host", "127.0.0.1", "--port", String(port)]
        process.environment = Senco.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func waitUntilReady() async throws {
        for _ in 0..<150 {
            if let response = try? await HTTP.send(URLRequest(url: URL(string: base + "/ready")!)), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PostgresTestSetupError(description: "senco serve on port \(port) did not become ready")
    }

    /// SIGTERM, then its exit status (once; later calls return the same).
    @discardableResult
    func stop() -> Int32 {
        lock.withLock {
            if let status { return status }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            status = process.terminationStatus
            return process.terminationStatus
        }
    }

    /// A port nobody is listening on now (the kernel's choice for a socket bound to port 0).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PostgresTestSetupError(description: "no socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw PostgresTestSetupError(description: "cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Plain HTTP without following redirects or keeping cookies: the test reads both itself.
enum HTTP {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        return URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }()

    static func send(_ request: URLRequest) async throws -> Response {
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        return Response(status: http.statusCode, headers: headers, body: String(decoding: data, as: UTF8.self))
    }
}

/// A browser's cookie and the CSRF token of its session, against either server.
struct Browser {
    var cookie: String?
    var csrf = ""

    static func field(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    mutating func get(_ server: Server, _ path: String) async throws -> HTTP.Response {
        var request = URLRequest(url: URL(string: server.base + path)!)
        if let cookie { request.setValue("senco_session=\(cookie)", forHTTPHeaderField: "Cookie") }
        let response = try await HTTP.send(request)
        take(response)
        return response
    }

    mutating func post(_ server: Server, _ path: String, _ fields: [String: String]) async throws -> HTTP.Response {
        var request = URLRequest(url: URL(string: server.base + path)!)
        request.httpMethod = "POST"
        if let cookie { request.setValue("senco_session=\(cookie)", forHTTPHeaderField: "Cookie") }
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        var components = URLComponents()
        components.queryItems = (fields.merging(["csrf": csrf]) { mine, _ in mine }).map { URLQueryItem(name: $0.key, value: $0.value) }
        request.httpBody = Data((components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B").utf8)
        let response = try await HTTP.send(request)
        take(response)
        return response
    }

    /// Keeps a new session cookie and the page's CSRF token.
    private mutating func take(_ response: HTTP.Response) {
        if let set = response.headers["set-cookie"], let value = set.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last {
            cookie = value.isEmpty ? nil : String(value)
        }
        if let token = Self.field("csrf", in: response.body) { csrf = token }
    }

    mutating func signInAttempt(_ server: Server, user: String, password: String) async throws -> HTTP.Response {
        _ = try await get(server, "/login")
        return try await post(server, "/login", ["username": user, "password": password])
    }

    static func signIn(_ server: Server, user: String, password: String) async throws -> Browser {
        var browser = Browser()
        let response = try await browser.signInAttempt(server, user: user, password: password)
        guard response.status == 303 else {
            throw PostgresTestSetupError(description: "sign-in as \(user) answered \(response.status)")
        }
        _ = try await browser.get(server, response.headers["location"] ?? "/")
        return browser
    }
}
