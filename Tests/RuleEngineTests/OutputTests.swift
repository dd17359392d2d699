import Foundation
import JSONValue
import Testing
@testable import RuleEngine
import Sensor

@Suite struct OutputTests {
    /// Alert times against strftime's: random instants across the whole Int64 nanosecond range
    /// (1677…2262), negatives and the extremes.
    @Test func timesMatchStrftime() {
        var rng = SystemRandomNumberGenerator()
        var instants: [Int64] = [0, -1, 1, 999_999_999, -1_000_000_000, 1_700_000_000_123_456_789, .max, .min + 1_000_000_000]
        for _ in 0..<2000 { instants.append(Int64.random(in: (.min + 1_000_000_000)...(.max), using: &rng)) }
        for ns in instants {
            var secs = time_t(ns / 1_000_000_000)
            var frac = ns % 1_000_000_000
            if frac < 0 { frac += 1_000_000_000; secs -= 1 }
            var t = tm()
            gmtime_r(&secs, &t)
            var buf = [CChar](repeating: 0, count: 64)
            let fraction = String(frac).count < 9 ? String(repeating: "0", count: 9 - String(frac).count) + String(frac) : String(frac)
            strftime(&buf, buf.count, "%Y-%m-%dT%H:%M:%S", &t)
            let date = String(cString: buf)
            #expect(TimeFormat.iso8601(ns) == date + "." + fraction + "Z", "\(ns)")
            strftime(&buf, buf.count, "%H:%M:%S", &t)
            #expect(TimeFormat.clock(ns) == String(cString: buf) + "." + fraction, "\(ns)")
        }
    }

    @Test func templateSplitsFields() {
        let t = OutputTemplate("user=%user.name file=%fd.name. anc=%proc.aname[2] pct=100% x=%(proc.pid)")
        let fields = t.segments.compactMap { s -> String? in
            if case .field(let n, let a) = s { return a.map { "\(n)[\($0)]" } ?? n }
            return nil
        }
        #expect(fields == ["user.name", "fd.name", "proc.aname[2]", "proc.pid"])
    }

    @Test func alertTextAndJSONFollowFalco() throws {
        let rules = RuleSet.load(contents: [], includeDefaults: true)
        let alerts = try RuleFixtures.replay(RuleFixtures.fixture("events/attack_sensitive_read.jsonl"), rules: rules)
        let a = try #require(alerts.first)
        #expect(a.textLine.hasPrefix("22:13:20.200000000: Warning Sensitive file opened for reading (file=/etc/shadow "))
        let json = try JSONParser.parse(a.jsonLine())
        let keys = json.objectValue?.map(\.0)
        #expect(keys == ["output", "priority", "rule", "time", "output_fields", "hostname", "tags", "source"])
        #expect(json["priority"]?.stringValue == "Warning")
        #expect(json["rule"]?.stringValue == "Sensitive File Read")
        #expect(json["time"]?.stringValue == "2023-11-14T22:13:20.200000000Z")
        #expect(json["source"]?.stringValue == "syscall")
        #expect(json["output_fields"]?["fd.name"]?.stringValue == "/etc/shadow")
        #expect(json["output_fields"]?["proc.pid"]?.int64Value == 6001)
    }

    /// `jsonLine()` writes through the emitter directly; it must print exactly what the JSON
    /// printer prints for `json` — escapes, numbers, nulls, booleans, empty and full lists.
    @Test func directJSONLineMatchesThePrinter() throws {
        let rules = RuleFixtures.load(#"""
        - rule: odd "names" <&> \ tab
          desc: d
          condition: evt.type in (openat, execve)
          output: "q=\"%fd.name\" pid=%proc.pid failed=%evt.failed tty=%proc.tty img=%container.image.tag none=%proc.aname[9] é ✓"
          priority: NOTICE
          tags: [a, "b c", "\\u00e9"]
        - rule: bare
          desc: d
          condition: evt.type = openat
          output: plain
          priority: DEBUG
        """#)
        let events = try RuleFixtures.temporaryEvents([
            #"{"type":"execve","pid":7,"ppid":1,"comm":"sh","exe":"/bin/sh","args":["-c","x"],"container_id":"c1","container_name":"n","container_image":"r/i:7"}"#,
            #"{"type":"openat","pid":7,"path":"/tmp/a \"b\"\\\t\u0001\u2028<&>é😀","flags":"O_RDONLY","res":3}"#,
            #"{"type":"openat","pid":7,"path":"/x","flags":"O_RDONLY","res":-2}"#,
        ])
        let alerts = try RuleFixtures.replay(events, rules: rules)
        #expect(alerts.count == 5)
        #expect(alerts.contains { $0.tags.isEmpty } && alerts.contains { $0.tags.count == 3 })
        for a in alerts {
            var printed = JSONPrinter(indent: 0, escapeHTML: false).render(a.json)
            while printed.hasSuffix("\n") { printed.removeLast() }
            #expect(a.jsonLine() == printed)
        }
    }

    @Test func throttleRateLimitsAndDeduplicates() {
        var t = AlertThrottle(rate: 1, burst: 2, dedupWindowSeconds: 10)
        let s: Int64 = 1_000_000_000
        #expect(t.decide(rule: "r", output: "a", time: 0) == .emit)
        #expect(t.decide(rule: "r", output: "a", time: s) == .duplicate)
        #expect(t.decide(rule: "r", output: "b", time: s) == .emit)
        #expect(t.decide(rule: "r", output: "c", time: s) == .emit)  // refilled one token after 1s
        #expect(t.decide(rule: "r", output: "d", time: s) == .rateLimited)
        #expect(t.decide(rule: "r", output: "a", time: 20 * s) == .emit)
        #expect(t.totals == AlertThrottle.Counters(emitted: 4, rateLimited: 1, duplicates: 1))
    }

    @Test func fileOutputAppendsLines() throws {
        let path = NSTemporaryDirectory() + "vigil-alerts-\(UUID().uuidString).jsonl"
        let rules = RuleSet.load(contents: [], includeDefaults: true)
        let alerts = try RuleFixtures.replay(RuleFixtures.fixture("events/attack_root_file.jsonl"), rules: rules)
        var out = try FileOutput(path: path, format: .json)
        for a in alerts { try out.emit(a) }
        out.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 1)
        #expect(text.contains("\"rule\":\"File Created Under Root Directory\""))
    }
}
