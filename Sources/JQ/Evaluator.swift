typealias Path = [Value]

/// Marks a value produced in path mode by an expression that is not a path.
let invalidPathMarker: Path = [.string("\u{0}<invalid path>")]

@inline(__always) func isInvalidPath(_ p: Path) -> Bool {
    if p.count == 1, case .string(let s) = p[0], s == "\u{0}<invalid path>" { return true }
    return false
}
typealias Emit = (Value, Path?) throws -> Void

/// A lexical environment frame: one variable, function, filter-parameter closure or label.
final class Env {
    enum Binding {
        case value(String, Value)
        case function(FuncDef)
        case closure(String, Node, Env?)
        case label(String, Int)
        case imported(String, FuncDef, Env)
        case marker
    }
    let parent: Env?
    let binding: Binding
    init(_ parent: Env?, _ b: Binding) { self.parent = parent; self.binding = b }
}

/// A built-in filter: implemented in Swift, or defined in jq source.
enum Builtin {
    case native((Evaluator, [Node], Env?, Value, Path?, Emit) throws -> Void)
    case defined(FuncDef)
}

/// Evaluates parsed programs by pushing outputs to a callback (generators without allocation).
final class Evaluator {
    var builtins: [String: Builtin] = [:]
    var labelCounter = 0
    var depth = 0
    static let maxDepth = 20_000
    /// Largest array `[...]` may build (about 3 GiB of values).
    static let maxArrayLength = 100_000_000
    /// Supplies `input`/`inputs`.
    var nextInput: (() throws -> Value?)?
    var currentFilename: Value = .null
    var environment: Value = .null
    var namedArgs: JQObject = JQObject()
    var positionalArgs: [Value] = []
    var stderrWriter: (String) -> Void = { _ in }
    var debugWriter: (String) -> Void = { _ in }
    var libraryPaths: [String] = []
    var moduleLoader: ModuleLoader?
    var regexCache: [String: CompiledRegex] = [:]

    /// `eval` calls through this stored closure: a direct recursive call with closure literals
    /// makes the optimizer's closure specializer clone `eval` without bound (minutes of -O build).
    private var evalIndirect: ((Node, Env?, Value, Path?, Emit) throws -> Void)!

    init() {
        evalIndirect = { [unowned(unsafe) self] n, e, i, p, o in try self.evalImpl(n, e, i, p, o) }
        registerNatives()
        loadPrelude()
    }

    // MARK: lookup

    func lookupValue(_ name: String, _ env: Env?) throws -> Value {
        var e = env
        while let f = e {
            if case .value(let n, let v) = f.binding, n == name { return v }
            e = f.parent
        }
        if name == "ENV" { return environment }
        if name == "__prog_args" { return .array(positionalArgs) }
        if name == "__named" { return .object(namedArgs) }
        if let v = namedArgs[name] { return v }
        throw JQError.msg("$\(name) is not defined")
    }

    // MARK: evaluation

    func invalidPath(_ v: Value) -> JQError {
        .msg("Invalid path expression with result \(errDump(v))")
    }

    /// Extends a tracked path; indexing a value that is not a path expression is jq's
    /// "Invalid path expression near attempt to ..." error.
    @inline(__always) func appendPath(_ p: Path?, _ key: Value, _ v: Value) throws -> Path? {
        guard let p else { return nil }
        if isInvalidPath(p) {
            throw JQError.msg("Invalid path expression near attempt to access element \(errDump(key)) of \(errDump(v))")
        }
        return p + [key]
    }

    @inline(__always)
    func eval(_ node: Node, _ env: Env?, _ input: Value, _ path: Path?, _ out: Emit) throws {
        try evalIndirect(node, env, input, path, out)
    }

