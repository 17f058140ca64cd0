import Foundation
import SencoDfE

/// How the server reaches the DfE's lead-provider API, from `senco serve --dfe-base-url` (or
/// `$SENCO_DFE_BASE_URL`) and the token from `--dfe-token-file` (or `$SENCO_DFE_TOKEN`). Checked
/// when the server starts, so a bad address stops it then rather than failing a provider's
/// submission later. The token stays inside: this value never describes it, and no page, log
/// line or message is made from it.
public struct DfESettings: Sendable {
    public let baseURL: String
    private let token: LeadProviderToken
    public var retry: RetryPolicy
    /// How long one submission page keeps sending before it stops and offers to send the rest.
    /// A cohort's first milestone can be a thousand declarations, each a question and a request
    /// to the API; sent in one page that would outlast any proxy's time-out, the provider would
    /// see an error while the sending went on unseen.
    public var sendingTime: Duration

    public init(
        baseURL: String, token: LeadProviderToken, retry: RetryPolicy = .forPages, sendingTime: Duration = .seconds(20)
    ) throws(DfEError) {
        _ = try LeadProviderClient.checkedBaseURL(baseURL, option: "--dfe-base-url")
        self.baseURL = baseURL
        self.token = token
        self.retry = retry
        self.sendingTime = sendingTime
    }

    /// A client for one submission; the caller shuts it down.
    func client() throws(DfEError) -> LeadProviderClient {
        try LeadProviderClient(baseURL: baseURL, token: token, retry: retry)
    }
}
