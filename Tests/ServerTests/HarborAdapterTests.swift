import Foundation
import NIOHTTP1
import Server
import Testing
import TestSupport

/// Harbor's Pluggable Scanner Adapter API against a real PostgreSQL, a real registry with
/// htpasswd auth on loopback and the real `vigil` binary for the CLI side.
@Suite(.enabled(if: PostgresCluster.available, "PostgreSQL binaries not installed (apt-get install postgresql)"), .serialized)
struct HarborAdapterTests {
    static let errorType = "application/vnd.scanner.adapter.error+json; version=1.0"

    static func request(registry: String, digest: String = "sha256:" + String(repeating: "ab", count: 32),
                        authorization: String? = nil, repository: String = "lab/wordpress", extra: String = "") -> String {
        let auth = authorization.map { #","authorization":"\#($0)""# } ?? ""
        return #"{"registry":{"url":"\#(registry)"\#(auth)},"artifact":{"repository":"\#(repository)","digest":"\#(digest)","tag":"4.6.1","mime_type":"application/vnd.docker.distribution.manifest.v2+json"}\#(extra)}"#
    }

    static func json(_ r: HTTPResult) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any], "not a JSON object: \(r.text.prefix(300))")
    }

    @Test func metadataNeedsTheScanScopeAndScansNeedWorkers() async throws {
        try await PostgresCluster.withCluster { pg in
            let dbDir = NSTemporaryDirectory() + "/vigil-harbor-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: dbDir) }
            // No workers: requests stay queued, so the pending answer can be seen.
            let server = try await TestServer.start(pg.url) {
                $0.databasePath = dbDir + "/none.db"
                $0.scanWorkers = 0
            }
            defer { Task { await server.stop() } }
            let scan = try await VigilServer.createToken(postgres: pg.url, tenant: "t1", scopes: [.scan])
            let read = try await VigilServer.createToken(postgres: pg.url, tenant: "t1", scopes: [.read])
            let base = server.base + "/api/v1"

            #expect(try await HTTP.get(base + "/metadata").status == 401)
            #expect(try await HTTP.get(base + "/metadata", token: read).status == 403)
            let meta = try await HTTP.send(.GET, base + "/metadata", token: scan)
            #expect(meta.status == 200)
            let metadata = try Self.json(meta)
            #expect((metadata["scanner"] as? [String: Any])?["name"] as? String == "Vigil")
            let capabilities = metadata["capabilities"] as? [[String: Any]] ?? []
            #expect(capabilities.compactMap { $0["type"] as? String } == ["vulnerability", "sbom"])

            // A server without workers refuses scans instead of queueing them forever.
            let refused = try await HTTP.post(base + "/scan", token: scan, Self.request(registry: "https://registry.example:5000"))
            #expect(refused.status == 503)
        }
    }

    @Test func validationStatusesFollowTheSpec() async throws {
        try await PostgresCluster.withCluster { pg in
            let server = try await TestServer.start(pg.url) {
                $0.databasePath = "/nonexistent/vigil.db"
                $0.scanWorkers = 1
                $0.insecureRegistries = ["127.0.0.1:1"]
                $0.scanPollInterval = .seconds(3600)  // nothing is claimed: the job stays pending
            }
            defer { Task { await server.stop() } }
            let scan = try await VigilServer.createToken(postgres: pg.url, tenant: "t1", scopes: [.scan])
            let other = try await VigilServer.createToken(postgres: pg.url, tenant: "t2", scopes: [.scan])
            let base = server.base + "/api/v1"
            let exchanges = HarborExchanges()
            func post(_ body: String) async throws -> HTTPClientRequestBuilder.Answer { try await exchanges.send(.POST, base + "/scan", token: scan, body: body) }
            func report(_ id: String, token: String, accept: String? = nil) async throws -> HTTPClientRequestBuilder.Answer {
                try await exchanges.send(.GET, base + "/scan/\(id)/report", token: token, accept: accept)
            }

            #expect(try await post("{not json").status == 400)
            #expect(try await post("[]").status == 400)
            #expect(try await post(#"{"artifact":{}}"#).status == 422)
            #expect(try await post(Self.request(registry: "https://r.example", digest: "sha256:xyz")).status == 422)
            #expect(try await post(Self.request(registry: "https://r.example", repository: "UPPER/Case")).status == 422)
            #expect(try await post(Self.request(registry: "ftp://r.example")).status == 422)
            // Plain HTTP only for listed registries.
            let plain = try await post(Self.request(registry: "http://127.0.0.2:5000"))
            #expect(plain.status == 422)
            #expect(plain.text.contains("--insecure-registries"))
            #expect(try await post(Self.request(registry: "https://r.example").replacingOccurrences(
                of: "application/vnd.docker.distribution.manifest.v2+json", with: "application/vnd.oci.image.index.v1+json")).status == 501)
            #expect(try await post(Self.request(registry: "https://r.example", extra: #","enabled_capabilities":[{"type":"malware"}]"#)).status == 501)

            let accepted = try await post(Self.request(registry: "http://127.0.0.1:1", authorization: "Basic dXNlcjpzM2NyZXQ="))
            #expect(accepted.status == 202)
            let id = try #require(try JSONSerialization.jsonObject(with: Data(accepted.text.utf8)) as? [String: Any])["id"] as? String
            let scanID = try #require(id)
            // Pending: 302 with Refresh-After.
            let pending = try await report(scanID, token: scan)
            #expect(pending.status == 302)
            #expect(pending.headers["Refresh-After"] == "5")
            // Unknown media type → 501; an SBOM without its format → 400; another tenant → 404.
            #expect(try await report(scanID, token: scan, accept: "application/x-unknown").status == 501)
            let noFormat = try await report(scanID, token: scan, accept: "application/vnd.security.sbom.report+json; version=1.0")
            #expect(noFormat.status == 400)
            #expect(noFormat.headers["Content-Type"] == Self.errorType)
            #expect(try await report(scanID, token: other).status == 404)
            #expect(try await report("00000000-0000-0000-0000-000000000000", token: scan).status == 404)
            #expect(try await report("not-an-id", token: scan).status == 404)
            #expect(try await exchanges.send(.GET, base + "/metadata", token: scan).status == 200)
            let verdict = try await exchanges.validate()
            print("harbor spec check: \(verdict.map { $0.output } ?? "no validator")")
            if let verdict { #expect(verdict.ok, "\(verdict.output)") }
            // The credentials are sealed in the table, never in clear.
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM scan_jobs WHERE sealed_credentials IS NOT NULL") == 1)
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM scan_jobs WHERE sealed_credentials LIKE '%dXNlcjpzM2NyZXQ%' OR sealed_credentials LIKE '%s3cret%'") == 0)
        }
    }
}

