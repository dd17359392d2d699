import Foundation
import Testing
import TestSupport

/// Alert outputs end to end through the binary: a replayed attack POSTed to a webhook on loopback
/// and written to syslog's socket, as `vigil watch --webhook URL --syslog` does live.
@Suite(.enabled(if: SharedData.vigilBinary != nil), .serialized)
struct AlertOutputTests {
    let vigil = SharedData.vigilBinary!
    static let attack = SharedData.repoRoot + "/Tests/RuleEngineTests/Fixtures/events/attack_sensitive_read.jsonl"
    static let sink = SharedData.repoRoot + "/Tests/IntegrationTests/Fixtures/alert_sink.py"

    @Test func webhookReceivesTheFalcoJSONAlert() throws {
        let dir = NSTemporaryDirectory() + "vigil-webhook-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = 20_000 + Int(getpid() % 20_000)
        let received = dir + "/received.txt"
        let server = try Background.start("/usr/bin/python3", [Self.sink, "http", String(port), received],
                                          stderr: dir + "/sink.err", stdout: dir + "/sink.out")
        defer { server.terminate() }
        try #require(Background.waitFor(file: dir + "/sink.out", containing: "READY", seconds: 10))

        let r = try Run.program(vigil, ["watch", "--replay", Self.attack, "--webhook", "http://127.0.0.1:\(port)/alerts",
                                        "--webhook-spool", dir + "/spool", "-o", dir + "/alerts.txt"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = Background.read(received).split(separator: "\n")
        try #require(lines.count == 1, "\(lines)")
        #expect(lines[0].hasPrefix("POST /alerts application/json {"))
        let body = String(lines[0].drop { $0 != "{" })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(json["rule"] as? String == "Sensitive File Read")
        #expect(json["priority"] as? String == "Warning")
        #expect((json["output_fields"] as? [String: Any])?["fd.name"] as? String == "/etc/shadow")
        // the same alert went to the file output too
        #expect(Background.read(dir + "/alerts.txt").contains("Sensitive file opened for reading"))
        #expect(r.stderr.contains("vigil: webhook http://127.0.0.1:\(port)/alerts: 1 delivered"), "\(r.stderr)")
    }

    /// The default rules are compiled in: a `vigil` copied on its own (no resource bundle beside
    /// it, none named inside it) still loads them and alerts.
    @Test func aCopiedBinaryKeepsItsDefaultRules() throws {
        let binary = try Data(contentsOf: URL(fileURLWithPath: vigil))
        #expect(binary.range(of: Data("_RuleEngine.resources".utf8)) == nil, "vigil looks for a RuleEngine resource bundle")
        let dir = NSTemporaryDirectory() + "vigil-solo-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: vigil, toPath: dir + "/vigil")
        let r = try Run.program(dir + "/vigil", ["watch", "--replay", Self.attack, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Sensitive File Read"), "\(r.stdout)")
    }

    @Test func webhookDownIsReportedNotFatal() throws {
        // nothing listens on port 9 of loopback: the alert still reaches the other outputs, and
        // stays in the spool for the next run
        let spool = NSTemporaryDirectory() + "vigil-spool-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: spool) }
        let r = try Run.program(vigil, ["watch", "--replay", Self.attack, "--webhook", "http://127.0.0.1:9/alerts",
                                        "--webhook-spool", spool, "--webhook-grace", "1"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Sensitive file opened for reading"))
        #expect(r.stderr.contains("0 delivered"), "\(r.stderr)")
        #expect(r.stderr.contains("1 kept in \(spool) for the next run"), "\(r.stderr)")
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to bind /dev/log"),
          .enabled(if: !FileManager.default.fileExists(atPath: "/dev/log"), "a syslog daemon owns /dev/log here"))
    func syslogGetsTheAlertWithItsSeverity() throws {
        let dir = NSTemporaryDirectory() + "vigil-syslog-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let received = dir + "/received.txt"
        let sink = try Background.start("/usr/bin/python3", [Self.sink, "syslog", "/dev/log", received],
                                        stderr: dir + "/sink.err", stdout: dir + "/sink.out")
        defer { sink.terminate(); try? FileManager.default.removeItem(atPath: "/dev/log") }
        try #require(Background.waitFor(file: dir + "/sink.out", containing: "READY", seconds: 10))

        let r = try Run.program(vigil, ["watch", "--replay", Self.attack, "--syslog", "-o", dir + "/alerts.txt"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Background.waitFor(file: received, containing: "Sensitive file opened", seconds: 5))
        let line = Background.read(received)
        // <PRI>: facility daemon (3) * 8 + warning (4) = 28
        #expect(line.hasPrefix("<28>"), "\(line)")
        // RFC 5424: <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG
        let parts = line.split(separator: " ", maxSplits: 7)
        #expect(parts.count == 8 && parts[0] == "<28>1" && parts[3] == "vigil" && parts[5] == "Sensitive_File_Read" && parts[6] == "-",
                "not RFC 5424: \(line)")
    }
}
