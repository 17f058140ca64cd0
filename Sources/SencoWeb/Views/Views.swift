import SencoStore
import Foundation
import Hummingbird
import Mustache
import SencoExport

/// The page templates, loaded and parsed at start-up: a missing or broken template stops the
/// server from starting rather than failing a request later.
struct Views: Sendable {
    static let pages = [
        "layout", "login", "error", "portfolio", "evidence-form", "tutor-home", "review", "review-statement",
        "moderator-home", "second-mark", "reconcile", "provider-home", "cohort", "evidence-prompts", "evidence-ingredients", "evidence-impact",
        // Partials and pages split from others when they became typed views.
        "pagination", "moderation-portfolio", "changes",
        "provider-workflow", "moderation-new",
        "users", "user-new", "user", "user-link", "set-password", "feedback", "cohort-form", "participant-form", "import",
        "completion-report", "agreement-report", "national-award", "cohort-national-award", "cohort-moderation",
        "dfe-participant", "dfe-identity-form", "dfe-submit", "dfe-submit-result", "dfe-import",
        "dfe-void", "dfe-status-change", "dfe-action-result", "dfe-sync-result",
    ]

    let library: MustacheLibrary
    let stylesheet: String
    /// The statement picker's live count (`/static/statement-count.js`), the site's one script.
    let statementCount: String

    init(directory: URL, stylesheet: URL, statementCount script: URL) throws {
        var library = MustacheLibrary()
        for name in Self.pages {
            let file = directory.appendingPathComponent("\(name).mustache")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                throw StartupError("template \(name).mustache is missing from \(directory.path)")
            }
            do { try library.register(HTMLEscaping.prepared(text), named: name) } catch {
                throw StartupError("template \(name).mustache does not parse")
            }
        }
        guard let css = try? String(contentsOf: stylesheet, encoding: .utf8) else {
            throw StartupError("the stylesheet \(stylesheet.lastPathComponent) is missing")
        }
        guard let js = try? String(contentsOf: script, encoding: .utf8) else {
            throw StartupError("the script \(script.lastPathComponent) is missing")
        }
        self.library = library
        self.stylesheet = css
        self.statementCount = js
    }

    /// The templates and stylesheet shipped as this module's resources.
    static func bundled() throws -> Views {
        guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let assets = Bundle.module.url(forResource: "Public", withExtension: nil)
        else { throw StartupError("the web templates are missing from the installation") }
        return try Views(
            directory: templates, stylesheet: assets.appendingPathComponent("style.css"),
            statementCount: assets.appendingPathComponent("statement-count.js"))
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
