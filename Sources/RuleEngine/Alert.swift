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

    public init(match: RuleMatch, event: Event, state: SystemState, hostname: String) {
        let r = match.rule
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
        let e = JSONEmitter(style: JSONStyle(indent: 0, escaping: .go(escapeHTML: false)))
        var out: [UInt8] = []
        out.reserveCapacity(256 + output.utf8.count * 2)
        e.objectStart(&out)
        e.objectKey("output", index: 0, level: 0, &out)
        e.string(textLine, &out)
        e.objectKey("priority", index: 1, level: 0, &out)
        e.string(priority.name, &out)
        e.objectKey("rule", index: 2, level: 0, &out)
        e.string(rule, &out)
        e.objectKey("time", index: 3, level: 0, &out)
        e.string(TimeFormat.iso8601(time), &out)
        e.objectKey("output_fields", index: 4, level: 0, &out)
        if outputFields.isEmpty {
            e.emptyObject(&out)
        } else {
            e.objectStart(&out)
            for (i, (name, value)) in outputFields.enumerated() {
                e.objectKey(name, index: i, level: 1, &out)
                switch value {
                case .none: e.null(&out)
                case .some(.string(let s)): e.string(s, &out)
                case .some(.number(let n)): e.number(String(n), &out)
                case .some(.bool(let b)): e.bool(b, &out)
                }
            }
            e.objectEnd(level: 1, &out)
        }
        e.objectKey("hostname", index: 5, level: 0, &out)
        e.string(hostname, &out)
        e.objectKey("tags", index: 6, level: 0, &out)
        if tags.isEmpty {
            e.emptyArray(&out)
        } else {
            e.arrayStart(&out)
            for (i, t) in tags.enumerated() {
                e.arrayElement(i, level: 1, &out)
                e.string(t, &out)
            }
            e.arrayEnd(level: 1, &out)
        }
        e.objectKey("source", index: 7, level: 0, &out)
        e.string(source, &out)
        e.objectEnd(level: 0, &out)
        return out
    }
}

/// Timestamps as Falco prints them, in UTC, without Foundation.
public enum TimeFormat {
    static func components(_ ns: Int64) -> (tm, Int64) {
        var secs = time_t(ns / 1_000_000_000)
        var frac = ns % 1_000_000_000
        if frac < 0 { frac += 1_000_000_000; secs -= 1 }
        var t = tm()
        gmtime_r(&secs, &t)
        return (t, frac)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `2024-01-02T03:04:05.123456789Z`
    public static func iso8601(_ ns: Int64) -> String {
        let (t, frac) = components(ns)
        return "\(pad(Int(t.tm_year) + 1900, 4))-\(pad(Int(t.tm_mon) + 1, 2))-\(pad(Int(t.tm_mday), 2))T\(pad(Int(t.tm_hour), 2)):\(pad(Int(t.tm_min), 2)):\(pad(Int(t.tm_sec), 2)).\(pad(Int(frac), 9))Z"
    }

    /// `03:04:05.123456789`
    public static func clock(_ ns: Int64) -> String {
        let (t, frac) = components(ns)
        return "\(pad(Int(t.tm_hour), 2)):\(pad(Int(t.tm_min), 2)):\(pad(Int(t.tm_sec), 2)).\(pad(Int(frac), 9))"
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
