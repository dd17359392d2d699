// Indexing, slicing, iteration and recursion over values.
extension Evaluator {
    @inline(__always) func indexField(_ v: Value, _ name: String) throws -> Value {
        switch v {
        case .object(let o): return o[name] ?? .null
        case .null: return .null
        default: throw JQError.msg("Cannot index \(v.typeName) with \(typeDump(.string(name)))")
        }
    }

    func index(_ v: Value, _ k: Value) throws -> Value {
        switch (v, k) {
        case (.object(let o), .string(let s)): return o[s] ?? .null
        case (.array(let a), .number), (.array(let a), .literal):
            let d = k.doubleValue!
            if d.isNaN { return .null }
            guard d.isFinite, abs(d) < 1e18 else { return .null }
            var i = Int(d.rounded(.down))
            if i < 0 { i += a.count }
            return i >= 0 && i < a.count ? a[i] : .null
        case (.null, .string), (.null, .number), (.null, .literal), (.null, .null): return .null
        case (.null, .object): return .null
        case (.array, .object(let o)), (.string, .object(let o)):
            if o["start"] != nil || o["end"] != nil {
                return try slice(v, o["start"] ?? .null, o["end"] ?? .null)
            }
            throw JQError.msg("Cannot index \(v.typeName) with object")
        case (.array(let a), .array(let b)):
            return indicesOf(a, b)
        default:
            if case .object = v, case .number = k { throw JQError.msg("Cannot index object with \(typeDump(k))") }
            throw JQError.msg("Cannot index \(v.typeName) with \(typeDump(k))")
        }
    }

    func indicesOf(_ a: [Value], _ b: [Value]) -> Value {
        if b.isEmpty { return .null }
        var res: [Value] = []
        if a.count >= b.count {
            for i in 0...(a.count - b.count) {
                var ok = true
                for j in 0..<b.count where !Value.equal(a[i + j], b[j]) { ok = false; break }
                if ok { res.append(.number(Double(i))) }
            }
        }
        return .array(res)
    }

    func sliceBounds(_ count: Int, _ lo: Value, _ hi: Value) throws -> (Int, Int) {
        func conv(_ v: Value, _ dflt: Int, _ isEnd: Bool) throws -> Int {
            switch v {
            case .null: return dflt
            case .number(let d), .literal(let d, _):
                if d.isNaN { return dflt }
                var x = d
                if x < 0 { x += Double(count) }
                if x < 0 { x = 0 }
                if x > Double(count) { x = Double(count) }
                return isEnd ? Int(x.rounded(.up)) : Int(x.rounded(.down))
            default:
                throw JQError.msg("Start and end indices of an array slice must be numbers")
            }
        }
        let s = try conv(lo, 0, false)
        var e = try conv(hi, count, true)
        if e < s { e = s }
        return (s, min(e, count))
    }

    func slice(_ v: Value, _ lo: Value, _ hi: Value) throws -> Value {
        switch v {
        case .null: return .null
        case .array(let a):
            let (s, e) = try sliceBounds(a.count, lo, hi)
            return .array(Array(a[s..<e]))
        case .string(let str):
            let scalars = Array(str.unicodeScalars)
            let (s, e) = try sliceBounds(scalars.count, lo, hi)
            var r = String.UnicodeScalarView()
            r.append(contentsOf: scalars[s..<e])
            return .string(String(r))
        default:
            throw JQError.msg("Cannot index \(v.typeName) with object")
        }
    }

    func iterate(_ v: Value, _ p: Path?, _ out: Emit) throws {
        if let p, isInvalidPath(p) {
            throw JQError.msg("Invalid path expression near attempt to iterate through \(errDump(v))")
        }
        switch v {
        case .array(let a):
            if p == nil {
                for x in a { try out(x, nil) }
            } else {
                for (i, x) in a.enumerated() { try out(x, p! + [.number(Double(i))]) }
            }
        case .object(let o):
            if p == nil {
                for x in o.values { try out(x, nil) }
            } else {
                for (k, x) in o.pairs { try out(x, p! + [.string(k)]) }
            }
        case .null:
            throw JQError.msg("Cannot iterate over null")
        default:
            throw JQError.msg("Cannot iterate over \(typeDump(v))")
        }
    }

    /// `..`: pre-order walk of every value, with an explicit stack (values built by a program
    /// can be far deeper than parsed ones).
    func recurse(_ v: Value, _ p: Path?, _ out: Emit) throws {
        // (container, next child, length of the container's own path)
        var stack: [(Value, Int, Int)] = []
        var path = p
        @inline(__always) func isContainer(_ x: Value) -> Bool {
            switch x {
            case .array(let a): return !a.isEmpty
            case .object(let o): return o.count > 0
            default: return false
            }
        }
        try out(v, path)
        if isContainer(v) { stack.append((v, 0, p?.count ?? 0)) }
        while let (top, i, depth) = stack.last {
            let child: Value
            let key: Value
            let count: Int
            switch top {
            case .array(let a): count = a.count; child = a[i]; key = .number(Double(i))
            case .object(let o): count = o.count; child = o.values[i]; key = path == nil ? .null : .string(o.keys[i])
            default: fatalError("only containers are stacked")
            }
            if i + 1 < count { stack[stack.count - 1].1 = i + 1 } else { stack.removeLast() }
            if path != nil {
                path!.removeSubrange(depth...)
                if depth >= Evaluator.maxPathLength { throw JQError.msg("Path too deep") }
                path!.append(key)
            }
            try out(child, path)
            if isContainer(child) { stack.append((child, 0, depth + 1)) }
        }
    }
}