/// A GET with headers, returning status, headers and body.
struct HTTPClientRequestBuilder {
    var url: String
    var token: String?
    var accept: String?

    struct Answer {
        var status: Int
        var headers: [String: String]
        var text: String
    }

    func send() async throws -> Answer {
        var headers: [(String, String)] = []
        if let accept { headers.append(("Accept", accept)) }
        let r = try await HTTP.sendWithHeaders(.GET, url, token: token, headers: headers)
        return Answer(status: r.status, headers: r.headers, text: String(decoding: r.body, as: UTF8.self))
    }
}

/// `vigil server token list/revoke` through the engine: the list never holds a token, a revoked
/// token is refused by a server that has not cached it.
@Suite(.enabled(if: PostgresCluster.available, "PostgreSQL binaries not installed (apt-get install postgresql)"))
struct TokenAdministrationTests {
    @Test func listShowsFingerprintsAndRevokedTokensAreRefused() async throws {
        try await PostgresCluster.withCluster { pg in
            let keep = try await VigilServer.createToken(postgres: pg.url, tenant: "t1", scopes: [.read])
            let drop = try await VigilServer.createToken(postgres: pg.url, tenant: "t2", scopes: [.scan, .ingest])
            let listed = try await VigilServer.listTokens(postgres: pg.url)
            #expect(listed.map(\.tenant) == ["t1", "t2"])
            #expect(listed[1].scopes == ["scan", "ingest"])
            // The fingerprint is the start of sha256(token), as sha256sum prints it.
            let sum = try await Spawn.run(["/usr/bin/sha256sum"], input: drop)
            #expect(listed[1].fingerprint == String(sum.stdout.prefix(8)))
            #expect(try await VigilServer.revokeToken(postgres: pg.url, id: listed[1].id))
            #expect(try await !VigilServer.revokeToken(postgres: pg.url, id: listed[1].id))
            #expect(try await VigilServer.listTokens(postgres: pg.url).map(\.tenant) == ["t1"])
            let server = try await TestServer.start(pg.url)
            defer { Task { await server.stop() } }
            #expect(try await HTTP.get(server.base + "/api/v1/metadata", token: drop).status == 401)
            #expect(try await HTTP.get(server.base + "/api/v1/alerts", token: keep).status == 200)
        }
    }
}
