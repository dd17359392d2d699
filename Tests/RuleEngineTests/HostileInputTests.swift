import Foundation
import Testing
@testable import RuleEngine
@testable import Sensor

/// Regression tests for the rule and replay findings of the 2026-12 hostile-input report
/// (`../shared/reports/hostile-inputs-2026-12.md`), each named after its finding.
@Suite struct HostileInputTests {
    /// `- macro: m{i}\n  condition: <body(i)>` for i in 1..<levels, m0 = `proc.name = x`, and a rule on the last.
    static func macros(_ levels: Int, body: (Int) -> String) -> String {
        var yaml = "- macro: m0\n  condition: proc.name = x\n"
        for i in 1..<levels { yaml += "- macro: m\(i)\n  condition: \(body(i))\n" }
        return yaml + "- rule: r\n  desc: d\n  condition: evt.type = execve and m\(levels - 1)\n  output: o\n  priority: INFO\n"
    }

    /// `m0: m1`, `m1: m2`, … `m{n}: proc.name = x` (each macro refers to the next, as in
    /// `macro_chain.yaml`), and a rule on m0.
    static func chain(_ n: Int) -> String {
        var yaml = ""
        for i in 0..<n { yaml += "- macro: m\(i)\n  condition: m\(i + 1)\n" }
        yaml += "- macro: m\(n)\n  condition: proc.name = x\n"
        return yaml + "- rule: r\n  desc: d\n  condition: evt.type = execve and m0\n  output: o\n  priority: INFO\n"
    }

    /// A5: a 10,000-macro chain used to overflow the stack; it is now an error naming the file and line.
    @Test func a5MacroChainIsBoundedError() {
        let set = RuleFixtures.load(Self.chain(10_000))
        let error = set.errors.first
        #expect(error?.message.contains("nests deeper than \(RuleCompiler.maximumExpansionDepth)") == true, "\(set.errors)")
        #expect(error?.location?.file == "test.yaml" && (error?.location?.line ?? 0) > 0)
    }

    /// A chain within the depth limit still compiles (the limit is not a special case for 10,000).
    @Test func a5ShortMacroChainCompiles() {
        let set = RuleFixtures.load(Self.chain(300))
        #expect(set.errors.isEmpty, "\(set.errors)")
        #expect(set.rules.first?.compiled != nil)
    }

    /// B3: macros that each use the previous one twice expand to 2^60 nodes; the size limit stops
    /// them at once with an error.
    @Test func b3ExponentialMacrosStopAtSizeLimit() {
        let start = ContinuousClock.now
        let set = RuleFixtures.load(Self.macros(60) { "m\($0 - 1) and m\($0 - 1)" })
        #expect(set.errors.first?.message.contains("expands to more than \(RuleCompiler.maximumExpandedSize)") == true, "\(set.errors)")
        // Not a timing assertion on speed, a guard against the hang coming back (it took > 20 s).
        #expect(ContinuousClock.now - start < .seconds(60))
    }

    /// B3: below the size limit a doubled macro is expanded once and shared.
    @Test func b3DoubledMacrosBelowLimitCompile() {
        let set = RuleFixtures.load(Self.macros(12) { "m\($0 - 1) and m\($0 - 1)" })
        #expect(set.errors.isEmpty, "\(set.errors)")
        #expect(set.rules.first?.compiled?.description.contains("proc.name = x") == true)
    }

    /// C8 and A6 (`list_exp.yaml`): lists that each hold the previous one twice double per level.
    @Test func c8ListDoublingStopsAtSizeLimit() {
        var yaml = "- list: l0\n  items: [x]\n"
        for i in 1..<60 { yaml += "- list: l\(i)\n  items: [l\(i - 1), l\(i - 1)]\n" }
        yaml += "- rule: r\n  desc: d\n  condition: evt.type = execve and proc.name in (l59)\n  output: o\n  priority: INFO\n"
        let set = RuleFixtures.load(yaml)
        let error = set.errors.first
        #expect(error?.message.contains("more than the limit of \(RuleCompiler.maximumExpandedSize)") == true, "\(set.errors)")
        #expect(error?.item == "list 'l20'")
        #expect(error?.location?.line == 41)
    }

