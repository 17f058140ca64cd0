internal import CLibXML2

/// Collects the errors libxml2 reports during one parse or one validation, so that nothing goes
/// through libxml2's process-wide handlers and concurrent parses never see each other's errors.
final class XMLErrorCollector {
    let source: String
    /// Errors beyond this many are counted in `dropped`, not kept: a document can hold a million
    /// schema violations, and nobody reads past the first screenful.
    let limit: Int
    var errors: [XMLError] = []
    var dropped = 0
    var sawDoctype = false

    init(source: String, limit: Int = XMLReadOptions.default.maximumErrors) {
        self.source = source
        self.limit = max(limit, 1)
    }

    /// Records `error` if it is an error rather than a warning, and says whether it was.
    @discardableResult
    func record(_ error: UnsafePointer<xmlError>, defaultCode: XMLError.Code) -> Bool {
        let raw = error.pointee
        guard raw.level.rawValue >= XML_ERR_ERROR.rawValue else { return false }
        guard errors.count < limit else {
            dropped += 1
            return true
        }
        let original = raw.message.map { String(cString: $0) } ?? "unknown XML error"
        // libxml2 continues some messages on a second line, sometimes with a piece of the
        // document; an error here is one line, and never quotes a participant's text.
        let firstLine = original.split(separator: "\n", omittingEmptySubsequences: true).first
        var message = String(firstLine ?? "unknown XML error")
        while message.last?.isWhitespace == true { message.removeLast() }
        var code = defaultCode
        switch Int(raw.code) {
        case Int(XML_ERR_INVALID_CHAR.rawValue):
            code = .forbiddenCharacter  // unless the bytes are not UTF-8 at all (below)
        case Int(XML_ERR_INVALID_ENCODING.rawValue), Int(XML_ERR_UNKNOWN_ENCODING.rawValue),
            Int(XML_ERR_UNSUPPORTED_ENCODING.rawValue):
            code = .invalidEncoding
        case Int(XML_ERR_INTERNAL_ERROR.rawValue) where message.hasPrefix("Excessive depth"):
            code = .tooDeep
            message = "elements are nested more than 256 levels deep"
        default:
            break
        }
        if message.contains("Input is not proper UTF-8") {
            code = .invalidEncoding
            let bytes = original.range(of: "Bytes:").map { original[$0.upperBound...] } ?? ""
            message = "bytes are not valid UTF-8"
            let shown = bytes.split(whereSeparator: \.isWhitespace).prefix(4).joined(separator: " ")
            if !shown.isEmpty { message += " (\(shown))" }
        }
        errors.append(
            XMLError(code: code, message: message, source: source, line: Int(raw.line), column: Int(raw.int2)))
        return true
    }
}

/// The parser options every parse uses. Deliberately absent: NOENT (substitute entities),
/// DTDLOAD, DTDATTR, DTDVALID (touch DTDs), XINCLUDE, HUGE (lift the depth and size limits),
/// RECOVER, NOERROR and NOWARNING (hide problems). IGNORE_ENC: the bytes are UTF-8 by the time
/// libxml2 sees them (`XMLPrescan` refused any other declaration), so it never loads a converter.
private let safeParseOptions: Int32 = Int32(
    XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
        | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_IGNORE_ENC.rawValue)

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
///
/// Before libxml2 sees a byte: the size cap, UTF-16 converted to UTF-8, and `XMLPrescan`'s
/// limits and encoding check.
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
    if let converted = try UTF16Input.utf8(from: bytes, source: source) {
        return try converted.withUnsafeBytes { utf8 in
            try XMLPrescan.check(utf8, fromUTF16: true, source: source, options: options)
            return try parseChecked(utf8, source: source, options: options, body)
        }
    }
    try XMLPrescan.check(bytes, fromUTF16: false, source: source, options: options)
    return try parseChecked(bytes, source: source, options: options, body)
}

/// The libxml2 half of `withSafelyParsedDocument`, for bytes that passed its checks.
private func parseChecked<Result>(
    _ bytes: UnsafeRawBufferPointer,
    source: String,
    options: XMLReadOptions,
    _ body: (xmlDocPtr, XMLErrorCollector) throws -> Result
) throws -> Result {
    if bytes.count == 0 {
        throw XMLError(code: .notWellFormed, message: "document is empty", source: source, line: 1, column: 1)
    }
    guard let context = xmlNewParserCtxt() else {
        throw XMLError(code: .notWellFormed, message: "could not create an XML parser", source: source)
    }
    defer { xmlFreeParserCtxt(context) }
    // Whatever libxml2 reports without a parser context would go to stderr; this thread's
    // handler is silenced until the parse and `body` are done (both synchronous, so no other
    // work runs on this thread in between).
    let savedGenericErrors = senco_silence_generic_errors()
    defer { senco_restore_generic_errors(savedGenericErrors) }

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
                // The first error is the one reported, so the parse stops there: nothing after
                // it costs time, and libxml2 never reads on past markup it could not follow.
                if collector.record(error, defaultCode: .notWellFormed) { senco_ctxt_halt(context) }
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
