import Foundation
import PostgresNIO
import SencoStore

#if canImport(Glibc)
    import Glibc
#endif

/// Errors from the driver, made into one line a user can act on.
///
/// The driver's own descriptions carry the query text and its file and line, and a server's
/// message can quote a value it refused, which may be a participant's words. So a message says
/// what failed by SQLSTATE and in our words; the server's own text is passed on only for the
/// kinds of failure it cannot hold stored data in (connecting, signing in, the server shutting
/// down, running out of resources). The password is never part of any of them.
enum PostgresFailure {
    static func storeError(_ error: any Error, location: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PSQLError { return storeError(error, location: location) }
        if let error = error as? PostgresDecodingError {
            return StoreError(
                .invalidData,
                "the database at \(location) holds a value of an unexpected type in column \(error.columnName); is it a senco database?")
        }
        if error is CancellationError {
            return StoreError(.io, "the request to the database at \(location) was cancelled")
        }
        return StoreError(.io, "the database at \(location) could not be used (\(type(of: error)))")
    }

    private static func storeError(_ error: PSQLError, location: String) -> StoreError {
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? "?????"
            let serverMessage = error.serverInfo?[.message] ?? "no message"
            let shareable = ["08", "28", "3D", "53", "57"].contains(String(state.prefix(2)))
            let detail = shareable ? serverMessage : (known[state] ?? "refused")
            switch state {
            case "40001", "40P01":
                return StoreError(.busy, "the database at \(location) stopped a change that clashed with another (\(detail)); try again")
            case "23505":
                return StoreError(.alreadyExists, "the database at \(location) already holds that record (SQLSTATE \(state))")
            default:
                return StoreError(.io, "the database at \(location): \(detail) (SQLSTATE \(state))")
            }
        case .connectionError:
            return StoreError(.io, "cannot connect to the database at \(location)\(reason(error.underlying))")
        case .serverClosedConnection, .uncleanShutdown:
            return StoreError(.io, "the database at \(location) closed the connection\(reason(error.underlying))")
        case .clientClosedConnection, .poolClosed:
            return StoreError(.io, "the connection to the database at \(location) has been closed")
        case .queryCancelled:
            return StoreError(.io, "the request to the database at \(location) was cancelled")
        case .sslUnsupported:
            return StoreError(.io, "the database at \(location) does not offer TLS; use sslmode=disable or prefer")
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return StoreError(.io, "cannot sign in to the database at \(location): \(error.code) (is a password needed in the URL?)")
        default:
            return StoreError(.io, "the database at \(location) could not be used (\(error.code))")
        }
    }

    /// What the common refusals mean, in words that quote no value.
    private static let known: [String: String] = [
        "22001": "a value is too long for its column",
        "22P02": "a value has the wrong form",
        "23502": "a required value is missing",
        "23503": "a record refers to one that does not exist",
        "23514": "a value breaks a check",
        "25P02": "the transaction had already failed",
        "42P01": "a table is missing (the database's schema is not senco's)",
        "42703": "a column is missing (the database's schema is not senco's)",
        "42501": "permission denied",
        "55P03": "a lock could not be taken",
        "57014": "the request took too long and was cancelled",
    ]

    /// The operating system's reason for a failed connection, when there is one.
    private static func reason(_ underlying: (any Error)?) -> String {
        guard let underlying else { return "" }
        if let error = underlying as? IOError { return ": \(String(cString: strerror(error.errnoCode)).lowercased())" }
        if underlying is NIOConnectionError { return ": the connection was refused or the host is unreachable" }
        return ""
    }
}
