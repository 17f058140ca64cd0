import Foundation
import SencoCore
import SencoData
import SencoXML

/// The directory store's one-time links, in `STORE/links.xml`, so a link handed out on Monday
/// still works after the server restarts on Tuesday (they live 7 days).
///
/// Kept like `users.xml`: only the SHA-256 of each token, schema-checked (`Portfolios/links.xsd`)
/// before every write, replaced crash-safely (`AtomicFile`) by one writer at a time
/// (`links.lock`, which exists only while held). A redeemed link is removed in the same locked
/// write that finds it, so of two requests with one token exactly one gets the link; expired
/// links are dropped at each write.
public struct OneTimeLinkDirectory: OneTimeLinkRepository {
    public static let schemaName = "links.xsd"
    public static let schemaVersion = 1

    public let root: URL
    let schema: XMLSchema

    public init(root: URL, schemaDirectory: URL) throws(StoreError) {
        self.root = root.standardizedFileURL
        schema = try CheckedXMLFile.schema(Self.schemaName, in: schemaDirectory)
    }

    var file: URL { root.child("links.xml") }

    // MARK: The repository, on the store's one-document pool

    public func issue(_ link: OneTimeLink) async throws(StoreError) {
        try await OffloadedStore.run(on: OffloadedStore.documents) { () throws(StoreError) in try issueNow(link) }
    }

    public func find(token: String, purpose: OneTimeLink.Purpose, now: Date) async throws(StoreError) -> OneTimeLink? {
        try await OffloadedStore.run(on: OffloadedStore.documents) { () throws(StoreError) -> OneTimeLink? in
            let hash = OneTimeLink.hash(token)
            return try links().first { $0.tokenHash == hash && $0.purpose == purpose && $0.expires > now }
        }
    }

    public func redeem(token: String, purpose: OneTimeLink.Purpose, now: Date) async throws(StoreError) -> OneTimeLink?
    {
        try await OffloadedStore.run(on: OffloadedStore.documents) { () throws(StoreError) in
            try redeemNow(token: token, purpose: purpose, now: now)
        }
    }

    // MARK: Blocking work

    /// Keeps `link`; earlier links of the same user and purpose, and expired links, are dropped.
    public func issueNow(_ link: OneTimeLink) throws(StoreError) {
        try locked { (all: inout [OneTimeLink]) throws(StoreError) in
            all.removeAll { ($0.userID == link.userID && $0.purpose == link.purpose) || $0.expires <= link.created }
            all.append(link)
        }
    }

    /// The link of this token if unused and unexpired, removed in the same write. An expired
    /// link is used up too, as in memory and in PostgreSQL.
    public func redeemNow(token: String, purpose: OneTimeLink.Purpose, now: Date) throws(StoreError) -> OneTimeLink? {
        let hash = OneTimeLink.hash(token)
        // Most tokens that are not there are refused without taking the lock or writing.
        guard try links().contains(where: { $0.tokenHash == hash && $0.purpose == purpose }) else { return nil }
        var found: OneTimeLink?
        try locked { (all: inout [OneTimeLink]) throws(StoreError) in
            guard let index = all.firstIndex(where: { $0.tokenHash == hash && $0.purpose == purpose }) else { return }
            found = all.remove(at: index)
            all.removeAll { $0.expires <= now }
        }
        guard let found, found.expires > now else { return nil }
        return found
    }

    /// Every link kept (used ones are gone; expired ones may linger until the next write).
    public func links() throws(StoreError) -> [OneTimeLink] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        let data = try RegularFile.read(file.path, limit: DirectoryStore.documentLimit, what: "links.xml")
        let parsed: (root: XMLElement, violations: [XMLError])
        do { parsed = try schema.read(data, source: "links.xml") } catch {
            throw StoreError(.invalidData, "links.xml: \(error.message)")
        }
        if let first = parsed.violations.first { throw StoreError(.invalidData, "links.xml: \(first.message)") }
        return try parsed.root.elements(named: "link").map { (element) throws(StoreError) -> OneTimeLink in
            guard let hash = element[attribute: "token-hash"], let user = element[attribute: "user"],
                let purpose = element[attribute: "purpose"].flatMap(OneTimeLink.Purpose.init(rawValue:)),
                let created = element[attribute: "created"].flatMap(Timestamp.date),
                let expires = element[attribute: "expires"].flatMap(Timestamp.date)
            else { throw StoreError(.invalidData, "links.xml line \(element.line): a link is not complete") }
            return OneTimeLink(tokenHash: hash, userID: user, purpose: purpose, created: created, expires: expires)
        }
    }

    static func encode(_ links: [OneTimeLink]) throws(XMLError) -> Data {
        let w = try XMLWriter()
        try w.startDocument()
        try w.startElement("links")
        try w.attribute("schemaVersion", String(schemaVersion))
        for link in links {
            try w.startElement("link")
            try w.attribute("token-hash", link.tokenHash)
            try w.attribute("user", link.userID)
            try w.attribute("purpose", link.purpose.rawValue)
            try w.attribute("created", Timestamp.string(link.created))
            try w.attribute("expires", Timestamp.string(link.expires))
            try w.endElement()
        }
        try w.endElement()
        return try w.finish()
    }

    /// Reads every link under `links.lock`, applies `change`, schema-checks the result and
    /// replaces the file crash-safely; nothing is written if anything throws.
    private func locked(_ change: (inout [OneTimeLink]) throws(StoreError) -> Void) throws(StoreError) {
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw StoreError(.notFound, "the store \(root.path) does not exist")
        }
        // Changes are small and quick (a sign-in's time, a link): wait a moment for another
        // writer rather than refusing at once.
        guard let lock = try FileLock.waiting(root.child("links.lock").path) else {
            throw StoreError(.busy, "the links file is being changed by someone else; try again")
        }
        defer { withExtendedLifetime(lock) {} }
        var all = try links()
        try change(&all)
        let data: Data
        do { data = try Self.encode(all) } catch { throw StoreError(.invalidInput, "cannot encode the links file") }
        try CheckedXMLFile.write(data, to: file, schema: schema, what: "links")
    }
}
