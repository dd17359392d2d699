// Paths: getpath, setpath, delpaths and the paths an expression selects.
extension Evaluator {
    func getPath(_ v: Value, _ path: ArraySlice<Value>) throws -> Value {
        if path.count > Evaluator.maxPathLength { throw JQError.msg("Path too deep") }
        var cur = v
        for k in path {
            if case .null = cur { return .null }
            cur = try index(cur, k)
        }
        return cur
    }

    func setPath(_ v: Value, _ path: ArraySlice<Value>, _ newValue: Value) throws -> Value {
        var r = v
        try setPath(&r, path, newValue)
        return r
    }

    /// `setpath` in place: each container on the path is taken out of its parent while its child
    /// is replaced, so uniquely referenced containers are modified without a copy (an update of
    /// N paths costs O(N × depth), not O(N × size)). On error `v` may be left partly updated.
    func setPath(_ v: inout Value, _ path: ArraySlice<Value>, _ newValue: Value) throws {
        if path.count > Evaluator.maxPathLength { throw JQError.msg("Path too deep") }
        guard let k = path.first else { v = newValue; return }
        let rest = path.dropFirst()
        // switch on the type, not on `v`: a switch over `v` holds a second reference to its
        // payload for the whole case, and the first write would copy the container
        switch v.typeOrder {
        case 6:
            guard case .string(let s) = k else { throw JQError.msg("Cannot index object with \(typeDump(k))") }
            var o = v.takeObject()!  // the only reference when `v` was
            defer { v = .object(o) }
            try o.updateValue(forKey: s) { child in try setPath(&child, rest, newValue) }
        case 5:
            let count = v.arrayCount
            switch k {
            case .number, .literal:
                let d = k.doubleValue!
                if d.isNaN { throw JQError.msg("Cannot set array element at NaN index") }
                guard d.isFinite, abs(d) < Double(Evaluator.maxArrayLength) else { throw JQError.msg("Array index too large") }
                var i = Int(d.rounded(.down))
                if i < 0 {
                    i += count
                    if i < 0 { throw JQError.msg("Out of bounds negative array index") }
                }
                var a = v.takeArray()!
                defer { v = .array(a) }
                if i >= a.count {
                    a.append(contentsOf: repeatElement(Value.null, count: i - a.count + 1))
                }
                try setPath(&a[i], rest, newValue)
            case .object(let o):
                let (s, e) = try sliceBounds(count, o["start"] ?? .null, o["end"] ?? .null)
                var a = v.takeArray()!
                defer { v = .array(a) }
                var cur = Value.array(Array(a[s..<e]))
                try setPath(&cur, rest, newValue)
                guard case .array(let ra) = cur else { throw JQError.msg("A slice of an array can only be assigned another array") }
                if count - (e - s) + ra.count > Evaluator.maxArrayLength {
                    throw JQError.msg("Array too large: more than \(Evaluator.maxArrayLength) elements")
                }
                a.replaceSubrange(s..<e, with: ra)
            case .string:
                throw JQError.msg("Cannot index array with \(typeDump(k))")
            default:
                throw JQError.msg("Cannot update field at \(k.typeName) index of array")
            }
        case 0:
            switch k {
            case .string(let s):
                var child = Value.null
                try setPath(&child, rest, newValue)
                var o = JQObject()
                o[s] = child
                v = .object(o)
            case .number, .literal, .object:
                var arr = Value.array([])
                try setPath(&arr, path, newValue)
                v = arr
            default:
                throw JQError.msg("Cannot index null with \(typeDump(k))")
            }
        case 4:
            if case .object = k { throw JQError.msg("Cannot update string slices") }
            throw JQError.msg("Cannot index string with \(typeDump(k))")
        default:
            throw JQError.msg("Cannot index \(v.typeName) with \(typeDump(k))")
        }
    }

    func deletePaths(_ v: Value, _ paths: [Value]) throws -> Value {
        var ps: [[Value]] = []
        ps.reserveCapacity(paths.count)
        for p in paths {
            guard case .array(let a) = p else { throw JQError.msg("Path must be specified as an array") }
            if a.count > Evaluator.maxPathLength { throw JQError.msg("Path too deep") }
            ps.append(a)
        }
        var cur = v
        try deletePaths(&cur, ps.map { $0[...] })
        return cur
    }

