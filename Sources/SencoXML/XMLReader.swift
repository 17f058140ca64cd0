internal import CLibXML2
import Foundation

/// Reads untrusted XML into `XMLElement` values.
///
/// Refuses any DOCTYPE, never substitutes entities, never loads a DTD, never touches the network
/// or the file system, and caps size and depth. Every failure is an `XMLError` with a line and
/// column.
public struct XMLReader: Sendable {
    public var options: XMLReadOptions

    public init(options: XMLReadOptions = .default) {
        self.options = options
    }

    /// Parses a document held in memory. `source` names it in error messages.
    public func read(_ data: Data, source: String = "<input>") throws(XMLError) -> XMLElement {
        do {
            return try data.withUnsafeBytes { bytes in
                try withSafelyParsedDocument(bytes, source: source, options: options) { document, _ in
                    guard let root = xmlDocGetRootElement(document) else {
                        throw XMLError(code: .notWellFormed, message: "document has no root element", source: source)
                    }
                    return try convert(root, depth: 1, source: source)
                }
            }
        } catch let error as XMLError {
            throw error
        } catch {
            throw XMLError(code: .notWellFormed, message: "\(error)", source: source)
        }
    }

    /// Parses a document from text.
    public func read(_ text: String, source: String = "<input>") throws(XMLError) -> XMLElement {
        try read(Data(text.utf8), source: source)
    }

    /// Reads and parses the file at `url`, refusing it before reading if it is too large.
    public func read(contentsOf url: URL) throws(XMLError) -> XMLElement {
        let path = url.path
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if (attributes[.type] as? FileAttributeType) == .typeDirectory {
                throw XMLError(code: .notWellFormed, message: "is a directory, not an XML file", source: path)
            }
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch let error as XMLError {
            throw error
        } catch {
            throw XMLError(code: .notWellFormed, message: "cannot read file: no such file or not readable", source: path)
        }
        if size > options.maximumBytes {
            throw XMLError(
                code: .tooLarge, message: "file is \(size) bytes; the limit is \(options.maximumBytes) bytes",
                source: path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw XMLError(code: .notWellFormed, message: "cannot read file", source: path)
        }
        return try read(data, source: path)
    }

    func convert(_ node: xmlNodePtr, depth: Int, source: String) throws -> XMLElement {
        try convert(node, depth: depth, source: source, names: NameTable())
    }

    /// Element and attribute names seen in one document. libxml2 interns names in the parser's
    /// dictionary, so a name is the same pointer every time it occurs, and each distinct name
    /// becomes a Swift string once rather than once per element or attribute.
    final class NameTable {
        private var pointers: [UnsafePointer<xmlChar>] = []
        private var strings: [String] = []

        func string(_ pointer: UnsafePointer<xmlChar>) -> String {
            for index in pointers.indices where pointers[index] == pointer { return strings[index] }
            let string = String(cString: pointer)
            if pointers.count < 64 {
                pointers.append(pointer)
                strings.append(string)
            }
            return string
        }
    }

    private func convert(_ node: xmlNodePtr, depth: Int, source: String, names: NameTable) throws -> XMLElement {
        let line = Int(xmlGetLineNo(node))
        if depth > options.maximumDepth {
            throw XMLError(
                code: .tooDeep, message: "elements are nested more than \(options.maximumDepth) levels deep",
                source: source, line: line)
        }
        var element = XMLElement(name: names.string(node.pointee.name), line: line)
        var attribute = node.pointee.properties
        while let current = attribute {
            element.attributes.append(
                XMLAttribute(name: names.string(current.pointee.name), value: textOfChildren(current.pointee.children)))
            attribute = current.pointee.next
        }
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                element.children.append(.element(try convert(current, depth: depth + 1, source: source, names: names)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content {
                    let text = String(cString: content)
                    // libxml2 may split character data; keep one text node per run.
                    if case .text(let previous)? = element.children.last {
                        element.children[element.children.count - 1] = .text(previous + text)
                    } else {
                        element.children.append(.text(text))
                    }
                }
            case XML_ENTITY_REF_NODE:
                throw XMLError(
                    code: .notWellFormed, message: "entity references are not allowed", source: source,
                    line: Int(xmlGetLineNo(current)))
            default:
                break  // comments and processing instructions carry nothing we use
            }
            child = current.pointee.next
        }
        return element
    }

    private func textOfChildren(_ first: xmlNodePtr?) -> String {
        // The usual case: one text node.
        if let only = first, only.pointee.next == nil, let content = only.pointee.content { return String(cString: content) }
        var result = ""
        var node = first
        while let current = node {
            if let content = current.pointee.content { result += String(cString: content) }
            node = current.pointee.next
        }
        return result
    }
}
