import Foundation
import Hummingbird
import Logging
import SencoCore
import SencoData
import SencoExport
import SencoStore
import ServiceLifecycle

/// What the web application works with: the same store, frameworks and rules as the CLI, and
/// where sessions, sign-in throttles and one-time links are kept. With the directory store these
/// live in this process (nil here: made from the configuration when the router is built); with
/// PostgreSQL, in the database, so several servers behave as one.
public struct WebSetup: Sendable {
    public var configuration: WebConfiguration
    public var store: any AsyncPortfolioRepository
    public var users: any AsyncUserRepository
    public var sessions: (any SessionRepository)?
    public var throttle: (any SignInThrottle)?
    public var links: (any OneTimeLinkRepository)?
    public var library: FrameworkLibrary
    public var schemas: PortfolioSchemas
    public var logger: Logger
    /// Whether the store answers: what `/ready` reports to a load balancer.
    public var readiness: @Sendable () async -> Bool
    /// What must run beside the server and stop after it (a database client's pool): started
    /// with it, and shut down gracefully after the requests in flight have finished.
    public var services: [any Service] = []
    /// List pages already rendered (shared with tests, which look at what was kept).
    var renderedContents = RenderedContents()

    public init(
        configuration: WebConfiguration, store: any AsyncPortfolioRepository, users: any AsyncUserRepository,
        sessions: (any SessionRepository)?, throttle: (any SignInThrottle)?, links: (any OneTimeLinkRepository)?,
        library: FrameworkLibrary, schemas: PortfolioSchemas, logger: Logger = Logger(label: "senco.web"),
        readiness: @escaping @Sendable () async -> Bool
    ) {
        self.configuration = configuration
        self.store = store
        self.users = users
        self.sessions = sessions
        self.throttle = throttle
        self.links = links
        self.library = library
        self.schemas = schemas
        self.logger = logger
        self.readiness = readiness
    }

    /// One server over a directory store: its blocking calls on thread pools, sessions and
    /// throttles in this process's memory, and one-time links in `STORE/links.xml` (they live
    /// for days, so they must outlive a restart).
    public init(
        configuration: WebConfiguration, directory store: any PortfolioRepository, users: any UserRepository,
        library: FrameworkLibrary, schemas: PortfolioSchemas, logger: Logger = Logger(label: "senco.web")
    ) throws {
        let offloaded = OffloadedStore(store)
        let links: (any OneTimeLinkRepository)? = try store.directory.map {
            try OneTimeLinkDirectory(root: $0, schemaDirectory: schemas.directory)
        }
        self.init(
            configuration: configuration, store: offloaded, users: OffloadedUsers(users),
            sessions: nil, throttle: nil, links: links, library: library, schemas: schemas, logger: logger,
            readiness: {
                (try? await offloaded.document { (store) throws(StoreError) in store.directory.map { FileManager.default.isWritableFile(atPath: $0.path) } ?? true }) ?? false
            })
    }
}

/// Everything a controller needs, built once at start-up.
struct WebServices: Sendable {
    let configuration: WebConfiguration
    /// Never blocks a request thread: the directory store runs on thread pools
    /// (`OffloadedStore`); PostgreSQL's driver does not block.
    let store: any AsyncPortfolioRepository
    let users: any AsyncUserRepository
    let library: FrameworkLibrary
    let schemas: PortfolioSchemas
    let views: Views
    /// The export templates (moderation packs, completion reports), shared with the CLI.
    let exportTemplates: TemplateLibrary
    let sessions: any SessionRepository
    let throttle: any SignInThrottle
    let links: any OneTimeLinkRepository
    let readiness: @Sendable () async -> Bool
    /// Completion reports already made, per cohort and format (`CompletionFiles`).
    let completionFiles = CompletionFiles()
    /// List pages already rendered, per filters and page (`RenderedContents`).
    let renderedContents: RenderedContents

    var rules: EvidenceRules { schemas.rules }

    var now: Date { configuration.now().wholeSeconds }

    /// The NPQ framework every portfolio follows, the one pages show coverage against.
    var npq: Framework {
        library.framework(withID: "npq-senco-2023") ?? library.frameworks[0]
    }

    /// The page frame for this request, taking any one-off message.
    func chrome(_ context: WebContext, current: String = "") async -> PageChrome {
        // The session as read for this request says whether a message waits; only then is it
        // taken (read and cleared at once), so a page without one costs no write.
        var flash: String?
        if let session = context.session, session.flash != nil { flash = try? await sessions.takeFlash(session: session.id) }
        return PageChrome(user: context.session?.user, csrf: context.session?.csrfToken, flash: flash, current: current)
    }