    private func evalImpl(_ node: Node, _ env: Env?, _ input: Value, _ path: Path?, _ out: Emit) throws {
        switch node {
        case .identity:
            try out(input, path)

        case .field(let target, let name):
            if case .identity = target {
                let np = try appendPath(path, .string(name), input)
                try out(try indexField(input, name), np)
                return
            }
            try eval(target, env, input, path) { v, p in
                let np = try self.appendPath(p, .string(name), v)
                try out(try self.indexField(v, name), np)
            }

        case .pipe(let a, let b):
            try eval(a, env, input, path) { v, p in
                try self.eval(b, env, v, p, out)
            }

        case .literal(let v):
            try out(v, path == nil ? nil : invalidPathMarker)

        case .iterate(let target):
            try eval(target, env, input, path) { v, p in
                try self.iterate(v, p, out)
            }

        case .comma(let a, let b):
            try eval(a, env, input, path, out)
            try eval(b, env, input, path, out)

        case .call(let site):
            try call(site, env, input, path, out)

        case .variable(let name):
            let v = try lookupValue(name, env)
            if path != nil {
                // jq allows `$__loc__`-style constants only outside paths; `getpath` is the path-aware way
                try out(v, invalidPathMarker)
                return
            }
            try out(v, nil)

        case .index(let target, let keyNode):
            try eval(keyNode, env, input, nil) { k, _ in
                try self.eval(target, env, input, path) { v, p in
                    let np = try self.appendPath(p, k, v)
                    try out(try self.index(v, k), np)
                }
            }

        case .slice(let target, let lo, let hi):
            let los = try lo.map { try collect($0, env, input) } ?? [.null]
            let his = try hi.map { try collect($0, env, input) } ?? [.null]
            for h in his {
                for l in los {
                    try eval(target, env, input, path) { v, p in
                        var o = JQObject()
                        o["start"] = l
                        o["end"] = h
                        let np = try self.appendPath(p, .object(o), v)
                        let r = try self.slice(v, l, h)
                        try out(r, np)
                    }
                }
            }

        case .recurseAll:
            try recurse(input, path, out)

        case .negate(let x):
            try eval(x, env, input, nil) { v, _ in
                let mp: Path? = path == nil ? nil : invalidPathMarker
                switch v {
                case .number(let d): try out(.number(-d), mp)
                case .literal(let d, let s): try out(.literal(-d, DecimalText.negate(s)), mp)
                default: throw JQError.msg("\(typeDump(v)) cannot be negated")
                }
            }

        case .binary(let op, let l, let r):
            try eval(r, env, input, nil) { rv, _ in
                try self.eval(l, env, input, nil) { lv, _ in
                    let res = try binaryOp(op, lv, rv)
                    try out(res, path == nil ? nil : invalidPathMarker)
                }
            }

        case .and(let l, let r):
            try eval(l, env, input, nil) { lv, _ in
                if !lv.isTruthy {
                    try out(.bool(false), path == nil ? nil : invalidPathMarker); return
                }
                try self.eval(r, env, input, nil) { rv, _ in
                    try out(.bool(rv.isTruthy), path == nil ? nil : invalidPathMarker)
                }
            }

        case .or(let l, let r):
            try eval(l, env, input, nil) { lv, _ in
                if lv.isTruthy {
                    try out(.bool(true), path == nil ? nil : invalidPathMarker); return
                }
                try self.eval(r, env, input, nil) { rv, _ in
                    try out(.bool(rv.isTruthy), path == nil ? nil : invalidPathMarker)
                }
            }

        case .alternative(let a, let b):
            var any = false
            do {
                try evalCatching(a, env, input, path) { v, p in
                    if v.isTruthy {
                        any = true
                        try out(v, p)
                    }
                }
            } catch let e as JQError {
                if case .runtime = e {} else { throw e }
            }
            if !any { try eval(b, env, input, path, out) }

        case .arrayConstruct(let e):
            var arr: [Value] = []
            if let e {
                try eval(e, env, input, nil) { v, _ in
                    // bounded: `[limit(1e9; repeat(1))]` must fail cleanly, not exhaust memory
                    if arr.count >= Evaluator.maxArrayLength {
                        throw JQError.msg("Array too large: more than \(Evaluator.maxArrayLength) elements")
                    }
                    arr.append(v)
                }
            }
            try out(.array(arr), path == nil ? nil : invalidPathMarker)

        case .objectConstruct(let entries):
            try buildObject(entries, 0, JQObject(), env, input) { o in
                try out(.object(o), path == nil ? nil : invalidPathMarker)
            }

        case .ifThen(let c, let t, let e):
            try eval(c, env, input, nil) { cv, _ in
                if cv.isTruthy { try self.eval(t, env, input, path, out) }
                else if let e { try self.eval(e, env, input, path, out) }
                else { try out(input, path) }
            }

        case .tryCatch(let body, let handler):
            let token = TryToken()
            do {
                try eval(body, env, input, path) { v, p in
                    do { try out(v, p) } catch { throw DownstreamError(error, owner: token) }
                }
            } catch let d as DownstreamError where d.owner === token {
                throw d.inner
            } catch let e as JQError {
                switch e {
                case .runtime(let ev):
                    guard let handler else { return }
                    if case .object(let o) = ev, o["__jq"] != nil { return }  // error(break)-style internal
                    try eval(handler, env, ev, nil) { v, _ in
                        try out(v, path == nil ? nil : invalidPathMarker)
                    }
                default: throw e
                }
            }

        case .reduce(let src, let pat, let initial, let update):
            try eval(initial, env, input, path) { iv, ip in
                var acc: Value? = iv
                var accPath: Path? = ip
                try self.eval(src, env, input, nil) { sv, _ in
                    try self.bindPattern(pat, sv, env) { env2 in
                        guard let cur = acc else {
                            acc = nil
                            return
                        }
                        var last: Value?
                        var lastPath: Path?
                        try self.eval(update, env2, cur, accPath) { uv, up in last = uv; lastPath = up }
                        acc = last
                        accPath = lastPath
                    }
                }
                try out(acc ?? .null, acc == nil ? (path != nil ? path : nil) : accPath)
            }

        case .foreach(let src, let pat, let initial, let update, let extract):
            try eval(initial, env, input, nil) { iv, _ in
                var acc = iv
                try self.eval(src, env, input, nil) { sv, _ in
                    try self.bindPattern(pat, sv, env) { env2 in
                        try self.eval(update, env2, acc, nil) { uv, _ in
                            acc = uv
                            if let extract {
                                try self.eval(extract, env2, uv, path == nil ? nil : [], out)
                            } else {
                                try out(uv, path == nil ? nil : invalidPathMarker)
                            }
                        }
                    }
                }
            }

        case .funcDef(let def, let rest):
            try eval(rest, Env(env, .function(def)), input, path, out)

        case .binding(let src, let patterns, let body):
            try eval(src, env, input, nil) { sv, _ in
                if patterns.count == 1 {
                    try self.bindPattern(patterns[0], sv, env) { env2 in
                        try self.eval(body, env2, input, path, out)
                    }
                    return
                }
                // `?//`: every variable of every pattern is bound (null when absent)
                var allVars: [String] = []
                for p in patterns { collectVars(p, &allVars) }
                for (i, p) in patterns.enumerated() {
                    var base = env
                    for v in allVars { base = Env(base, .value(v, .null)) }
                    let token = TryToken()
                    do {
                        try self.bindPattern(p, sv, base) { env2 in
                            try self.eval(body, env2, input, path) { v, pp in
                                do { try out(v, pp) } catch { throw DownstreamError(error, owner: token) }
                            }
                        }
                        return
                    } catch let d as DownstreamError where d.owner === token {
                        throw d.inner
                    } catch let e as JQError {
                        guard case .runtime = e, i < patterns.count - 1 else { throw e }
                    }
                }
            }

        case .label(let name, let body):
            labelCounter += 1
            let id = labelCounter
            do {
                try eval(body, Env(env, .label(name, id)), input, path, out)
            } catch JQError.breakOut(let b) where b == id {
            }

        case .breakLabel(let name):
            var e = env
            while let f = e {
                if case .label(let n, let id) = f.binding, n == name { throw JQError.breakOut(id) }
                e = f.parent
            }
            throw JQError.msg("$*label-\(name) is not defined")

        case .update(let op, let lhs, let rhs):
            try evalUpdate(op, lhs, rhs, env, input, path, out)

        case .format(let name):
            let r = try applyFormat(name, input)
            try out(r, path == nil ? nil : invalidPathMarker)

        case .stringInterp(let fmt, let parts):
            try interpolate(parts, parts.count - 1, fmt, env, input, "") { s in
                try out(.string(s), path == nil ? nil : invalidPathMarker)
            }

        case .loc(let file, let line):
            var o = JQObject()
            o["file"] = .string(file)
            o["line"] = .number(Double(line))
            try out(.object(o), path == nil ? nil : invalidPathMarker)
        }
    }

