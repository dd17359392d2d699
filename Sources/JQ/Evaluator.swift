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
public final class Evaluator {
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
    public var nextInput: (() throws -> Value?)?
    /// `input_filename`.
    public var currentFilename: Value = .null
    /// `$ENV` and `env`.
    public var environment: Value = .null
    /// `$__prog_args.named` (`--arg`, `--argjson`, …) and `$ARGS.named`.
    public var namedArgs: JQObject = JQObject()
    /// `$ARGS.positional` (`--args`, `--jsonargs`).
    public var positionalArgs: [Value] = []
    /// Where `stderr` writes.
    public var stderrWriter: (String) -> Void = { _ in }
    /// Where `debug` writes.
    public var debugWriter: (String) -> Void = { _ in }
    /// Module search path (`-L`), `~` and `$ORIGIN` expanded by the loader.
    public var libraryPaths: [String] = []
    var moduleLoader: ModuleLoader?
    var regexCache: [String: CompiledRegex] = [:]

    /// `eval` calls through this stored closure: a direct recursive call with closure literals
    /// makes the optimizer's closure specializer clone `eval` without bound (minutes of -O build).
    private var evalIndirect: ((Node, Env?, Value, Path?, Emit) throws -> Void)!

    public init() {
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
}
