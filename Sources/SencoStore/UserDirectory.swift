import Foundation
import SencoCore
import SencoData
import SencoXML

/// The accounts in `STORE/users.xml`, written crash-safely like portfolios (temporary file,
/// fsync, rename, fsync the directory) by one writer at a time (`users.lock`, which exists only while held), and
/// schema-checked (`Portfolios/users.xsd`) before every write.
public struct UserDirectory: UserRepository {
    public static let schemaName = "users.xsd"

    public let root: URL
    let schema: XMLSchema
    /// The accounts as last read, with the file's identity then. A server on a directory store
    /// asks on every signed-in request whether the account is still enabled (a `senco user
    /// disable` from the command line cannot reach the server's sessions otherwise); this makes
    /// that one `lstat` while the file is unchanged. The file is only ever replaced by rename, so
    /// a change gives it a new inode; a time within the racy window is not trusted all the same.
    private let kept = KeptAccounts()

    public init(root: URL, schemaDirectory: URL) throws(StoreError) {
        self.root = root.standardizedFileURL
        schema = try CheckedXMLFile.schema(Self.schemaName, in: schemaDirectory)
    }

    var file: URL { root.child("users.xml") }

    public func users() throws(StoreError) -> [UserAccount] {
        let identity = SummaryCache.FileIdentity(path: file.path)
        if let identity, let accounts = kept.accounts(for: identity) { return accounts }
        guard identity != nil || FileManager.default.fileExists(atPath: file.path) else { return [] }
        let data: Data
        do { data = try Data(contentsOf: file) } catch { throw StoreError(.io, "cannot read users.xml") }
        let accounts: [UserAccount]
        do { accounts = try UserCodec.read(data, schema: schema, source: "users.xml") } catch {
            throw StoreError(.invalidData, error.findings.first?.description ?? "users.xml is not valid")
        }
        // Kept only if the file read is still the one stat'ed, and settled.
        if let identity, SummaryCache.FileIdentity(path: file.path) == identity,
            identity.isSettled(within: CohortSnapshots.defaultRacyWindow)
        {
            kept.keep(accounts, for: identity)
        }
        return accounts
    }

    public func user(_ id: String) throws(StoreError) -> UserAccount? {
        guard Identifier.isValid(id) else { return nil }
        return try users().first { $0.id == id }
    }

    public func add(_ account: UserAccount) throws(StoreError) {
        do { try UserAccount.validate(account) } catch { throw StoreError(.invalidInput, error.message) }
        // Checked before anything is created: a refused account leaves no folder or lock behind.
        if try users().contains(where: { $0.id == account.id }) {
            throw StoreError(.alreadyExists, "user \"\(account.id)\" already exists")
        }
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw StoreError(.notFound, "the store \(root.path) does not exist; create a cohort first")
        }
        try locked { (all: inout [UserAccount]) throws(StoreError) in
            if all.contains(where: { $0.id == account.id }) {
                throw StoreError(.alreadyExists, "user \"\(account.id)\" already exists")
            }
            all.append(account)
        }
    }

    @discardableResult
    public func update(
        _ id: String, _ change: @escaping @Sendable (inout UserAccount) throws(StoreError) -> Void
    ) throws(StoreError) -> UserAccount {
        guard Identifier.isValid(id), try user(id) != nil else { throw StoreError(.notFound, "no user \"\(id)\"") }
        var result: UserAccount?
        try locked { (all: inout [UserAccount]) throws(StoreError) in
            guard let index = all.firstIndex(where: { $0.id == id }) else { throw StoreError(.notFound, "no user \"\(id)\"") }
            var changed = all[index]
            try change(&changed)
            try UserAccount.checkChange(from: all[index], to: changed)
            all[index] = changed
            result = changed
        }
        guard let result else { throw StoreError(.notFound, "no user \"\(id)\"") }
        return result
    }

    /// Reads every account under `users.lock`, applies `change`, checks the result against the
    /// schema and replaces the file crash-safely. Nothing is written if anything throws.
    private func locked(_ change: (inout [UserAccount]) throws(StoreError) -> Void) throws(StoreError) {
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw StoreError(.notFound, "the store \(root.path) does not exist; create a cohort first")
        }
        // Changes are small and quick (a sign-in's time, a link): wait a moment for another
        // writer rather than refusing at once.
        guard let lock = try FileLock.waiting(root.child("users.lock").path) else {
            throw StoreError(.busy, "the users file is being changed by someone else; try again")
        }
        defer { withExtendedLifetime(lock) {} }
        var all = try users()
        try change(&all)
        let data: Data
        do { data = try UserCodec.encode(all) } catch {
            throw StoreError(.invalidInput, "cannot encode the users file")
        }
        try CheckedXMLFile.write(data, to: file, schema: schema, what: "users")
    }
}

/// The last accounts read from `users.xml` and the file identity they were read under.
final class KeptAccounts: @unchecked Sendable {
    private let lock = NSLock()
    private var identity: SummaryCache.FileIdentity?
    private var accounts: [UserAccount] = []

    func accounts(for identity: SummaryCache.FileIdentity) -> [UserAccount]? {
        lock.withLock { self.identity == identity ? accounts : nil }
    }

    func keep(_ accounts: [UserAccount], for identity: SummaryCache.FileIdentity) {
        lock.withLock {
            self.identity = identity
            self.accounts = accounts
        }
    }
}
