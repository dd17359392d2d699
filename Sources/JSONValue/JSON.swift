/// A JSON value with object keys kept in document order.
///
/// Numbers keep the literal text they were parsed from, so values pass through unchanged
/// (`4.0` stays `4.0`, integers beyond 2^53 keep every digit).
public enum JSON: Hashable, Sendable {
    case null
    case bool(Bool)
    /// The number's literal text, already validated as JSON number syntax.
    case number(String)
    case string(String)
    case array([JSON])
    /// Members in document order; duplicate keys are kept as written.
    case object([(String, JSON)])

    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b || Double(a) == Double(b)
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let n): hasher.combine(Double(n) ?? 0)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let o):
            for (k, v) in o { hasher.combine(k); hasher.combine(v) }
        }
    }

    /// Makes a number from an integer.
    public static func int<I: BinaryInteger>(_ value: I) -> JSON { .number(String(value)) }

    /// Makes a number from a double, printed the shortest way that round-trips (`5`, `5.3`).
    public static func double(_ value: Double) -> JSON {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            return .number(String(Int64(value)))
        }
        return .number(String(value))
    }

    /// Member lookup on objects (first match); nil for other kinds.
    public subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: [(String, JSON)]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The number as an Int64 when it is an integer literal in range.
    public var int64Value: Int64? {
        if case .number(let n) = self { return Int64(n) ?? Double(n).flatMap { $0 == $0.rounded() ? Int64(exactly: $0) : nil } }
        return nil
    }

    /// The number as a Double.
    public var doubleValue: Double? {
        if case .number(let n) = self { return Double(n) }
        return nil
    }
}
