import JSONValue
import Sensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fired rule, formatted the way Falco formats alerts.
public struct Alert: Sendable {
    public var rule: String
    public var priority: RulePriority
    /// The rule's output with `%field`s substituted.
    public var output: String
    /// Event time, ns since the epoch.
    public var time: Int64
    public var outputFields: [(String, FieldValue?)]
    public var hostname: String
    public var tags: [String]
    public var source: String
    /// The process that triggered the rule: host pid, its name (comm) and container (`host` on the host).
    public var pid: Int64
    public var processName: String
    public var containerID: String
    /// The rule's `actions:` and `host:` (for `vigil watch --enable-actions`).
    public var actions: [RuleAction]
    public var actionsOnHost: Bool

    public init(match: RuleMatch, event: Event, state: SystemState, hostname: String) {
        let r = match.rule
        pid = match.process.pid
        processName = match.process.comm
        containerID = match.process.containerID
        actions = r.rule.actions
        actionsOnHost = r.rule.actionsOnHost
        rule = r.name
        priority = r.rule.priority
        time = event.ts
        self.hostname = hostname
        tags = r.rule.tags
        source = r.rule.source
        var fields: [(String, FieldValue?)] = []
        fields.reserveCapacity(r.outputFields.count)
        for f in r.outputFields {
            fields.append((f.name, f.ref.flatMap { FieldExtractor.extract($0, event, match.process, state) }))
        }
        outputFields = fields
        var text = ""
        for piece in r.outputPlan {
            switch piece {
            case .text(let t): text += t
            case .field(let i): text += fields[i].1?.text ?? "<NA>"
            }
        }
        output = text
    }

    /// Falco's text line: `HH:MM:SS.nnnnnnnnn: Priority output` (UTC).
    public var textLine: String {
        "\(TimeFormat.clock(time)): \(priority.name) \(output)"
    }

    /// Falco's JSON alert.
    public var json: JSON {
        .object([
            ("output", .string(textLine)),
            ("priority", .string(priority.name)),
            ("rule", .string(rule)),
            ("time", .string(TimeFormat.iso8601(time))),
            ("output_fields", .object(outputFields.map { name, value in
                let v: JSON
                switch value {
                case .none: v = .null
                case .some(.string(let s)): v = .string(s)
                case .some(.number(let n)): v = .int(n)
                case .some(.bool(let b)): v = .bool(b)
                }
                return (name, v)
            })),
            ("hostname", .string(hostname)),
            ("tags", .array(tags.map(JSON.string))),
            ("source", .string(source)),
        ])
    }

    /// The JSON alert on one line: the bytes `JSONPrinter(indent: 0, escapeHTML: false)` prints
    /// for `json`, written straight through `JSONEmitter` without building the tree (half of an
    /// alert's cost; OutputTests compares the two).
    public func jsonLine() -> String {
        String(decoding: jsonBytes(), as: UTF8.self)
    }

    /// `jsonLine()` as UTF-8.
    public func jsonBytes() -> [UInt8] {
        // one line, no colours: the punctuation and the fixed keys go in as literal bytes, the
        // values through the emitter's escaping
        let e = JSONEmitter(style: JSONStyle(indent: 0, escaping: .go(escapeHTML: false)))
        var out: [UInt8] = []
        out.reserveCapacity(256 + output.utf8.count * 2)
        out.append(contentsOf: #"{"output":"#.utf8)
        e.string(textLine, &out)
        out.append(contentsOf: #","priority":"#.utf8)
        e.string(priority.name, &out)
        out.append(contentsOf: #","rule":"#.utf8)
        e.string(rule, &out)
        out.append(contentsOf: #","time":"#.utf8)
        e.string(TimeFormat.iso8601(time), &out)
        out.append(contentsOf: #","output_fields":{"#.utf8)
        for (i, (name, value)) in outputFields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            e.string(name, &out)
            out.append(UInt8(ascii: ":"))
            switch value {
            case .none: out.append(contentsOf: "null".utf8)
            case .some(.string(let s)): e.string(s, &out)
            case .some(.number(let n)): out.append(contentsOf: String(n).utf8)
            case .some(.bool(let b)): out.append(contentsOf: (b ? "true" : "false").utf8)
            }
        }
        out.append(contentsOf: #"},"hostname":"#.utf8)
        e.string(hostname, &out)
        out.append(contentsOf: #","tags":["#.utf8)
        for (i, t) in tags.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            e.string(t, &out)
        }
        out.append(contentsOf: #"],"source":"#.utf8)
        e.string(source, &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}

/// Timestamps as Falco prints them, in UTC, without Foundation: digits written straight into
/// the string (no per-field `String`s; two per alert on the replay path).
public enum TimeFormat {
    static func components(_ ns: Int64) -> (tm, Int64) {
        var secs = time_t(ns / 1_000_000_000)
        var frac = ns % 1_000_000_000
        if frac < 0 { frac += 1_000_000_000; secs -= 1 }
        var t = tm()
        gmtime_r(&secs, &t)
        return (t, frac)
    }

    /// `v` in `width` digits, zero-padded (every field here fits: years of an Int64 nanosecond
    /// time are 1677…2262).
    @inline(__always)
    private static func put(_ v: Int, _ width: Int, _ out: UnsafeMutableBufferPointer<UInt8>, _ n: inout Int) {
        var x = v
        var k = width
        while k > 0 {
            k -= 1
            out[n + k] = UInt8(ascii: "0") + UInt8(x % 10)
            x /= 10
        }
        n += width
    }

    private static func putClock(_ t: tm, _ frac: Int64, _ out: UnsafeMutableBufferPointer<UInt8>, _ n: inout Int) {
        put(Int(t.tm_hour), 2, out, &n)
        out[n] = UInt8(ascii: ":"); n += 1
        put(Int(t.tm_min), 2, out, &n)
        out[n] = UInt8(ascii: ":"); n += 1
        put(Int(t.tm_sec), 2, out, &n)
        out[n] = UInt8(ascii: "."); n += 1
        put(Int(frac), 9, out, &n)
    }

    /// `2024-01-02T03:04:05.123456789Z`
    public static func iso8601(_ ns: Int64) -> String {
        let (t, frac) = components(ns)
        return String(unsafeUninitializedCapacity: 30) { out in
            var n = 0
            put(Int(t.tm_year) + 1900, 4, out, &n)
            out[n] = UInt8(ascii: "-"); n += 1
            put(Int(t.tm_mon) + 1, 2, out, &n)
            out[n] = UInt8(ascii: "-"); n += 1
            put(Int(t.tm_mday), 2, out, &n)
            out[n] = UInt8(ascii: "T"); n += 1
            putClock(t, frac, out, &n)
            out[n] = UInt8(ascii: "Z"); n += 1
            return n
        }
    }

    /// `03:04:05.123456789`
    public static func clock(_ ns: Int64) -> String {
        let (t, frac) = components(ns)
        return String(unsafeUninitializedCapacity: 18) { out in
            var n = 0
            putClock(t, frac, out, &n)
            return n
        }
    }
}

/// The machine's host name, for alerts.
public enum Hostname {
    public static var current: String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count) == 0 else { return "localhost" }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
