#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Evaluator {
    func registerValueFunctions() {
        def("length", 0) { _, v, _ in
            switch v {
            case .null: return .number(0)
            case .bool: throw JQError.msg("boolean (\(v.jsonText)) has no length")
            case .number(let d): return .number(abs(d))
            case .literal(let d, let s): return d < 0 || s.hasPrefix("-") ? .literal(abs(d), DecimalText.negate(s)) : v
            case .string(let s): return .number(Double(s.unicodeScalars.count))
            case .array(let a): return .number(Double(a.count))
            case .object(let o): return .number(Double(o.count))
            }
        }
        def("utf8bytelength", 0) { _, v, _ in
            guard case .string(let s) = v else { throw JQError.msg("\(typeDump(v)) only strings have UTF-8 byte length") }
            return .number(Double(s.utf8.count))
        }
        def("type", 0) { _, v, _ in .string(v.typeName) }
        def("keys", 0) { _, v, _ in
            switch v {
            case .object(let o): return .array(o.sortedKeys.map(Value.string))
            case .array(let a): return .array((0..<a.count).map { .number(Double($0)) })
            default: throw JQError.msg("\(typeDump(v)) has no keys")
            }
        }
        def("keys_unsorted", 0) { _, v, _ in
            switch v {
            case .object(let o): return .array(o.keys.map(Value.string))
            case .array(let a): return .array((0..<a.count).map { .number(Double($0)) })
            default: throw JQError.msg("\(typeDump(v)) has no keys")
            }
        }
        // to_entries/from_entries natively: jq's definitions (`reduce … (. + {k: v})`) copy
        // the object once per entry
        def("to_entries", 0) { _, v, _ in
            switch v {
            case .object(let o):
                var r: [Value] = []
                r.reserveCapacity(o.count)
                for (k, x) in o.pairs { r.append(.object(JQObject(keys: ["key", "value"], values: [.string(k), x]))) }
                return .array(r)
            case .array(let a):
                return .array(a.enumerated().map { .object(JQObject(keys: ["key", "value"], values: [.number(Double($0.offset)), $0.element])) })
            default: throw JQError.msg("\(typeDump(v)) has no keys")
            }
        }
        native("from_entries", 0) { ev, _, _, input, path, out in
            var o = JQObject()
            try ev.iterate(input, nil) { x, _ in
                // `.key`, else the first truthy of .k, .name, .Name, .K, else .Key
                var key = try ev.indexField(x, "key")
                if case .null = key {
                    key = .null
                    var found = false
                    for name in ["k", "name", "Name", "K"] {
                        let c = try ev.indexField(x, name)
                        if c.isTruthy { key = c; found = true; break }
                    }
                    if !found { key = try ev.indexField(x, "Key") }
                }
                let ks: String
                if case .string(let s) = key { ks = s } else { ks = key.jsonText }
                guard case .object(let e) = x else {
                    throw JQError.msg("Cannot check whether \(x.typeName) has a string key")
                }
                o[ks] = e["value"] ?? e["v"] ?? e["Value"] ?? .null
            }
            try out(.object(o), path == nil ? nil : invalidPathMarker)
        }
        def("has", 1) { _, v, a in
            switch (v, a[0]) {
            case (.object(let o), .string(let k)): return .bool(o[k] != nil)
            case (.array(let arr), .number), (.array(let arr), .literal):
                let d = a[0].doubleValue!
                return .bool(d >= 0 && d < Double(arr.count))
            default:
                throw JQError.msg("Cannot check whether \(v.typeName) has a \(a[0].typeName) key")
            }
        }
        def("contains", 1) { _, v, a in
            guard v.typeName == a[0].typeName else {
                throw JQError.msg("\(typeDump(v)) and \(typeDump(a[0])) cannot have their containment checked")
            }
            if exceedsDepth(v) || exceedsDepth(a[0]) { throw JQError.msg("Containment check too deep") }
            return .bool(containsValue(v, a[0]))
        }
        def("add", 0) { ev, v, _ in
            switch v {
            case .array(let a):
                return try ev.addAll(a)
            case .object(let o):
                return try ev.addAll(o.values)
            case .null: return .null
            default: throw JQError.msg("Cannot iterate over \(typeDump(v))")
            }
        }
        def("sort", 0) { _, v, _ in
            guard case .array(let a) = v else { throw JQError.msg("\(typeDump(v)) cannot be sorted, as it is not an array") }
            if exceedsDepth(v, 10_002) { throw JQError.msg("Comparison too deep") }
            return .array(a.sorted { Value.compare($0, $1) < 0 })
        }
        def("unique", 0) { _, v, _ in
            guard case .array(let a) = v else { throw JQError.msg("\(typeDump(v)) cannot be sorted, as it is not an array") }
            if exceedsDepth(v, 10_002) { throw JQError.msg("Comparison too deep") }
            let s = a.sorted { Value.compare($0, $1) < 0 }
            var r: [Value] = []
            for x in s where r.isEmpty || Value.compare(r.last!, x) != 0 { r.append(x) }
            return .array(r)
        }
        def("min", 0) { _, v, _ in
            guard case .array(let a) = v else { throw JQError.msg("\(typeDump(v)) cannot be sorted, as it is not an array") }
            var best: Value?
            for x in a where best == nil || Value.compare(x, best!) < 0 { best = x }
            return best ?? .null
        }
        def("max", 0) { _, v, _ in
            guard case .array(let a) = v else { throw JQError.msg("\(typeDump(v)) cannot be sorted, as it is not an array") }
            var best: Value?
            for x in a where best == nil || Value.compare(x, best!) >= 0 { best = x }
            return best ?? .null
        }
        def("reverse", 0) { _, v, _ in
            switch v {
            case .array(let a): return .array(a.reversed())
            case .string(let s): return .string(String(s.unicodeScalars.reversed().map(Character.init)))
            case .null: return .array([])
            default: throw JQError.msg("Cannot reverse \(typeDump(v))")
            }
        }
        def("flatten", 0) { _, v, _ in try flattenValue(v, 1e18) }
        def("flatten", 1) { _, v, a in
            guard let d = a[0].doubleValue else { throw JQError.msg("flatten depth must not be negative") }
            if d < 0 { throw JQError.msg("flatten depth must not be negative") }
            return try flattenValue(v, d)
        }
        def("tojson", 0) { _, v, _ in .string(v.jsonText) }
        def("fromjson", 0) { _, v, _ in
            guard case .string(let s) = v else { throw JQError.msg("\(typeDump(v)) only strings can be parsed") }
            do { return try ValueReader.parseOne(s) } catch {
                throw JQError.msg("\(((error as? JSONReadError)?.message ?? "").replacingOccurrences("Unfinished JSON term at line", "Unfinished JSON term at EOF at line")) (while parsing '\(s.utf8.count <= 256 ? s : String(decoding: s.utf8.prefix(240), as: UTF8.self) + "...")')")
            }
        }
        def("tostring", 0) { _, v, _ in .string(toStringValue(v)) }
        def("tonumber", 0) { _, v, _ in
            switch v {
            case .number, .literal: return v
            case .string(let s):
                let t = s
                if let n = parseNumberText(t) { return n }
                throw JQError.msg("\(typeDump(v)) cannot be parsed as a number")
            default: throw JQError.msg("\(typeDump(v)) cannot be parsed as a number")
            }
        }
        def("toboolean", 0) { _, v, _ in
            switch v {
            case .bool: return v
            case .string(let s) where s == "true": return .bool(true)
            case .string(let s) where s == "false": return .bool(false)
            default: throw JQError.msg("\(typeDump(v)) cannot be parsed as a boolean")
            }
        }
        def("infinite", 0) { _, _, _ in .number(.infinity) }
        def("nan", 0) { _, _, _ in .number(.nan) }
        def("isinfinite", 0) { _, v, _ in
            guard let d = v.doubleValue else { throw JQError.msg("\(typeDump(v)) number required") }
            return .bool(d.isInfinite)
        }
        def("isnan", 0) { _, v, _ in
            guard let d = v.doubleValue else { throw JQError.msg("\(typeDump(v)) number required") }
            return .bool(d.isNaN)
        }
        def("isnormal", 0) { _, v, _ in
            guard let d = v.doubleValue else { throw JQError.msg("\(typeDump(v)) number required") }
            return .bool(d.isNormal)
        }
        def("have_literal_numbers", 0) { _, _, _ in .bool(true) }
        def("have_decnum", 0) { _, _, _ in .bool(true) }
        def("abs", 0) { _, v, _ in
            switch v {
            case .number(let d): return d < 0 ? .number(-d) : (d == 0 ? .number(0) : v)
            case .literal(let d, let s): return s.hasPrefix("-") ? .literal(abs(d), DecimalText.negate(s)) : v
            default: return v
            }
        }
        def("toarray", 0) { _, v, _ in
            if case .array = v { return v }
            return .array([v])
        }
        def("transpose", 0) { _, v, _ in
            guard case .array(let rows) = v else { throw JQError.msg("Cannot transpose \(v.typeName)") }
            var n = 0
            for r in rows {
                guard case .array(let a) = r else { throw JQError.msg("Cannot index \(r.typeName) with number") }
                n = max(n, a.count)
            }
            var out: [Value] = []
            for i in 0..<n {
                out.append(.array(rows.map { r in
                    if case .array(let a) = r, i < a.count { return a[i] }
                    return .null
                }))
            }
            return .array(out)
        }
        def("tostream_unused", 0) { _, v, _ in v }
        def("bsearch", 1) { _, v, a in
            guard case .array(let arr) = v else { throw JQError.msg("\(typeDump(v)) cannot be searched from") }
            var lo = 0, hi = arr.count - 1
            while lo <= hi {
                let mid = (lo + hi) / 2
                let c = Value.compare(arr[mid], a[0])
                if c == 0 { return .number(Double(mid)) }
                if c < 0 { lo = mid + 1 } else { hi = mid - 1 }
            }
            return .number(Double(-1 - lo))
        }
        def("splits_unused2", 0) { _, v, _ in v }
        def("getpath_unused2", 0) { _, v, _ in v }
        def("tojson_unused", 0) { _, v, _ in v }
        def("error_unused", 0) { _, v, _ in v }
        def("input_unused", 0) { _, v, _ in v }
        def("ascii", 0) { _, v, _ in
            guard let d = v.doubleValue else { throw JQError.msg("ascii: number required") }
            return .string(String(UnicodeScalar(UInt8(truncatingIfNeeded: dtoi(d)))))
        }
        def("implode", 0) { _, v, _ in
            guard case .array(let a) = v else { throw JQError.msg("implode input must be an array") }
            var s = String.UnicodeScalarView()
            for x in a {
                guard let d = x.doubleValue, !d.isNaN else {
                    throw JQError.msg("\(typeDump(x)) can't be imploded, unicode codepoint needs to be numeric")
                }
                let i = d.isFinite ? Int(max(-1, min(d, 0x7FFF_FFFF))) : -1
                if i >= 0, i <= 0x10FFFF, let u = UnicodeScalar(UInt32(i)) { s.append(u) } else { s.append(UnicodeScalar(0xFFFD)!) }
            }
            return .string(String(s))
        }
        def("explode", 0) { _, v, _ in
            guard case .string(let s) = v else { throw JQError.msg("\(typeDump(v)) cannot be exploded") }
            return .array(s.unicodeScalars.map { .number(Double($0.value)) })
        }
        def("getpath_unused3", 0) { _, v, _ in v }
        def("splits_unused3", 0) { _, v, _ in v }
        def("modulemeta", 0) { ev, v, _ in
            guard case .string(let name) = v else { throw JQError.msg("modulemeta input module not a string") }
            return try ev.moduleMeta(name)
        }
        def("get_search_list", 0) { ev, _, _ in .array(ev.libraryPaths.map(Value.string)) }
        def("$__loc__unused", 0) { _, v, _ in v }
        def("tostream", 0) { ev, v, _ in v }  // replaced by native below
        native("tostream", 0) { ev, _, _, input, path, out in
            let mp: Path? = path == nil ? nil : invalidPathMarker
            func walk(_ v: Value, _ p: [Value], top: Bool) throws {
                switch v {
                case .array(let a) where !a.isEmpty:
                    for (i, x) in a.enumerated() { try walk(x, p + [.number(Double(i))], top: false) }
                    try out(.array([.array(p + [.number(Double(a.count - 1))])]), mp)
                case .object(let o) where o.count > 0:
                    for (k, x) in o.pairs { try walk(x, p + [.string(k)], top: false) }
                    try out(.array([.array(p + [.string(o.keys.last!)])]), mp)
                default:
                    try out(.array([.array(p), v]), mp)
                }
            }
            try walk(input, [], top: true)
        }
        native("splits_unused4", 0) { _, _, _, _, _, _ in }
    }

    func addAll(_ a: [Value]) throws -> Value {
        if a.isEmpty { return .null }
        // fast paths for homogeneous arrays to avoid quadratic copying
        var acc: Value = .null
        var strBuf: String?
        var arrBuf: [Value]?
        var objBuf: JQObject?
        for x in a {
            if case .null = x { continue }
            switch (acc, x) {
            case (.string, .string(let s)) where strBuf != nil:
                if strBuf!.utf8.count + s.utf8.count > Evaluator.maxStringBytes {
                    throw JQError.msg("String too long: more than \(Evaluator.maxStringBytes) bytes")
                }
                strBuf! += s
                continue
            case (.array, .array(let b)) where arrBuf != nil:
                if arrBuf!.count + b.count > Evaluator.maxArrayLength {
                    throw JQError.msg("Array too large: more than \(Evaluator.maxArrayLength) elements")
                }
                arrBuf!.append(contentsOf: b)
                continue
            case (.object, .object(let b)) where objBuf != nil:
                for (k, v) in b.pairs { objBuf![k] = v }
                continue
            default: break
            }
            if let s = strBuf { acc = .string(s); strBuf = nil }
            if let b = arrBuf { acc = .array(b); arrBuf = nil }
            if let o = objBuf { acc = .object(o); objBuf = nil }
            acc = try addValues(acc, x)
            switch acc {
            case .string(let s): strBuf = s
            case .array(let b): arrBuf = b
            case .object(let o): objBuf = o
            default: break
            }
        }
        if let s = strBuf { return .string(s) }
        if let b = arrBuf { return .array(b) }
        if let o = objBuf { return .object(o) }
        return acc
    }
}

