/// A node of a parsed document: an element or a run of character data.
/// Comments and processing instructions are dropped at the boundary; nothing here uses them.
public enum XMLNode: Sendable, Hashable {
    case element(XMLElement)
    case text(String)
}

/// One attribute, kept in document order.
public struct XMLAttribute: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An element of a parsed document as a plain Swift value. No libxml2 type survives the parse.
public struct XMLElement: Sendable, Hashable {
    /// The local name (the project's documents use no namespaces).
    public var name: String
    public var attributes: [XMLAttribute]
    public var children: [XMLNode]
    /// The line the start tag is on, for error messages.
    public var line: Int

    public init(name: String, attributes: [XMLAttribute] = [], children: [XMLNode] = [], line: Int = 0) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.line = line
    }

    /// The value of the named attribute, if present.
    public subscript(attribute name: String) -> String? {
        attributes.first(where: { $0.name == name })?.value
    }

    /// The child elements, in order.
    public var elements: [XMLElement] {
        children.compactMap {
            if case .element(let element) = $0 { return element }
            return nil
        }
    }

    /// The child elements with this name, in order.
    public func elements(named name: String) -> [XMLElement] {
        elements.filter { $0.name == name }
    }

    /// The first child element with this name.
    public func element(named name: String) -> XMLElement? {
        for case .element(let element) in children where element.name == name {
            return element
        }
        return nil
    }

    /// All character data inside this element, descendants included, in document order.
    public var text: String {
        var result = ""
        appendText(to: &result)
        return result
    }

    private func appendText(to result: inout String) {
        for child in children {
            switch child {
            case .text(let text): result += text
            case .element(let element): element.appendText(to: &result)
            }
        }
    }
}
