import Hummingbird
import JSONValue
import Logging
import NIOCore
import PostgresNIO
import VigilCore

/// The read API over what the fleet's scans found (scope `read`, the token's tenant only):
/// `GET /api/v1/images` (the latest finished scan of each image digest, worst first),
/// `GET /api/v1/images/{digest}/findings` (filters `severity`, `category`, `package`) and
/// `GET /api/v1/summary` (images by worst severity, findings by category, alerts of the last 24 h
/// by priority).
struct FleetRoutes: Sendable {
    let configuration: ServerConfiguration
    let client: PostgresClient
    let auth: RequestAuthenticator
    let logger: Logger

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/v1/images") { request, _ in try await images(request) }
        router.get("/api/v1/images/:digest/findings") { request, context in
            try await findings(request, digest: context.parameters.get("digest") ?? "")
        }
        router.get("/api/v1/summary") { request, _ in try await summary(request) }
    }

    /// One row per image digest: its latest finished scan.
    struct ImageRow: Sendable {
        var repository: String
        var digest: String
        var tag: String
        var scannedAt: String
        var summary: JSON
    }

    func latestScans(tenant: String) async throws -> [ImageRow] {
        try await Deadline.run(.seconds(30), "reading images") { [client, logger] in
            var rows: [ImageRow] = []
            let result = try await client.query("""
                SELECT DISTINCT ON (artifact->>'digest') coalesce(artifact->>'repository', ''), artifact->>'digest',
                       coalesce(artifact->>'tag', ''), to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                       coalesce(summary::text, '{}')
                FROM scan_jobs WHERE tenant = \(tenant) AND status = 'done'
                ORDER BY artifact->>'digest', finished_at DESC
                LIMIT 10000
                """, logger: logger)
            for try await (repository, digest, tag, scannedAt, summary) in result.decode((String, String, String, String, String).self) {
                rows.append(ImageRow(repository: repository, digest: digest, tag: tag, scannedAt: scannedAt,
                                     summary: (try? JSONParser.parse(Array(summary.utf8))) ?? .object([])))
            }
            return rows
        }
    }

    static func rank(_ row: ImageRow) -> Int {
        guard let worst = row.summary["worst"]?.stringValue, let i = ScanSummary.severities.firstIndex(of: worst) else { return 99 }
        return i
    }

    func images(_ request: Request) async throws -> Response {
        let token = try await auth.authorize(request, scope: .read)
        let rows: [ImageRow]
        do { rows = try await latestScans(tenant: token.tenant) } catch { throw Self.databaseError(error) }
        let sorted = rows.sorted { (Self.rank($0), $0.repository, $0.digest) < (Self.rank($1), $1.repository, $1.digest) }
        let items = sorted.map { row in
            JSON.object([
                ("repository", .string(row.repository)), ("digest", .string(row.digest)), ("tag", .string(row.tag)),
                ("scanned_at", .string(row.scannedAt)),
                ("worst", row.summary["worst"] ?? .null),
                ("by_severity", row.summary["by_severity"] ?? .object([])),
                ("by_category", row.summary["by_category"] ?? .object([])),
            ])
        }
        return Self.respond(.object([("images", .array(items))]))
    }

    func findings(_ request: Request, digest: String) async throws -> Response {
        let token = try await auth.authorize(request, scope: .read)
        guard HarborScanRequest.isDigest(digest) else {
            throw APIError(status: .badRequest, code: "request.digest", message: "expected sha256:<64 hex digits>")
        }
        var severities: Set<String>?
        var categories: Set<String>?
        var package: String?
        for (key, value) in request.uri.queryParameters {
            switch String(key) {
            case "severity":
                let wanted = Set(value.split(separator: ",").map { $0.uppercased() })
                guard wanted.isSubset(of: ScanSummary.severities) else {
                    throw APIError(status: .badRequest, code: "request.severity", message: "severity: CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN (comma-separated)")
                }
                severities = wanted
            case "category": categories = Set(value.split(separator: ",").map(String.init))
            case "package": package = String(value)
            default:
                throw APIError(status: .badRequest, code: "request.parameter", message: "unknown parameter \(key) (severity, category, package)")
            }
        }
        let report: String?
        do {
            report = try await Deadline.run(.seconds(30), "reading the report") { [client, logger] in
                let rows = try await client.query("""
                    SELECT report FROM scan_jobs
                    WHERE tenant = \(token.tenant) AND status = 'done' AND artifact->>'digest' = \(digest)
                    ORDER BY finished_at DESC LIMIT 1
                    """, logger: logger)
                for try await text in rows.decode(String?.self) { return text }
                return nil
            }
        } catch {
            throw Self.databaseError(error)
        }
        guard let report, let trivy = try? JSONParser.parse(Array(report.utf8)) else {
            throw APIError(status: .notFound, code: "request.unknown-image", message: "no finished scan of \(digest)")
        }
        var items: [JSON] = []
        for result in trivy["Results"]?.arrayValue ?? [] {
            for v in result["Vulnerabilities"]?.arrayValue ?? [] {
                let severity = (v["Severity"]?.stringValue ?? "UNKNOWN").uppercased()
                let vCategories = (v["Categories"]?.arrayValue ?? []).compactMap(\.stringValue)
                if let severities, !severities.contains(severity) { continue }
                if let categories, categories.isDisjoint(with: vCategories) { continue }
                if let package, v["PkgName"]?.stringValue != package { continue }
                items.append(.object([
                    ("id", v["VulnerabilityID"] ?? .null), ("package", v["PkgName"] ?? .null),
                    ("version", v["InstalledVersion"] ?? .null), ("fixed_version", v["FixedVersion"] ?? .null),
                    ("severity", .string(severity)), ("categories", .array(vCategories.map(JSON.string))),
                    ("title", v["Title"] ?? .null), ("target", result["Target"] ?? .null), ("type", result["Type"] ?? .null),
                ]))
            }
        }
        return Self.respond(.object([("digest", .string(digest)), ("findings", .array(items))]))
    }

    func summary(_ request: Request) async throws -> Response {
        let token = try await auth.authorize(request, scope: .read)
        let rows: [ImageRow]
        var alerts: [(String, Int)] = []
        do {
            rows = try await latestScans(tenant: token.tenant)
            alerts = try await Deadline.run(.seconds(30), "counting alerts") { [client, logger] in
                var out: [(String, Int)] = []
                let result = try await client.query("""
                    SELECT priority, count(*)::int8 FROM alerts
                    WHERE tenant = \(token.tenant) AND time > now() - interval '24 hours' GROUP BY priority
                    """, logger: logger)
                for try await (priority, n) in result.decode((String, Int).self) { out.append((priority, n)) }
                return out
            }
        } catch {
            throw Self.databaseError(error)
        }
        var byWorst: [String: Int] = [:]
        var byCategory: [String: Int] = [:]
        for row in rows {
            byWorst[row.summary["worst"]?.stringValue ?? "NONE", default: 0] += 1
            for (c, n) in row.summary["by_category"]?.objectValue ?? [] { byCategory[c, default: 0] += Int(n.int64Value ?? 0) }
        }
        let body = JSON.object([
            ("images", .int(rows.count)),
            ("images_by_worst_severity", .object((ScanSummary.severities + ["NONE"]).map { ($0, .int(byWorst[$0] ?? 0)) })),
            ("findings_by_category", .object(byCategory.keys.sorted().map { ($0, .int(byCategory[$0]!)) })),
            ("alerts_24h_by_priority", .object(AlertRecord.priorities.map { p in (p, .int(alerts.first { $0.0 == p }?.1 ?? 0)) })),
        ])
        return Self.respond(body)
    }

    static func respond(_ body: JSON) -> Response {
        var out = Array(JSONPrinter(indent: 0, escapeHTML: false).render(body).utf8)
        out.append(0x0A)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: out)))
    }

    static func databaseError(_ error: any Error) -> APIError {
        APIError(status: .serviceUnavailable, code: "server.database", message: "query failed: \(PostgresErrorText.describe(error))")
    }
}
