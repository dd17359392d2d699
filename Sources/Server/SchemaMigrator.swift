import Logging
import PostgresNIO
import VigilCore

/// Brings the database schema to `SchemaMigrator.expectedVersion`. Each migration runs once, in
/// order, inside one transaction holding a transaction-level advisory lock, so replicas starting
/// together queue on the lock and the later ones find nothing left to do.
public struct SchemaMigrator: Sendable {
    /// One schema step: its version and the statements that take the previous version to it.
    struct Migration: Sendable {
        var version: Int
        var statements: [String]
    }

    /// Advisory lock key (any constant shared by every replica: "vigil" as ASCII).
    static let lockKey: Int64 = 0x7669_6769_6C00

    /// Append only: a released migration is never edited, a change is a new version.
    static let migrations: [Migration] = [
        Migration(version: 1, statements: [
            """
            CREATE TABLE tokens (
                id bigserial PRIMARY KEY,
                hash bytea NOT NULL UNIQUE,
                tenant text NOT NULL,
                scopes text[] NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE alerts (
                id bigserial PRIMARY KEY,
                tenant text NOT NULL,
                node text NOT NULL,
                container_id text NOT NULL,
                image text,
                rule text NOT NULL,
                priority text NOT NULL,
                time timestamptz NOT NULL,
                dedup_key text,
                body jsonb NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (tenant, dedup_key)
            )
            """,
            "CREATE INDEX alerts_tenant_time ON alerts (tenant, time DESC, id DESC)",
            "CREATE INDEX alerts_tenant_rule ON alerts (tenant, rule, time DESC)",
            "CREATE INDEX alerts_tenant_container ON alerts (tenant, container_id, time DESC)",
        ]),
        // Scan jobs (Harbor's adapter API): queued, claimed under a lease with FOR UPDATE SKIP
        // LOCKED, finished once. Registry credentials are sealed and dropped when the job ends.
        Migration(version: 2, statements: [
            """
            CREATE TABLE scan_jobs (
                id text PRIMARY KEY,
                tenant text NOT NULL,
                reference text NOT NULL,
                plain_http boolean NOT NULL,
                artifact jsonb NOT NULL,
                sealed_credentials text,
                status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
                attempts integer NOT NULL DEFAULT 0,
                lease_owner text,
                lease_until timestamptz,
                report text,
                error text,
                created_at timestamptz NOT NULL DEFAULT now(),
                finished_at timestamptz
            )
            """,
            "CREATE INDEX scan_jobs_pending ON scan_jobs (created_at) WHERE status IN ('queued', 'running')",
        ]),
        // Counts per finished scan for the fleet views (images by worst severity, summary).
        Migration(version: 3, statements: [
            "ALTER TABLE scan_jobs ADD COLUMN summary jsonb",
            "CREATE INDEX scan_jobs_done ON scan_jobs (tenant, (artifact->>'digest'), finished_at DESC) WHERE status = 'done'",
        ]),
    ]

    /// The schema version this binary needs (`/readyz` compares against it).
    public static var expectedVersion: Int { migrations.last?.version ?? 0 }

    let client: PostgresClient
    let logger: Logger
    /// The database's URL without password, for errors.
    let target: String

    init(client: PostgresClient, logger: Logger, target: String) {
        self.client = client
        self.logger = logger
        self.target = target
    }

    /// Applies what is missing; returns the versions this call applied (empty when up to date).
    @discardableResult
    func migrate() async throws(ServerError) -> [Int] {
        do {
            return try await client.withTransaction(logger: logger) { conn in
                try await conn.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
                try await conn.query("""
                    CREATE TABLE IF NOT EXISTS vigil_schema_migrations (
                        version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
                var current = 0
                for try await v in try await conn.query("SELECT coalesce(max(version), 0) FROM vigil_schema_migrations", logger: logger)
                    .decode(Int.self) { current = v }
                if current > Self.expectedVersion {
                    throw ServerError(.migration, "the database schema is at version \(current), newer than this vigil (\(Self.expectedVersion)): upgrade vigil")
                }
                var applied: [Int] = []
                for m in Self.migrations where m.version > current {
                    for s in m.statements { try await conn.query(PostgresQuery(unsafeSQL: s), logger: logger) }
                    try await conn.query("INSERT INTO vigil_schema_migrations (version) VALUES (\(m.version))", logger: logger)
                    applied.append(m.version)
                }
                return applied
            }
        } catch let e as ServerError {
            throw e
        } catch {
            if error is PSQLError, PostgresErrorText.hasServerMessage(error) {
                throw ServerError(.migration, "applying schema migrations failed: \(PostgresErrorText.describe(error))", location: target)
            }
            throw ServerError(.database, "cannot connect to PostgreSQL (\(PostgresErrorText.describe(error)))", location: target)
        }
    }

    /// The version recorded in the database (0 when never migrated).
    func currentVersion() async throws -> Int {
        var exists = false
        for try await e in try await client.query("SELECT to_regclass('vigil_schema_migrations') IS NOT NULL", logger: logger)
            .decode(Bool.self) { exists = e }
        guard exists else { return 0 }
        for try await v in try await client.query("SELECT coalesce(max(version), 0) FROM vigil_schema_migrations", logger: logger)
            .decode(Int.self) { return v }
        return 0
    }
}
