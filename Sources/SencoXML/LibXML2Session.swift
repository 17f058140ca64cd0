internal import CLibXML2

/// Collects the errors libxml2 reports during one parse or one validation, so that nothing goes
/// through libxml2's process-wide handlers and concurrent parses never see each other's errors.
final class XMLErrorCollector {
    let source: String
    var errors: [XMLError] = []
    var sawDoctype = false

    init(source: String) {
        self.source = source
    }

    func record(_ error: UnsafePointer<xmlError>, defaultCode: XMLError.Code) {
        let raw = error.pointee
        guard raw.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        var message = raw.message.map { String(cString: $0) } ?? "unknown XML error"
        while message.last?.isWhitespace == true { message.removeLast() }
        var code = defaultCode
        switch Int(raw.code) {
        case Int(XML_ERR_INVALID_CHAR.rawValue), Int(XML_ERR_INVALID_ENCODING.rawValue),
            Int(XML_ERR_UNKNOWN_ENCODING.rawValue), Int(XML_ERR_UNSUPPORTED_ENCODING.rawValue):
            code = message.contains("Char 0x") || message.contains("PCDATA invalid") ? .forbiddenCharacter : .invalidEncoding
        case Int(XML_ERR_INTERNAL_ERROR.rawValue) where message.hasPrefix("Excessive depth"):
            code = .tooDeep
            message = "elements are nested more than 256 levels deep"
        default:
            break
        }
        if message.contains("Input is not proper UTF-8") { code = .invalidEncoding }
        errors.append(
            XMLError(code: code, message: message, source: source, line: Int(raw.line), column: Int(raw.int2)))
    }
}

/// The parser options every parse uses. Deliberately absent: NOENT (substitute entities),
/// DTDLOAD, DTDATTR, DTDVALID (touch DTDs), XINCLUDE, HUGE (lift the depth and size limits),
/// RECOVER, NOERROR and NOWARNING (hide problems).
private let safeParseOptions: Int32 = Int32(
    XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
        | XML_PARSE_BIG_LINES.rawValue)

private let libxml2Initialised: Bool = {
    xmlInitParser()
    return true
}()

/// libxml2 2.9 must be initialised once, before any thread creates a parser, dictionary, schema
/// or writer; its lazy initialisation races (seen here as a deadlock in `xmlDictCreate`).
/// Every entry point of this module calls this first.
func initialiseLibXML2() {
    _ = libxml2Initialised
}

/// Parses `bytes` with libxml2 under the safe options, refusing any DOCTYPE, and hands the
/// resulting document to `body`. The document is freed when `body` returns; it must not escape.
func withSafelyParsedDocument<Result>(
    _ bytes: UnsafeRawBufferPointer,
    source: String,
    options: XMLReadOptions,
    _ body: (xmlDocPtr, XMLErrorCollector) throws -> Result
) throws -> Result {
    initialiseLibXML2()
    if bytes.count > options.maximumBytes {
        throw XMLError(
            code: .tooLarge,
            message: "document is \(bytes.count) bytes; the limit is \(options.maximumBytes) bytes",
            source: source)
    }
    if bytes.count == 0 {
        throw XMLError(code: .notWellFormed, message: "document is empty", source: source, line: 1, column: 1)
    }
    guard let context = xmlNewParserCtxt() else {
        throw XMLError(code: .notWellFormed, message: "could not create an XML parser", source: source)
    }
    defer { xmlFreeParserCtxt(context) }

    let collector = XMLErrorCollector(source: source)
    return try withExtendedLifetime(collector) {
        senco_ctxt_set_private(context, Unmanaged.passUnretained(collector).toOpaque())
        if let sax = senco_ctxt_sax(context) {
            // Errors go to this parse's collector, never to the global handlers.
            sax.pointee.serror = { userData, error in
                guard let userData, let error else { return }
                let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
                guard let box = senco_ctxt_private(context) else { return }
                let collector = Unmanaged<XMLErrorCollector>.fromOpaque(box).takeUnretainedValue()
                collector.record(error, defaultCode: .notWellFormed)
            }
            // A DOCTYPE stops the parse before its internal subset is read, so no entity or
            // DTD declaration is ever processed, let alone expanded or fetched.
            sax.pointee.internalSubset = { userData, _, _, _ in
                guard let userData else { return }
                let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
                if let box = senco_ctxt_private(context) {
                    Unmanaged<XMLErrorCollector>.fromOpaque(box).takeUnretainedValue().sawDoctype = true
                }
                xmlStopParser(context)
            }
            sax.pointee.externalSubset = nil
            sax.pointee.resolveEntity = nil
        }
        let document = bytes.withMemoryRebound(to: CChar.self) { chars in
            xmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), source, nil, safeParseOptions)
        }
        defer { if let document { xmlFreeDoc(document) } }

        if collector.sawDoctype || document?.pointee.intSubset != nil || document?.pointee.extSubset != nil {
            let line = Int(xmlSAX2GetLineNumber(context))
            throw XMLError(
                code: .doctypeForbidden,
                message: "DOCTYPE declarations are not allowed (no DTDs, no entities)",
                source: source, line: line, column: Int(xmlSAX2GetColumnNumber(context)))
        }
        if let first = collector.errors.first {
            throw first
        }
        guard let document, xmlDocGetRootElement(document) != nil else {
            throw XMLError(code: .notWellFormed, message: "document has no root element", source: source)
        }
        return try body(document, collector)
    }
}
