import ArgumentParser
import Foundation
import Watch
import RuleEngine

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

    @Option(name: .long, help: ArgumentHelp("Send alerts to a `vigil server` (its base URL, http://): batches of up to 500 as NDJSON to /api/v1/alerts with $VIGIL_SERVER_TOKEN (else $VIGIL_WEBHOOK_TOKEN) as bearer token, through the same on-disk spool as --webhook.", valueName: "url"))
    var server: String?

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

    /// The session's configuration for these flags; the flag combinations the parser cannot
    /// check are refused here, before anything is loaded.
    func configuration() throws -> WatchConfiguration {
        if let format, format != "text", format != "json" {
            throw CLIError("--format must be text or json, not '\(format)'")
        }
        if replay != nil, record != nil || stats != nil || host || bpfObject != nil || allOpens {
            throw CLIError("--record, --stats, --host, --all-opens and --bpf-object apply to live monitoring, not to --replay")
        }
        if webhook != nil {
            guard (1...1_048_576).contains(webhookSpoolMb) else { throw CLIError("--webhook-spool-mb must be between 1 and 1048576, not \(webhookSpoolMb)") }
            guard webhookGrace.isFinite, (0...86_400).contains(webhookGrace) else { throw CLIError("--webhook-grace must be between 0 and 86400 seconds") }
        }
        if !syslog, syslogAddress != "unix:/dev/log" { throw CLIError("--syslog-address needs --syslog") }
        if !enableActions, actionsLog != nil { throw CLIError("--actions-log needs --enable-actions") }

        let source: WatchConfiguration.Source
        if let replay {
            source = .replay(path: replay)
        } else {
            var live = WatchConfiguration.Live()
            live.includeHost = host
            live.recordPath = record
            live.statsInterval = stats
            live.allOpens = allOpens
            live.objectPath = bpfObject
            source = .live(live)
        }
        var c = WatchConfiguration(source: source, cacheDirectory: DatabaseLocation.cacheDirectory())
        c.rulesFiles = rules
        c.includeDefaults = !noDefaults
        c.alertFormat = json || format == "json" ? .json : .text
        c.outputPath = output
        if webhook != nil, server != nil { throw CLIError("--webhook and --server both name a receiver: give one") }
        let environment = ProcessInfo.processInfo.environment
        if let server {
            var base = server
            while base.hasSuffix("/") { base.removeLast() }
            c.webhook = WatchConfiguration.Webhook(url: base + "/api/v1/alerts", spoolDirectory: webhookSpool, spoolBytes: webhookSpoolMb << 20,
                                                   graceSeconds: webhookGrace)
            c.webhook?.batchLines = 500
            c.webhook?.bearerToken = environment["VIGIL_SERVER_TOKEN"] ?? environment["VIGIL_WEBHOOK_TOKEN"]
        } else {
            c.webhook = webhook.map { WatchConfiguration.Webhook(url: $0, spoolDirectory: webhookSpool, spoolBytes: webhookSpoolMb << 20, graceSeconds: webhookGrace) }
            c.webhook?.bearerToken = environment["VIGIL_WEBHOOK_TOKEN"]
        }
        c.syslogAddress = syslog ? syslogAddress : nil
        c.rateLimit = rateLimit
        c.burst = burst
        c.dedupWindowSeconds = dedupWindow
        c.enableActions = enableActions
        c.actionsLog = actionsLog
        c.profile = profile
        return c
    }

    public func run() throws {
        try WatchSession(configuration: configuration(), report: { printError($0) }).run()
    }
}
