internal import CLibXML2
import Foundation

/// A compiled W3C XML Schema (XSD) that validates documents.
///
/// Schemas are the project's own files, compiled from memory so libxml2 never opens a file or a
/// URL of its choosing. A compiled schema is read-only, so one can be shared between threads;
/// each validation gets its own libxml2 validation context.
public final class XMLSchema: @unchecked Sendable {
    private let schema: xmlSchemaPtr
    public let name: String

    /// Compiles the schema in `data`; `name` identifies it in errors.
    public init(data: Data, name: String) throws(XMLError) {
        initialiseLibXML2()
        self.name = name
        let collector = XMLErrorCollector(source: name)
        let compiled: xmlSchemaPtr? = withExtendedLifetime(collector) {
            data.withUnsafeBytes { bytes -> xmlSchemaPtr? in
                guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                    let parser = xmlSchemaNewMemParserCtxt(base, Int32(bytes.count))
                else { return nil }
                defer { xmlSchemaFreeParserCtxt(parser) }
                xmlSchemaSetParserStructuredErrors(
                    parser,
                    { userData, error in
                        guard let userData, let error else { return }
                        Unmanaged<XMLErrorCollector>.fromOpaque(userData).takeUnretainedValue()
                            .record(error, defaultCode: .schemaUnusable)
                    }, Unmanaged.passUnretained(collector).toOpaque())
                return xmlSchemaParse(parser)
            }
        }
        guard let compiled else {
            var error = collector.errors.first ?? XMLError(code: .schemaUnusable, message: "schema could not be compiled", source: name)
            error.code = .schemaUnusable
            throw error
        }
        schema = compiled
    }

    /// Reads and compiles the schema file at `url`.
    public convenience init(contentsOf url: URL) throws(XMLError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw XMLError(code: .schemaUnusable, message: "cannot read schema file", source: url.path)
        }
        try self.init(data: data, name: url.path)
    }

    deinit {
        xmlSchemaFree(schema)
    }

    /// Parses `data` with the safe reader's rules and validates it. Returns every schema
    /// violation found (empty when valid); throws if the document cannot be parsed at all.
    public func validate(_ data: Data, source: String = "<input>", options: XMLReadOptions = .default)
        throws(XMLError) -> [XMLError]
    {
        do {
            return try data.withUnsafeBytes { bytes in
                try withSafelyParsedDocument(bytes, source: source, options: options) { document, _ in
                    try violations(of: document, source: source, limit: options.maximumErrors)
                }
            }
        } catch let error as XMLError {
            throw error
        } catch {
            throw XMLError(code: .notWellFormed, message: "\(error)", source: source)
        }
    }

    /// What `XMLReader.read` and then `validate` would give, from one parse instead of two: the
    /// document as values (depth and size caps applied, as the reader does) and every schema
    /// violation (empty when valid). Throws what the reader would throw.
    public func read(_ data: Data, source: String = "<input>", options: XMLReadOptions = .default)
        throws(XMLError) -> (root: XMLElement, violations: [XMLError])
    {
        do {
            return try data.withUnsafeBytes { bytes in
                try withSafelyParsedDocument(bytes, source: source, options: options) { document, _ in
                    guard let root = xmlDocGetRootElement(document) else {
                        throw XMLError(code: .notWellFormed, message: "document has no root element", source: source)
                    }
                    // Converted before validation, so a document too deep for the reader fails as
                    // it would have there, and validation cannot change what is read.
                    let element = try XMLReader(options: options).convert(root, depth: 1, source: source)
                    return (element, try violations(of: document, source: source, limit: options.maximumErrors))
                }
            }
        } catch let error as XMLError {
            throw error
        } catch {
            throw XMLError(code: .notWellFormed, message: "\(error)", source: source)
        }
    }

    private func violations(of document: xmlDocPtr, source: String, limit: Int) throws -> [XMLError] {
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            throw XMLError(code: .schemaUnusable, message: "could not create a validation context", source: source)
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        // For every error about a node of a document with a URL, libxml2 2.9 walks back through
        // all the preceding siblings of the node looking for an XInclude to blame: a hundred
        // thousand violations took five minutes. Errors carry `source` anyway, so the document
        // goes without a URL. (Naming a file on the context instead would lose the line.)
        senco_doc_forget_url(document)
        let collector = XMLErrorCollector(source: source, limit: limit)
        return withExtendedLifetime(collector) {
            xmlSchemaSetValidStructuredErrors(
                context,
                { userData, error in
                    guard let userData, let error else { return }
                    Unmanaged<XMLErrorCollector>.fromOpaque(userData).takeUnretainedValue()
                        .record(error, defaultCode: .schemaInvalid)
                }, Unmanaged.passUnretained(collector).toOpaque())
            let result = xmlSchemaValidateDoc(context, document)
            var errors = collector.errors.map { error -> XMLError in
                var error = error
                error.code = .schemaInvalid
                return error
            }
            if collector.dropped > 0 {
                let plural = collector.dropped == 1 ? "" : "s"
                errors.append(
                    XMLError(
                        code: .schemaInvalid, message: "\(collector.dropped) more schema violation\(plural) not listed",
                        source: source))
            }
            if result != 0 && errors.isEmpty {
                errors.append(XMLError(code: .schemaInvalid, message: "document does not match the schema \(name)", source: source))
            }
            return errors
        }
    }
}
