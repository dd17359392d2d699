/// jq's binary operators on values.
func binaryOp(_ op: BinaryOp, _ l: Value, _ r: Value) throws -> Value {
    switch op {
    case .add: return try addValues(l, r)
    case .sub:
        if let a = l.doubleValue, let b = r.doubleValue { return .number(a - b) }
        if case .array(let a) = l, case .array(let b) = r {
            return .array(a.filter { x in !b.contains { Value.equal($0, x) } })
        }
        throw JQError.msg("\(typeDump(l)) and \(typeDump(r)) cannot be subtracted")
    case .mul:
        if let a = l.doubleValue, let b = r.doubleValue { return .number(a * b) }
        if case .string(let s) = l, let n = r.doubleValue { return try repeatString(s, n) }
        if case .string(let s) = r, let n = l.doubleValue { return try repeatString(s, n) }
        if case .object(let a) = l, case .object(let b) = r {
            if exceedsDepth(l) || exceedsDepth(r) { throw JQError.msg("Object merge too deep") }
            return .object(deepMerge(a, b))
        }
        throw JQError.msg("\(typeDump(l)) and \(typeDump(r)) cannot be multiplied")
    case .div:
        if let a = l.doubleValue, let b = r.doubleValue {
            if b == 0 { throw JQError.msg("\(typeDump(l)) and \(typeDump(r)) cannot be divided because the divisor is zero") }
            return .number(a / b)
        }
        if case .string(let a) = l, case .string(let b) = r { return .array(splitString(a, b).map(Value.string)) }
        throw JQError.msg("\(typeDump(l)) and \(typeDump(r)) cannot be divided")
    case .mod:
        if let a = l.doubleValue, let b = r.doubleValue {
            if a.isNaN || b.isNaN { return .number(.nan) }
            let bi = dtoi(b)
            if bi == 0 { throw JQError.msg("\(typeDump(l)) and \(typeDump(r)) cannot be divided (remainder) because the divisor is zero") }
            let ai = dtoi(a)
            if bi == -1 { return .number(0) }
            var res = ai % (bi < 0 ? -bi : bi)
            if res != 0 && ai < 0 && res > 0 { res = -res }
            return .number(Double(res))
        }
        throw JQError.msg("\(typeDump(l)) and \(typeDump(r)) cannot be divided")
    case .eq:
        if l.typeOrder >= 5 && r.typeOrder >= 5 && (exceedsDepth(l) || exceedsDepth(r)) { throw JQError.msg("Equality check too deep") }
        return .bool(Value.equal(l, r))
    case .ne:
        if l.typeOrder >= 5 && r.typeOrder >= 5 && (exceedsDepth(l) || exceedsDepth(r)) { throw JQError.msg("Equality check too deep") }
        return .bool(!Value.equal(l, r))
    case .lt: return .bool(Value.compare(l, r) < 0)
    case .le: return .bool(Value.compare(l, r) <= 0)
    case .gt: return .bool(Value.compare(l, r) > 0)
    case .ge: return .bool(Value.compare(l, r) >= 0)
    }
}

/// True when `v` nests containers more than `limit` levels deep (jq's 10,000-level guards).
func exceedsDepth(_ v: Value, _ limit: Int = 10_001) -> Bool {
    if limit <= 0 { return v.typeOrder >= 5 }
    switch v {
    case .array(let a): return a.contains { $0.typeOrder >= 5 && exceedsDepth($0, limit - 1) }
    case .object(let o): return o.values.contains { $0.typeOrder >= 5 && exceedsDepth($0, limit - 1) }
    default: return false
    }
}

/// Double to integer the way jq casts for `%` (saturating).
func dtoi(_ d: Double) -> Int64 {
    if d.isNaN { return 0 }
    if d >= 9.2e18 { return Int64.max }
    if d <= -9.2e18 { return Int64.min }
    return Int64(d)
}

func addValues(_ l: Value, _ r: Value) throws -> Value {
    switch (l, r) {
    case (.null, _): return r
    case (_, .null): return l
    case let (.string(a), .string(b)):
        if a.utf8.count + b.utf8.count > Evaluator.maxStringBytes { throw JQError.msg("String too long: more than \(Evaluator.maxStringBytes) bytes") }
        return .string(a + b)
    case (.array(var a), .array(let b)):
        if a.count + b.count > Evaluator.maxArrayLength { throw JQError.msg("Array too large: more than \(Evaluator.maxArrayLength) elements") }
        a.append(contentsOf: b); return .array(a)
    case (.object(var a), .object(let b)):
        for (k, v) in b.pairs { a[k] = v }
        return .object(a)
    default:
        if let a = l.doubleValue, let b = r.doubleValue { return .number(a + b) }
        throw JQError.msg("\(typeDump(l)) and \(typeDump(r)) cannot be added")
    }
}

func repeatString(_ s: String, _ n: Double) throws -> Value {
    if n.isNaN || n < 0 { return .null }
    if s.isEmpty { return .string("") }
    let count = n < 1 ? 0 : Int(min(n, 1e12))
    if count == 0 { return .string("") }
    if s.utf8.count.multipliedReportingOverflow(by: count).partialValue > Evaluator.maxStringBytes || count > Evaluator.maxStringBytes {
        if s.isEmpty { return .string("") }
        throw JQError.msg("Repeat string result too long")
    }
    return .string(String(repeating: s, count: count))
}

func deepMerge(_ a: JQObject, _ b: JQObject) -> JQObject {
    var r = a
    for (k, v) in b.pairs {
        if case .object(let x)? = r[k], case .object(let y) = v {
            r[k] = .object(deepMerge(x, y))
        } else {
            r[k] = v
        }
    }
    return r
}

func splitString(_ s: String, _ sep: String) -> [String] {
    if s.isEmpty { return [] }
    if sep.isEmpty {
        // jq 1.7+: split("") splits into characters (codepoints)
        return s.unicodeScalars.map { String($0) }
    }
    var out: [String] = []
    let su = Array(s.utf8), pu = Array(sep.utf8)
    var start = 0, i = 0
    while i + pu.count <= su.count {
        if su[i] == pu[0] && Array(su[i..<(i + pu.count)]) == pu {
            out.append(String(decoding: su[start..<i], as: UTF8.self))
            i += pu.count
            start = i
        } else {
            i += 1
        }
    }
    out.append(String(decoding: su[start...], as: UTF8.self))
    return out
}

/// `tostring`: strings as-is, everything else as JSON text.
func toStringValue(_ v: Value) -> String {
    if case .string(let s) = v { return s }
    return v.jsonText
}
