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
        self.rule = rule
        self.priority = priority
        self.timeMicros = micros
        node = string("hostname") ?? ""
        containerID = field("container.id") ?? ""
        if let repo = field("container.image.repository"), !repo.isEmpty {
            image = field("container.image.tag").map { $0.isEmpty ? repo : "\(repo):\($0)" } ?? repo
        } else {
            image = field("container.image") ?? ""
        }
        dedupKey = ""
        var out: [UInt8] = []
        JSONPrinter(indent: 0, escapeHTML: false).write(json, level: 0, into: &out)
        body = String(decoding: out, as: UTF8.self)
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
