/// A change the rules refuse, with a one-line reason that names what is wrong.
public struct RuleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
