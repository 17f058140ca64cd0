import SencoStore
import Foundation
import Hummingbird
import Mustache

/// The page templates, loaded and parsed at start-up: a missing or broken template stops the
/// server from starting rather than failing a request later.
struct Views: Sendable {
    static let pages = [
        "layout", "login", "error", "portfolio", "evidence-form", "tutor-home", "review", "review-statement",
        "moderator-home", "second-mark", "reconcile", "provider-home", "cohort", "evidence-prompts", "evidence-ingredients", "evidence-impact",
        "provider-workflow", "moderation-new",
        "users", "user-new", "user", "user-link", "set-password", "feedback", "cohort-form", "participant-form", "import",
        "completion-report", "agreement-report", "national-award", "cohort-national-award", "cohort-moderation",
    ]

    let library: MustacheLibrary
    let stylesheet: String

    init(directory: URL, stylesheet: URL) throws {
        var library = MustacheLibrary()
        for name in Self.pages {
            let file = directory.appendingPathComponent("\(name).mustache")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                throw StartupError("template \(name).mustache is missing from \(directory.path)")
            }
            do { try library.register(text, named: name) } catch {
                throw StartupError("template \(name).mustache does not parse")
            }
        }
        guard let css = try? String(contentsOf: stylesheet, encoding: .utf8) else {
            throw StartupError("the stylesheet \(stylesheet.lastPathComponent) is missing")
        }
        self.library = library
        self.stylesheet = css
    }

    /// The templates and stylesheet shipped as this module's resources.
    static func bundled() throws -> Views {
        guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let css = Bundle.module.url(forResource: "Public", withExtension: nil)?.appendingPathComponent("style.css")
        else { throw StartupError("the web templates are missing from the installation") }
        return try Views(directory: templates, stylesheet: css)
    }

    /// Renders a page inside the layout. Values are HTML-escaped by the templates.
    func page(
        _ name: String, title: String, status: HTTPResponse.Status = .ok, context: [String: Any],
        chrome: PageChrome
    ) -> Response {
        var context = context
        if context["csrf"] == nil, let csrf = chrome.csrf { context["csrf"] = csrf }
        let content = library.render(Self.droppingEmptyStrings(context), withTemplate: name) ?? ""
        let html = library.render(chrome.layout(title: title, content: content), withTemplate: "layout") ?? ""
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

extension Views {
    /// Mustache treats "" as true in a section (`{{#feedback}}…{{/feedback}}`), so empty strings
    /// are removed before rendering: a missing value renders as nothing and counts as false.
    static func droppingEmptyStrings(_ value: [String: Any]) -> [String: Any] {
        var result: [String: Any] = [:]
        for (key, item) in value {
            if let text = item as? String, text.isEmpty { continue }
            result[key] = clean(item)
        }
        return result
    }

    private static func clean(_ item: Any) -> Any {
        if let dictionary = item as? [String: Any] { return droppingEmptyStrings(dictionary) }
        if let array = item as? [[String: Any]] { return array.map(droppingEmptyStrings) }
        return item
    }
}

/// What every page's frame needs: who is signed in, their navigation, the CSRF token for the
/// sign-out form, and a one-off message.
struct PageChrome {
    var user: SignedInUser?
    var csrf: String?
    var flash: String?
    var current: String = ""
}

enum Navigation {
    struct Link {
        var href: String
        var label: String
    }

    static func home(for user: SignedInUser) -> String {
        switch user.role {
        case .participant: "/portfolios/\(user.participant ?? "")"
        case .tutor: "/tutor"
        case .moderator: "/moderation"
        default: "/provider"
        }
    }

    static func links(for user: SignedInUser) -> [Link] {
        switch user.role {
        case .participant:
            let base = "/portfolios/\(user.participant ?? "")"
            return [Link(href: base, label: "My portfolio"), Link(href: "\(base)/evidence/new", label: "Add evidence")]
        case .tutor: return [Link(href: "/tutor", label: "My participants")]
        case .moderator: return [Link(href: "/moderation", label: "My sample")]
        default: return [Link(href: "/provider", label: "Cohorts and users"), Link(href: "/provider/users", label: "Accounts")]
        }
    }
}

struct StartupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
