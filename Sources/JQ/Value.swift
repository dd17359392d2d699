/// A jq value: JSON plus number literals that keep their decimal text until arithmetic touches them.
public enum Value: Sendable {
    case null
    case bool(Bool)
    /// A number that was computed, printed the shortest way that round-trips.
    case number(Double)
    /// A number literal from input or program text; `text` is printed as written (canonicalised
    /// like jq's decNumber) while `double` is used for arithmetic.
    case literal(Double, String)
    case string(String)
    case array([Value])
    case object(JQObject)

    /// jq's type name.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number, .literal: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    var typeOrder: Int {
        switch self {
        case .null: return 0
        case .bool(let b): return b ? 2 : 1
        case .number, .literal: return 3
        case .string: return 4
        case .array: return 5
        case .object: return 6
        }
    }

    /// The number payload as a double, if a number.
    @inline(__always) var doubleValue: Double? {
        switch self {
        case .number(let d): return d
        case .literal(let d, _): return d
        default: return nil
        }
    }

    /// jq truthiness: everything but null and false.
    @inline(__always) public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        default: return true
        }
    }

    /// Moves the array out of `self`, leaving null, without copying it: binding a payload with
    /// `case .array(var a) = v` keeps a second reference alive (even with -O), so the first
    /// write to `a` would copy the whole array. Nil, `self` untouched, when not an array.
    @inline(__always) mutating func takeArray() -> [Value]? {
        guard case .array = self else { return nil }
        var taken = Value.null
        swap(&taken, &self)
        guard case .array(let a) = consume taken else { return nil }
        return a
    }

    /// The element count of an array (0 otherwise), without keeping a reference past the call.
    var arrayCount: Int {
        if case .array(let a) = self { return a.count }
        return 0
    }

    /// Moves the object out of `self` as `takeArray` does.
    @inline(__always) mutating func takeObject() -> JQObject? {
        guard case .object = self else { return nil }
        var taken = Value.null
        swap(&taken, &self)
        guard case .object(let o) = consume taken else { return nil }
        return o
    }

    static let emptyArray = Value.array([])
    static let emptyObject = Value.object(JQObject())
}

/// An object with keys kept in insertion order, as jq prints them.
public struct JQObject: Sendable {
    public private(set) var keys: [String]
    public private(set) var values: [Value]
    private var index: [String: Int]?

    public init() { keys = []; values = [] }

    public init(keys: [String], values: [Value]) {
        self.keys = keys
        self.values = values
        if keys.count > 32 { buildIndex() }
    }

    private mutating func buildIndex() {
        var d = [String: Int](minimumCapacity: keys.count)
        for (i, k) in keys.enumerated() { d[k] = i }
        index = d
    }

    public var count: Int { keys.count }

    @inline(__always) func position(of key: String) -> Int? {
        if let index { return index[key] }
        for i in keys.indices where keys[i] == key { return i }
        return nil
    }

    public subscript(key: String) -> Value? {
        get { position(of: key).map { values[$0] } }
        set {
            if let i = position(of: key) {
                if let newValue { values[i] = newValue } else { remove(at: i) }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
                if index != nil { index![key] = keys.count - 1 } else if keys.count > 32 { buildIndex() }
            }
        }
    }

    /// Runs `body` on the value under `key` in place (null when absent, then added), so a
    /// uniquely referenced child is updated without a copy.
    mutating func updateValue(forKey key: String, _ body: (inout Value) throws -> Void) rethrows {
        if let i = position(of: key) {
            try body(&values[i])
        } else {
            var v = Value.null
            try body(&v)
            self[key] = v
        }
    }

    /// Runs `body` on the value at position `i` in place.
    mutating func updateValue(at i: Int, _ body: (inout Value) throws -> Void) rethrows {
        try body(&values[i])
    }

    /// Removes every key in `doomed` in one pass.
    mutating func removeKeys(_ doomed: Set<String>) {
        var nk: [String] = [], nv: [Value] = []
        nk.reserveCapacity(keys.count)
        nv.reserveCapacity(keys.count)
        for i in keys.indices where !doomed.contains(keys[i]) {
            nk.append(keys[i])
            nv.append(values[i])
        }
        keys = nk
        values = nv
        index = nil
        if keys.count > 32 { buildIndex() }
    }

