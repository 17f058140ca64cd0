import Hummingbird
import SencoCore
import SencoStore

/// A failure shown to the user as a page. `message` is written for people and never contains
/// an internal error's description, a file path or personal data.
struct WebError: Error, Sendable {
    var status: HTTPResponse.Status
    var title: String
    var message: String
    /// Extra response headers (`Retry-After`, `Connection: close`).
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, title: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.title = title
        self.message = message
        self.headers = headers
    }

    static let forbidden = WebError(
        .forbidden, title: "You cannot see this page",
        message: "Your account does not give you access to this page. If you think it should, ask your provider.")
    static let notFound = WebError(
        .notFound, title: "Page not found", message: "There is nothing at this address. Check it, or go back to your home page.")
    static let csrf = WebError(
        .forbidden, title: "This form could not be accepted",
        message: "The form was out of date or did not come from this site, so nothing was changed. Go back, reload the page and try again.")
    static let badForm = WebError(
        .badRequest, title: "This form could not be read", message: "Nothing was changed. Go back, reload the page and try again.")
    static func formTooLarge(limit: Int) -> WebError {
        WebError(
            .contentTooLarge, title: "This form is too large",
            message: "Nothing was saved. The text in a form can be at most \(Present.limitText(limit)); shorten it, or split it over more than one evidence item.")
    }
    static let tooManyFields = WebError(
        .contentTooLarge, title: "This form has too many fields",
        message: "Nothing was saved. The form sent more fields than any page of this site has. Go back, reload the page and try again.")

    /// An upload whose body is over the upload route's cap, with the limit the page states.
    static func uploadTooLarge(limit: Int) -> WebError {
        WebError(
            .contentTooLarge, title: "The upload is too large",
            message: "Nothing was saved. Attachments can be at most \(Present.limitText(limit)); make the file smaller or split it.")
    }

    /// A store failure, phrased for a browser: store messages can name files on the server, so
    /// only the kinds of failure that a user can act on pass their own words through.
    static func from(_ error: StoreError) -> WebError {
        switch error.code {
        case .staleRevision:
            return WebError(
                .conflict, title: "Someone else changed this portfolio",
                message: "The portfolio changed after you opened this page, so your change was not saved. Reload the page to see the latest version, then make your change again.")
        case .busy:
            return WebError(
                .conflict, title: "The portfolio is being saved",
                message: "Someone else is saving a change to this portfolio right now, so yours was not saved. Try again in a moment.")
        case .notFound:
            return .notFound
        case .invalidInput, .invalidID:
            return WebError(.unprocessableContent, title: "That change could not be made", message: error.message)
        default:
            return WebError(
                .internalServerError, title: "Something went wrong",
                message: "The portfolio could not be read or saved. Nothing was changed. Try again, and tell your provider if it keeps happening.")
        }
    }

    static func from(_ error: RuleError) -> WebError {
        WebError(.unprocessableContent, title: "That change could not be made", message: error.message)
    }
}
