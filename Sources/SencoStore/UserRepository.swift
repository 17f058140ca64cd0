import Foundation
import SencoCore

/// Where the web application's accounts are kept.
public protocol UserRepository: Sendable {
    func users() throws(StoreError) -> [UserAccount]
    func user(_ id: String) throws(StoreError) -> UserAccount?
    /// Adds an account, refusing an id that is already used.
    func add(_ account: UserAccount) throws(StoreError)
    /// Changes one account under the store's lock and returns it as stored: `change` sees the
    /// account as it is now (not as some earlier read saw it), so a sign-in recording its time
    /// cannot undo a provider disabling the account a moment before. The result is checked as
    /// `add` checks (`UserAccount.validate`) and its id cannot change; `notFound` if there is no
    /// such account. An error thrown by `change` stores nothing.
    @discardableResult
    func update(_ id: String, _ change: @escaping @Sendable (inout UserAccount) throws(StoreError) -> Void) throws(StoreError)
        -> UserAccount
}

extension UserAccount {
    /// Checks a changed account against the one it replaces: same id, and valid.
    package static func checkChange(from old: UserAccount, to new: UserAccount) throws(StoreError) {
        guard new.id == old.id else { throw StoreError(.invalidInput, "an account's user name cannot change") }
        do { try UserAccount.validate(new) } catch { throw StoreError(.invalidInput, error.message) }
    }
}
