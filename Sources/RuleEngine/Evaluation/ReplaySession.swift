import Sensor

import VigilCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evaluates a recording end to end: state rebuilt from the stream, rules indexed by event type,
/// alerts throttled and handed to outputs. Deterministic: alert times are event times.
public struct ReplaySession {
    /// What a replay did.
    public struct Summary: Sendable {
        public var events = 0
        public var matches = 0
        public var counters = AlertThrottle.Counters()
        public var perRule: [String: AlertThrottle.Counters] = [:]
        /// Nanoseconds spent decoding events and updating state, evaluating rules, and
        /// formatting/delivering alerts (filled when `profile` is on).
        public var decodeNanos: Int64 = 0
        public var evaluateNanos: Int64 = 0
        public var alertNanos: Int64 = 0
    }

    /// Measure where time goes (adds two clock reads per event).
    public var profile = false

    public let evaluator: RuleEvaluator
    public var throttle: AlertThrottle
    public var hostname: String

    /// Called for every match of a rule with `actions:`, before and regardless of throttling (a
    /// suppressed duplicate alert must not spare a second attacker process).
    public var respond: ((Alert) -> Void)?

    public init(evaluator: RuleEvaluator, throttle: AlertThrottle = AlertThrottle(), hostname: String = Hostname.current) {
        self.evaluator = evaluator
        self.throttle = throttle
        self.hostname = hostname
    }

    /// Replays `path`, calling `deliver` for each alert that passes the throttle.
    public mutating func run(path: String, deliver: (Alert) -> Void) throws(RuleEngineError) -> Summary {
        var replay: EventReplay
        do { replay = try EventReplay(path: path, hostname: hostname) } catch {
            throw RuleEngineError(.io, "cannot read events: \(error.reason)", location: path)
        }
        defer { replay.close() }
        return try run(source: &replay, deliver: deliver)
    }

    /// Evaluates every event of `source` (a recording or the live sensor) until it ends.
    public mutating func run<Source: EventSource>(source: inout Source, deliver: (Alert) -> Void) throws(RuleEngineError) -> Summary {
        var summary = Summary()
        var pending: [RuleMatch] = []
        var t0 = profile ? MonotonicClock.nanos() : 0
        while true {
            let next: Event?
            do { next = try source.next() } catch {
                throw RuleEngineError(.events, error.message, location: error.location)
            }
            guard let event = next else { break }
            summary.events += 1
            pending.removeAll(keepingCapacity: true)
            var t1: Int64 = 0
            if profile { t1 = MonotonicClock.nanos(); summary.decodeNanos += t1 - t0 }
            evaluator.forEachMatch(event, state: source.state) { pending.append(RuleMatch(rule: $0, process: $1)) }
            if profile { t0 = MonotonicClock.nanos(); summary.evaluateNanos += t0 - t1 }
            if pending.isEmpty { continue }
            defer { if profile { let t = MonotonicClock.nanos(); summary.alertNanos += t - t0; t0 = t } }
            for m in pending {
                summary.matches += 1
                let alert = Alert(match: m, event: event, state: source.state, hostname: hostname)
                if let respond, !alert.actions.isEmpty { respond(alert) }
                if throttle.decide(rule: alert.rule, output: alert.output, time: alert.time) == .emit {
                    deliver(alert)
                }
            }
        }
        summary.counters = throttle.totals
        summary.perRule = throttle.counters
        return summary
    }
}
