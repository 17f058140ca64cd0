import Foundation
import SencoXML

/// Encoding a document and checking it against its schema before any store keeps it, so no
/// store holds a document its own reader would refuse, and both refuse with the same words.
public enum CheckedDocument {
    public static func encode(_ encode: () throws -> Data, schema: XMLSchema) throws(StoreError) -> Data {
        let data: Data
        do { data = try encode() } catch let error as XMLError {
            throw StoreError(.invalidInput, error.message)
        } catch {
            throw StoreError(.invalidInput, "the document could not be written as XML")
        }
        let violations: [XMLError]
        do { violations = try schema.validate(data, source: "new revision") } catch {
            throw StoreError(.invalidInput, error.message)
        }
        if let first = violations.first {
            throw StoreError(.invalidInput, "refusing to store a document that fails its schema: \(first.message)")
        }
        return data
    }
}
