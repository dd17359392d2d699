/// Per-rule rate limiting and de-duplication, driven by event time so replays are deterministic.
///
/// Each rule has a token bucket (`rate` alerts per second, up to `burst` at once); an alert whose
/// rule and output text repeat within `dedupWindow` is counted, not emitted.
public struct AlertThrottle: Sendable {
    /// What happened to one alert.
    public enum Decision: Sendable, Equatable { case emit, rateLimited, duplicate }

    /// Counters per rule.
    public struct Counters: Sendable, Equatable {
        public var emitted = 0
        public var rateLimited = 0
        public var duplicates = 0
    }

    public var rate: Double
    public var burst: Double
    /// Nanoseconds; 0 disables de-duplication.
    public var dedupWindow: Int64

    private var buckets: [String: (tokens: Double, last: Int64)] = [:]
    private var lastSeen: [String: Int64] = [:]
    public private(set) var counters: [String: Counters] = [:]

    /// `rate` ≤ 0 disables rate limiting. Values the CLI refuses (NaN, infinite, a window past
    /// `Int64` nanoseconds) are clamped here rather than trapping: NaN means off.
    public init(rate: Double = 10, burst: Double = 50, dedupWindowSeconds: Double = 60) {
        self.rate = rate.isNaN ? 0 : rate
        self.burst = burst.isNaN ? 0 : burst
        let seconds = dedupWindowSeconds.isNaN ? 0 : Swift.min(Swift.max(dedupWindowSeconds, 0), 9e9)
        dedupWindow = Int64(seconds * 1_000_000_000)
    }

    public mutating func decide(rule: String, output: String, time: Int64) -> Decision {
        if dedupWindow > 0 {
            let key = rule + "\u{0}" + output
            if let seen = lastSeen[key], time - seen < dedupWindow, time >= seen {
                counters[rule, default: Counters()].duplicates += 1
                return .duplicate
            }
            lastSeen[key] = time
            if lastSeen.count > 100_000 { lastSeen = lastSeen.filter { time - $0.value < dedupWindow } }
        }
        if rate > 0 {
            var b = buckets[rule] ?? (tokens: burst, last: time)
            let elapsed = Double(max(0, time - b.last)) / 1_000_000_000
            b.tokens = min(burst, b.tokens + elapsed * rate)
            b.last = max(b.last, time)
            if b.tokens < 1 {
                buckets[rule] = b
                counters[rule, default: Counters()].rateLimited += 1
                return .rateLimited
            }
            b.tokens -= 1
            buckets[rule] = b
        }
        counters[rule, default: Counters()].emitted += 1
        return .emit
    }

    public var totals: Counters {
        counters.values.reduce(into: Counters()) {
            $0.emitted += $1.emitted
            $0.rateLimited += $1.rateLimited
            $0.duplicates += $1.duplicates
        }
    }
}