    /// Evaluates `node`, letting errors from `out` pass untouched (for `//`).
    func evalCatching(_ node: Node, _ env: Env?, _ input: Value, _ path: Path?, _ out: Emit) throws {
        let token = TryToken()
        do {
            try eval(node, env, input, path) { v, p in
                do { try out(v, p) } catch { throw DownstreamError(error, owner: token) }
            }
        } catch let d as DownstreamError where d.owner === token {
            throw d.inner
        }
    }

    func collect(_ node: Node, _ env: Env?, _ input: Value) throws -> [Value] {
        var r: [Value] = []
        try eval(node, env, input, nil) { v, _ in r.append(v) }
        return r
    }

    private func interpolate(_ parts: [StringPart], _ i: Int, _ fmt: String?, _ env: Env?, _ input: Value, _ suffix: String, _ out: (String) throws -> Void) throws {
        if i < 0 { try out(suffix); return }
        switch parts[i] {
        case .literal(let s):
            try interpolate(parts, i - 1, fmt, env, input, s + suffix, out)
        case .expr(let n):
            try eval(n, env, input, nil) { v, _ in
                let s: String
                if let fmt {
                    guard case .string(let t) = try self.applyFormat(fmt, v) else { return }
                    s = t
                } else {
                    s = toStringValue(v)
                }
                try self.interpolate(parts, i - 1, fmt, env, input, s + suffix, out)
            }
        }
    }

