import Foundation
import PostgresNIO
import SencoStore

/// Where a PostgreSQL store is: `postgres://USER:PASSWORD@HOST:PORT/DATABASE` (or `postgresql://`),
/// as `--store` and `SENCO_STORE` give it.
///
/// The password goes into the connection's configuration and nowhere else: `description` (what
/// every message and log names the store by) is the URL without it, and no error made here
/// repeats the URL it was given, since a malformed one may still hold a password.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public enum TLSMode: String, Sendable {
        /// Plain connections only.
        case disable
        /// TLS when the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// TLS always, without checking the certificate (libpq's `require`).
        case require
        /// TLS always, the certificate checked against the system's roots and the host name.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    var password: String?
    public var database: String
    public var tls: TLSMode

    /// Whether `text` names a PostgreSQL store rather than a directory.
    public static func isPostgresURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// `environment`'s `PGPASSWORD` (libpq's name) is the password when the URL has none, so a
    /// password need not appear in a command line (where `ps` shows it) or a shell history.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        guard Self.isPostgresURL(text), let components = URLComponents(string: text) else {
            throw StoreError(
                .invalidInput, "not a PostgreSQL URL; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let host = components.percentEncodedHost.flatMap({ $0.removingPercentEncoding }), !host.isEmpty else {
            throw StoreError(.invalidInput, "the PostgreSQL URL names no host; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw StoreError(.invalidInput, "the PostgreSQL URL names no user; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        let database = String(components.percentEncodedPath.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError(.invalidInput, "the PostgreSQL URL names no database; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw StoreError(.invalidInput, "sslmode in the PostgreSQL URL must be disable, prefer, require or verify-full")
                }
                tls = mode
            default:
                throw StoreError(.invalidInput, "the PostgreSQL URL has an unknown parameter \(item.name.quotedForMessage(limit: 40)); only sslmode is understood")
            }
        }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.username = user
        self.password = components.percentEncodedPassword?.removingPercentEncoding ?? environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        self.database = database
        self.tls = tls
    }

    /// The same server and user, another database (the tests make one each).
    public func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }

    /// The URL without the password.
    public var description: String {
        func escaped(_ text: String, _ allowed: CharacterSet) -> String {
            text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let mode = tls == .prefer ? "" : "?sslmode=\(tls.rawValue)"
        return "postgres://\(escaped(username, .urlUserAllowed))@\(shownHost):\(port)/\(escaped(database, .urlPathAllowed))\(mode)"
    }

    /// libpq's meanings: `prefer` and `require` encrypt without checking the certificate;
    /// `verify-full` checks it against the system's roots and the host name.
    private var tlsConfiguration: TLSConfiguration? {
        switch tls {
        case .disable:
            return nil
        case .prefer, .require:
            var unchecked = TLSConfiguration.makeClientConfiguration()
            unchecked.certificateVerification = .none
            return unchecked
        case .verifyFull:
            return .makeClientConfiguration()
        }
    }

    var configuration: PostgresClient.Configuration {
        let mode: PostgresClient.Configuration.TLS
        switch (tls, tlsConfiguration) {
        case (.prefer, let context?): mode = .prefer(context)
        case (.require, let context?), (.verifyFull, let context?): mode = .require(context)
        default: mode = .disable
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: mode)
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = 20
        return configuration
    }

    /// The same, for one connection outside the pool (the check made on opening).
    func connectionConfiguration() throws(StoreError) -> PostgresConnection.Configuration {
        var mode = PostgresConnection.Configuration.TLS.disable
        if let tlsConfiguration {
            let context: NIOSSLContext
            do { context = try NIOSSLContext(configuration: tlsConfiguration) } catch {
                throw StoreError(.io, "cannot set up TLS for the database at \(self)")
            }
            mode = tls == .prefer ? .prefer(context) : .require(context)
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: mode)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}
