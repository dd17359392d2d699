import Foundation
import Server
import TestSupport
import Testing

/// End to end: `vigil watch --replay` posting through its webhook spool to the server; every
/// alert the replay printed is in PostgreSQL exactly once.
@Suite(.enabled(if: PostgresCluster.available, "PostgreSQL binaries not installed (apt-get install postgresql)"),
       .requiresVigilBinary)
struct WatchToServerTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RuleEngineTests/Fixtures/events").path

    @Test(arguments: ["attack_shell_in_container.jsonl", "attack_sensitive_read.jsonl", "attack_useradd.jsonl"])
    func replayedAlertsAreStoredOnce(_ recording: String) async throws {
        try await PostgresCluster.withCluster { pg in
            let server = try await TestServer.start(pg.url)
            let token = try await VigilServer.createToken(postgres: pg.url, tenant: "fleet", scopes: [.ingest])
            let work = NSTemporaryDirectory() + "/vigil-watch-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: work) }
            var env = ProcessInfo.processInfo.environment
            env["VIGIL_WEBHOOK_TOKEN"] = token
            let r = try await Spawn.run([SharedData.vigilBinary!, "watch", "--replay", Self.fixtures + "/" + recording, "--format", "json",
                                   "--webhook", server.base + "/api/v1/alerts", "--webhook-spool", work + "/spool"], environment: env)
            let printed = r.stdout, stderr = r.stderr
            #expect(r.status == 0, "\(stderr)")
            let alerts = printed.split(separator: "\n").filter { $0.hasPrefix("{") }
            #expect(alerts.count > 0, "the recording raised no alert")
            #expect(stderr.contains("\(alerts.count) delivered"), "\(stderr)")
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM alerts WHERE tenant = 'fleet'") == alerts.count)
            // Each printed alert is stored with its rule.
            let rules = Set(alerts.compactMap { line -> String? in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["rule"] as? String
            })
            #expect(try await SQL.scalar(pg.url, "SELECT count(DISTINCT rule)::int8 FROM alerts") == rules.count)
            await server.stop()
        }
    }
}