func parseNumberText(_ t: String) -> Value? {
    var t = t
    if t.hasPrefix("+") { t.removeFirst() }
    let u = Array(t.utf8)
    guard !u.isEmpty else { return nil }
    if t == "nan" || t == "NaN" || t == "-nan" || t == "-NaN" { return .number(.nan) }
    // JSON number syntax only (no leading/trailing space, no hex)
    var i = 0
    if u[i] == UInt8(ascii: "-") { i += 1 }
    let s = i
    while i < u.count && u[i] >= 48 && u[i] <= 57 { i += 1 }
    var digits = i - s
    if i < u.count && u[i] == UInt8(ascii: ".") {
        i += 1
        let f = i
        while i < u.count && u[i] >= 48 && u[i] <= 57 { i += 1 }
        digits += i - f
    }
    if digits == 0 { return nil }
    if i < u.count && (u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E")) {
        i += 1
        if i < u.count && (u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-")) { i += 1 }
        let f = i
        while i < u.count && u[i] >= 48 && u[i] <= 57 { i += 1 }
        if i == f { return nil }
    }
    if i != u.count { return nil }
    guard let d = Double(t) else {
        return .literal(t.hasPrefix("-") ? -.greatestFiniteMagnitude : .greatestFiniteMagnitude, t)
    }
    if !t.contains(".") && !t.contains("e") && !t.contains("E") && u.count <= 15 && t != "-0" { return .number(d) }
    var text = t
    if text.hasPrefix(".") { text = "0" + text }
    return .literal(d, text)
}

func containsValue(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case let (.object(x), .object(y)):
        for (k, v) in y.pairs {
            guard let w = x[k], w.typeName == v.typeName || (v.typeOrder <= 2 && w.typeOrder <= 2), containsValue(w, v) else { return false }
        }
        return true
    case let (.array(x), .array(y)):
        return y.allSatisfy { yv in x.contains { xv in xv.typeName == yv.typeName && containsValue(xv, yv) } }
    case let (.string(x), .string(y)):
        if y.isEmpty { return true }
        return Substring(x).range(of: y) != nil
    default:
        return Value.equal(a, b)
    }
}

func flattenValue(_ v: Value, _ depth: Double) throws -> Value {
    guard case .array(let a) = v else { throw JQError.msg("Cannot iterate over \(typeDump(v))") }
    var out: [Value] = []
    func go(_ a: [Value], _ d: Double) {
        for x in a {
            if case .array(let inner) = x, d > 0 { go(inner, d - 1) } else { out.append(x) }
        }
    }
    go(a, depth)
    return .array(out)
}
