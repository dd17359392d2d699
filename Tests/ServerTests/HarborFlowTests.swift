import Foundation
import NIOHTTP1
import Server
import Testing
import TestSupport

/// The Harbor flow end to end: the WordPress lab image (built from real Debian packages by
/// scripts/build-wordpress-lab-image.py) pushed to a real registry with htpasswd auth, scanned
/// through two server replicas over one PostgreSQL, compared with the real `vigil` binary's scan
/// of the same archive.
@Suite(.enabled(if: HarborLab.available, HarborLab.why))
struct HarborFlowTests {
    static let password = "lab-Pa55-\(UUID().uuidString.prefix(8))"

    @Test func harborReportEqualsTheCLIScanAndCredentialsStaySealed() async throws {
        let lab = try await HarborLab.prepare(password: Self.password)
        defer { lab.cleanUp() }
        let (scratch, db, registry, digest, expected) = (lab.scratch, lab.db, lab.registry, lab.digest, lab.expected)
        try await PostgresCluster.withCluster { pg in
            let secret = Array("one secret shared by every replica".utf8)
            func replica() async throws -> TestServer {
                try await TestServer.start(pg.url) {
                    $0.databasePath = db
                    $0.scanWorkers = 1
                    $0.insecureRegistries = [registry.host]
                    $0.cacheDirectory = scratch + "/cache"
                    $0.secret = secret
                }
            }
            let a = try await replica()
            let b = try await replica()
            defer { Task { await a.stop(); await b.stop() } }
            let token = try await VigilServer.createToken(postgres: pg.url, tenant: "harbor", scopes: [.scan])
            let basic = "Basic " + Data("\(registry.user):\(registry.password)".utf8).base64EncodedString()
            let body = HarborAdapterTests.request(registry: "http://\(registry.host)", digest: digest, authorization: basic)

            let exchanges = HarborExchanges()
            // Requests to either replica; workers of both take them.
            var ids: [String] = []
            for server in [a, b, a] {
                let accepted = try await exchanges.send(.POST, server.base + "/api/v1/scan", token: token, body: body)
                #expect(accepted.status == 202, "\(accepted.text)")
                ids.append(try #require(try JSONSerialization.jsonObject(with: Data(accepted.text.utf8)) as? [String: Any])["id"] as! String)
            }
            let wrongPassword = "wrong-\(UUID().uuidString)"
            let wrong = HarborAdapterTests.request(registry: "http://\(registry.host)", digest: digest,
                                                   authorization: "Basic " + Data("\(registry.user):\(wrongPassword)".utf8).base64EncodedString())
            let refusedID = try #require(try HarborAdapterTests.json(try await HTTP.post(b.base + "/api/v1/scan", token: token, wrong))["id"] as? String)

            func poll(_ id: String, on server: TestServer, accept: String? = nil, query: String = "") async throws -> HTTPClientRequestBuilder.Answer {
                for _ in 0..<600 {
                    let answer = try await exchanges.send(.GET, server.base + "/api/v1/scan/\(id)/report" + query, token: token, accept: accept)
                    if answer.status != 302 { return answer }
                    #expect(answer.headers["Refresh-After"] != nil)
                    try await Task.sleep(for: .milliseconds(200))
                }
                throw ClusterError("scan \(id) still pending after 120 s")
            }
            for (n, id) in ids.enumerated() {
                let answer = try await poll(id, on: n % 2 == 0 ? b : a, accept: "application/vnd.security.vulnerability.report; version=1.1")
                try #require(answer.status == 200, "\(answer.text.prefix(500))")
                #expect(answer.headers["Content-Type"] == "application/vnd.security.vulnerability.report; version=1.1")
                let report = try #require(try JSONSerialization.jsonObject(with: Data(answer.text.utf8)) as? [String: Any])
                let items = report["vulnerabilities"] as? [[String: Any]] ?? []
                let got = Set(items.map { "\($0["id"] as? String ?? "") \($0["package"] as? String ?? "") \($0["version"] as? String ?? "")" })
                #expect(got == expected, "Harbor report differs from the CLI: only Harbor \(got.subtracting(expected).sorted().prefix(5)), only CLI \(expected.subtracting(got).sorted().prefix(5))")
                #expect((report["artifact"] as? [String: Any])?["digest"] as? String == digest)
                #expect(["Critical", "High", "Medium", "Low", "Unknown"].contains(report["severity"] as? String ?? ""))
            }
            // The raw report is the Trivy JSON; SBOMs in both formats.
            let raw = try await poll(ids[0], on: a, accept: "application/vnd.scanner.adapter.vuln.report.raw")
            #expect(raw.status == 200)
            #expect(HarborLab.trivyFindings(try #require(JSONSerialization.jsonObject(with: Data(raw.text.utf8)) as? [String: Any])) == expected)
            for (type, key) in [("application/vnd.cyclonedx+json", "components"), ("application/spdx+json", "packages")] {
                let sbom = try await poll(ids[0], on: b, accept: "application/vnd.security.sbom.report+json; version=1.0",
                                          query: "?sbom_media_type=" + type.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
                #expect(sbom.status == 200, "\(sbom.text.prefix(300))")
                let doc = try #require(try JSONSerialization.jsonObject(with: Data(sbom.text.utf8)) as? [String: Any])
                #expect(doc["media_type"] as? String == type)
                #expect(((doc["sbom"] as? [String: Any])?[key] as? [Any])?.isEmpty == false)
            }
            // Wrong credentials: the scan fails with the registry's answer, never the password.
            let failed = try await poll(refusedID, on: a)
            #expect(failed.status == 500)
            #expect(failed.text.contains("unauthorized"), "\(failed.text)")
            #expect(!failed.text.contains(wrongPassword))

            if let verdict = try await exchanges.validate() { #expect(verdict.ok, "\(verdict.output)") }

            // The fleet read API over the stored scans: one image, its findings with filters, the summary.
            let read = try await VigilServer.createToken(postgres: pg.url, tenant: "harbor", scopes: [.read])
            let stranger = try await VigilServer.createToken(postgres: pg.url, tenant: "other", scopes: [.read])
            let rawReport = try #require(try JSONSerialization.jsonObject(with: Data(raw.text.utf8)) as? [String: Any])
            let vulns = (rawReport["Results"] as? [[String: Any]] ?? []).flatMap { $0["Vulnerabilities"] as? [[String: Any]] ?? [] }
            let images = try HarborAdapterTests.json(try await HTTP.get(a.base + "/api/v1/images", token: read))["images"] as? [[String: Any]] ?? []
            #expect(images.count == 1 && images.first?["digest"] as? String == digest)
            let counts = images.first?["by_severity"] as? [String: Int] ?? [:]
            #expect(counts.values.reduce(0, +) == vulns.count)
            #expect(counts["CRITICAL"] == vulns.filter { $0["Severity"] as? String == "CRITICAL" }.count)
            func findings(_ query: String, token: String = read) async throws -> [[String: Any]] {
                try HarborAdapterTests.json(try await HTTP.get(b.base + "/api/v1/images/\(digest)/findings" + query, token: token))["findings"] as? [[String: Any]] ?? []
            }
            #expect(try await findings("").count == vulns.count)
            #expect(try await findings("?severity=CRITICAL,HIGH").count == vulns.filter { ["CRITICAL", "HIGH"].contains($0["Severity"] as? String ?? "") }.count)
            let someCategory = try #require((vulns.first?["Categories"] as? [String])?.first)
            #expect(try await findings("?category=\(someCategory)").count == vulns.filter { ($0["Categories"] as? [String] ?? []).contains(someCategory) }.count)
            #expect(try await findings("?package=wordpress").count == vulns.filter { $0["PkgName"] as? String == "wordpress" }.count)
            #expect(try await HTTP.get(b.base + "/api/v1/images/\(digest)/findings?severity=SEVERE", token: read).status == 400)
            let summary = try HarborAdapterTests.json(try await HTTP.get(a.base + "/api/v1/summary", token: read))
            #expect(summary["images"] as? Int == 1)
            // Another tenant sees nothing of it.
            #expect((try HarborAdapterTests.json(try await HTTP.get(a.base + "/api/v1/images", token: stranger))["images"] as? [Any])?.isEmpty == true)
            #expect(try await HTTP.get(b.base + "/api/v1/images/\(digest)/findings", token: stranger).status == 404)
            // Each report stored once; credentials dropped from finished jobs; nothing in clear anywhere in a dump.
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM scan_jobs WHERE status = 'done' AND report IS NOT NULL") == 3)
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM scan_jobs WHERE sealed_credentials IS NOT NULL") == 0)
            let dump = try await Spawn.run([PostgresCluster.binDirectory! + "/pg_dump", "-h", "127.0.0.1", "-p", "\(pg.port)", "-U", "vigil", "postgres"])
            #expect(dump.status == 0, "\(dump.stderr)")
            #expect(dump.stdout.contains("scan_jobs"))
            for secretText in [Self.password, String(basic.dropFirst(6)), wrongPassword] {
                #expect(!dump.stdout.contains(secretText), "a credential is in the database dump")
            }
        }
    }
}

