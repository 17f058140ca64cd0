import Foundation

/// The thread pools of `OffloadedStore`, for another store's CPU work: the PostgreSQL store's
/// I/O never blocks, but parsing and schema-checking documents does occupy a thread, and on the
/// threads that run requests a cohort's worth of it would stall every other request (as it did
/// for the directory store before `OffloadedStore`).
extension OffloadedStore {
    /// Runs one document's work (a parse, a check, an encoding) on the one-document pool.
    public static func documentWork<T: Sendable>(
        _ body: @escaping @Sendable () throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        try await run(on: documents, body)
    }

    /// `items.map(transform)` spread over the cores, on the whole-cohort pool, in item order.
    public static func cohortWork<Item: Sendable, Value: Sendable>(
        _ items: [Item], _ transform: @escaping @Sendable (Item) -> Value
    ) async throws(StoreError) -> [Value] {
        try await run(on: cohorts) { () throws(StoreError) in
            concurrentMap(items) { (item) throws(Never) in transform(item) }
        }
    }
}
