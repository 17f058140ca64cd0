import ArgumentParser
import Foundation
import SencoDfE

/// Where the DfE's API is and how to prove who we are: `--base-url` (or `$SENCO_DFE_BASE_URL`)
/// and the token from `--token-file` (or `$SENCO_DFE_TOKEN`), never from an argument.
struct APIOptions: ParsableArguments {
    @Option(
        name: .customLong("base-url"),
        help: "The API's address, e.g. https://sandbox.register-npq.education.gov.uk (else $SENCO_DFE_BASE_URL).")
    var baseURL: String?
    @Option(name: .customLong("token-file"), help: "A file holding the API token (else $SENCO_DFE_TOKEN).")
    var tokenFile: String?

    static let baseURLVariable = "SENCO_DFE_BASE_URL"

    /// The address given, or the environment's; nil when neither names one.
    func configuredBaseURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let baseURL { return baseURL }
        return environment[Self.baseURLVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A client for a command that always talks to the API.
    func client() throws -> LeadProviderClient {
        guard let client = try optionalClient() else {
            throw CommandError("--base-url (or $\(Self.baseURLVariable)) is needed to reach the DfE's API")
        }
        return client
    }

    /// A client when an API is configured, checked (address and token) before anything is done;
    /// nil when none is.
    func optionalClient() throws -> LeadProviderClient? {
        guard let baseURL = configuredBaseURL() else { return nil }
        let token = try LeadProviderToken.load(file: tokenFile)
        return try LeadProviderClient(baseURL: baseURL, token: token) { line in
            SencoCommand.printError("Waiting: \(SencoCommand.oneLine(line))")
        }
    }
}