    private func buildObject(_ entries: [(key: Node, value: Node)], _ i: Int, _ acc: JQObject, _ env: Env?, _ input: Value, _ out: (JQObject) throws -> Void) throws {
        if i == entries.count { try out(acc); return }
        let (kn, vn) = entries[i]
        try eval(kn, env, input, nil) { k, _ in
            guard case .string(let ks) = k else {
                throw JQError.msg("Object keys must be strings")
            }
            try self.eval(vn, env, input, nil) { v, _ in
                var o = acc
                o[ks] = v
                try self.buildObject(entries, i + 1, o, env, input, out)
            }
        }
    }

    // MARK: calls

    func call(_ site: CallSite, _ env: Env?, _ input: Value, _ path: Path?, _ out: Emit) throws {
        depth += 1
        defer { depth -= 1 }
        if depth > Evaluator.maxDepth { throw JQError.msg("stack overflow: recursion deeper than \(Evaluator.maxDepth) calls") }
        if let b = site.builtin {
            return try callBuiltin(b, site, env, input, path, out)
        }
        var e = env
        while let f = e {
            switch f.binding {
            case .function(let def) where def.key == site.key:
                return try callDefined(def, f, site.args, env, input, path, out)
            case .closure(let key, let body, let cenv) where key == site.key:
                return try eval(body, cenv, input, path, out)
            case .imported(let key, let def, let denv) where key == site.key:
                return try callDefined(def, denv, site.args, env, input, path, out)
            default: break
            }
            e = f.parent
        }
        guard let b = builtins[site.key] else {
            throw JQError.msg("\(site.key) is not defined")
        }
        try callBuiltin(b, site, env, input, path, out)
    }

    @inline(__always) func callBuiltin(_ b: Builtin, _ site: CallSite, _ env: Env?, _ input: Value, _ path: Path?, _ out: Emit) throws {
        switch b {
        case .native(let fn): try fn(self, site.args, env, input, path, out)
        case .defined(let def): try callDefined(def, nil, site.args, env, input, path, out)
        }
    }

    func callDefined(_ def: FuncDef, _ defEnv: Env?, _ args: [Node], _ callerEnv: Env?, _ input: Value, _ path: Path?, _ out: Emit) throws {
        // The body sees the definition (for recursion) plus the parameters.
        var base: Env? = defEnv
        if defEnv == nil { base = nil }
        var valueParams: [(String, Node)] = []
        for (p, a) in zip(def.params, args) {
            if p.hasPrefix("$") {
                valueParams.append((String(p.dropFirst()), a))
            } else {
                base = Env(base, .closure("\(p)/0", a, callerEnv))
            }
        }
        if valueParams.isEmpty {
            return try eval(def.body, base, input, path, out)
        }
        try bindValueParams(valueParams, 0, base, def, callerEnv, input, path, out)
    }

    private func bindValueParams(_ ps: [(String, Node)], _ i: Int, _ env: Env?, _ def: FuncDef, _ callerEnv: Env?, _ input: Value, _ path: Path?, _ out: Emit) throws {
        if i == ps.count { return try eval(def.body, env, input, path, out) }
        try eval(ps[i].1, callerEnv, input, nil) { v, _ in
            let e1 = Env(env, .value(ps[i].0, v))
            let e2 = Env(e1, .closure("\(ps[i].0)/0", .literal(v), nil))
            try self.bindValueParams(ps, i + 1, e2, def, callerEnv, input, path, out)
        }
    }

