import Foundation
import Logging
import PostgresNIO
import VigilCore

/// The scan job table: Harbor's requests wait here until a worker of any replica claims them.
/// A claim is a lease (`lease_until`); a worker renews it while it scans, and a job whose lease
/// ran out (its replica died) is claimed again by another. Only the lease holder can finish a
/// job, so each report is stored exactly once.
struct ScanJobStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A job as a worker sees it after claiming it.
    struct ClaimedJob: Sendable {
        var id: String
        var tenant: String
        var reference: String
        var plainHTTP: Bool
        var sealedCredentials: String?
        var attempts: Int
    }

    /// A job's state as the report endpoint reads it.
    struct JobState: Sendable {
        var status: String
        var artifact: String
        var report: String?
        var error: String?
    }

    /// Claims after this many attempts fail the job (a scan that kills its replica every time).
    static let maxAttempts = 3

    func enqueue(id: String, tenant: String, reference: String, plainHTTP: Bool, artifact: String,
                 sealedCredentials: String?) async throws {
        try await client.query("""
            INSERT INTO scan_jobs (id, tenant, reference, plain_http, artifact, sealed_credentials)
            VALUES (\(id), \(tenant), \(reference), \(plainHTTP), \(artifact)::jsonb, \(sealedCredentials))
            """, logger: logger)
    }

    /// Claims the oldest job that is queued or whose lease expired, for `lease` seconds.
    func claim(owner: String, lease: Int) async throws -> ClaimedJob? {
        let rows = try await client.query("""
            UPDATE scan_jobs SET status = 'running', lease_owner = \(owner),
                   lease_until = now() + make_interval(secs => \(lease)), attempts = attempts + 1
            WHERE id = (SELECT id FROM scan_jobs
                        WHERE status = 'queued' OR (status = 'running' AND lease_until < now())
                        ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING id, tenant, reference, plain_http, sealed_credentials, attempts
            """, logger: logger)
        for try await (id, tenant, reference, plain, sealed, attempts) in rows.decode((String, String, String, Bool, String?, Int).self) {
            return ClaimedJob(id: id, tenant: tenant, reference: reference, plainHTTP: plain, sealedCredentials: sealed, attempts: attempts)
        }
        return nil
    }

    /// Extends the lease; false when the lease was lost (another replica took the job over).
    func renew(id: String, owner: String, lease: Int) async throws -> Bool {
        let rows = try await client.query("""
            UPDATE scan_jobs SET lease_until = now() + make_interval(secs => \(lease))
            WHERE id = \(id) AND lease_owner = \(owner) AND status = 'running' RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(String.self) { return true }
        return false
    }

    /// Stores the report (or the error) if `owner` still holds the lease; drops the credentials.
    /// Returns false when it no longer did (the result is discarded: someone else finishes it).
    func finish(id: String, owner: String, report: String?, summary: String?, error: String?) async throws -> Bool {
        let status = report != nil ? "done" : "failed"
        let rows = try await client.query("""
            UPDATE scan_jobs SET status = \(status), report = \(report), summary = \(summary)::jsonb, error = \(error), sealed_credentials = NULL,
                   lease_owner = NULL, lease_until = NULL, finished_at = now()
            WHERE id = \(id) AND lease_owner = \(owner) AND status = 'running' RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(String.self) { return true }
        return false
    }

    /// The job `id` of `tenant`, nil when there is none (another tenant's job is none too).
    func state(id: String, tenant: String) async throws -> JobState? {
        let rows = try await client.query("""
            SELECT status, artifact::text, report, error FROM scan_jobs WHERE id = \(id) AND tenant = \(tenant)
            """, logger: logger)
        for try await (status, artifact, report, error) in rows.decode((String, String, String?, String?).self) {
            return JobState(status: status, artifact: artifact, report: report, error: error)
        }
        return nil
    }
}
