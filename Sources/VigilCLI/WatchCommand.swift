import AlertDelivery
import ArgumentParser
import CVigilBPF
import KernelSensor
import RuleEngine
import Sensor

#if canImport(Glibc)
import Glibc
#endif

/// `vigil watch`: evaluate Falco-compatible rules over events and raise alerts.
///
/// Events come from the live eBPF sensor (default; root) or a recording (`--replay`), in the same
/// model (docs/events.md), so a `--record`ed session replays to the same alerts.
public struct WatchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Detect intrusions in running containers (live eBPF sensor) or in a recorded event stream.",
        discussion: """
            Without --replay, vigil loads its eBPF sensor (root, a kernel with BTF; the object is built by scripts/build-bpf.sh next to the vigil binary, or named by $VIGIL_BPF_OBJECT) and watches containers until SIGINT/SIGTERM; --host watches host processes too. Vigil's default rules are loaded first, then each --rules file in order (Falco's override/append semantics apply). See docs/sensor.md.

            Examples:
              sudo vigil watch --format json
              sudo vigil watch --record session.jsonl --stats 10
              vigil watch --replay events.jsonl
              vigil watch --replay events.jsonl --rules falco_rules.yaml --json -o alerts.jsonl
              vigil watch --replay events.jsonl --webhook http://127.0.0.1:2801/ --syslog
            """
    )

    @Option(name: .long, help: "Evaluate a recorded event stream (JSON lines, see docs/events.md; - reads stdin).")
    var replay: String?

    @Option(name: .long, help: "Rules file to load after the defaults (repeatable).")
    var rules: [String] = []

    @Flag(name: .long, help: "Do not load Vigil's default rules.")
    var noDefaults = false

    @Flag(name: .long, help: "Print alerts as Falco JSON instead of text lines (same as --format json).")
    var json = false

    @Option(name: .long, help: "Alert format: text or json.")
    var format: String?

    @Option(name: .long, help: "Live: also write the event stream to this file (replay it with --replay).")
    var record: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Live: print events/s, kernel drops and alert counts to stderr every N seconds.", valueName: "seconds"))
    var stats: Double?

    @Flag(name: .long, help: "Live: watch host processes too, not only containers.")
    var host = false

    @Flag(name: .long, help: "Live: send every read-only open to user space, not only those of paths a loaded rule can match (implied by --record).")
    var allOpens = false

    @Option(name: .long, help: "Live: the compiled sensor object (default: $VIGIL_BPF_OBJECT, else vigil.bpf.o beside the vigil executable).")
    var bpfObject: String?

    @Option(name: [.customShort("o"), .long], help: "Append alerts to this file instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Also POST each alert as Falco JSON to this http:// URL (falcosidekick's input, or `vigil server`'s /api/v1/alerts with $VIGIL_WEBHOOK_TOKEN as its bearer token), through an on-disk spool: nothing is lost while the receiver is down.")
    var webhook: String?

    @Option(name: .long, help: ArgumentHelp("Spool directory for --webhook (default: ~/.cache/vigil/spool/webhook-<hash of the URL>); alerts left there are sent by the next run.", valueName: "dir"))
    var webhookSpool: String?

    @Option(name: .long, help: ArgumentHelp("Most unsent alert data the webhook spool holds; past it alerts are dropped and counted.", valueName: "MiB"))
    var webhookSpoolMb: Int = 64

    @Option(name: .long, help: ArgumentHelp("At exit, keep sending queued webhook alerts (and retrying a receiver that is down) for up to this long; what remains is kept in the spool.", valueName: "seconds"))
    var webhookGrace: Double = 10

    @Flag(name: .long, help: "Also send alerts to syslog as RFC 5424 messages (facility daemon).")
    var syslog = false

    @Option(name: .long, help: ArgumentHelp("Where --syslog sends: unix:/PATH (datagram socket) or udp:HOST:PORT.", valueName: "address"))
    var syslogAddress: String = "unix:/dev/log"

    @Option(name: .long, parsing: .unconditional, help: "Alerts per second allowed per rule (0 = unlimited).")
    var rateLimit: Double = 10

    @Option(name: .long, parsing: .unconditional, help: "Burst of alerts allowed per rule before rate limiting.")
    var burst: Double = 50

    @Option(name: .long, parsing: .unconditional, help: "Suppress an alert identical to one raised within this many seconds (0 = off; at most a year).")
    var dedupWindow: Double = 60

    @Flag(name: .long, help: "Carry out rules' actions (actions: [kill] or [stop-container]) on every match; each action writes an audit line. Off by default; host processes only when the rule says host: true.")
    var enableActions = false

    @Option(name: .long, help: ArgumentHelp("Append the actions' audit lines (JSON) to this file instead of stderr.", valueName: "file"))
    var actionsLog: String?

    @Flag(name: .long, help: "Report where time goes (decode and state, rule evaluation, alerts) on stderr.")
    var profile = false

    public init() {}

    /// Largest `--dedup-window`, `--stats` interval: a year. The window becomes nanoseconds in an
    /// `Int64` (which ends near 292 years), so anything bigger (or NaN, or infinite) would trap.
    static let maximumSeconds = 365.0 * 86_400
    /// Largest `--rate-limit` and `--burst`: beyond a billion alerts per second (or a burst
    /// that size) the throttle no longer throttles anything, and the token arithmetic stays exact.
    static let maximumAlertCount = 1e9

    public func validate() throws {
        func check(_ name: String, _ value: Double, min: Double, max: Double, unit: String) throws {
            guard value.isFinite, value >= min, value <= max else {
                throw ValidationError("\(name) must be a number of \(unit) from \(Self.format(min)) to \(Self.format(max)), not \(value)")
            }
        }
        try check("--dedup-window", dedupWindow, min: 0, max: Self.maximumSeconds, unit: "seconds")
        try check("--rate-limit", rateLimit, min: 0, max: Self.maximumAlertCount, unit: "alerts per second")
        try check("--burst", burst, min: 0, max: Self.maximumAlertCount, unit: "alerts")
        if let stats {
            try check("--stats", stats, min: 0.001, max: Self.maximumSeconds, unit: "seconds")
        }
    }

    /// `60`, `0.001`, `31536000` rather than `6e+01`.
    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
    }

    public func run() throws {
        if let format, format != "text", format != "json" {
            throw CLIError("--format must be text or json, not '\(format)'")
        }
        if replay != nil, record != nil || stats != nil || host || bpfObject != nil || allOpens {
            throw CLIError("--record, --stats, --host, --all-opens and --bpf-object apply to live monitoring, not to --replay")
        }
        let set = try RuleSet.load(files: rules, includeDefaults: !noDefaults).checked()
        for w in set.warnings { printError("vigil: warning: \(w.description)") }
        let evaluator = RuleEvaluator(rules: set)
        for w in evaluator.warnings { printError("vigil: warning: \(w.description)") }
        if evaluator.rules.isEmpty { printError("vigil: warning: no active rules") }

        let alertFormat: AlertFormat = json || format == "json" ? .json : .text
        var outputs: [any AlertOutput] = []
        if let output { outputs.append(try FileOutput(path: output, format: alertFormat)) } else { outputs.append(StandardOutput(format: alertFormat)) }
        if let webhook {
            guard (1...1_048_576).contains(webhookSpoolMb) else { throw CLIError("--webhook-spool-mb must be between 1 and 1048576, not \(webhookSpoolMb)") }
            let spool = webhookSpool ?? DatabaseLocation.cacheDirectory() + "/spool/webhook-" + Self.hexHash(webhook)
            guard webhookGrace.isFinite, (0...86_400).contains(webhookGrace) else { throw CLIError("--webhook-grace must be between 0 and 86400 seconds") }
            outputs.append(try WebhookOutput(url: webhook, spoolDirectory: spool, spoolBytes: webhookSpoolMb << 20,
                                             graceSeconds: webhookGrace,
                                             bearerToken: getenv("VIGIL_WEBHOOK_TOKEN").map { String(cString: $0) },
                                             report: { printError($0) }))
        }
        if syslog {
            outputs.append(try SyslogOutput(address: SyslogOutput.Address(syslogAddress), format: alertFormat, report: { printError($0) }))
        } else if syslogAddress != "unix:/dev/log" {
            throw CLIError("--syslog-address needs --syslog")
        }

        var session = ReplaySession(
            evaluator: evaluator,
            throttle: AlertThrottle(rate: rateLimit, burst: burst, dedupWindowSeconds: dedupWindow))
        session.profile = profile
        var responder: ResponseActions?
        if enableActions {
            var auditFD: Int32 = 2
            if let actionsLog {
                auditFD = open(actionsLog, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
                guard auditFD >= 0 else { throw CLIError("\(actionsLog): cannot open the actions log: \(String(cString: strerror(errno)))") }
            }
            let fd = auditFD
            let r = ResponseActions(audit: { line in
                do { try FDWriter.writeAll(fd, Array((line + "\n").utf8), what: actionsLog ?? "standard error") } catch {
                    printError("vigil: warning: \(error)")
                }
            })
            responder = r
            session.respond = { r.respond(to: $0) }
            let withActions = evaluator.rules.filter { !$0.rule.actions.isEmpty }.map(\.name)
            printError("vigil: actions enabled for \(withActions.count) rule(s)\(withActions.isEmpty ? "" : ": " + withActions.joined(separator: ", "))")
        } else if actionsLog != nil {
            throw CLIError("--actions-log needs --enable-actions")
        }
        var failures = 0
        let deliver: (Alert) -> Void = { alert in
            for i in outputs.indices {
                do { try outputs[i].emit(alert) } catch {
                    failures += 1
                    if failures <= 3 { printError("vigil: warning: output failed: \(error)") }
                }
            }
        }
        let summary: ReplaySession.Summary
        var live: LiveSensor?
        if let replay {
            summary = try session.run(path: replay, deliver: deliver)
        } else {
            var options = LiveSensor.Options(objectPath: Self.objectPath(bpfObject))
            options.includeHost = host
            options.recordPath = record
            options.statsInterval = stats ?? 0
            options.hostname = Hostname.current
            // read-only opens of paths no rule can match stay in the kernel; a recording keeps them all
            var openFilter = "every open reported"
            if record == nil, !allOpens {
                switch set.openReadFilter() {
                case .success(let f) where f.exact.count + f.prefixes.count > LiveSensor.openFilterCapacity:
                    openFilter = "every open reported: the rules name \(f.exact.count + f.prefixes.count) read paths, more than the kernel filter holds (\(LiveSensor.openFilterCapacity))"
                case .success(let f):
                    options.openReadPaths = (exact: f.exact.sorted(), prefixes: f.prefixes.sorted())
                    openFilter = "read-only opens reported for \(f.exact.count + f.prefixes.count) paths the rules name"
                case .failure(let why):
                    openFilter = "every open reported: rule '\(why.rule)' can match a read-only open of any path"
                }
            }
            vigil_install_stop_handlers()
            let sensor = try LiveSensor(options: options)
            live = sensor
            sensor.onStatistics = { printError($0) }
            printError("vigil: watching \(host ? "containers and host processes" : "containers") (\(sensor.programCount) kernel programs attached, \(evaluator.rules.count) active rules; \(openFilter)); SIGINT or SIGTERM stops")
            var source = sensor
            summary = try session.run(source: &source, deliver: deliver)
            sensor.refreshCounters()
            sensor.close()
        }
        for i in outputs.indices { outputs[i].close() }
        if let responder {
            printError("vigil: actions: \(responder.performed) carried out, \(responder.skipped) skipped, \(responder.failed) failed")
        }
        if profile, summary.events > 0 {
            let n = Double(summary.events)
            let alerts = max(1, summary.matches)
            printError("vigil: profile: decode+state \(Int(Double(summary.decodeNanos) / n)) ns/event, rules \(Int(Double(summary.evaluateNanos) / n)) ns/event (\(Int(n * 1e9 / Double(max(1, summary.evaluateNanos)))) events/s), alerts \(Int(Double(summary.alertNanos) / Double(alerts))) ns/alert")
        }
        if let live { printError(live.statisticsLine()) }
        let c = summary.counters
        printError("vigil: \(summary.events) events, \(evaluator.rules.count) active rules, \(c.emitted) alerts (\(c.rateLimited) rate-limited, \(c.duplicates) duplicates suppressed\(failures > 0 ? ", \(failures) output failures" : ""))")
    }

    /// FNV-1a of a URL, in hex: one spool directory per receiver.
    static func hexHash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }

    /// `--bpf-object`, else `$VIGIL_BPF_OBJECT`, else `vigil.bpf.o` beside the executable.
    static func objectPath(_ option: String?) -> String {
        if let option { return option }
        if let env = getenv("VIGIL_BPF_OBJECT") { return String(cString: env) }
        var buf = [CChar](repeating: 0, count: 4097)
        let n = readlink("/proc/self/exe", &buf, 4096)
        let exe = n > 0 ? String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        let dir = exe.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return (dir.isEmpty ? "." : dir) + "/vigil.bpf.o"
    }
}