    /// Deletes `paths` (relative to `v`) in place, grouping them by their first key so that
    /// deleting k elements of one array or object is one O(size) pass, not k of them.
    func deletePaths(_ v: inout Value, _ paths: [ArraySlice<Value>]) throws {
        if paths.isEmpty { return }
        if case .null = v { return }
        if paths.contains(where: { $0.isEmpty }) { v = .null; return }
        switch v.typeOrder {  // not `switch v`: see setPath
        case 5:
            // plain indices (negative ones count from the end); slices take the general route
            let count = v.arrayCount
            var leaf = Set<Int>()
            var nested: [Int: [ArraySlice<Value>]] = [:]
            var order: [Int] = []
            for p in paths {
                let k = p.first!
                guard let d = k.doubleValue else {
                    if case .object = k { return try deletePathsOneByOne(&v, paths) }
                    if p.count == 1 { throw JQError.msg("Cannot delete field at \(k.typeName == "string" ? "object" : k.typeName) index of array") }
                    _ = try index(v, k)  // jq's indexing error
                    continue
                }
                guard d.isFinite, abs(d) < 1e15 else { continue }
                var i = Int(d.rounded(.down))
                if i < 0 { i += count; if i < 0 { continue } }
                if i >= count { continue }
                if p.count == 1 { leaf.insert(i) } else {
                    if nested[i] == nil { order.append(i) }
                    nested[i, default: []].append(p.dropFirst())
                }
            }
            var a = v.takeArray()!
            defer { v = .array(a) }
            for i in order where !leaf.contains(i) {
                if case .null = a[i] { continue }
                try deletePaths(&a[i], nested[i]!)
            }
            if !leaf.isEmpty {
                var kept: [Value] = []
                kept.reserveCapacity(a.count - leaf.count)
                for (i, x) in a.enumerated() where !leaf.contains(i) { kept.append(x) }
                a = kept
            }
        case 6:
            var leaf = Set<String>()
            var nested: [String: [ArraySlice<Value>]] = [:]
            var order: [String] = []
            for p in paths {
                let k = p.first!
                guard case .string(let s) = k else {
                    if p.count == 1 { throw JQError.msg("Cannot delete field at \(k.typeName) index of object") }
                    _ = try index(v, k)
                    continue
                }
                if p.count == 1 { leaf.insert(s) } else {
                    if nested[s] == nil { order.append(s) }
                    nested[s, default: []].append(p.dropFirst())
                }
            }
            var o = v.takeObject()!
            defer { v = .object(o) }
            for s in order where !leaf.contains(s) {
                guard let i = o.position(of: s) else { continue }
                try o.updateValue(at: i) { child in try deletePaths(&child, nested[s]!) }
            }
            if !leaf.isEmpty { o.removeKeys(leaf) }
        default:
            // scalars: jq's errors for deleting inside them
            for p in paths {
                if p.count == 1 {
                    let k = p.first!
                    throw JQError.msg("Cannot delete field at \(k.typeName == "string" ? "object" : k.typeName) index of \(v.typeName)")
                }
                _ = try index(v, p.first!)
            }
        }
    }

    /// The general route for slices: one path at a time, longest-sorted-last first, as jq does.
    private func deletePathsOneByOne(_ v: inout Value, _ paths: [ArraySlice<Value>]) throws {
        var ps = paths.map { Array($0) }
        for j in ps.indices where !ps[j].isEmpty {
            if let d = ps[j].last!.doubleValue, d < 0, d.isFinite,
               case .array(let arr)? = try? getPath(v, ps[j].dropLast()) {
                ps[j][ps[j].count - 1] = .number(d + Double(arr.count))
            }
        }
        ps.sort { Value.compare(.array($0), .array($1)) > 0 }
        for p in ps { v = try deletePath(v, p[...]) }
    }

    func deletePath(_ v: Value, _ path: ArraySlice<Value>) throws -> Value {
        guard let k = path.first else { return .null }
        if case .null = v { return .null }
        if path.count == 1 {
            switch (v, k) {
            case (.object(var o), .string(let s)):
                o[s] = nil
                return .object(o)
            case (.array(var a), .number), (.array(var a), .literal):
                let d = k.doubleValue!
                guard d.isFinite, abs(d) < 1e15 else { return v }
                var i = Int(d.rounded(.down))
                if i < 0 { i += a.count; if i < 0 { return v } }
                if i < a.count { a.remove(at: i) }
                return .array(a)
            case (.array(var a), .object(let o)):
                let (s, e) = try sliceBounds(a.count, o["start"] ?? .null, o["end"] ?? .null)
                a.removeSubrange(s..<e)
                return .array(a)
            default:
                throw JQError.msg("Cannot delete field at \(k.typeName == "string" ? "object" : k.typeName) index of \(v.typeName)")
            }
        }
        let child = try index(v, k)
        if case .null = child { return v }
        let nc = try deletePath(child, path.dropFirst())
        if case .object(let o) = k, case .array(var a) = v {
            let (s, e) = try sliceBounds(a.count, o["start"] ?? .null, o["end"] ?? .null)
            guard case .array(let na) = nc else { return v }
            a.replaceSubrange(s..<e, with: na)
            return .array(a)
        }
        return try setPath(v, [k], nc)
    }

    func paths(of node: Node, _ env: Env?, _ input: Value) throws -> [Path] {
        var ps: [Path] = []
        try eval(node, env, input, []) { v, p in
            if let p, isInvalidPath(p) { throw self.invalidPath(v) }
            ps.append(p ?? [])
        }
        return ps
    }
}