    private mutating func remove(at i: Int) {
        keys.remove(at: i)
        values.remove(at: i)
        if index != nil { buildIndex() }
    }

    /// Adds a key known to be new (parser fast path); falls back to replace when it is not.
    @inline(__always) mutating func appendOrReplace(_ key: String, _ value: Value) {
        self[key] = value
    }

    var sortedKeys: [String] { keys.sorted(by: jqStringLess) }

    public var pairs: Zip2Sequence<[String], [Value]> { zip(keys, values) }
}

/// Byte-wise (codepoint) string order, as jq compares strings.
@inline(__always) func jqStringLess(_ a: String, _ b: String) -> Bool {
    if a == b { return false }
    return a.utf8.lexicographicallyPrecedes(b.utf8)
}

@inline(__always) func jqStringCompare(_ a: String, _ b: String) -> Int {
    var ia = a.utf8.makeIterator(), ib = b.utf8.makeIterator()
    while true {
        switch (ia.next(), ib.next()) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (x?, y?): if x != y { return x < y ? -1 : 1 }
        }
    }
}

extension Value {
    /// jq's total order: null < false < true < numbers < strings < arrays < objects.
    static func compare(_ a: Value, _ b: Value) -> Int {
        let ta = a.typeOrder, tb = b.typeOrder
        if ta != tb { return ta < tb ? -1 : 1 }
        switch (a, b) {
        case let (.string(x), .string(y)): return jqStringCompare(x, y)
        case let (.array(x), .array(y)):
            var i = 0
            while i < x.count && i < y.count {
                let c = compare(x[i], y[i])
                if c != 0 { return c }
                i += 1
            }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        case let (.object(x), .object(y)):
            let kx = x.sortedKeys, ky = y.sortedKeys
            let c = compare(.array(kx.map(Value.string)), .array(ky.map(Value.string)))
            if c != 0 { return c }
            for k in kx {
                let c = compare(x[k]!, y[k]!)
                if c != 0 { return c }
            }
            return 0
        default:
            if case let .literal(_, s1) = a, case let .literal(_, s2) = b {
                return DecimalText.compare(s1, s2)
            }
            let x = a.doubleValue ?? 0, y = b.doubleValue ?? 0
            if x < y { return -1 }
            if x == y { return 0 }
            if x.isNaN { return -1 }  // jq sorts nan below numbers
            return 1
        }
    }

    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.string(x), .string(y)): return x.utf8.elementsEqual(y.utf8)
        case let (.number(x), .number(y)): return x == y
        case let (.array(x), .array(y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case let (.object(x), .object(y)):
            guard x.count == y.count else { return false }
            for (k, v) in x.pairs {
                guard let w = y[k], equal(v, w) else { return false }
            }
            return true
        default:
            if a.doubleValue != nil && b.doubleValue != nil { return compare(a, b) == 0 }
            return false
        }
    }
}

/// Hashable wrapper used for group_by/unique-like operations.
struct HashableValue: Hashable {
    let value: Value
    static func == (l: HashableValue, r: HashableValue) -> Bool { Value.equal(l.value, r.value) }
    func hash(into h: inout Hasher) { Self.hashValue(value, &h) }
    static func hashValue(_ v: Value, _ h: inout Hasher) {
        switch v {
        case .null: h.combine(0)
        case .bool(let b): h.combine(b ? 2 : 1)
        case .number(let d), .literal(let d, _): h.combine(3); h.combine(d)
        case .string(let s): h.combine(4); h.combine(s)
        case .array(let a): h.combine(5); h.combine(a.count); for x in a { hashValue(x, &h) }
        case .object(let o):
            h.combine(6); h.combine(o.count)
            var acc = 0
            for (k, x) in o.pairs { var hh = Hasher(); hh.combine(k); hashValue(x, &hh); acc ^= hh.finalize() }
            h.combine(acc)
        }
    }
}

