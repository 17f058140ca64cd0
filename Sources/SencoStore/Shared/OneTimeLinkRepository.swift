import Crypto
import Foundation

/// A single-use link that lets someone set their password (a new account, a forgotten
/// password). Only the SHA-256 of the token is kept; the token itself is shown once, to the
/// provider who hands it over.
public struct OneTimeLink: Sendable, Hashable {
    public enum Purpose: String, Sendable, CaseIterable {
        case setPassword = "set-password"
    }

    /// The hex SHA-256 of the token.
    public var tokenHash: String
    public var userID: String
    public var purpose: Purpose
    public var created: Date
    public var expires: Date

    public init(tokenHash: String, userID: String, purpose: Purpose, created: Date, expires: Date) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.purpose = purpose
        self.created = created
        self.expires = expires
    }

    /// A new random token and the link that keeps its hash.
    public static func make(
        for userID: String, purpose: Purpose, now: Date, lifetime: TimeInterval = 7 * 24 * 60 * 60
    ) -> (token: String, link: OneTimeLink) {
        let token = SecureToken.make()
        return (token, OneTimeLink(tokenHash: hash(token), userID: userID, purpose: purpose, created: now, expires: now + lifetime))
    }

    /// Where the token's page is, under the web application's root.
    public static func path(for token: String, purpose: Purpose = .setPassword) -> String {
        "/\(purpose.rawValue)/\(token)"
    }

    /// The whole address to hand over: `base` (scheme and host, perhaps a path prefix) then the
    /// page's path.
    public static func url(base: String, token: String, purpose: Purpose = .setPassword) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base + path(for: token, purpose: purpose)
    }

    /// Why `text` cannot be the base of a link people are given, or nil: an absolute `http` or
    /// `https` address with a host and no query or fragment.
    public static func baseURLProblem(_ text: String) -> String? {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil, url.password == nil
        else {
            return "the base URL must be an http or https address such as https://senco.example.org, with no query or fragment"
        }
        return nil
    }

    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Where one-time links are kept. Redeeming is atomic: of two servers given the same token at
/// once, exactly one gets the link.
public protocol OneTimeLinkRepository: Sendable {
    /// Keeps a new link; any earlier unused link of the same user and purpose stops working.
    func issue(_ link: OneTimeLink) async throws(StoreError)
    /// The unused link for this token if it has not expired at `now`, without using it (to
    /// decide whether to show the form the link leads to); nil otherwise.
    func find(token: String, purpose: OneTimeLink.Purpose, now: Date) async throws(StoreError) -> OneTimeLink?
    /// The link for this token if it is unused and not expired at `now`, marking it used; nil
    /// otherwise (unknown, used or expired).
    func redeem(token: String, purpose: OneTimeLink.Purpose, now: Date) async throws(StoreError) -> OneTimeLink?
}

/// One-time links in this process's memory (tests; the directory store keeps them in
/// `OneTimeLinkDirectory`, so they outlive a restart).
public actor MemoryOneTimeLinks: OneTimeLinkRepository {
    private var links: [String: OneTimeLink] = [:]

    public init() {}

    public func issue(_ link: OneTimeLink) {
        links = links.filter { !($0.value.userID == link.userID && $0.value.purpose == link.purpose) }
        links[link.tokenHash] = link
    }

    public func find(token: String, purpose: OneTimeLink.Purpose, now: Date) -> OneTimeLink? {
        guard let link = links[OneTimeLink.hash(token)], link.purpose == purpose, link.expires > now else { return nil }
        return link
    }

    public func redeem(token: String, purpose: OneTimeLink.Purpose, now: Date) -> OneTimeLink? {
        let hash = OneTimeLink.hash(token)
        guard let link = links[hash], link.purpose == purpose else { return nil }
        links[hash] = nil
        return link.expires > now ? link : nil
    }
}

extension SecureToken {
    /// The hex SHA-256 of `data` (for a check that bytes came back unchanged).
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
