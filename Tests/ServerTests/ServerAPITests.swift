import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Server
import Testing

/// The server against a real PostgreSQL (a throwaway cluster per test) on loopback.
@Suite(.enabled(if: PostgresCluster.available, "PostgreSQL binaries not installed (apt-get install postgresql)"))
struct ServerAPITests {
    static func vigilAlert(rule: String = "Terminal shell in container", priority: String = "Notice", time: String = "2026-12-06T16:34:15.123456789Z",
                           node: String = "node-a", container: String = "4b3e9f1a5c2d") -> String {
        #"{"output":"16:34:15.123456789: \#(priority) A shell was spawned (container=\#(container))","priority":"\#(priority)","rule":"\#(rule)","time":"\#(time)","output_fields":{"container.id":"\#(container)","container.image.repository":"docker.io/library/alpine","container.image.tag":"3.19","proc.name":"sh"},"hostname":"\#(node)","tags":["container","shell"],"source":"syscall"}"#
    }

    /// Falco's http_output body (Falco 0.3x JSON output), nanosecond time and numeric fields.
    static let falcoAlert = #"{"hostname":"falco-node","output":"16:31:56.746609046: Warning Sensitive file opened for reading by non-trusted program (user=root program=cat file=/etc/shadow container_id=9c1d2e3f4a5b image=docker.io/library/nginx)","priority":"Warning","rule":"Read sensitive file untrusted","source":"syscall","tags":["T1555","container","filesystem","mitre_credential_access"],"time":"2026-12-06T16:31:56.746609046Z","output_fields":{"container.id":"9c1d2e3f4a5b","container.image.repository":"docker.io/library/nginx","container.image.tag":"1.25","evt.time":1796574716746609046,"fd.name":"/etc/shadow","proc.cmdline":"cat /etc/shadow","proc.name":"cat","user.name":"root"}}"#

    @Test func migrationsRunOnceWhenTwoReplicasStartTogether() async throws {
        try await PostgresCluster.withCluster { pg in
            async let a = TestServer.start(pg.url)
            async let b = TestServer.start(pg.url)
            let (s1, s2) = try await (a, b)
            defer { Task { await s1.stop(); await s2.stop() } }
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM vigil_schema_migrations") == SchemaMigrator.expectedVersion)
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM pg_tables WHERE tablename IN ('alerts', 'tokens')") == 2)
            for s in [s1, s2] {
                let r = try await HTTP.get(s.base + "/readyz")
                #expect(r.status == 200, "\(r.text)")
                #expect(try await HTTP.get(s.base + "/healthz").status == 200)
            }
            // A third start on a migrated database applies nothing and serves.
            let s3 = try await TestServer.start(pg.url)
            #expect(try await HTTP.get(s3.base + "/readyz").status == 200)
            await s3.stop()
            await s1.stop(); await s2.stop()
        }
    }