    // MARK: patterns

    func bindPattern(_ pat: Pattern, _ v: Value, _ env: Env?, _ body: (Env?) throws -> Void) throws {
        switch pat {
        case .variable(let n):
            try body(Env(env, .value(n, v)))
        case .array(let items):
            if case .null = v {} else if case .array = v {} else {
                throw JQError.msg("Cannot index \(v.typeName) with number")
            }
            try bindArray(items, 0, v, env, body)
        case .object(let entries):
            try bindObject(entries, 0, v, env, body)
        }
    }

    private func bindArray(_ items: [Pattern], _ i: Int, _ v: Value, _ env: Env?, _ body: (Env?) throws -> Void) throws {
        if i == items.count { return try body(env) }
        let elem = try index(v, .number(Double(i)))
        try bindPattern(items[i], elem, env) { e in
            try self.bindArray(items, i + 1, v, e, body)
        }
    }

    private func bindObject(_ entries: [(key: ObjectPatternKey, pattern: Pattern?)], _ i: Int, _ v: Value, _ env: Env?, _ body: (Env?) throws -> Void) throws {
        if i == entries.count { return try body(env) }
        let (key, sub) = entries[i]
        switch key {
        case .variable(let name):
            let elem = try objectPatternIndex(v, .string(name))
            let e = Env(env, .value(name, elem))
            if let sub {
                try bindPattern(sub, elem, e) { e2 in try self.bindObject(entries, i + 1, v, e2, body) }
            } else {
                try bindObject(entries, i + 1, v, e, body)
            }
        case .expr(let kn):
            try eval(kn, env, v, nil) { k, _ in
                guard case .string = k else {
                    throw JQError.msg("Cannot index \(v.typeName) with \(k.typeName)")
                }
                let elem = try self.objectPatternIndex(v, k)
                try self.bindPattern(sub!, elem, env) { e2 in try self.bindObject(entries, i + 1, v, e2, body) }
            }
        }
    }

    private func objectPatternIndex(_ v: Value, _ k: Value) throws -> Value {
        switch v {
        case .object, .null: return try index(v, k)
        default: throw JQError.msg("Cannot index \(v.typeName) with \(typeDump(k))")
        }
    }

    // MARK: indexing

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

    /// `..`: pre-order walk of every value.
    func recurse(_ v: Value, _ p: Path?, _ out: Emit) throws {
        try out(v, p)
        switch v {
        case .array(let a):
            for (i, x) in a.enumerated() { try recurse(x, p.map { $0 + [.number(Double(i))] }, out) }
        case .object(let o):
            for (k, x) in o.pairs { try recurse(x, p.map { $0 + [.string(k)] }, out) }
        default: break
        }
    }

    // MARK: paths

    func getPath(_ v: Value, _ path: ArraySlice<Value>) throws -> Value {
        if path.count > 10_000 { throw JQError.msg("Path too deep") }
        var cur = v
        for k in path {
            if case .null = cur { return .null }
            cur = try index(cur, k)
        }
        return cur
    }

    func setPath(_ v: Value, _ path: ArraySlice<Value>, _ newValue: Value) throws -> Value {
        if path.count > 10_000 { throw JQError.msg("Path too deep") }
        guard let k = path.first else { return newValue }
        let rest = path.dropFirst()
        switch (v, k) {
        case (.object(var o), .string(let s)):
            let child = o[s] ?? .null
            o[s] = .null  // drop the reference so the child is uniquely owned
            o[s] = try setPath(child, rest, newValue)
            return .object(o)
        case (.null, .string(let s)):
            var o = JQObject()
            o[s] = try setPath(.null, rest, newValue)
            return .object(o)
        case (.array(var a), .number), (.array(var a), .literal):
            let d = k.doubleValue!
            if d.isNaN { throw JQError.msg("Cannot set array element at NaN index") }
            guard d.isFinite, abs(d) < 536_870_912 else { throw JQError.msg("Array index too large") }
            var i = Int(d.rounded(.down))
            if i < 0 {
                i += a.count
                if i < 0 { throw JQError.msg("Out of bounds negative array index") }
            }
            if i >= a.count {
                a.append(contentsOf: repeatElement(Value.null, count: i - a.count + 1))
            }
            let child = a[i]
            a[i] = .null
            a[i] = try setPath(child, rest, newValue)
            return .array(a)
        case (.null, .number), (.null, .literal):
            return try setPath(.array([]), path, newValue)
        case (.null, .object), (.array, .object):
            guard case .object(let o) = k else { fatalError() }
            var arr: [Value] = []
            if case .array(let a) = v { arr = a }
            let (s, e) = try sliceBounds(arr.count, o["start"] ?? .null, o["end"] ?? .null)
            let cur = Value.array(Array(arr[s..<e]))
            let repl = try setPath(cur, rest, newValue)
            guard case .array(let ra) = repl else { throw JQError.msg("A slice of an array can only be assigned another array") }
            arr.replaceSubrange(s..<e, with: ra)
            return .array(arr)
        case (.string, .object):
            throw JQError.msg("Cannot update string slices")
        case (.array, .string):
            throw JQError.msg("Cannot index array with \(typeDump(k))")
        case (.array, _):
            throw JQError.msg("Cannot update field at \(k.typeName) index of array")
        case (.object, _):
            throw JQError.msg("Cannot index object with \(typeDump(k))")
        default:
            throw JQError.msg("Cannot index \(v.typeName) with \(typeDump(k))")
        }
    }

