import Crypto
import Foundation
import SencoCore

extension StagedAttachment {
    /// Checks uploaded bytes to attach (name, size) and hashes them. One function for every
    /// store, so an attachment refused by one is refused by the other with the same words.
    public static func checked(data: Data, name: String, limit: Int) throws(StoreError) -> StagedAttachment {
        if let problem = Attachment.nameProblem(name) { throw StoreError(.invalidInput, problem) }
        if data.count > limit {
            throw StoreError(.invalidInput, "attachment \(name.quotedForMessage()) is \(data.count) bytes; the limit is \(limit) bytes")
        }
        let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return StagedAttachment(
            attachment: Attachment(name: name, size: data.count, sha256: hash, mediaType: MediaType.guess(for: name)), data: data)
    }

    /// The bytes, for a store that keeps them itself (the PostgreSQL store writes them in the
    /// transaction of the update that refers to them).
    public var bytes: Data { data }

    /// Whether `text` is a lower-case hex SHA-256, the only form an attachment is named by.
    public static func isHash(_ text: String) -> Bool { DirectoryStore.isHash(text) }
}
