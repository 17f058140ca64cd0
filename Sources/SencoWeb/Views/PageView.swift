import Foundation
import Hummingbird
import Mustache

/// A page's content as a typed value. Every name its template uses is a stored property of the
/// conforming struct, so a field left out is a compile error rather than an empty cell.
///
/// Conventions (swift-mustache reads the struct by reflection):
/// - a value a section tests (`{{#note}}…{{/note}}`) is an optional or a `Bool`: an empty
///   string would count as true, so "nothing" is `nil`;
/// - a list is an array of small structs, never dictionaries;
/// - a page with a form carries its own `csrf` property;
/// - a name a nested value lacks (or holds as nil) is looked up in the values around it, as
///   Mustache does: a row's `{{participant}}` can be the page's, and a nil `note` in a row must
///   not meet a `note` of the page;
/// - a partial's values are a struct of their own, and the partial opens with a section on it
///   (`{{#promptPanel}}…{{/promptPanel}}`).
protocol PageView {
    /// The template (in `Templates/`, listed in `Views.pages`) that renders this value.
    static var template: String { get }
}

/// What the layout template renders around a page's content.
struct LayoutView {
    struct User {
        var name: String
        var role: String
    }

    struct NavigationLink {
        var href: String
        var label: String
        var current: Bool
    }

    var title: String
    var content: String
    var user: User?
    var nav: [NavigationLink]
    var csrf: String?
    var flash: String?
}

extension PageChrome {
    func layout(title: String, content: String) -> LayoutView {
        LayoutView(
            title: title, content: content,
            user: user.map { LayoutView.User(name: $0.name, role: $0.role.rawValue) },
            nav: user.map { user in
                Navigation.links(for: user).map {
                    LayoutView.NavigationLink(href: $0.href, label: $0.label, current: $0.href == current)
                }
            } ?? [],
            csrf: csrf, flash: flash)
    }
}

extension Views {
    /// Renders a typed page inside the layout. Values are HTML-escaped by the templates.
    func page(
        _ view: some PageView, title: String, status: HTTPResponse.Status = .ok, chrome: PageChrome
    ) -> Response {
        page(content: content(of: view), title: title, status: status, chrome: chrome)
    }

    /// A page's content alone, without the layout (for `RenderedContents`).
    func content(of view: some PageView) -> String {
        library.render(TemplateValues.values(of: view) ?? [:], withTemplate: type(of: view).template) ?? ""
    }

    /// Content already rendered, inside the layout.
    func page(content: String, title: String, status: HTTPResponse.Status = .ok, chrome: PageChrome) -> Response {
        let html =
            library.render(
                TemplateValues.values(of: chrome.layout(title: title, content: content)) ?? [:], withTemplate: "layout")
            ?? ""
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// The error page: what went wrong, in words a person can act on, and the way home.
struct ErrorPage: PageView {
    static let template = "error"
    var heading: String
    var message: String
    var home: String
}

/// A view's values as the template engine reads fastest: nested dictionaries and arrays, built
/// with one `Mirror` per struct. swift-mustache reads a struct through a new `Mirror` for every
/// name it looks up (every cell of every row), which made a 50-row table about four times
/// slower to render than from dictionaries; reflecting each value once keeps the typed view
/// models at the dictionaries' speed. `nil` is left out, so a section over it is false.
enum TemplateValues {
    static func values(of value: Any) -> Any? {
        switch value {
        case let text as String: return text
        case let number as Int: return number
        case let flag as Bool: return flag
        case let optional as any OptionalTemplateValue: return optional.templateValue.flatMap(values(of:))
        case let row as any TemplateRow: return row.templateValues
        default: break
        }
        return reflected(value)
    }

    /// `value`'s fields by reflection (the fields' own values through `values(of:)`).
    static func reflected(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .collection?, .set?:
            return mirror.children.compactMap { values(of: $0.value) }
        case .struct?, .class?:
            var fields: [String: Any] = [:]
            for child in mirror.children {
                if let label = child.label, let field = values(of: child.value) { fields[label] = field }
            }
            return fields
        default:
            // Enumerations and other scalars render as their description.
            return value
        }
    }
}

/// A row a page shows by the hundred, which gives its values itself rather than be reflected:
/// exactly what `TemplateValues.reflected` would give (a test checks), nil left out.
protocol TemplateRow {
    var templateValues: [String: Any] { get }
}

protocol OptionalTemplateValue {
    var templateValue: Any? { get }
}

extension Optional: OptionalTemplateValue {
    var templateValue: Any? { self.map { $0 as Any } }
}
