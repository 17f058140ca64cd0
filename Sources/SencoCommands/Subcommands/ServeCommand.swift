import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SencoCore
import SencoData
import SencoDfE
import SencoPostgres
import SencoStore
import SencoWeb

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the web application.",
        discussion: """
            --store (or $SENCO_STORE) is a store directory or a postgres:// URL. With PostgreSQL, \
            sessions, sign-in throttles and one-time links are kept in the database, so several \
            servers on one database behave as one service. GET /health answers while the process \
            runs; GET /ready only while the store answers too. SIGTERM finishes the requests in \
            flight, then stops.

            With --demo, the sample cohort is copied into a new temporary store, one account is made \
            for each role (participant, tutor, moderator, provider), and their generated passwords are \
            printed. Nothing is written to the real store.

            The provider's DfE pages send declarations to the DfE's lead-provider API when the server \
            has its address (--dfe-base-url or $SENCO_DFE_BASE_URL) and its token (--dfe-token-file or \
            $SENCO_DFE_TOKEN, never an argument); without them they show what would be sent and offer \
            nothing to send.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "The port to listen on.") var port: Int = 8080
    @Option(
        name: .customLong("client-address-header"),
        help: ArgumentHelp(
            "Behind a reverse proxy: the header it sets to the client's address (e.g. X-Forwarded-For), for per-client sign-in throttling.",
            valueName: "name"))
    var clientAddressHeader: String?
    @Option(
        name: .customLong("base-url"),
        help: ArgumentHelp(
            "The address people reach the application at, for the one-time links providers hand out (default: the address of the provider's request).",
            valueName: "https://senco.example.org"))
    var baseURL: String?
    @Option(
        name: .customLong("dfe-base-url"),
        help: ArgumentHelp(
            "The DfE lead-provider API's address, for the provider's DfE pages (else $SENCO_DFE_BASE_URL).",
            valueName: "url"))
    var dfeBaseURL: String?
    @Option(
        name: .customLong("dfe-token-file"),
        help: ArgumentHelp("A file holding the DfE API token (else $SENCO_DFE_TOKEN).", valueName: "file"))
    var dfeTokenFile: String?
    @OptionGroup var policy: PolicyOption
    @Flag(help: "Serve a temporary copy of the sample cohort with one generated account per role.") var demo = false
    @Flag(name: .customLong("secure-cookies"), help: "Mark the session cookie Secure (set this when serving over TLS).")
    var secureCookies = false

    /// Written straight to standard output, unbuffered, so a script reading it sees the
    /// accounts before the server blocks.
    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port \(port) is outside 1–65535") }
        if let clientAddressHeader, HTTPField.Name(clientAddressHeader) == nil {
            throw ValidationError("--client-address-header \(clientAddressHeader.quotedForMessage()) is not an HTTP header name")
        }
        if let baseURL, let problem = OneTimeLink.baseURLProblem(baseURL) { throw ValidationError("--base-url: \(problem)") }
    }

    /// The DfE API's address and token, checked before the server starts; nil when no address is given.
    private func dfeSettings(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> DfESettings?
    {
        guard let address = dfeBaseURL ?? environment[APIOptions.baseURLVariable].flatMap({ $0.isEmpty ? nil : $0 })
        else { return nil }
        let token = try LeadProviderToken.load(file: dfeTokenFile, environment: environment)
        return try DfESettings(baseURL: address, token: token)
    }

    func run() async throws {
        let frameworks = try store.frameworks.locate()
        let library = try FrameworkLibrary(directory: frameworks)
        let schemas = try PortfolioSchemas(directory: PortfolioSchemas.locate(frameworks: frameworks))
        let npq = library.framework(withID: "npq-senco-2023")
        var logger = Logger(label: "senco.web")
        logger.logLevel = .info
        let configuration = WebConfiguration(
            host: host, port: port, secureCookies: secureCookies,
            clientAddressHeader: clientAddressHeader.flatMap { HTTPField.Name($0) }, publicBaseURL: baseURL,
            dfe: try dfeSettings(), declarationPolicy: try policy.load())
        // The address only: the token is never printed.
        say(
            configuration.dfe.map { "DfE API: \($0.baseURL)" }
                ?? "DfE API: none (the DfE pages show what would be sent)")
        let location: StoreLocation
        if demo {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("senco-demo-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            location = .directory(root)
        } else {
            location = StoreLocation.resolve(explicit: store.storePath)
        }
        switch location {
        case .directory(let root):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CommandError(
                    "the store \(root.path.quotedForMessage()) does not exist (create it with senco cohort create, or check --store / $SENCO_STORE)")
            }
            let directoryStore = DirectoryStore(root: root, schemas: schemas, summaryFramework: npq)
            let users = try UserDirectory(root: root, schemaDirectory: schemas.directory)
            if demo {
                let accounts = try Demo.prepare(
                    store: directoryStore, users: users, sample: schemas.directory.appendingPathComponent("sample"), library: library)
                say("Demo store: \(root.path)")
                say("Demo accounts (passwords are new each run):")
                for account in accounts {
                    say("  \(account.role.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) user \(account.id)  password \(account.password)")
                }
            }
            let app = try buildApplication(
                try WebSetup(
                    configuration: configuration, directory: directoryStore, users: users, library: library, schemas: schemas,
                    logger: logger))
            say("Serving \(root.path) on http://\(host):\(port)/  (stop with Ctrl-C)")
            try await app.runService()
        case .database(let url):
            // Sessions, sign-in throttles and one-time links live in the database, so any number
            // of servers on it behave as one service.
            let backend = try await PostgresBackend.open(url: url)
            let setup = WebSetup(
                    configuration: configuration, store: backend.store(schemas: schemas, summaryFramework: npq),
                users: backend.users(), sessions: backend.sessions(limits: configuration.sessionLimits, now: configuration.now),
                throttle: backend.signInThrottle(
                    accounts: configuration.accountThrottlePolicy, clients: configuration.clientThrottlePolicy, now: configuration.now),
                links: backend.oneTimeLinks(), library: library, schemas: schemas, logger: logger,
                readiness: { await backend.isAnswering() })
            let built = Result { try buildApplication(setup) }
            guard case .success(let app) = built else {
                await backend.shutdown()
                _ = try built.get()
                return
            }
            say("Serving \(backend.location.description) on http://\(host):\(port)/  (stop with Ctrl-C)")
            // SIGTERM or SIGINT: the server stops accepting, finishes the requests in flight, and
            // only then is the database pool closed.
            let outcome: Result<Void, any Error>
            do { try await app.runService(); outcome = .success(()) } catch { outcome = .failure(error) }
            await backend.shutdown()
            try outcome.get()
        }
    }
}
