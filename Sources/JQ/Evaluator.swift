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
    /// The most elements an array may hold (`[...]`, `+`, `setpath` past the end): 2^25, about
    /// 1 GiB of values, so `[range(1e9)]` or `[repeat(1)]` stop with an error, not an abort.
    static let maxArrayLength = 1 << 25
    /// The longest string a concatenation may build (bytes), as for `"x" * n`.
    static let maxStringBytes = 1 << 30
    /// The longest path `getpath`, `setpath`, `paths` and `..` follow.
    static let maxPathLength = 10_000
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

    /// Evaluates `node`; a node's last step (the right side of `|` after a single-valued left
    /// side, the branch of `if`, the second half of `,`, a variable binding's body, a call to a
    /// jq-defined function or filter argument) reuses this frame, so tail recursion such as
    /// `def f: if . < 1e7 then .+1 | f else . end` runs in constant native stack, as in jq.
    private func evalImpl(_ node0: Node, _ env0: Env?, _ input0: Value, _ path0: Path?, _ out: Emit) throws {
        var curNode = node0, curEnv = env0, curInput = input0, curPath = path0
        // A call continued in this frame counts once towards the recursion guard: a loop of tail
        // calls stays at one level, while a call nested in a closure (`1 + f`) is a new frame.
        var countedCall = false
        defer { if countedCall { depth -= 1 } }
        while true {
        let node = curNode, env = curEnv, input = curInput, path = curPath
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
            if isSingular(a, 3) || singularCall(a, env) {
                guard let (v, p) = try single(a, env, input, path) else { return }
                curNode = b; curInput = v; curPath = p
                continue
            }
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
            curNode = b
            continue

        case .call(let site):
            if let (body, bodyEnv) = try tailTarget(site, env, input) {
                if !countedCall {
                    countedCall = true
                    depth += 1
                    if depth > Evaluator.maxDepth { throw JQError.msg("stack overflow: recursion deeper than \(Evaluator.maxDepth) calls") }
                }
                curNode = body; curEnv = bodyEnv
                continue
            }
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
            if isSingular(c, 3) {
                guard let (cv, _) = try single(c, env, input, nil) else { return }
                if cv.isTruthy { curNode = t; continue }
                if let e { curNode = e; continue }
                try out(input, path)
                return
            }
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
                        guard acc != nil else { return }
                        if accPath == nil {
                            var owned = acc!
                            acc = nil  // `owned` is now the accumulator's only reference here
                            switch try self.accumulate(update, env2, &owned) {
                            case .updated: acc = owned; return
                            case .noOutput: return
                            case .notApplicable: acc = owned
                            }
                        }
                        let cur = acc!
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
            curNode = rest; curEnv = Env(env, .function(def))
            continue

        case .binding(let src, let patterns, let body):
            if patterns.count == 1, case .variable(let name) = patterns[0], isSingular(src, 3) {
                guard let (sv, _) = try single(src, env, input, nil) else { return }
                curNode = body; curEnv = Env(env, .value(name, sv))
                continue
            }
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
        return
        }
    }

    /// Runs `step` on `start`, then on every value `step` hands to its `next` callback, depth
    /// first in jq's order. The last value handed on at each step is taken by this loop rather
    /// than by a nested call, so `until`, `while` and `recurse` over a single-valued update run
    /// in constant native stack however many times they iterate.
    func loop(_ start: (Value, Path?), _ step: ((Value, Path?), _ next: ((Value, Path?)) throws -> Void) throws -> Void) throws {
        try withoutActuallyEscaping(step) { step in try loopSteps(start, step) }
    }

    private func loopSteps(_ start: (Value, Path?), _ step: @escaping ((Value, Path?), _ next: ((Value, Path?)) throws -> Void) throws -> Void) throws {
        var cur: (Value, Path?)? = start
        while let c = cur {
            var pending: (Value, Path?)?
            do {
                try step(c) { v in
                    // an earlier value handed on in the same step runs to completion first
                    if let p = pending {
                        pending = nil
                        try self.loopSteps(p, step)
                    }
                    pending = v
                }
            } catch {
                // the step failed after handing on a value: jq would have run that value's
                // continuation before reaching the failure
                if let p = pending {
                    pending = nil
                    try loopSteps(p, step)
                }
                throw error
            }
            cur = pending
        }
    }

    /// True when `node` yields at most one value and catches no error, so it can be evaluated
    /// ahead of what follows it (looking `depth` levels down; deeper trees count as not single).
    func isSingular(_ node: Node, _ depth: Int) -> Bool {
        switch node {
        case .identity, .literal, .variable, .format, .loc, .arrayConstruct, .breakLabel: return true
        case .field(let t, _): return depth > 0 && isSingular(t, depth - 1)
        case .negate(let x): return depth > 0 && isSingular(x, depth - 1)
        case .index(let t, let k), .binary(_, let t, let k), .and(let t, let k), .or(let t, let k):
            return depth > 0 && isSingular(t, depth - 1) && isSingular(k, depth - 1)
        case .pipe(let a, let b):
            return depth > 0 && isSingular(a, depth - 1) && isSingular(b, depth - 1)
        default: return false
        }
    }

    /// True when `node` calls a filter argument or a parameterless jq function whose body
    /// `isSingular` accepts (`def f(g): g | f(g)` then loops in one frame).
    func singularCall(_ node: Node, _ env: Env?) -> Bool {
        guard case .call(let site) = node, site.args.isEmpty, site.builtin == nil else { return false }
        var e = env
        while let f = e {
            switch f.binding {
            case .function(let def) where def.key == site.key: return isSingular(def.body, 3)
            case .closure(let key, let body, _) where key == site.key: return isSingular(body, 3)
            case .imported(let key, let def, _) where key == site.key: return isSingular(def.body, 3)
            default: break
            }
            e = f.parent
        }
        return false
    }

    /// The only output of a node `isSingular` accepted (nil when it produced none).
    @inline(__always) func single(_ node: Node, _ env: Env?, _ input: Value, _ path: Path?) throws -> (Value, Path?)? {
        var r: (Value, Path?)?
        try eval(node, env, input, path) { v, p in r = (v, p) }
        return r
    }

    /// For a call whose whole work is evaluating a jq body (a filter argument, or a function
    /// whose value parameters have single-valued arguments), that body and its environment.
    func tailTarget(_ site: CallSite, _ env: Env?, _ input: Value) throws -> (Node, Env?)? {
        if site.builtin != nil { return nil }
        var e = env
        while let f = e {
            switch f.binding {
            case .function(let def) where def.key == site.key:
                return try tailBody(def, f, site.args, env, input)
            case .closure(let key, let body, let cenv) where key == site.key:
                return (body, cenv)
            case .imported(let key, let def, let denv) where key == site.key:
                return try tailBody(def, denv, site.args, env, input)
            default: break
            }
            e = f.parent
        }
        return nil
    }

    private func tailBody(_ def: FuncDef, _ defEnv: Env?, _ args: [Node], _ callerEnv: Env?, _ input: Value) throws -> (Node, Env?)? {
        for (p, a) in zip(def.params, args) where p.hasPrefix("$") && !isSingular(a, 3) { return nil }
        var base: Env? = defEnv
        for (p, a) in zip(def.params, args) {
            if p.hasPrefix("$") {
                let name = String(p.dropFirst())
                // a value parameter with no value makes the call produce nothing
                guard let (v, _) = try single(a, callerEnv, input, nil) else { return (.call(CallSite(name: "empty", args: [])), nil) }
                base = Env(Env(base, .value(name, v)), .closure("\(name)/0", .literal(v), nil))
            } else {
                let (body, benv) = closureArgument(a, callerEnv)
                base = Env(base, .closure("\(p)/0", body, benv))
            }
        }
        return (def.body, base)
    }

    /// A filter argument as a closure. An argument that only passes on the caller's own filter
    /// parameter (`f(g)` inside `def f(g)`) binds that parameter's closure directly, so
    /// recursion does not build a chain of closures that each lookup would walk.
    func closureArgument(_ a: Node, _ callerEnv: Env?) -> (Node, Env?) {
        guard case .call(let site) = a, site.args.isEmpty, site.builtin == nil else { return (a, callerEnv) }
        var e = callerEnv
        while let f = e {
            switch f.binding {
            case .closure(let key, let body, let cenv) where key == site.key: return (body, cenv)
            case .function(let def) where def.key == site.key: return (a, callerEnv)
            case .imported(let key, _, _) where key == site.key: return (a, callerEnv)
            default: break
            }
            e = f.parent
        }
        return (a, callerEnv)
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
                let (body, benv) = closureArgument(a, callerEnv)
                base = Env(base, .closure("\(p)/0", body, benv))
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

    // MARK: paths

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

    // MARK: assignment

    func evalUpdate(_ op: UpdateOp, _ lhs: Node, _ rhs: Node, _ env: Env?, _ input: Value, _ path: Path?, _ out: Emit) throws {
        if case .modify = op {
            var cur = input
            try modify(lhs, rhs, env, &cur, pathsOf: input)
            try out(cur, path == nil ? nil : invalidPathMarker)
            return
        }
        try eval(rhs, env, input, nil) { v, _ in
            var cur = input
            try self.assign(op, lhs, v, env, &cur, pathsOf: input)
            try out(cur, path == nil ? nil : invalidPathMarker)
        }
    }

    /// Calls `body` with each path of `lhs` over `original` as jq generates them: one at a time
    /// (as jq's `reduce path(paths) as $p (.; …)`) when the caller keeps the original apart,
    /// else collected first (`cur` itself must stay the only reference to its containers).
    private func forEachPath(_ lhs: Node, _ env: Env?, _ original: Value?, _ collected: [Path]?, _ body: (Path) throws -> Void) throws {
        if let original {
            try eval(lhs, env, original, []) { v, p in
                if let p, isInvalidPath(p) { throw self.invalidPath(v) }
                try body(p ?? [])
            }
        } else {
            for p in collected ?? [] { try body(p) }
        }
    }

    /// `lhs |= rhs` applied to `cur` in place (the first output of `rhs` per path; none deletes).
    func modify(_ lhs: Node, _ rhs: Node, _ env: Env?, _ cur: inout Value, pathsOf original: Value? = nil) throws {
        var deletions: [Value] = []
        let collected = original == nil ? try paths(of: lhs, env, cur) : nil
        try forEachPath(lhs, env, original, collected) { p in
            var newV: Value?
            do {
                let old = try getPath(cur, p[...])
                labelCounter += 1
                let id = labelCounter
                do {
                    try eval(rhs, env, old, nil) { v, _ in newV = v; throw JQError.breakOut(id) }
                } catch JQError.breakOut(let b) where b == id {}
            }
            if let newV { try setPath(&cur, p[...], newV) } else { deletions.append(.array(p)) }
        }
        if !deletions.isEmpty { cur = try deletePaths(cur, deletions) }
    }

    /// `lhs = v`, `lhs op= v` or `lhs //= v` applied to `cur` in place.
    func assign(_ op: UpdateOp, _ lhs: Node, _ v: Value, _ env: Env?, _ cur: inout Value, pathsOf original: Value? = nil) throws {
        let collected = original == nil ? try paths(of: lhs, env, cur) : nil
        try forEachPath(lhs, env, original, collected) { p in
            switch op {
            case .assign:
                try setPath(&cur, p[...], v)
            case .arith(let bop):
                let old = try getPath(cur, p[...])
                try setPath(&cur, p[...], try binaryOp(bop, old, v))
            case .alternative:
                let old = try getPath(cur, p[...])
                try setPath(&cur, p[...], old.isTruthy ? old : v)
            case .modify:
                preconditionFailure("modify is not an assignment")
            }
        }
    }

    /// Outcome of `accumulate`.
    enum Accumulation { case notApplicable, updated, noOutput }

    /// A `reduce` step whose update is an assignment (`.[k] = v`, `.[k] += v`, `.[k] |= f`, …) or
    /// `. + x`, applied to the accumulator in place: `reduce .[] as $x ({}; .[$x.k] = $x.v)` and
    /// `reduce .[] as $x ([]; . + [$x])` then take linear time. Several outputs of the right side
    /// leave the last one, as `reduce` keeps the last output of its update.
    func accumulate(_ update: Node, _ env: Env?, _ cur: inout Value) throws -> Accumulation {
        switch update {
        case .update(let op, let lhs, let rhs):
            if case .modify = op {
                try modify(lhs, rhs, env, &cur)
                return .updated
            }
            var last: Value?
            try eval(rhs, env, cur, nil) { v, _ in last = v }
            guard let v = last else { return .noOutput }
            try assign(op, lhs, v, env, &cur)
            return .updated
        case .binary(.add, .identity, let r):
            var last: Value?
            try eval(r, env, cur, nil) { v, _ in last = v }
            guard let rv = last else { return .noOutput }
            try addInPlace(&cur, rv)
            return .updated
        default:
            return .notApplicable
        }
    }

    /// `cur + v`, appending to a uniquely referenced array or object without copying it.
    func addInPlace(_ cur: inout Value, _ v: Value) throws {
        if case .array = cur, case .array(let b) = v {
            var a = cur.takeArray()!
            defer { cur = .array(a) }
            if a.count + b.count > Evaluator.maxArrayLength {
                throw JQError.msg("Array too large: more than \(Evaluator.maxArrayLength) elements")
            }
            a.append(contentsOf: b)
        } else if case .object = cur, case .object(let b) = v {
            var o = cur.takeObject()!
            for (k, x) in b.pairs { o[k] = x }
            cur = .object(o)
        } else {
            cur = try addValues(cur, v)
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
