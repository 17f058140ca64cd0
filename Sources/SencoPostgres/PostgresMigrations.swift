import Foundation
import PostgresNIO
import SencoStore

/// The database's schema, as numbered migrations applied in order on start.
///
/// Each migration runs in its own transaction with its row in `schema_migrations`, so a failed
/// one leaves the database at the version before it. All of them run under one advisory lock,
/// so two servers starting together do not both apply the same migration: the second waits,
/// then finds nothing left to do. A database whose version is newer than this code's is refused,
/// not used: an older senco could write rows a newer schema does not expect.
public enum PostgresMigrations {
    struct Migration: Sendable {
        var version: Int
        var name: String
        var statements: [String]
    }

    /// An arbitrary constant: the advisory lock that serialises senco's migrations.
    static let lockKey = 0x5e9c_0001

    /// Append only: a migration, once released, is never edited; a change is a new one.
    static let all: [Migration] = [
        Migration(
            version: 1, name: "portfolios, summaries, attachments, plans, users, sessions, throttles, links",
            statements: [
                """
                CREATE TABLE cohorts (
                    id text PRIMARY KEY,
                    document text NOT NULL,
                    updated timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE portfolios (
                    participant text PRIMARY KEY,
                    cohort text NOT NULL REFERENCES cohorts (id),
                    revision integer NOT NULL CHECK (revision >= 0),
                    document text NOT NULL,
                    updated timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX portfolios_by_cohort ON portfolios (cohort, participant)",
                """
                CREATE TABLE summaries (
                    participant text PRIMARY KEY REFERENCES portfolios (participant) ON DELETE CASCADE,
                    revision integer NOT NULL,
                    document text NOT NULL
                )
                """,
                """
                CREATE TABLE attachments (
                    sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
                    content bytea NOT NULL,
                    size integer NOT NULL CHECK (size = octet_length(content)),
                    stored timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE moderation_plans (
                    id text PRIMARY KEY,
                    document text NOT NULL,
                    stored timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE users (
                    id text PRIMARY KEY,
                    position bigint GENERATED ALWAYS AS IDENTITY,
                    role text NOT NULL,
                    name text NOT NULL,
                    participant text,
                    tutor text,
                    password_hash text NOT NULL,
                    created timestamptz NOT NULL
                )
                """,
                """
                CREATE TABLE sessions (
                    id_hash text PRIMARY KEY,
                    csrf_token text NOT NULL,
                    user_id text,
                    user_role text,
                    user_name text,
                    user_participant text,
                    user_tutor text,
                    created timestamptz NOT NULL,
                    last_seen timestamptz NOT NULL,
                    flash text
                )
                """,
                "CREATE INDEX sessions_by_user ON sessions (user_id)",
                "CREATE INDEX sessions_by_last_seen ON sessions (last_seen)",
                "CREATE INDEX sessions_by_created ON sessions (created)",
                """
                CREATE TABLE sign_in_failures (
                    kind text NOT NULL CHECK (kind IN ('account', 'client')),
                    key text NOT NULL,
                    failures integer NOT NULL,
                    last timestamptz NOT NULL,
                    PRIMARY KEY (kind, key)
                )
                """,
                "CREATE INDEX sign_in_failures_by_last ON sign_in_failures (last)",
                """
                CREATE TABLE one_time_links (
                    token_hash text PRIMARY KEY,
                    user_id text NOT NULL,
                    purpose text NOT NULL,
                    created timestamptz NOT NULL,
                    expires timestamptz NOT NULL,
                    used timestamptz
                )
                """,
                "CREATE INDEX one_time_links_by_user ON one_time_links (user_id, purpose)",
            ]),
        Migration(
            version: 2, name: "accounts without a password yet, disabled accounts, last sign-in",
            statements: [
                "ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL",
                "ALTER TABLE users ADD COLUMN disabled boolean NOT NULL DEFAULT false",
                "ALTER TABLE users ADD COLUMN last_sign_in timestamptz",
            ]),
        // Every change to a cohort's portfolios, from any server or `psql`, gives the cohort a new
        // generation in the same transaction, so a server can tell with one narrow query whether
        // the list of summaries it holds is still the cohort's (`CohortGenerations`). Values come
        // from a sequence, so they never repeat, even after rows are removed.
        Migration(
            version: 3, name: "a generation per cohort, changed with its portfolios",
            statements: [
                "CREATE SEQUENCE cohort_generation",
                """
                CREATE TABLE cohort_changes (
                    cohort text PRIMARY KEY,
                    generation bigint NOT NULL
                )
                """,
                """
                CREATE FUNCTION senco_cohort_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        INSERT INTO cohort_changes (cohort, generation) VALUES (OLD.cohort, nextval('cohort_generation'))
                        ON CONFLICT (cohort) DO UPDATE SET generation = EXCLUDED.generation;
                    END IF;
                    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.cohort IS DISTINCT FROM OLD.cohort) THEN
                        INSERT INTO cohort_changes (cohort, generation) VALUES (NEW.cohort, nextval('cohort_generation'))
                        ON CONFLICT (cohort) DO UPDATE SET generation = EXCLUDED.generation;
                    END IF;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER portfolios_change_their_cohort AFTER INSERT OR UPDATE OR DELETE ON portfolios
                FOR EACH ROW EXECUTE FUNCTION senco_cohort_changed()
                """,
                """
                CREATE FUNCTION senco_cohorts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE cohort_changes SET generation = nextval('cohort_generation');
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER portfolios_truncated AFTER TRUNCATE ON portfolios
                FOR EACH STATEMENT EXECUTE FUNCTION senco_cohorts_truncated()
                """,
            ]),
    ]

    /// The version this code's schema is at.
    public static var latestVersion: Int { all.last?.version ?? 0 }

    /// Brings the database up to `latestVersion`; returns the versions it applied (none if it
    /// was already there).
    @discardableResult
    public static func run(on database: SencoDatabase) async throws(StoreError) -> [Int] {
        try await run(all, on: database)
    }

    /// Refuses a database that is not at `latestVersion`, without changing it (for a process
    /// that must not migrate, such as a second server started with an older release).
    public static func requireCurrent(_ database: SencoDatabase) async throws(StoreError) {
        let rows = try await database.rows("SELECT to_regclass('schema_migrations') IS NOT NULL")
        let exists = try rows.first.map { (row) throws(StoreError) -> Bool in
            do { return try row.decode(Bool.self) } catch { throw PostgresFailure.storeError(error, location: database.location) }
        } ?? false
        var version = 0
        if exists {
            let found = try await database.rows("SELECT coalesce(max(version), 0) FROM schema_migrations")
            if let row = found.first {
                do { version = try row.decode(Int.self) } catch { throw PostgresFailure.storeError(error, location: database.location) }
            }
        }
        if version > latestVersion {
            throw StoreError(
                .invalidData,
                "the database at \(database.location) is at schema version \(version), newer than this senco knows (\(latestVersion)); upgrade senco before using it")
        }
        if version < latestVersion {
            throw StoreError(
                .invalidData, "the database at \(database.location) is at schema version \(version), not \(latestVersion); start senco with migrations to bring it up to date")
        }
    }

    static func run(_ migrations: [Migration], on database: SencoDatabase) async throws(StoreError) -> [Int] {
        let location = database.location
        let latest = migrations.last?.version ?? 0
        return try await database.withConnection { connection in
            // Documents are text: in any other encoding a participant's emoji could not be kept.
            let encoding = try await connection.rows("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()")
            if let name = try encoding.first?.decode(String.self), name != "UTF8" {
                throw StoreError(.invalidData, "the database at \(location) uses the \(name) encoding; senco needs UTF8 (CREATE DATABASE … ENCODING 'UTF8')")
            }
            try await connection.execute("SELECT pg_advisory_lock(\(lockKey))")
            do {
                let applied = try await apply(migrations, latest: latest, on: connection, location: location)
                try await connection.execute("SELECT pg_advisory_unlock(\(lockKey))")
                return applied
            } catch {
                _ = try? await connection.execute("SELECT pg_advisory_unlock(\(lockKey))")
                throw error
            }
        }
    }

    private static func apply(
        _ migrations: [Migration], latest: Int, on connection: PostgresConnection, location: String
    ) async throws -> [Int] {
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied timestamptz NOT NULL DEFAULT now()
            )
            """)
        let rows = try await connection.rows("SELECT version FROM schema_migrations ORDER BY version")
        let done = try Set(rows.map { try $0.decode(Int.self) })
        if let newest = done.max(), newest > latest {
            throw StoreError(
                .invalidData,
                "the database at \(location) is at schema version \(newest), newer than this senco knows (\(latest)); upgrade senco before using it")
        }
        var applied: [Int] = []
        for migration in migrations where !done.contains(migration.version) {
            try await connection.execute("BEGIN")
            do {
                for statement in migration.statements {
                    try await connection.execute(PostgresQuery(unsafeSQL: statement))
                }
                try await connection.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))")
                try await connection.execute("COMMIT")
            } catch {
                _ = try? await connection.execute("ROLLBACK")
                if let error = error as? StoreError { throw error }
                let inner = PostgresFailure.storeError(error, location: location)
                throw StoreError(inner.code, "migration \(migration.version) failed; the database is left at the version before it: \(inner.message)")
            }
            applied.append(migration.version)
        }
        return applied
    }
}
