import Foundation
import Hummingbird
import Logging
import SencoCore
import SencoData
import SencoExport
import SencoStore

/// What the web application works with: the same store, frameworks and rules as the CLI.
public struct WebSetup: Sendable {
    public var configuration: WebConfiguration
    public var store: any PortfolioRepository
    public var users: any UserRepository
    public var library: FrameworkLibrary
    public var schemas: PortfolioSchemas
    public var logger: Logger

    public init(
        configuration: WebConfiguration, store: any PortfolioRepository, users: any UserRepository,
        library: FrameworkLibrary, schemas: PortfolioSchemas, logger: Logger = Logger(label: "senco.web")
    ) {
        self.configuration = configuration
        self.store = store
        self.users = users
        self.library = library
        self.schemas = schemas
        self.logger = logger
    }
}

/// Everything a controller needs, built once at start-up.
struct WebServices: Sendable {
    let configuration: WebConfiguration
    /// Every call runs off the request threads (`OffloadedStore`).
    let store: OffloadedStore
    let users: any UserRepository
    let library: FrameworkLibrary
    let schemas: PortfolioSchemas
    let views: Views
    /// The export templates (moderation packs, completion reports), shared with the CLI.
    let exportTemplates: TemplateLibrary
    let sessions: SessionStore
    let throttle: any SignInThrottle

    var rules: EvidenceRules { schemas.rules }

    var now: Date { configuration.now().wholeSeconds }

    /// The NPQ framework every portfolio follows, the one pages show coverage against.
    var npq: Framework {
        library.framework(withID: "npq-senco-2023") ?? library.frameworks[0]
    }

    /// The page frame for this request, taking any one-off message.
    func chrome(_ context: WebContext, current: String = "") async -> PageChrome {
        var flash: String?
        if let id = context.session?.id { flash = await sessions.takeFlash(session: id) }
        return PageChrome(user: context.session?.user, csrf: context.session?.csrfToken, flash: flash, current: current)
    }

    /// Redirects after a successful POST (see-other), with a message for the next page.
    func redirect(_ location: String, flash: String? = nil, context: WebContext) async -> Response {
        if let flash, let id = context.session?.id { await sessions.setFlash(flash, session: id) }
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
        let outcome: Result<Portfolio, RuleError> = try await store.document { store in
            var ruleError: RuleError?
            do {
                return .success(
                    try store.update(participantID, expectedRevision: revision, adding: attachments) { (portfolio: inout Portfolio) throws(StoreError) in
                        do throws(RuleError) { try change(&portfolio) } catch {
                            ruleError = error
                            throw StoreError(.invalidInput, error.message)
                        }
                    })
            } catch {
                if let ruleError { return .failure(ruleError) }
                throw error
            }
        }
        return try outcome.get()
    }
}

/// Builds the application: the router with its controllers, over the given store.
public func buildApplication(_ setup: WebSetup) throws -> some ApplicationProtocol {
    let router = try buildRouter(setup)
    return Application(
        router: router,
        configuration: .init(address: .hostname(setup.configuration.host, port: setup.configuration.port), serverName: "senco"),
        logger: setup.logger)
}

/// The routes: public sign-in and stylesheet; everything else behind sign-in, one controller per area.
public func buildRouter(_ setup: WebSetup) throws -> Router<WebContext> {
    var configuration = setup.configuration
    // One attachment limit for the page, the upload route and the store: when the store's own
    // limit is lower, the app states and enforces that one.
    if let directory = setup.store as? DirectoryStore {
        configuration.maxUploadBytes = min(configuration.maxUploadBytes, directory.attachmentLimit)
    }
    let services = WebServices(
        configuration: configuration, store: OffloadedStore(setup.store), users: setup.users, library: setup.library, schemas: setup.schemas,
        views: try Views.bundled(), exportTemplates: try TemplateLibrary(),
        sessions: SessionStore(idleTimeout: configuration.idleTimeout, absoluteTimeout: configuration.absoluteTimeout, now: configuration.now),
        throttle: MemorySignInThrottle(
            accounts: .init(
                allowance: configuration.maxFailedSignIns, maxDelay: configuration.maxSignInDelay,
                forgetAfter: configuration.throttleWindow),
            clients: .init(
                allowance: configuration.maxFailedSignInsPerClient, maxDelay: configuration.maxSignInDelay,
                forgetAfter: configuration.throttleWindow),
            now: configuration.now))

    let router = Router(context: WebContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: SessionMiddleware(sessions: services.sessions, configuration: configuration))
    // Inside the session middleware, so error pages know who is signed in.
    router.add(middleware: ErrorPageMiddleware(views: services.views, sessions: services.sessions))
    router.add(middleware: CSRFMiddleware())

    StaticController(services: services).addRoutes(to: router)
    AuthController(services: services).addRoutes(to: router)

    let signedIn = router.group().add(middleware: RequireUserMiddleware())
    HomeController(services: services).addRoutes(to: signedIn)
    PortfolioController(services: services).addRoutes(to: signedIn)
    EvidenceController(services: services).addRoutes(to: signedIn)
    TutorController(services: services).addRoutes(to: signedIn)
    ModeratorController(services: services).addRoutes(to: signedIn)
    ProviderController(services: services).addRoutes(to: signedIn)
    return router
}