    @Test func tokensAndScopesAndBodyLimit() async throws {
        try await PostgresCluster.withCluster { pg in
            let server = try await TestServer.start(pg.url) { $0.maxBodyBytes = 1 << 20 }
            let ingest = try await VigilServer.createToken(postgres: pg.url, tenant: "t1", scopes: [.ingest])
            let read = try await VigilServer.createToken(postgres: pg.url, tenant: "t1", scopes: [.read])
            let admin = try await VigilServer.createToken(postgres: pg.url, tenant: "t1", scopes: [.admin])
            #expect(ingest.hasPrefix("vgl_") && ingest.count == 68)
            // Only the hash is stored.
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM tokens WHERE hash = sha256(convert_to('\(ingest)', 'UTF8'))") == 1)
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM tokens WHERE encode(hash, 'hex') LIKE '%\(ingest.dropFirst(4).prefix(16))%'") == 0)
            let url = server.base + "/api/v1/alerts"
            #expect(try await HTTP.post(url, token: nil, Self.vigilAlert()).status == 401)
            #expect(try await HTTP.post(url, token: "vgl_" + String(repeating: "0", count: 64), Self.vigilAlert()).status == 401)
            #expect(try await HTTP.send(.POST, url, headers: [("Authorization", "Basic Zm9vOmJhcg==")], body: Array(Self.vigilAlert().utf8)).status == 401)
            #expect(try await HTTP.post(url, token: read, Self.vigilAlert()).status == 403)
            #expect(try await HTTP.get(url, token: ingest).status == 403)
            #expect(try await HTTP.post(server.base + "/", token: read, Self.falcoAlert).status == 403)
            #expect(try await HTTP.post(url, token: admin, Self.vigilAlert()).status == 200)
            #expect(try await HTTP.get(url, token: admin).status == 200)
            // Over the limit: 413, nothing stored; the declared length is refused before the body is read.
            let big = [UInt8](repeating: UInt8(ascii: " "), count: (1 << 20) + 1)
            let r = try await HTTP.send(.POST, url, token: ingest, body: big)
            #expect(r.status == 413, "\(r.text)")
            #expect(r.text.contains("request.too-large"))
            // Chunked (no Content-Length): refused once past the limit, not after reading 8 MiB.
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(ingest)")
            let chunks = AsyncStream<ByteBuffer> { c in
                for _ in 0..<128 { c.yield(ByteBuffer(repeating: UInt8(ascii: " "), count: 64 << 10)) }
                c.finish()
            }
            request.body = .stream(chunks, length: .unknown)
            let chunked = try? await HTTPClient.shared.execute(request, timeout: .seconds(30))
            // The server answers 413 (or closes the connection while the client still sends).
            if let chunked { #expect(chunked.status.code == 413) }
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM alerts") == 1)
            #expect(try await HTTP.get(server.base + "/healthz").status == 200)
            await server.stop()
        }
    }

    @Test func ingestsVigilAndFalcoFormatsAndBatches() async throws {
        try await PostgresCluster.withCluster { pg in
            let server = try await TestServer.start(pg.url)
            let token = try await VigilServer.createToken(postgres: pg.url, tenant: "acme", scopes: [.ingest, .read])
            let url = server.base + "/api/v1/alerts"
            #expect(try await HTTP.post(url, token: token, Self.vigilAlert()).text.contains(#""received":1"#))
            let falco = try await HTTP.post(server.base + "/", token: token, Self.falcoAlert)
            #expect(falco.status == 200, "\(falco.text)")
            let array = "[" + (0..<50).map { Self.vigilAlert(rule: "Batch rule", time: "2026-12-06T17:00:\(String(format: "%02d", $0)).5Z") }.joined(separator: ",") + "]"
            #expect(try await HTTP.post(url, token: token, array).text.contains(#""received":50"#))
            let ndjson = (0..<30).map { Self.vigilAlert(rule: "NDJSON rule", priority: $0 % 2 == 0 ? "Critical" : "Error",
                                                         time: "2026-12-06T18:00:\(String(format: "%02d", $0))Z", node: "node-b") }
                .joined(separator: "\n") + "\n"
            #expect(try await HTTP.post(url, token: token, ndjson).text.contains(#""received":30"#))
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM alerts WHERE tenant = 'acme'") == 82)

            // The Falco alert's columns and its full JSON (jsonb, numbers kept).
            let f = try await HTTP.get(url + "?rule=Read%20sensitive%20file%20untrusted", token: token)
            let alerts = try #require(try JSONSerialization.jsonObject(with: Data(f.body)) as? [String: Any])["alerts"] as? [[String: Any]]
            #expect(alerts?.count == 1)
            #expect(alerts?.first?["node"] as? String == "falco-node")
            #expect(alerts?.first?["container_id"] as? String == "9c1d2e3f4a5b")
            #expect(alerts?.first?["image"] as? String == "docker.io/library/nginx:1.25")
            #expect(alerts?.first?["time"] as? String == "2026-12-06T16:31:56.746609Z")
            #expect(f.text.contains(#""evt.time": 1796574716746609046"#), "\(f.text)")
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM alerts WHERE (body->'output_fields'->>'evt.time')::numeric = 1796574716746609046") == 1)

            // Filters.
            func count(_ query: String) async throws -> Int {
                let r = try await HTTP.get(url + "?" + query, token: token)
                #expect(r.status == 200, "\(query): \(r.text)")
                return ((try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])?["alerts"] as? [Any])?.count ?? -1
            }
            #expect(try await count("node=node-b&limit=1000") == 30)
            #expect(try await count("priority=Critical&limit=1000") == 15)
            #expect(try await count("priority=critical,error&limit=1000") == 30)
            #expect(try await count("since=2026-12-06T17:00:10Z&until=2026-12-06T17:00:20Z") == 10)
            #expect(try await count("container=9c1d2e3f4a5b") == 1)
            #expect(try await HTTP.get(url + "?nosuch=1", token: token).status == 400)
            #expect(try await HTTP.get(url + "?since=yesterday", token: token).status == 400)

            // Pagination: pages of 7 cover every row once, newest first.
            var seen: [Int] = []
            var cursor: String?
            var times: [String] = []
            repeat {
                let r = try await HTTP.get(url + "?limit=7" + (cursor.map { "&cursor=" + $0 } ?? ""), token: token)
                let page = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
                for a in page["alerts"] as? [[String: Any]] ?? [] {
                    seen.append(a["id"] as? Int ?? -1)
                    times.append(a["time"] as? String ?? "")
                }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen.count == 82)
            #expect(Set(seen).count == 82)
            #expect(times == times.sorted(by: >))

            // Bad bodies: one bad item rejects the request, nothing half stored.
            let bad = [
                "{not json", "[" + Self.vigilAlert() + #",{"rule":"x"}]"#, Self.vigilAlert() + "\n{\"priority\":\"Notice\"}\n",
                Self.vigilAlert(priority: "Loud"), Self.vigilAlert(time: "yesterday"), "[1,2]", "",
            ]
            for b in bad {
                let r = try await HTTP.post(url, token: token, b)
                #expect(r.status == 400, "\(b.prefix(40)): \(r.text)")
            }
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM alerts") == 82)
            await server.stop()
        }
    }

