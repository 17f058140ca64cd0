import Foundation
import SencoXML

/// The small whole-file documents of a store directory (`users.xml`, `links.xml`): their schema
/// loaded once, and every new version schema-checked before it replaces the old one crash-safely.
enum CheckedXMLFile {
    /// The schema `name` from `directory`, or one line saying why not.
    static func schema(_ name: String, in directory: URL) throws(StoreError) -> XMLSchema {
        do {
            return try XMLSchema(contentsOf: directory.child(name))
        } catch {
            throw StoreError(.invalidData, "cannot load \(name): \(error.message)")
        }
    }

    /// Writes `data` to `file` if it passes `schema`; `what` names the contents in the refusal
    /// ("users", "links").
    static func write(_ data: Data, to file: URL, schema: XMLSchema, what: String) throws(StoreError) {
        let violations: [XMLError]
        do { violations = try schema.validate(data, source: "new \(file.lastPathComponent)") } catch {
            throw StoreError(.invalidInput, error.message)
        }
        if let first = violations.first {
            throw StoreError(.invalidInput, "refusing to store \(what) that fail their schema: \(first.message)")
        }
        try AtomicFile.write(data, to: file)
    }
}
