import PostgresNIO
import VigilCore

/// `GET /api/v1/alerts` query parameters: time range, exact matches, page size and cursor.
/// Results are newest first; the cursor is the (time, id) of the last row returned.
struct AlertFilter: Sendable, Equatable {
    var sinceMicros: Int64?
    var untilMicros: Int64?
    var container: String?
    var rule: String?
    var node: String?
    var priorities: [String] = []
    var limit = 100
    var cursor: (time: Int64, id: Int64)?

    static let maxLimit = 1000

    static func == (a: AlertFilter, b: AlertFilter) -> Bool {
        a.sinceMicros == b.sinceMicros && a.untilMicros == b.untilMicros && a.container == b.container && a.rule == b.rule
            && a.node == b.node && a.priorities == b.priorities && a.limit == b.limit && a.cursor?.time == b.cursor?.time
            && a.cursor?.id == b.cursor?.id
    }

    /// Reads decoded query parameters; an unknown or malformed one is an error (never ignored).
    init(parameters: [(String, String)]) throws(ServerError) {
        for (key, value) in parameters {
            switch key {
            case "since", "until":
                guard let t = AlertTime.microseconds(value) else {
                    throw ServerError(.badRequest, "not an RFC 3339 timestamp", location: key)
                }
                if key == "since" { sinceMicros = t } else { untilMicros = t }
            case "container": container = value
            case "rule": rule = value
            case "node": node = value
            case "priority":
                for name in value.split(separator: ",") {
                    guard let p = AlertRecord.canonicalPriority(String(name)) else {
                        throw ServerError(.badRequest, "unknown priority \"\(name)\"", location: key)
                    }
                    priorities.append(p)
                }
            case "limit":
                guard let n = Int(value), n >= 1, n <= Self.maxLimit else {
                    throw ServerError(.badRequest, "must be 1-\(Self.maxLimit)", location: key)
                }
                limit = n
            case "cursor":
                let parts = value.split(separator: ".")
                guard parts.count == 2, let t = Int64(parts[0]), let id = Int64(parts[1]) else {
                    throw ServerError(.badRequest, "malformed cursor (pass next_cursor back unchanged)", location: key)
                }
                cursor = (t, id)
            default:
                throw ServerError(.badRequest, "unknown parameter (since, until, container, rule, priority, node, limit, cursor)", location: key)
            }
        }
    }

    /// The SELECT for `tenant`, one row more than `limit` to know whether a next page exists.
    func query(tenant: String) -> PostgresQuery {
        var q = PostgresQuery.StringInterpolation(literalCapacity: 512, interpolationCount: 10)
        q.appendLiteral("""
            SELECT id, node, container_id, coalesce(image, ''), rule, priority,
                   (extract(epoch FROM time) * 1000000)::int8, body::text
            FROM alerts WHERE tenant = 
            """)
        q.appendInterpolation(tenant)
        let epoch = "timestamptz 'epoch' + interval '1 microsecond' * "
        if let sinceMicros { q.appendLiteral(" AND time >= \(epoch)"); q.appendInterpolation(sinceMicros) }
        if let untilMicros { q.appendLiteral(" AND time < \(epoch)"); q.appendInterpolation(untilMicros) }
        if let container { q.appendLiteral(" AND container_id = "); q.appendInterpolation(container) }
        if let rule { q.appendLiteral(" AND rule = "); q.appendInterpolation(rule) }
        if let node { q.appendLiteral(" AND node = "); q.appendInterpolation(node) }
        if !priorities.isEmpty { q.appendLiteral(" AND priority = ANY("); q.appendInterpolation(priorities); q.appendLiteral("::text[])") }
        if let cursor {
            q.appendLiteral(" AND (time, id) < (\(epoch)")
            q.appendInterpolation(cursor.time)
            q.appendLiteral(", ")
            q.appendInterpolation(cursor.id)
            q.appendLiteral(")")
        }
        q.appendLiteral(" ORDER BY time DESC, id DESC LIMIT ")
        q.appendInterpolation(limit + 1)
        return PostgresQuery(stringInterpolation: q)
    }
}
