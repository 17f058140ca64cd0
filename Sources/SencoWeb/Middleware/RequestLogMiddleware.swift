import Hummingbird
import Logging

/// One log line per request: method, route pattern and status. No query
/// strings, bodies, names or reflections: the route pattern (`/portfolios/{participant}`)
/// stands in for the path.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(context.endpointPath ?? "-")",
                "status": "\(response.status.code)",
            ])
        return response
    }
}