    func deletePaths(_ v: Value, _ paths: [Value]) throws -> Value {
        var ps: [[Value]] = []
        for p in paths {
            guard case .array(let a) = p else { throw JQError.msg("Path must be specified as an array") }
            if a.count > 10_000 { throw JQError.msg("Path too deep") }
            ps.append(a)
        }
        // negative indices count from the end of the array they index
        for j in ps.indices where !ps[j].isEmpty {
            if let d = ps[j].last!.doubleValue, d < 0, d.isFinite,
               case .array(let arr)? = try? getPath(v, ps[j].dropLast()) {
                ps[j][ps[j].count - 1] = .number(d + Double(arr.count))
            }
        }
        ps.sort { Value.compare(.array($0), .array($1)) > 0 }
        var cur = v
        for p in ps { cur = try deletePath(cur, p[...]) }
        return cur
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

    // MARK: assignment

    func evalUpdate(_ op: UpdateOp, _ lhs: Node, _ rhs: Node, _ env: Env?, _ input: Value, _ path: Path?, _ out: Emit) throws {
        switch op {
        case .modify:
            let ps = try paths(of: lhs, env, input)
            var cur = input
            var deletions: [Value] = []
            for p in ps {
                let old = try getPath(cur, p[...])
                var newV: Value?
                labelCounter += 1
                let id = labelCounter
                do {
                    try eval(rhs, env, old, nil) { v, _ in newV = v; throw JQError.breakOut(id) }
                } catch JQError.breakOut(let b) where b == id {}
                if let newV { cur = try setPath(cur, p[...], newV) } else { deletions.append(.array(p)) }
            }
            if !deletions.isEmpty { cur = try deletePaths(cur, deletions) }
            try out(cur, path == nil ? nil : invalidPathMarker)
        case .assign:
            try eval(rhs, env, input, nil) { v, _ in
                let ps = try self.paths(of: lhs, env, input)
                var cur = input
                for p in ps { cur = try self.setPath(cur, p[...], v) }
                try out(cur, path == nil ? nil : invalidPathMarker)
            }
        case .arith(let bop):
            try eval(rhs, env, input, nil) { v, _ in
                let ps = try self.paths(of: lhs, env, input)
                var cur = input
                for p in ps {
                    let old = try self.getPath(cur, p[...])
                    cur = try self.setPath(cur, p[...], try binaryOp(bop, old, v))
                }
                try out(cur, path == nil ? nil : invalidPathMarker)
            }
        case .alternative:
            try eval(rhs, env, input, nil) { v, _ in
                let ps = try self.paths(of: lhs, env, input)
                var cur = input
                for p in ps {
                    let old = try self.getPath(cur, p[...])
                    cur = try self.setPath(cur, p[...], old.isTruthy ? old : v)
                }
                try out(cur, path == nil ? nil : invalidPathMarker)
            }
        }
    }
}

func collectVars(_ p: Pattern, _ out: inout [String]) {
    switch p {
    case .variable(let n): if !out.contains(n) { out.append(n) }
    case .array(let items): for i in items { collectVars(i, &out) }
    case .object(let entries):
        for (k, sub) in entries {
            if case .variable(let n) = k, !out.contains(n) { out.append(n) }
            if let sub { collectVars(sub, &out) }
        }
    }
}
