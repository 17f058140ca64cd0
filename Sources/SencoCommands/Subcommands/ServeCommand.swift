import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SencoCore
import SencoData
import SencoStore
import SencoWeb

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the web application.",
        discussion: """
            With --demo, the sample cohort is copied into a new temporary store, one account is made \
            for each role (participant, tutor, moderator, provider), and their generated passwords are \
            printed. Nothing is written to the real store.
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
    }

    func run() async throws {
        let frameworks = try store.frameworks.locate()
        let library = try FrameworkLibrary(directory: frameworks)
        let schemas = try PortfolioSchemas(directory: PortfolioSchemas.locate(frameworks: frameworks))
        let root: URL
        if demo {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("senco-demo-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } else {
            root = DirectoryStore.location(explicit: store.storePath)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CommandError(
                    "the store \(root.path.quotedForMessage()) does not exist (create it with senco cohort create, or check --store / $SENCO_STORE)")
            }
        }
        let directoryStore = DirectoryStore(
            root: root, schemas: schemas, summaryFramework: library.framework(withID: "npq-senco-2023"))
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
        var logger = Logger(label: "senco.web")
        logger.logLevel = .info
        let app = try buildApplication(
            WebSetup(
                configuration: WebConfiguration(
                    host: host, port: port, secureCookies: secureCookies,
                    clientAddressHeader: clientAddressHeader.flatMap { HTTPField.Name($0) }),
                directory: directoryStore, users: users, library: library, schemas: schemas, logger: logger))
        say("Serving on http://\(host):\(port)/  (stop with Ctrl-C)")
        try await app.runService()
    }
}
