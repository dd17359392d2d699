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
                                   "--webhook", server.base + "/api/v1/alerts", "--webhook-spool", work + "/spool",
                                   "--webhook-grace", "300"], environment: env)
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

/// `vigil watch --server` under alert load while PostgreSQL is down and comes back: the batches
/// wait in the spool, and once the database is back every alert is stored exactly once.
@Suite(.enabled(if: PostgresCluster.available, "PostgreSQL binaries not installed (apt-get install postgresql)"),
       .requiresVigilBinary)
struct WatchServerBatchTests {
    /// `count` shells spawned by web servers in as many containers, each one alert of the default rules.
    static func recording(count: Int) -> String {
        var out = ""
        for i in 0..<count {
            let ts = 1_700_000_000_000_000_000 + i * 1_000_000
            let container = String(format: "%012x", 0x3f2a00000000 + i)
            out += #"{"ts":\#(ts),"type":"execve","pid":\#(10_000 + 2 * i),"ppid":1,"comm":"nginx","exe":"/usr/sbin/nginx","args":["-g","daemon off;"],"uid":33,"user":"www-data","gid":33,"group":"www-data","container_id":"\#(container)","container_name":"web\#(i)","container_image":"docker.io/library/nginx:1.25"}"# + "\n"
            out += #"{"ts":\#(ts + 100),"type":"clone","pid":\#(10_000 + 2 * i),"res":\#(10_001 + 2 * i)}"# + "\n"
            out += #"{"ts":\#(ts + 200),"type":"execve","pid":\#(10_001 + 2 * i),"ppid":\#(10_000 + 2 * i),"comm":"sh","exe":"/bin/sh","args":["-c","id"],"cwd":"/"}"# + "\n"
        }
        return out
    }

    @Test func batchesWaitOutAPostgreSQLRestartAndLandOnce() async throws {
        try await PostgresCluster.withCluster { pg in
            let server = try await TestServer.start(pg.url)
            defer { Task { await server.stop() } }
            let token = try await VigilServer.createToken(postgres: pg.url, tenant: "fleet", scopes: [.ingest])
            let work = NSTemporaryDirectory() + "/vigil-watch-batch-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: work) }
            try Self.recording(count: 3000).write(toFile: work + "/events.jsonl", atomically: true, encoding: .utf8)

            try await pg.stopServer()
            var env = ProcessInfo.processInfo.environment
            env["VIGIL_SERVER_TOKEN"] = token
            let watch = try Daemon([SharedData.vigilBinary!, "watch", "--replay", work + "/events.jsonl", "--format", "json",
                                    "-o", work + "/alerts.jsonl", "--rate-limit", "0", "--dedup-window", "0",
                                    "--server", server.base, "--webhook-spool", work + "/spool", "--webhook-grace", "600"],
                                   log: work + "/watch.log", environment: env)
            // Alerts pile up in the spool while the server answers 503 (the whole replay is
            // written out before the database returns); then it comes back.
            for _ in 0..<600 {
                let lines = ((try? String(contentsOfFile: work + "/alerts.jsonl", encoding: .utf8)) ?? "").split(separator: "\n").count
                if lines >= 3000 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .seconds(1))
            #expect(watch.isRunning, "vigil watch finished while PostgreSQL was down: \(watch.output)")
            try await pg.startServer()
            #expect(await watch.waitForExit() == 0, "\(watch.output)")
            let alerts = try String(contentsOfFile: work + "/alerts.jsonl", encoding: .utf8).split(separator: "\n").count
            #expect(alerts >= 1000, "the recording raised too few alerts: \(alerts)")
            let log = watch.output
            #expect(log.contains("\(alerts) delivered"), "\(log)")
            #expect(try await SQL.scalar(pg.url, "SELECT count(*)::int8 FROM alerts WHERE tenant = 'fleet'") == alerts)
            #expect(try await SQL.scalar(pg.url, "SELECT count(DISTINCT container_id)::int8 FROM alerts") == alerts)
        }
    }
}