/// Decimal literal text helpers (canonical form and exact comparison), standing in for decNumber.
enum DecimalText {
    /// Splits a JSON number literal into sign, significant digits (no leading zeros) and exponent.
    static func decompose(_ s: String) -> (neg: Bool, digits: [UInt8], exp: Int)? {
        var u = Array(s.utf8)[...]
        var neg = false
        if u.first == UInt8(ascii: "-") { neg = true; u = u.dropFirst() } else if u.first == UInt8(ascii: "+") { u = u.dropFirst() }
        var digits: [UInt8] = []
        var exp = 0
        var seenDot = false
        var i = u.startIndex
        while i < u.endIndex {
            let c = u[i]
            if c >= 48 && c <= 57 {
                digits.append(c)
                if seenDot { exp -= 1 }
            } else if c == UInt8(ascii: ".") {
                if seenDot { return nil }
                seenDot = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                guard let e = Int(String(decoding: u[(i + 1)...], as: UTF8.self)) ?? (u[(i + 1)...].count > 0 ? Int(String(decoding: u[(i + 1)...], as: UTF8.self).replacingOccurrences("+", "")) : nil) else { return nil }
                exp += e
                break
            } else {
                return nil
            }
            i += 1
        }
        if digits.isEmpty { return nil }
        while digits.count > 1 && digits.first == 48 { digits.removeFirst() }
        return (neg, digits, exp)
    }

    /// decNumber's to-scientific-string for a literal.
    static func canonical(_ s: String) -> String {
        guard let (neg, digits, exp) = decompose(s) else { return s }
        var out = neg ? "-" : ""
        let n = digits.count
        let adjusted = exp + n - 1
        if exp <= 0 && adjusted >= -6 {
            if exp == 0 {
                out += String(decoding: digits, as: UTF8.self)
            } else {
                let point = n + exp
                if point > 0 {
                    out += String(decoding: digits[..<point], as: UTF8.self) + "." + String(decoding: digits[point...], as: UTF8.self)
                } else {
                    out += "0." + String(repeating: "0", count: -point) + String(decoding: digits, as: UTF8.self)
                }
            }
            return out
        }
        out += String(decoding: digits[..<1], as: UTF8.self)
        if n > 1 { out += "." + String(decoding: digits[1...], as: UTF8.self) }
        out += "E" + (adjusted >= 0 ? "+" : "-") + String(abs(adjusted))
        return out
    }

    static func compare(_ a: String, _ b: String) -> Int {
        guard let x = decompose(a), let y = decompose(b) else {
            let p = Double(a) ?? 0, q = Double(b) ?? 0
            return p < q ? -1 : (p == q ? 0 : 1)
        }
        let xz = x.digits.allSatisfy { $0 == 48 }, yz = y.digits.allSatisfy { $0 == 48 }
        if xz && yz { return 0 }
        let sx = xz ? 0 : (x.neg ? -1 : 1), sy = yz ? 0 : (y.neg ? -1 : 1)
        if sx != sy { return sx < sy ? -1 : 1 }
        let mag = compareMagnitude(x.digits, x.exp, y.digits, y.exp)
        return sx < 0 ? -mag : mag
    }

    private static func compareMagnitude(_ d1: [UInt8], _ e1: Int, _ d2: [UInt8], _ e2: Int) -> Int {
        var a = d1, b = d2
        while a.count > 1 && a.last == 48 { a.removeLast() }
        while b.count > 1 && b.last == 48 { b.removeLast() }
        let adj1 = e1 + d1.count - 1, adj2 = e2 + d2.count - 1
        if adj1 != adj2 { return adj1 < adj2 ? -1 : 1 }
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < a.count ? a[i] : 48, y = i < b.count ? b[i] : 48
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    static func negate(_ s: String) -> String {
        if s.hasPrefix("-") { return String(s.dropFirst()) }
        return "-" + s
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        if a.isEmpty { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.range(of: a) {
            out += rest[..<r.lowerBound]
            out += b
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}

extension Substring {
    func range(of needle: String) -> Range<Substring.Index>? {
        let n = Array(needle.utf8)
        guard !n.isEmpty else { return nil }
        let u = self.utf8
        var i = u.startIndex
        while i != u.endIndex {
            if u[i] == n[0] {
                var j = i, k = 0
                while k < n.count, j != u.endIndex, u[j] == n[k] { j = u.index(after: j); k += 1 }
                if k == n.count { return i..<j }
            }
            i = u.index(after: i)
        }
        return nil
    }
}