    @Test func repeatedDeliveryIDIsStoredOnceAcrossReplicas() async throws {
        try await PostgresCluster.withCluster { pg in
            async let a = TestServer.start(pg.url)
            async let b = TestServer.start(pg.url)
            let (s1, s2) = try await (a, b)
            let token = try await VigilServer.createToken(postgres: pg.url, tenant: "t", scopes: [.ingest])
            let alert = Self.vigilAlert()
            // The same delivery sent 10 times at once to two replicas (a sender retrying after timeouts).
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<10 {
                    let base = i % 2 == 0 ? s1.base : s2.base
                    group.addTask { try await HTTP.post(base + "/api/v1/alerts", token: token, alert, headers: [("X-Vigil-Alert-ID", "3-4096")]).status }
                }
                for try await status in group { #expect(status == 200) }
            }
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM alerts") == 1)
            // Another id, or the same id from another node (another sender's spool), is another alert.
            _ = try await HTTP.post(s1.base + "/api/v1/alerts", token: token, alert, headers: [("X-Vigil-Alert-ID", "3-4200")])
            _ = try await HTTP.post(s1.base + "/api/v1/alerts", token: token, Self.vigilAlert(node: "node-z"), headers: [("X-Vigil-Alert-ID", "3-4096")])
            // Without an id nothing is deduplicated (Falco's http_output sends none).
            _ = try await HTTP.post(s2.base + "/", token: token, Self.falcoAlert)
            _ = try await HTTP.post(s2.base + "/", token: token, Self.falcoAlert)
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM alerts") == 5)
            await s1.stop(); await s2.stop()
        }
    }

    @Test func tenantsNeverSeeEachOthersAlerts() async throws {
        try await PostgresCluster.withCluster { pg in
            let server = try await TestServer.start(pg.url)
            let a = try await VigilServer.createToken(postgres: pg.url, tenant: "team-a", scopes: [.ingest, .read])
            let b = try await VigilServer.createToken(postgres: pg.url, tenant: "team-b", scopes: [.ingest, .read])
            let url = server.base + "/api/v1/alerts"
            _ = try await HTTP.post(url, token: a, Self.vigilAlert(rule: "A only"), headers: [("X-Vigil-Alert-ID", "1-0")])
            // team-b sends the very same delivery: it is team-b's alert, not a repeat of team-a's.
            _ = try await HTTP.post(url, token: b, Self.vigilAlert(rule: "A only"), headers: [("X-Vigil-Alert-ID", "1-0")])
            _ = try await HTTP.post(url, token: b, Self.vigilAlert(rule: "B only"))
            let ra = try await HTTP.get(url + "?limit=1000", token: a).text
            let rb = try await HTTP.get(url + "?limit=1000", token: b).text
            #expect(ra.contains("A only") && !ra.contains("B only"))
            #expect(rb.contains("B only"))
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM alerts WHERE tenant = 'team-b'") == 2)
            #expect(try await HTTP.get(url + "?rule=B%20only", token: a).text.contains(#""alerts":[]"#))
            await server.stop()
        }
    }

    @Test func readyzFailsWhenPostgresStops() async throws {
        try await PostgresCluster.withCluster { pg in
            let server = try await TestServer.start(pg.url)
            // Ready once its first readiness query (2 s deadline) gets through; under the whole
            // suite on 2 cores the first one can miss its deadline, so ask until it is (or 60 s).
            var ready = try await HTTP.get(server.base + "/readyz").status
            let waitStart = Date()
            while ready != 200, Date().timeIntervalSince(waitStart) < 60 {
                try await Task.sleep(nanoseconds: 200_000_000)
                ready = try await HTTP.get(server.base + "/readyz").status
            }
            #expect(ready == 200)
            try await pg.stopServer()
            let start = Date()
            let r = try await HTTP.get(server.base + "/readyz")
            #expect(r.status == 503, "\(r.text)")
            #expect(r.text.contains(#""ready":false"#))
            // A hang guard, not a speed check: the readiness query has a 2 s deadline, but the whole
            // suite on 2 cores stretched the answer to 11 s once; a hang would be minutes.
            #expect(Date().timeIntervalSince(start) < 60)
            // The process is still up.
            #expect(try await HTTP.get(server.base + "/healthz").status == 200)
            let token = "vgl_" + String(repeating: "1", count: 64)
            // Ingest answers (401 or 503), never hangs or crashes, while the database is down.
            let ingest = try await HTTP.post(server.base + "/api/v1/alerts", token: token, Self.vigilAlert()).status
            #expect(ingest == 503, "\(ingest)")
            await server.stop()
        }
    }
}
