import Hummingbird
import SencoCore
import SencoStore

/// The first steps of every provider route: who is asking (a provider, or 403 before
/// anything is read), then what they ask about (an id that does not exist is 404).
extension WebServices {
    func requireProvider(_ context: WebContext) throws -> SignedInUser {
        let user = try context.requireUser()
        guard user.role == .provider else { throw WebError.forbidden }
        return user
    }

    /// The portfolio named by the route's `:participant`.
    func routePortfolio(_ context: WebContext) async throws -> Portfolio {
        let id = try context.parameters.require("participant")
        guard Identifier.isValid(id) else { throw WebError.notFound }
        return try await store.portfolio(id)
    }

    /// The cohort named by the route's `:cohort`.
    func routeCohort(_ context: WebContext) async throws -> Cohort {
        let id = try context.parameters.require("cohort")
        guard Identifier.isValid(id) else { throw WebError.notFound }
        return try await store.cohort(id)
    }
}