    /// A condition listing a large list many times is counted before it is copied.
    @Test func c8ListRepeatedInConditionStopsAtSizeLimit() {
        var yaml = "- list: big\n  items: [\((0..<2_000).map { "i\($0)" }.joined(separator: ", "))]\n"
        let refs = Array(repeating: "big", count: 600).joined(separator: ", ")
        yaml += "- rule: r\n  desc: d\n  condition: evt.type = execve and proc.name in (\(refs))\n  output: o\n  priority: INFO\n"
        let set = RuleFixtures.load(yaml)
        #expect(set.errors.first?.message.contains("expands to more than") == true, "\(set.errors)")
    }

    /// F3: `rules validate` accepted a regex that `watch` refused; now loading fails for both.
    @Test func f3InvalidRegexIsALoadError() {
        let set = RuleFixtures.load("- rule: r\n  desc: d\n  condition: evt.type = execve and proc.name regex \"((((\"\n  output: o\n  priority: INFO\n")
        #expect(set.errors.first?.message == "invalid regular expression '(((('", "\(set.errors)")
        #expect(set.errors.first?.location?.line == 3)
        let fine = RuleFixtures.load("- rule: r\n  desc: d\n  condition: evt.type = execve and proc.name regex \"(a+)+\"\n  output: o\n  priority: INFO\n")
        #expect(fine.errors.isEmpty, "\(fine.errors)")
    }

    /// C7: a recording of processes that never exit keeps at most `maximumProcesses` of them.
    @Test func c7ProcessTableIsBounded() throws {
        let extra = 1_000
        var lines = ["{\"type\":\"execve\",\"pid\":1,\"comm\":\"init\"}"]
        for n in 0..<(SystemState.maximumProcesses + extra) {
            lines.append("{\"type\":\"clone\",\"pid\":1,\"res\":\(n + 2)}")
        }
        let path = try RuleFixtures.temporaryEvents(lines)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var replay = try EventReplay(path: path)
        var events = 0
        while try replay.next() != nil { events += 1 }
        #expect(events == lines.count)
        #expect(replay.state.processes.count == SystemState.maximumProcesses)
        #expect(replay.state.droppedProcesses == extra + 1)
    }

    /// C7: processes that exit are removed, so a long recording of short-lived processes stays small.
    @Test func c7ExitedProcessesAreRemoved() throws {
        var lines: [String] = []
        for n in 0..<5_000 {
            lines.append("{\"type\":\"clone\",\"pid\":1,\"res\":\(n + 2)}")
            lines.append("{\"type\":\"exit\",\"pid\":\(n + 2)}")
        }
        let path = try RuleFixtures.temporaryEvents(lines)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var replay = try EventReplay(path: path)
        while try replay.next() != nil {}
        #expect(replay.state.processes.count <= 2)
    }

    /// C5 / A6 (`gen1g.sh`): an event line longer than the limit is an error naming the line.
    @Test func c5OverlongEventLineIsAnError() throws {
        let path = NSTemporaryDirectory() + "vigil-longline-\(UUID().uuidString).jsonl"
        var bytes = Array("{\"type\":\"execve\",\"pid\":5,\"comm\":\"ok\"}\n{\"type\":\"execve\",\"pid\":5,\"comm\":\"".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "A"), count: LineReader.maximumLineLength + 10)
        bytes += Array("\"}\n".utf8)
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var replay = try EventReplay(path: path)
        #expect(try replay.next() != nil)
        #expect {
            _ = try replay.next()
        } throws: { error in
            "\(error)".contains(":2: invalid event: line longer than the 16 MiB limit")
        }
    }

    /// F2: a directory as the recording is refused instead of replaying zero events.
    @Test func f2ReplayOfDirectoryIsRefused() {
        #expect {
            _ = try EventReplay(path: NSTemporaryDirectory())
        } throws: { error in
            "\(error)".contains("is a directory")
        }
    }

    /// A6: `/dev/zero` as a rules file stops at the size limit instead of exhausting memory.
    @Test func a6RulesFromDevZeroStopAtLimit() {
        #expect {
            _ = try RuleSet.load(files: ["/dev/zero"])
        } throws: { error in
            "\(error)".contains("more than the 16 MiB limit")
        }
    }

    /// A3: out-of-range dedup windows no longer trap in the throttle (the CLI refuses them first).
    @Test(arguments: [Double.nan, .infinity, 1e300, 1e18, -5])
    func a3ThrottleClampsWindow(seconds: Double) {
        let t = AlertThrottle(rate: .nan, burst: 1, dedupWindowSeconds: seconds)
        #expect(t.dedupWindow >= 0)
    }
}
