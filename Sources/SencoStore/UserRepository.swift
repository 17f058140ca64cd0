import Foundation
import SencoCore

/// Where the web application's accounts are kept.
public protocol UserRepository: Sendable {
    func users() throws(StoreError) -> [UserAccount]
    func user(_ id: String) throws(StoreError) -> UserAccount?
    /// Adds an account, refusing an id that is already used.
    func add(_ account: UserAccount) throws(StoreError)
}
