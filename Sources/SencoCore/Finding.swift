/// One problem found by a check, with where it is. Checks return findings rather than throwing,
/// so a command can report every problem at once.
public struct Finding: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning
    }

    public var severity: Severity
    public var message: String
    public var file: String
    public var line: Int
    public var column: Int

    public init(_ severity: Severity, _ message: String, file: String = "", line: Int = 0, column: Int = 0) {
        self.severity = severity
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    public static func error(_ message: String, file: String = "", line: Int = 0) -> Finding {
        Finding(.error, message, file: file, line: line)
    }

    /// `file:line:column: severity: message`, the form editors jump to.
    public var description: String {
        var location = file.isEmpty ? "" : file
        if line > 0 { location += "\(location.isEmpty ? "" : ":")\(line)" }
        if column > 0 { location += ":\(column)" }
        return (location.isEmpty ? "" : location + ": ") + "\(severity.rawValue): \(message)"
    }
}

extension Array where Element == Finding {
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// The same findings with `file` set where a check left it empty.
    public func located(in file: String) -> [Finding] {
        map { finding in
            var finding = finding
            if finding.file.isEmpty { finding.file = file }
            return finding
        }
    }
}
