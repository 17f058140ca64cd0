import Foundation
import Mustache

/// The HTML templates, loaded once. A missing or broken template fails the load, not a render.
public struct TemplateLibrary: Sendable {
    public static let names = ["style", "coverage", "pack", "completion"]

    let library: MustacheLibrary

    public init() throws {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw ExportError("the HTML templates are missing from the installation")
        }
        try self.init(directory: directory)
    }

    public init(directory: URL) throws {
        var library = MustacheLibrary()
        for name in Self.names {
            let file = directory.appendingPathComponent("\(name).mustache")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                throw ExportError("template \(name).mustache is missing from \(directory.path)")
            }
            do { try library.register(HTMLEscaping.prepared(text), named: name) } catch {
                throw ExportError("template \(name).mustache does not parse")
            }
        }
        self.library = library
    }

    /// Renders `object` with a template; values are HTML-escaped unless a template opts out.
    public func render(_ object: Any, template name: String) throws -> String {
        guard let output = library.render(object, withTemplate: name) else {
            throw ExportError("no template named \(name)")
        }
        return output
    }
}

public struct ExportError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
