import AlertDelivery
import CVigilBPF
import KernelSensor
import RuleEngine
import Sensor
import VigilCore

#if canImport(Glibc)
import Glibc
#endif

/// One `vigil watch` run: loads the rules, builds the alert outputs, chooses what the kernel
/// filters, sets up response actions and the stop signals, then evaluates events from the live
/// sensor or a recording until the stream ends or SIGINT/SIGTERM. Status lines (warnings, the
/// sensor's statistics, the final counts) go to `report`, one complete line at a time.
public struct WatchSession {
    /// What the session watches and where alerts go.
    public var configuration: WatchConfiguration
    /// Receives each status line (`vigil: warning: …`, `vigil: watching …`, the summary).
    public var report: (String) -> Void

    /// A session with `configuration` whose status lines go to `report`.
    public init(configuration: WatchConfiguration, report: @escaping (String) -> Void) {
        self.configuration = configuration
        self.report = report
    }

    /// Runs until the recording ends or a stop signal arrives; throws when the rules, an output,
    /// the actions log or the sensor cannot be set up, or the recording is malformed.
    public func run() throws {
        let configuration = self.configuration
        let printError = self.report
        let set = try RuleSet.load(files: configuration.rulesFiles, includeDefaults: configuration.includeDefaults).checked()
        for w in set.warnings { printError("vigil: warning: \(w.description)") }
        let evaluator = RuleEvaluator(rules: set)
        for w in evaluator.warnings { printError("vigil: warning: \(w.description)") }
        if evaluator.rules.isEmpty { printError("vigil: warning: no active rules") }

        let alertFormat = configuration.alertFormat
        var outputs: [any AlertOutput] = []
        if let output = configuration.outputPath { outputs.append(try FileOutput(path: output, format: alertFormat)) } else { outputs.append(StandardOutput(format: alertFormat)) }
        if let webhook = configuration.webhook {
            let spool = webhook.spoolDirectory ?? configuration.cacheDirectory + "/spool/webhook-" + Self.hexHash(webhook.url)
            outputs.append(try WebhookOutput(url: webhook.url, spoolDirectory: spool, spoolBytes: webhook.spoolBytes,
                                             graceSeconds: webhook.graceSeconds, bearerToken: webhook.bearerToken,
                                             batchLines: webhook.batchLines, report: { printError($0) }))
        }
        if let syslogAddress = configuration.syslogAddress {
            outputs.append(try SyslogOutput(address: SyslogOutput.Address(syslogAddress), format: alertFormat, report: { printError($0) }))
        }

        var session = ReplaySession(
            evaluator: evaluator,
            throttle: AlertThrottle(rate: configuration.rateLimit, burst: configuration.burst, dedupWindowSeconds: configuration.dedupWindowSeconds))
        session.profile = configuration.profile
        var responder: ResponseActions?
        if configuration.enableActions {
            let actionsLog = configuration.actionsLog
            var auditFD: Int32 = 2
            if let actionsLog {
                auditFD = open(actionsLog, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
                guard auditFD >= 0 else { throw WatchError(.actionsLog, "\(actionsLog): cannot open the actions log: \(String(cString: strerror(errno)))") }
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
        switch configuration.source {
        case .replay(let replay):
            summary = try session.run(path: replay, deliver: deliver)
        case .live(let settings):
            var options = LiveSensor.Options(objectPath: Self.objectPath(settings.objectPath))
            options.includeHost = settings.includeHost
            options.recordPath = settings.recordPath
            options.statsInterval = settings.statsInterval ?? 0
            options.hostname = Hostname.current
            // read-only opens of paths no rule can match stay in the kernel; a recording keeps them all
            var openFilter = "every open reported"
            if settings.recordPath == nil, !settings.allOpens {
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
            printError("vigil: watching \(settings.includeHost ? "containers and host processes" : "containers") (\(sensor.programCount) kernel programs attached, \(evaluator.rules.count) active rules; \(openFilter)); SIGINT or SIGTERM stops")
            var source = sensor
            summary = try session.run(source: &source, deliver: deliver)
            sensor.refreshCounters()
            sensor.close()
        }
        for i in outputs.indices { outputs[i].close() }
        if let responder {
            printError("vigil: actions: \(responder.performed) carried out, \(responder.skipped) skipped, \(responder.failed) failed")
        }
        if configuration.profile, summary.events > 0 {
            let n = Double(summary.events)
            let alerts = max(1, summary.matches)
            printError("vigil: profile: decode+state \(Int(Double(summary.decodeNanos) / n)) ns/event, rules \(Int(Double(summary.evaluateNanos) / n)) ns/event (\(Int(n * 1e9 / Double(max(1, summary.evaluateNanos)))) events/s), alerts \(Int(Double(summary.alertNanos) / Double(alerts))) ns/alert")
        }
        if let live { printError(live.statisticsLine()) }
        let c = summary.counters
        printError("vigil: \(summary.events) events, \(evaluator.rules.count) active rules, \(c.emitted) alerts (\(c.rateLimited) rate-limited, \(c.duplicates) duplicates suppressed\(failures > 0 ? ", \(failures) output failures" : ""))")
    }

    /// FNV-1a of a URL, in hex: one spool directory per receiver.
    public static func hexHash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }

    /// The sensor object: the one given, else `$VIGIL_BPF_OBJECT`, else `vigil.bpf.o` beside the executable.
    public static func objectPath(_ option: String?) -> String {
        if let option { return option }
        if let env = getenv("VIGIL_BPF_OBJECT") { return String(cString: env) }
        var buf = [CChar](repeating: 0, count: 4097)
        let n = readlink("/proc/self/exe", &buf, 4096)
        let exe = n > 0 ? String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        let dir = exe.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return (dir.isEmpty ? "." : dir) + "/vigil.bpf.o"
    }
}