    /// Redirects after a successful POST (see-other), with a message for the next page.
    func redirect(_ location: String, flash: String? = nil, context: WebContext) async -> Response {
        if let flash, let id = context.session?.id { try? await sessions.setFlash(flash, session: id) }
        return Response(status: .seeOther, headers: [.location: location])
    }

    /// Changes a portfolio through the shared store: the change runs under the portfolio's lock
    /// against the revision the form was built from, so a stale form is refused and nothing is
    /// written. Rule failures come back as `RuleError` with nothing written.
    @discardableResult
    func update(
        _ participantID: String, revision: Int, adding attachments: [StagedAttachment] = [],
        _ change: @escaping @Sendable (inout Portfolio) throws(RuleError) -> Void
    ) async throws -> Portfolio {
        // The rule's own error (with its field) is carried out beside the store's, which only
        // sees a refused change.
        let ruleError = RuleErrorBox()
        do {
            return try await store.update(participantID, expectedRevision: revision, adding: attachments) {
                (portfolio: inout Portfolio) throws(StoreError) in
                do throws(RuleError) { try change(&portfolio) } catch {
                    ruleError.set(error)
                    throw StoreError(.invalidInput, error.message)
                }
            }
        } catch {
            if let rule = ruleError.value { throw rule }
            throw error
        }
    }
}

/// The rule error a change threw, read after the store has refused the change.
private final class RuleErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: RuleError?
    func set(_ error: RuleError) { lock.withLock { stored = error } }
    var value: RuleError? { lock.withLock { stored } }
}

/// Builds the application: the router with its controllers, over the given store.
public func buildApplication(_ setup: WebSetup) throws -> some ApplicationProtocol {
    let router = try buildRouter(setup)
    return Application(
        router: router,
        configuration: .init(address: .hostname(setup.configuration.host, port: setup.configuration.port), serverName: "senco"),
        services: setup.services, logger: setup.logger)
}

/// The routes: public sign-in and stylesheet; everything else behind sign-in, one controller per area.
public func buildRouter(_ setup: WebSetup) throws -> Router<WebContext> {
    var configuration = setup.configuration
    // One attachment limit for the page, the upload route and the store: when the store's own
    // limit is lower, the app states and enforces that one.
    configuration.maxUploadBytes = min(configuration.maxUploadBytes, setup.store.attachmentLimit)
    let services = WebServices(
        configuration: configuration, store: setup.store, users: setup.users, library: setup.library, schemas: setup.schemas,
        views: try Views.bundled(), exportTemplates: try TemplateLibrary(),
        sessions: setup.sessions ?? MemorySessionStore(limits: configuration.sessionLimits, now: configuration.now),
        throttle: setup.throttle
            ?? MemorySignInThrottle(
                accounts: configuration.accountThrottlePolicy, clients: configuration.clientThrottlePolicy, now: configuration.now),
        links: setup.links ?? MemoryOneTimeLinks(), readiness: setup.readiness, renderedContents: setup.renderedContents)

    let router = Router(context: WebContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(
        middleware: SessionMiddleware(
            sessions: services.sessions, configuration: configuration,
            // Sessions in this process: an account disabled from the command line must end them.
            accounts: setup.sessions == nil ? services.users : nil))
    // Inside the session middleware, so error pages know who is signed in.
    router.add(middleware: ErrorPageMiddleware(views: services.views, sessions: services.sessions))
    router.add(middleware: CSRFMiddleware())

    StaticController(services: services).addRoutes(to: router)
    AuthController(services: services).addRoutes(to: router)
    PasswordController(services: services).addRoutes(to: router)

    let signedIn = router.group().add(middleware: RequireUserMiddleware())
    HomeController(services: services).addRoutes(to: signedIn)
    PortfolioController(services: services).addRoutes(to: signedIn)
    EvidenceController(services: services).addRoutes(to: signedIn)
    TutorController(services: services).addRoutes(to: signedIn)
    ModeratorController(services: services).addRoutes(to: signedIn)
    ProviderController(services: services).addRoutes(to: signedIn)
    ProviderWorkflowController(services: services).addRoutes(to: signedIn)
    AccountsController(services: services).addRoutes(to: signedIn)
    CohortAdminController(services: services).addRoutes(to: signedIn)
    ReportsController(services: services).addRoutes(to: signedIn)
    AgreementReportController(services: services).addRoutes(to: signedIn)
    NationalAwardController(services: services).addRoutes(to: signedIn)
    DfEController(services: services).addRoutes(to: signedIn)
    DfESubmissionController(services: services).addRoutes(to: signedIn)
    DfEImportController(services: services).addRoutes(to: signedIn)
    DfEVoidController(services: services).addRoutes(to: signedIn)
    DfETrainingStatusController(services: services).addRoutes(to: signedIn)
    DfESyncController(services: services).addRoutes(to: signedIn)
    return router
}
