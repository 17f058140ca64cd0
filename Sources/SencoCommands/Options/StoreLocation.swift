import Foundation
import SencoCore
import SencoData
import SencoPostgres
import SencoStore

/// Where a store is: a directory (the embedded default) or a PostgreSQL database URL.
enum StoreLocation: Equatable {
    case directory(URL)
    case database(String)

    /// A `postgres://` or `postgresql://` URL is a database; anything else is a directory path.
    static func parse(_ text: String) -> StoreLocation {
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") { return .database(text) }
        return .directory(URL(fileURLWithPath: text))
    }

    /// `--store`, else `$SENCO_STORE`, else the default directory.
    static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> StoreLocation {
        if let explicit, !explicit.isEmpty { return parse(explicit) }
        if let value = environment[DirectoryStore.environmentKey], !value.isEmpty { return parse(value) }
        return .directory(DirectoryStore.location(explicit: nil, environment: environment))
    }
}

/// A store opened for async work (copying, serving), with what must be closed afterwards.
struct OpenedStore {
    let store: any AsyncPortfolioRepository
    let users: any AsyncUserRepository
    /// Where it is, without any password.
    let location: String
    let close: @Sendable () async -> Void

    /// Opens the store at `location`. A directory must exist unless `creating`.
    static func open(
        _ location: StoreLocation, schemas: PortfolioSchemas, summaryFramework: Framework?, creating: Bool = false
    ) async throws -> OpenedStore {
        switch location {
        case .directory(let url):
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            if exists && !isDirectory.boolValue {
                throw CommandError("the store \(url.path.quotedForMessage()) is a file, not a directory")
            }
            if !exists {
                guard creating else {
                    throw CommandError("the store \(url.path.quotedForMessage()) does not exist")
                }
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            }
            let store = DirectoryStore(root: url, schemas: schemas, summaryFramework: summaryFramework)
            return OpenedStore(
                store: OffloadedStore(store), users: OffloadedUsers(try UserDirectory(root: url, schemaDirectory: schemas.directory)),
                location: url.path, close: {})
        case .database(let url):
            let backend = try await PostgresBackend.open(url: url)
            return OpenedStore(
                store: backend.store(schemas: schemas, summaryFramework: summaryFramework), users: backend.users(),
                location: backend.location.description, close: { await backend.shutdown() })
        }
    }
}
