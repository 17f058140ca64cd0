import Foundation
import Hummingbird
import Logging
import SencoCore
import SencoStore

/// Turns every error into a page a person can act on. Internal errors are logged by type only
/// (never their description, which can hold paths or personal data) and shown as a general
/// message; the user never sees `"\(error)"`.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let views: Views
    let sessions: any SessionRepository

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WebError {
            return await page(for: error, context: context)
        } catch let error as StoreError {
            return await page(for: .from(error), context: context)
        } catch let error as RuleError {
            return await page(for: .from(error), context: context)
        } catch let error as any HTTPResponseError {
            let web: WebError
            switch error.status {
            case .notFound: web = .notFound
            case .contentTooLarge: web = WebError(.contentTooLarge, title: "This request is too large", message: "Nothing was saved. Go back and try again with less.")
            case .methodNotAllowed:
                web = WebError(.methodNotAllowed, title: "That action is not possible here", message: "Go back and use the page's own links and buttons.")
            default:
                web = WebError(error.status, title: "That request could not be handled", message: "Nothing was changed. Go back and try again.")
            }
            return await page(for: web, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error.type": "\(String(reflecting: type(of: error)))"])
            return await page(
                for: WebError(
                    .internalServerError, title: "Something went wrong",
                    message: "Nothing was changed. Try again, and tell your provider if it keeps happening."),
                context: context)
        }
    }

    private func page(for error: WebError, context: Context) async -> Response {
        let chrome = PageChrome(user: context.session?.user, csrf: context.session?.csrfToken)
        let view = ErrorPage(
            heading: error.title, message: error.message, home: context.session?.user.map(Navigation.home) ?? "/login")
        var response = views.page(view, title: error.title, status: error.status, chrome: chrome)
        for field in error.headers { response.headers.append(field) }
        return response
    }
}
