import RuleEngine
import Testing
@testable import VigilCLI
import Watch

/// `vigil watch` flags, parsed in-process, become the session's configuration.
struct WatchCommandParsingTests {
    func configuration(_ arguments: [String]) throws -> WatchConfiguration {
        try #require(try VigilMain.parse(["watch"] + arguments) as? WatchCommand).configuration()
    }

    @Test func replayFlags() throws {
        let c = try configuration(["--replay", "e.jsonl", "--json", "--rules", "a.yaml", "--rules", "b.yaml", "--no-defaults",
                                   "--webhook", "http://127.0.0.1:2801/", "--webhook-spool-mb", "2", "--syslog",
                                   "--rate-limit", "5", "--burst", "7", "--dedup-window", "0", "--enable-actions", "--profile"])
        guard case .replay(let path) = c.source else { Issue.record("not a replay: \(c.source)"); return }
        #expect(path == "e.jsonl")
        #expect(c.alertFormat == .json)
        #expect(c.rulesFiles == ["a.yaml", "b.yaml"])
        #expect(!c.includeDefaults)
        #expect(c.webhook?.url == "http://127.0.0.1:2801/")
        #expect(c.webhook?.spoolBytes == 2 << 20)
        #expect(c.webhook?.spoolDirectory == nil, "the session picks the per-URL default")
        #expect(c.syslogAddress == "unix:/dev/log")
        #expect(c.rateLimit == 5 && c.burst == 7 && c.dedupWindowSeconds == 0)
        #expect(c.enableActions && c.actionsLog == nil && c.profile)
    }

    @Test func liveFlags() throws {
        let c = try configuration(["--host", "--record", "s.jsonl", "--stats", "10", "--bpf-object", "o.bpf.o", "--format", "text"])
        guard case .live(let live) = c.source else { Issue.record("not live: \(c.source)"); return }
        #expect(live.includeHost && live.recordPath == "s.jsonl" && live.statsInterval == 10 && live.objectPath == "o.bpf.o")
        #expect(!live.allOpens)
        #expect(c.alertFormat == .text)
        #expect(c.syslogAddress == nil && c.webhook == nil && c.outputPath == nil)
    }

    /// Flag combinations the parser cannot check: one line, exit 1, before anything is loaded.
    @Test(arguments: [
        (["--format", "xml"], "--format must be text or json, not 'xml'"),
        (["--replay", "e", "--host"], "--record, --stats, --host, --all-opens and --bpf-object apply to live monitoring, not to --replay"),
        (["--webhook", "http://x/", "--webhook-spool-mb", "0"], "--webhook-spool-mb must be between 1 and 1048576, not 0"),
        (["--webhook", "http://x/", "--webhook-grace", "1e9"], "--webhook-grace must be between 0 and 86400 seconds"),
        (["--syslog-address", "udp:h:5"], "--syslog-address needs --syslog"),
        (["--actions-log", "a.log"], "--actions-log needs --enable-actions"),
    ])
    func badCombinations(arguments: [String], message: String) throws {
        let error = #expect(throws: (any Error).self) { _ = try configuration(arguments) }
        #expect(error.map(VigilMain.failure(for:)) == .message(message, 1))
    }
}
