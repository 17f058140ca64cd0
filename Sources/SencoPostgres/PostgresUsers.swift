import Foundation
import PostgresNIO
import SencoCore
import SencoStore

/// The web application's accounts in the `users` table, checked as `UserDirectory` checks them
/// (`UserAccount.validate`) and in the order they were added, as the users file keeps them.
public struct PostgresUsers: AsyncUserRepository {
    public let database: SencoDatabase

    public init(database: SencoDatabase) {
        self.database = database
    }

    public func users() async throws(StoreError) -> [UserAccount] {
        let rows = try await database.rows(
            "SELECT \(unescaped: Self.columns) FROM users ORDER BY position")
        return try rows.map { (row) throws(StoreError) in try account(row) }
    }

    public func user(_ id: String) async throws(StoreError) -> UserAccount? {
        guard Identifier.isValid(id) else { return nil }
        let rows = try await database.rows(
            "SELECT \(unescaped: Self.columns) FROM users WHERE id = \(id)")
        return try rows.first.map { (row) throws(StoreError) in try account(row) }
    }

    /// The insert does nothing if the id is taken, so two servers adding the same id at once
    /// cannot both succeed.
    public func add(_ account: UserAccount) async throws(StoreError) {
        do { try UserAccount.validate(account) } catch { throw StoreError(.invalidInput, error.message) }
        let inserted = try await database.rows(
            """
            INSERT INTO users (id, role, name, participant, tutor, password_hash, created, disabled, last_sign_in)
            VALUES (\(account.id), \(account.role.rawValue), \(account.name), \(account.participant), \(account.tutor),
                    \(account.passwordHash), \(account.created), \(account.disabled), \(account.lastSignIn))
            ON CONFLICT (id) DO NOTHING RETURNING id
            """)
        if inserted.isEmpty {
            throw StoreError(.alreadyExists, "user \"\(account.id)\" already exists")
        }
    }

    /// The row is locked (`FOR UPDATE`) from the read to the write, so two changes of one
    /// account, from any number of servers, apply one after the other and neither is lost.
    @discardableResult
    public func update(
        _ id: String, _ change: @escaping @Sendable (inout UserAccount) throws(StoreError) -> Void
    ) async throws(StoreError) -> UserAccount {
        guard Identifier.isValid(id) else { throw StoreError(.notFound, "no user \(id.quotedForMessage())") }
        return try await database.transaction { connection in
            let rows = try await connection.rows("SELECT \(unescaped: Self.columns) FROM users WHERE id = \(id) FOR UPDATE")
            guard let row = rows.first else { throw StoreError(.notFound, "no user \(id.quotedForMessage())") }
            let old = try account(row)
            var new = old
            try change(&new)
            try UserAccount.checkChange(from: old, to: new)
            try await connection.execute(
                """
                UPDATE users SET role = \(new.role.rawValue), name = \(new.name), participant = \(new.participant),
                    tutor = \(new.tutor), password_hash = \(new.passwordHash), disabled = \(new.disabled),
                    last_sign_in = \(new.lastSignIn)
                WHERE id = \(id)
                """)
            return new
        }
    }

    static let columns = "id, role, name, participant, tutor, password_hash, created, disabled, last_sign_in"

    /// A stored account, checked again on the way out: a row edited by hand into something the
    /// application would refuse is reported, not signed in with.
    private func account(_ row: PostgresRow) throws(StoreError) -> UserAccount {
        let fields: (String, String, String, String?, String?, String?, Date, Bool, Date?)
        do {
            fields = try row.decode((String, String, String, String?, String?, String?, Date, Bool, Date?).self)
        } catch {
            throw PostgresFailure.storeError(error, location: database.location)
        }
        let (id, roleText, name, participant, tutor, hash, created, disabled, lastSignIn) = fields
        guard let role = Role(rawValue: roleText) else {
            throw StoreError(.invalidData, "user \(id.quotedForMessage()) in the database at \(database.location) has an unknown role")
        }
        let account = UserAccount(
            id: id, role: role, name: name, participant: participant, tutor: tutor, passwordHash: hash, created: created,
            disabled: disabled, lastSignIn: lastSignIn)
        do { try UserAccount.validate(account) } catch {
            throw StoreError(.invalidData, "user \(id.quotedForMessage()) in the database at \(database.location) is not valid: \(error.message)")
        }
        return account
    }
}
