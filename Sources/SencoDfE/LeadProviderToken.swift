import Foundation
import SencoCore

/// The API token: from a file or `$SENCO_DFE_TOKEN`, never an argument. Its description hides it,
/// so it cannot reach a log or a message by accident.
public struct LeadProviderToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Read only where the Authorization header is made (`LeadProviderClient.send`).
    let value: String

    public static let environmentVariable = "SENCO_DFE_TOKEN"

    public init(_ value: String) throws(DfEError) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw DfEError(.token, "the API token is empty") }
        // A header value cannot hold a line break or control character: a token with one would
        // split the request (header injection).
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw DfEError(.token, "the API token holds a control character or line break")
        }
        self.value = trimmed
    }

    /// From `--token-file`, else `$SENCO_DFE_TOKEN`; a clear line when neither is there.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(DfEError) -> Self
    {
        if let file {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw DfEError(.token, "cannot read the token file \(file.quotedForMessage())")
            }
            guard data.count <= 4096, let text = String(data: data, encoding: .utf8) else {
                throw DfEError(.token, "the token file \(file.quotedForMessage()) does not hold a token")
            }
            do { return try Self(text) } catch {
                throw DfEError(.token, "\(error.message) (in \(file.quotedForMessage()))")
            }
        }
        if let value = environment[environmentVariable] { return try Self(value) }
        throw DfEError(.token, "no API token: give --token-file FILE or set $\(environmentVariable)")
    }

    public var description: String { "<token>" }
    public var debugDescription: String { "<token>" }
}
