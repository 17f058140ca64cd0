import SencoCore
import SencoXML

/// A data file that could not be used, with every finding that says why.
public struct DataError: Error, Sendable, CustomStringConvertible {
    public var findings: [Finding]

    public init(_ findings: [Finding]) {
        self.findings = findings
    }

    public init(_ message: String, file: String = "", line: Int = 0) {
        findings = [Finding.error(message, file: file, line: line)]
    }

    public init(_ error: XMLError) {
        findings = [Finding(.error, error.message, file: error.source, line: error.line, column: error.column)]
    }

    public var description: String {
        findings.map(\.description).joined(separator: "\n")
    }
}

extension XMLError {
    var finding: Finding {
        Finding(.error, message, file: source, line: line, column: column)
    }
}
