import Foundation
import NIOPosix

/// CPU work that is not store work, such as making a moderation pack's files (encode, schema
/// check, HTML): on threads of its own, one per core, so it neither holds the cooperative pool's
/// threads (which run every request) nor queues behind, or ahead of, the store's reads.
enum RenderPool {
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(2, ProcessInfo.processInfo.activeProcessorCount))
        pool.start()
        return pool
    }()

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await threads.runIfActive(body)
    }
}
