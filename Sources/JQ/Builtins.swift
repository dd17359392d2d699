#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Evaluator {
    /// Registers a path-unaware function whose arguments are evaluated to values (cartesian product,
    /// last argument outermost as in jq's cfunction calls).
    func def(_ name: String, _ arity: Int, _ fn: @escaping (Evaluator, Value, [Value]) throws -> Value) {
        builtins["\(name)/\(arity)"] = .native { ev, args, env, input, path, out in
            if arity == 0 {
                let r = try fn(ev, input, [])
                try out(r, path == nil ? nil : invalidPathMarker)
                return
            }
            try ev.cartesian(args, env, input, arity - 1, Array(repeating: .null, count: arity)) { vals in
                let r = try fn(ev, input, vals)
                try out(r, path == nil ? nil : invalidPathMarker)
            }
        }
    }

    func cartesian(_ args: [Node], _ env: Env?, _ input: Value, _ i: Int, _ acc: [Value], _ body: ([Value]) throws -> Void) throws {
        if i < 0 { return try body(acc) }
        try eval(args[i], env, input, nil) { v, _ in
            var a = acc
            a[i] = v
            try self.cartesian(args, env, input, i - 1, a, body)
        }
    }

    func native(_ name: String, _ arity: Int, _ fn: @escaping (Evaluator, [Node], Env?, Value, Path?, Emit) throws -> Void) {
        builtins["\(name)/\(arity)"] = .native(fn)
    }

    func registerNatives() {
        native("empty", 0) { _, _, _, _, _, _ in }
        native("not", 0) { ev, _, _, input, path, out in
            try out(.bool(!input.isTruthy), path == nil ? nil : invalidPathMarker)
        }
        native("select", 1) { ev, args, env, input, path, out in
            try ev.eval(args[0], env, input, nil) { c, _ in
                if c.isTruthy { try out(input, path) }
            }
        }
        native("recurse", 0) { ev, _, _, input, path, out in try ev.recurse(input, path, out) }
        native("recurse", 1) { ev, args, env, input, path, out in
            try ev.loop((input, path)) { c, next in
                try out(c.0, c.1)
                try ev.eval(args[0], env, c.0, c.1) { x, q in try next((x, q)) }
            }
        }
        native("recurse", 2) { ev, args, env, input, path, out in
            try ev.loop((input, path)) { c, next in
                try out(c.0, c.1)
                try ev.eval(args[0], env, c.0, c.1) { x, q in
                    try ev.eval(args[1], env, x, nil) { cv, _ in
                        if cv.isTruthy { try next((x, q)) }
                    }
                }
            }
        }
        native("map", 1) { ev, args, env, input, path, out in
            var res: [Value] = []
            switch input {
            case .array(let a):
                res.reserveCapacity(a.count)
                for x in a { try ev.eval(args[0], env, x, nil) { v, _ in res.append(v) } }
            case .object(let o):
                for x in o.values { try ev.eval(args[0], env, x, nil) { v, _ in res.append(v) } }
            default:
                try ev.iterate(input, nil) { _, _ in }
            }
            try out(.array(res), path == nil ? nil : invalidPathMarker)
        }
        native("path", 1) { ev, args, env, input, path, out in
            try ev.eval(args[0], env, input, []) { v, p in
                if let p, isInvalidPath(p) { throw ev.invalidPath(v) }
                try out(.array(p ?? []), path == nil ? nil : invalidPathMarker)
            }
        }
        native("paths", 0) { ev, _, _, input, path, out in
            try ev.recurse(input, []) { _, p in
                if let p, !p.isEmpty { try out(.array(p), path == nil ? nil : invalidPathMarker) }
            }
        }
        native("getpath", 1) { ev, args, env, input, path, out in
            try ev.eval(args[0], env, input, nil) { pv, _ in
                guard case .array(let p) = pv else { throw JQError.msg("Path must be specified as an array") }
                let r: Value
                do { r = try ev.getPath(input, p[...]) } catch {
                    if path != nil { throw error }
                    throw error
                }
                if let path, isInvalidPath(path) {
                    throw JQError.msg("Invalid path expression near attempt to access element \(errDump(pv)) of \(errDump(input))")
                }
                try out(r, path.map { $0 + p })
            }
        }
        def("setpath", 2) { ev, input, a in
            guard case .array(let p) = a[0] else { throw JQError.msg("Path must be specified as an array") }
            return try ev.setPath(input, p[...], a[1])
        }
        def("delpaths", 1) { ev, input, a in
            guard case .array(let ps) = a[0] else { throw JQError.msg("Paths must be specified as an array") }
            return try ev.deletePaths(input, ps)
        }
        native("del", 1) { ev, args, env, input, path, out in
            let ps = try ev.paths(of: args[0], env, input)
            let r = try ev.deletePaths(input, ps.map { .array($0) })
            try out(r, path == nil ? nil : invalidPathMarker)
        }
        native("error", 0) { _, _, _, input, _, _ in throw JQError.runtime(input) }
        native("error", 1) { ev, args, env, input, _, _ in
            try ev.eval(args[0], env, input, nil) { v, _ in throw JQError.runtime(v) }
        }
        native("first", 1) { ev, args, env, input, path, out in
            ev.labelCounter += 1
            let id = ev.labelCounter
            var got: (Value, Path?)?
            do {
                try ev.eval(args[0], env, input, path) { v, p in got = (v, p); throw JQError.breakOut(id) }
            } catch JQError.breakOut(let b) where b == id {}
            if let got { try out(got.0, got.1) }
        }
        native("last", 1) { ev, args, env, input, path, out in
            var got: (Value, Path?)?
            try ev.eval(args[0], env, input, path) { v, p in got = (v, p) }
            if let got { try out(got.0, got.1) }
        }
        native("isempty", 1) { ev, args, env, input, path, out in
            ev.labelCounter += 1
            let id = ev.labelCounter
            var empty = true
            do {
                try ev.eval(args[0], env, input, nil) { _, _ in empty = false; throw JQError.breakOut(id) }
            } catch JQError.breakOut(let b) where b == id {}
            try out(.bool(empty), path == nil ? nil : invalidPathMarker)
        }
        native("limit", 2) { ev, args, env, input, path, out in
            try ev.eval(args[0], env, input, nil) { nv, _ in
                guard let n = nv.doubleValue else { throw JQError.msg("Invalid limit: must be a number") }
                if n <= 0 {
                    if n < 0 { throw JQError.msg("limit doesn't support negative count") }
                    return
                }
                ev.labelCounter += 1
                let id = ev.labelCounter
                var count = 0.0
                do {
                    try ev.eval(args[1], env, input, path) { v, p in
                        count += 1
                        try out(v, p)
                        if count >= n { throw JQError.breakOut(id) }
                    }
                } catch JQError.breakOut(let b) where b == id {}
            }
        }
        native("skip", 2) { ev, args, env, input, path, out in
            try ev.eval(args[0], env, input, nil) { nv, _ in
                guard let n = nv.doubleValue else { throw JQError.msg("Invalid skip: must be a number") }
                if n < 0 { throw JQError.msg("skip doesn't support negative count") }
                var count = 0.0
                try ev.eval(args[1], env, input, path) { v, p in
                    if count >= n { try out(v, p) } else { count += 1 }
                }
            }
        }
        native("range", 2) { ev, args, env, input, path, out in
            try ev.eval(args[0], env, input, nil) { fv, _ in
                try ev.eval(args[1], env, input, nil) { tv, _ in
                    guard let f = fv.doubleValue, let t = tv.doubleValue else { throw JQError.msg("Range bounds must be numeric") }
                    let mp: Path? = path == nil ? nil : invalidPathMarker
                    var x = f
                    while x < t { try out(.number(x), mp); x += 1 }
                }
            }
        }
        native("range", 3) { ev, args, env, input, path, out in
            try ev.eval(args[0], env, input, nil) { fv, _ in
                try ev.eval(args[1], env, input, nil) { tv, _ in
                    try ev.eval(args[2], env, input, nil) { bv, _ in
                        guard let f = fv.doubleValue, let t = tv.doubleValue, let b = bv.doubleValue else {
                            throw JQError.msg("Range bounds must be numeric")
                        }
                        let mp: Path? = path == nil ? nil : invalidPathMarker
                        var x = f
                        if b > 0 { while x < t { try out(.number(x), mp); x += b } }
                        else if b < 0 { while x > t { try out(.number(x), mp); x += b } }
                        else if f < t { while true { try out(.number(x), mp) } }
                    }
                }
            }
        }
        native("repeat", 1) { ev, args, env, input, path, out in
            // jq applies f to the original input again and again (until an error or a break);
            // a loop keeps `limit(n; repeat(...))` from growing the stack
            while true {
                try ev.eval(args[0], env, input, path, out)
            }
        }
        native("while", 2) { ev, args, env, input, path, out in
            try ev.loop((input, path)) { c, next in
                try ev.eval(args[0], env, c.0, nil) { cv, _ in
                    guard cv.isTruthy else { return }
                    try out(c.0, c.1)
                    try ev.eval(args[1], env, c.0, c.1) { x, q in try next((x, q)) }
                }
            }
        }
        native("until", 2) { ev, args, env, input, path, out in
            try ev.loop((input, path)) { c, next in
                try ev.eval(args[0], env, c.0, nil) { cv, _ in
                    if cv.isTruthy { try out(c.0, c.1); return }
                    try ev.eval(args[1], env, c.0, c.1) { x, q in try next((x, q)) }
                }
            }
        }
        native("input", 0) { ev, _, _, _, _, out in
            guard let next = ev.nextInput, let v = try next() else { throw JQError.msg("No more inputs") }
            try out(v, nil)
        }
        native("inputs", 0) { ev, _, _, _, _, out in
            guard let next = ev.nextInput else { return }
            while let v = try next() { try out(v, nil) }
        }
        native("debug", 0) { ev, _, _, input, path, out in
            ev.debugWriter("[\"DEBUG:\",\(input.jsonText)]")
            try out(input, path)
        }
        native("debug", 1) { ev, args, env, input, path, out in
            try ev.eval(args[0], env, input, nil) { m, _ in ev.debugWriter("[\"DEBUG:\",\(m.jsonText)]") }
            try out(input, path)
        }
        native("stderr", 0) { ev, _, _, input, path, out in
            ev.stderrWriter(input.jsonText)
            try out(input, path)
        }
        def("input_filename", 0) { ev, _, _ in ev.currentFilename }
        def("input_line_number", 0) { _, _, _ in .number(0) }
        native("halt", 0) { _, _, _, _, _, _ in throw JQError.halt(0, nil) }
        native("halt_error", 1) { ev, args, env, input, _, _ in
            try ev.eval(args[0], env, input, nil) { c, _ in
                guard let code = c.doubleValue else { throw JQError.msg("halt_error/1: number required") }
                // an exit status is a C int; NaN, infinities and larger values would trap
                guard !code.isNaN, code > -2_147_483_649, code < 2_147_483_648 else {
                    throw JQError.msg("halt_error/1: exit code \(code.isNaN ? "nan" : errDump(c)) is not a valid exit status")
                }
                throw JQError.halt(Int32(code.rounded(.towardZero)), input)
            }
        }
        def("env", 0) { ev, _, _ in ev.environment }
        def("builtins", 0) { ev, _, _ in .array(ev.builtins.keys.filter { !$0.hasPrefix("_") }.map { .string($0) }) }
        def("now", 0) { _, _, _ in
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            return .number(Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9)
        }
        native("label_unused", 0) { _, _, _, _, _, _ in }
        native("getpath_unused", 0) { _, _, _, _, _, _ in }
        native("splits_unused", 0) { _, _, _, _, _, _ in }
        native("sort_by", 1) { ev, args, env, input, path, out in
            let r = try ev.sortBy(input, args[0], env)
            try out(r, path == nil ? nil : invalidPathMarker)
        }
        native("group_by", 1) { ev, args, env, input, path, out in
            let keyed = try ev.keyed(input, args[0], env, "grouped")
            var groups: [Value] = []
            var lastKey: Value?
            var cur: [Value] = []
            for (k, v) in keyed {
                if let lk = lastKey, Value.compare(lk, k) == 0 { cur.append(v) } else {
                    if lastKey != nil { groups.append(.array(cur)) }
                    cur = [v]
                    lastKey = k
                }
            }
            if lastKey != nil { groups.append(.array(cur)) }
            try out(.array(groups), path == nil ? nil : invalidPathMarker)
        }
        native("unique_by", 1) { ev, args, env, input, path, out in
            let keyed = try ev.keyed(input, args[0], env, "sorted")
            var res: [Value] = []
            var lastKey: Value?
            for (k, v) in keyed {
                if let lk = lastKey, Value.compare(lk, k) == 0 { continue }
                res.append(v)
                lastKey = k
            }
            try out(.array(res), path == nil ? nil : invalidPathMarker)
        }
        for (name, wantMax) in [("min_by", false), ("max_by", true)] {
            native(name, 1) { ev, args, env, input, path, out in
                guard case .array(let a) = input else { throw JQError.msg("Cannot index \(input.typeName) with number") }
                var best: (Value, Value)?
                for x in a {
                    var keys: [Value] = []
                    try ev.eval(args[0], env, x, nil) { k, _ in keys.append(k) }
                    let k = Value.array(keys)
                    if let b = best {
                        let c = Value.compare(k, b.0)
                        if wantMax ? c >= 0 : c < 0 { best = (k, x) }
                    } else {
                        best = (k, x)
                    }
                }
                let r = best?.1 ?? .null
                try out(r, path == nil ? nil : invalidPathMarker)
            }
        }
        native("with_entries_unused", 0) { _, _, _, _, _, _ in }
        native("_modify", 2) { ev, args, env, input, path, out in
            try ev.evalUpdate(.modify, args[0], args[1], env, input, path, out)
        }
        native("getpath_or_null", 1) { _, _, _, _, _, _ in }
        native("ltrimstr", 1) { ev, args, env, input, path, out in
            try ev.eval(args[0], env, input, nil) { p, _ in
                var r = input
                guard case .string = input, case .string = p else { throw JQError.msg("startswith() requires string inputs") }
                if case .string(let s) = input, case .string(let pre) = p, s.utf8.starts(with: pre.utf8) {
                    r = .string(String(decoding: s.utf8.dropFirst(pre.utf8.count), as: UTF8.self))
                }
                try out(r, path == nil ? nil : invalidPathMarker)
            }
        }
        native("rtrimstr", 1) { ev, args, env, input, path, out in
            try ev.eval(args[0], env, input, nil) { p, _ in
                var r = input
                guard case .string = input, case .string = p else { throw JQError.msg("endswith() requires string inputs") }
                if case .string(let s) = input, case .string(let suf) = p, s.utf8.count >= suf.utf8.count,
                   s.utf8.reversed().starts(with: suf.utf8.reversed()) {
                    r = .string(String(decoding: s.utf8.dropLast(suf.utf8.count), as: UTF8.self))
                }
                try out(r, path == nil ? nil : invalidPathMarker)
            }
        }
        native("trimstr", 1) { ev, args, env, input, path, out in
            try ev.eval(args[0], env, input, nil) { p, _ in
                var r = input
                if case .string(var s) = input, case .string(let t) = p {
                    if s.utf8.starts(with: t.utf8) { s = String(decoding: s.utf8.dropFirst(t.utf8.count), as: UTF8.self) }
                    if s.utf8.count >= t.utf8.count, s.utf8.reversed().starts(with: t.utf8.reversed()) {
                        s = String(decoding: s.utf8.dropLast(t.utf8.count), as: UTF8.self)
                    }
                    r = .string(s)
                }
                try out(r, path == nil ? nil : invalidPathMarker)
            }
        }
        registerValueFunctions()
        registerMath()
        registerStrings()
        registerRegex()
        registerDates()
    }

    func keyed(_ input: Value, _ f: Node, _ env: Env?, _ what: String) throws -> [(Value, Value)] {
        guard case .array(let a) = input else {
            throw JQError.msg("Cannot index \(input.typeName) with number")
        }
        var keyed: [(Value, Value)] = []
        keyed.reserveCapacity(a.count)
        var allSingle = true
        var multi: [[Value]] = []
        for x in a {
            var first: Value?
            var keys: [Value] = []
            try eval(f, env, x, nil) { k, _ in
                if first == nil && keys.isEmpty { first = k } else {
                    if let f0 = first { keys.append(f0); first = nil }
                    keys.append(k)
                }
            }
            if let first {
                keyed.append((first, x))
                if !allSingle { multi.append([first]) }
            } else {
                if allSingle {
                    // switch to comparing key arrays for every element
                    allSingle = false
                    multi = keyed.map { [$0.0] }
                }
                keyed.append((.null, x))
                multi.append(keys)
            }
        }
        if !allSingle {
            // comparing [f] arrays equals comparing the single keys when every f has one output
            for i in keyed.indices { keyed[i].0 = .array(multi[i]) }
        }
        return stableSort(keyed)
    }

    func stableSort(_ items: [(Value, Value)]) -> [(Value, Value)] {
        // Sort a permutation of indices: moving (key, value) pairs in the merge costs a
        // retain/release per move and was most of group_by's time on large arrays (perf).
        var order = Array(0..<items.count)
        items.withUnsafeBufferPointer { it in
            order.sort { a, b in
                let c = Value.compare(it[a].0, it[b].0)
                return c != 0 ? c < 0 : a < b
            }
        }
        return order.map { items[$0] }
    }

    func sortBy(_ input: Value, _ f: Node, _ env: Env?) throws -> Value {
        guard case .array = input else { throw JQError.msg("\(typeDump(input)) cannot be sorted, as it is not an array") }
        return .array(try keyed(input, f, env, "sorted").map { $0.1 })
    }
}
