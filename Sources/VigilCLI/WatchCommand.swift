import ArgumentParser
import RuleEngine
import Sensor

/// `vigil watch`: evaluate Falco-compatible rules over events and raise alerts.
///
/// Today events come from a recording (`--replay`); live monitoring arrives with the kernel
/// sensor and will write the same JSON-lines format (docs/events.md).
public struct WatchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Detect intrusions: evaluate rules over a recorded event stream and raise alerts.",
        discussion: """
            Vigil's default rules are loaded first, then each --rules file in order (Falco's
            override/append semantics apply across files).

            Examples:
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

    @Flag(name: .long, help: "Print alerts as Falco JSON instead of text lines.")
    var json = false

    @Option(name: [.customShort("o"), .long], help: "Append alerts to this file instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Also POST each alert as JSON to this http:// URL.")
    var webhook: String?

    @Flag(name: .long, help: "Also send alerts to syslog (facility daemon).")
    var syslog = false

    @Option(name: .long, help: "Alerts per second allowed per rule (0 = unlimited).")
    var rateLimit: Double = 10

    @Option(name: .long, help: "Burst of alerts allowed per rule before rate limiting.")
    var burst: Double = 50

    @Option(name: .long, help: "Suppress an alert identical to one raised within this many seconds (0 = off).")
    var dedupWindow: Double = 60

    @Flag(name: .long, help: "Report where time goes (decode and state, rule evaluation, alerts) on stderr.")
    var profile = false

    public init() {}

    public func run() throws {
        guard let replay else {
            throw RuleEngineError(.usage, "live monitoring needs the kernel sensor, which this build does not have yet; use --replay FILE to evaluate a recording")
        }
        let set = try RuleSet.load(files: rules, includeDefaults: !noDefaults).checked()
        for w in set.warnings { printError("vigil: warning: \(w.description)") }
        let evaluator = RuleEvaluator(rules: set)
        for w in evaluator.warnings { printError("vigil: warning: \(w.description)") }
        if evaluator.rules.isEmpty { printError("vigil: warning: no active rules") }

        let format: AlertFormat = json ? .json : .text
        var outputs: [any AlertOutput] = []
        if let output { outputs.append(try FileOutput(path: output, format: format)) } else { outputs.append(StandardOutput(format: format)) }
        if let webhook { outputs.append(try WebhookOutput(url: webhook)) }
        if syslog { outputs.append(SyslogOutput(format: format)) }

        var session = ReplaySession(
            evaluator: evaluator,
            throttle: AlertThrottle(rate: rateLimit, burst: burst, dedupWindowSeconds: dedupWindow))
        session.profile = profile
        var failures = 0
        let summary = try session.run(path: replay) { alert in
            for i in outputs.indices {
                do { try outputs[i].emit(alert) } catch {
                    failures += 1
                    if failures <= 3 { printError("vigil: warning: output failed: \(error)") }
                }
            }
        }
        for i in outputs.indices { outputs[i].close() }
        if profile, summary.events > 0 {
            let n = Double(summary.events)
            let alerts = max(1, summary.matches)
            printError("vigil: profile: decode+state \(Int(Double(summary.decodeNanos) / n)) ns/event, rules \(Int(Double(summary.evaluateNanos) / n)) ns/event (\(Int(n * 1e9 / Double(max(1, summary.evaluateNanos)))) events/s), alerts \(Int(Double(summary.alertNanos) / Double(alerts))) ns/alert")
        }
        let c = summary.counters
        printError("vigil: \(summary.events) events, \(evaluator.rules.count) active rules, \(c.emitted) alerts (\(c.rateLimited) rate-limited, \(c.duplicates) duplicates suppressed\(failures > 0 ? ", \(failures) output failures" : ""))")
    }
}
