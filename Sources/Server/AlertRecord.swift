import Crypto
import JSONValue
import VigilCore

/// One alert ready to store: the columns the read API filters on, and the alert's JSON whole.
/// Built from Falco's JSON alert (`output`, `priority`, `rule`, `time`, `output_fields`,
/// `hostname`, `tags`), the body `vigil watch --webhook`, Falco's `http_output` and
/// falcosidekick send.
struct AlertRecord: Sendable, Equatable {
    var node: String
    var containerID: String
    var image: String
    var rule: String
    var priority: String
    var timeMicros: Int64
    /// Unique per tenant when set; a repeat is not stored.
    var dedupKey: String
    /// Compact JSON text of the alert as received.
    var body: String

    /// Falco's priority names, most severe first; `Info` is accepted for `Informational`.
    static let priorities = ["Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"]

    /// The canonical priority name for `name` (any case), or nil.
    static func canonicalPriority(_ name: String) -> String? {
        let lower = name.lowercased()
        if lower == "info" { return "Informational" }
        return priorities.first { $0.lowercased() == lower }
    }

    /// Reads one alert. `item` names it in errors ("alert 3").
    init(json: JSON, item: String) throws(ServerError) {
        guard case .object(let members) = json else {
            throw ServerError(.badRequest, "expected a JSON object (a Falco alert)", location: item)
        }
        func string(_ key: String) -> String? {
            for (k, v) in members where k == key { if case .string(let s) = v { return s } }
            return nil
        }
        guard let rule = string("rule"), !rule.isEmpty else {
            throw ServerError(.badRequest, "missing string \"rule\"", location: item)
        }
        guard let priorityText = string("priority") else {
            throw ServerError(.badRequest, "missing string \"priority\"", location: item)
        }
        guard let priority = Self.canonicalPriority(priorityText) else {
            throw ServerError(.badRequest, "unknown priority \"\(priorityText)\"", location: item)
        }
        guard let timeText = string("time") else {
            throw ServerError(.badRequest, "missing string \"time\"", location: item)
        }
        guard let micros = AlertTime.microseconds(timeText) else {
            throw ServerError(.badRequest, "\"time\" is not an RFC 3339 timestamp: \(timeText.prefix(40))", location: item)
        }
        var fields: [(String, JSON)] = []
        for (k, v) in members where k == "output_fields" { if case .object(let o) = v { fields = o } }
        func field(_ key: String) -> String? {
            for (k, v) in fields where k == key {
                switch v {
                case .string(let s): return s
                case .number(let n): return n
                default: return nil
                }
            }
            return nil
        }
        // PostgreSQL's text and jsonb cannot hold U+0000 (a command line can carry one): it is
        // stored as U+FFFD rather than the alert being refused or retried for ever.
        self.rule = Self.storable(rule)
        self.priority = priority
        self.timeMicros = micros
        node = Self.storable(string("hostname") ?? "")
        containerID = Self.storable(field("container.id") ?? "")
        if let repo = field("container.image.repository"), !repo.isEmpty {
            image = Self.storable(field("container.image.tag").map { $0.isEmpty ? repo : "\(repo):\($0)" } ?? repo)
        } else {
            image = Self.storable(field("container.image") ?? "")
        }
        dedupKey = ""
        var out: [UInt8] = []
        JSONPrinter(indent: 0, escapeHTML: false).write(json, level: 0, into: &out)
        if Self.containsNULEscape(out) {
            out.removeAll()
            JSONPrinter(indent: 0, escapeHTML: false).write(Self.withoutNUL(json), level: 0, into: &out)
        }
        body = String(decoding: out, as: UTF8.self)
    }

    static func storable(_ s: String) -> String {
        guard s.utf8.contains(0) else { return s }
        var scalars = String.UnicodeScalarView()
        for u in s.unicodeScalars { scalars.append(u.value == 0 ? "\u{FFFD}" : u) }
        return String(scalars)
    }

    /// Whether printed JSON holds `\u0000` (the printer escapes U+0000 so).
    static func containsNULEscape(_ out: [UInt8]) -> Bool {
        let needle = Array("\\u0000".utf8)
        guard out.count >= needle.count else { return false }
        for i in 0...(out.count - needle.count) where out[i] == needle[0] && Array(out[i..<(i + needle.count)]) == needle {
            // An escaped backslash before it (`\\u0000` in the text) is not a NUL escape.
            var backslashes = 0
            var j = i - 1
            while j >= 0, out[j] == 0x5C { backslashes += 1; j -= 1 }
            if backslashes % 2 == 0 { return true }
        }
        return false
    }

    static func withoutNUL(_ json: JSON) -> JSON {
        switch json {
        case .string(let s): return .string(storable(s))
        case .array(let a): return .array(a.map(withoutNUL))
        case .object(let o): return .object(o.map { (storable($0.0), withoutNUL($0.1)) })
        default: return json
        }
    }

    /// Sets the idempotency key from the sender's `X-Vigil-Alert-ID`. The id alone is only unique
    /// within one sender's spool (`segment-offset`, restarting when a spool directory is new), so
    /// the key is SHA-256 over node, id and body: a retry of the same alert matches, another
    /// node's or a later run's alert with a recycled id does not.
    mutating func setDeliveryID(_ id: String) {
        var h = SHA256()
        h.update(data: Array(node.utf8)); h.update(data: [0])
        h.update(data: Array(id.utf8)); h.update(data: [0])
        h.update(data: Array(body.utf8))
        dedupKey = TokenStore.hex(Array(h.finalize()))
    }
}
