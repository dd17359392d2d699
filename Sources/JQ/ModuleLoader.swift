import SystemIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The most bytes read from one input that is not memory-mapped (stdin, a pipe, a device,
/// `--rawfile`, `--slurpfile`, `-f`): `/dev/zero` must end with an error, not exhaust memory.
public let maxReadBytes = 1 << 30

/// Reads a whole file; nil with `errno` set when it cannot be opened or read (EISDIR for a
/// directory, EFBIG past `maxReadBytes`).
public func readFileBytes(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { errno = EISDIR; return nil }
    return readFD(fd)
}

/// Reads a descriptor to the end (SystemIO's `DescriptorIO.readAll`, sizing the buffer once for
/// regular files); nil with `errno` set on a read error or when the data exceeds `limit` (EFBIG).
public func readFD(_ fd: Int32, limit: Int = maxReadBytes) -> [UInt8]? {
    var st = stat()
    let size = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil
    if let size, size > limit { errno = EFBIG; return nil }
    do {
        return try DescriptorIO.readAll(fd, path: "", limit: limit, size: size)
    } catch {
        errno = error.reason == .tooLarge ? EFBIG : error.systemError
        return nil
    }
}

func fileExists(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
}

func dirName(_ path: String) -> String {
    guard let i = path.lastIndex(of: "/") else { return "." }
    return i == path.startIndex ? "/" : String(path[..<i])
}

/// Resolves and loads `import`/`include` modules from the -L search path.
final class ModuleLoader {
    let searchPaths: [String]
    var cache: [String: [Env.Binding]] = [:]
    var loading: Set<String> = []

    init(searchPaths: [String]) { self.searchPaths = searchPaths }

    func resolve(_ rel: String, meta: Value?, fromDir: String?, ext: String) throws -> String {
        var dirs: [String] = []
        if case .object(let o)? = meta, let s = o["search"] {
            var list: [Value] = []
            if case .array(let a) = s { list = a } else { list = [s] }
            for x in list {
                if case .string(let d) = x {
                    if d.hasPrefix("/") { dirs.append(d) } else { dirs.append((fromDir ?? ".") + "/" + d) }
                }
            }
        }
        dirs.append(contentsOf: searchPaths.map { p in
            if p.hasPrefix("~/") , let home = getenv("HOME") { return String(cString: home) + String(p.dropFirst()) }
            return p
        })
        let base = rel.split(separator: "/").last.map(String.init) ?? rel
        for d in dirs {
            for cand in ["\(d)/\(rel).\(ext)", "\(d)/\(rel)/\(base).\(ext)"] where fileExists(cand) { return cand }
        }
        throw CompileError(message: "module not found: \(rel)")
    }

    /// Loads a module and returns the bindings it exports (its own definitions).
    func load(_ path: String, ev: Evaluator) throws -> (bindings: [Env.Binding], env: Env?) {
        guard let bytes = readFileBytes(path) else { throw CompileError(message: "module not found: \(path)") }
        if loading.contains(path) { throw CompileError(message: "module cycle detected: \(path)") }
        loading.insert(path)
        defer { loading.remove(path) }
        let text = String(decoding: bytes, as: UTF8.self)
        let m = try Parser.parseLibrary(text, fileName: path)
        var env = try bindImports(m.imports, fromDir: dirName(path), ev: ev, base: nil)
        var exported: [Env.Binding] = []
        for d in m.defs {
            env = Env(env, .function(d))
            exported.append(.imported(d.key, d, env!))
        }
        return (exported, env)
    }

    func bindImports(_ imports: [ImportDirective], fromDir: String?, ev: Evaluator, base: Env?) throws -> Env? {
        var env = base
        for imp in imports {
            if let alias = imp.alias, alias.hasPrefix("$") {
                let name = String(alias.dropFirst())
                let p = try resolve(imp.path, meta: imp.meta, fromDir: fromDir, ext: "json")
                guard let bytes = readFileBytes(p) else { throw CompileError(message: "module not found: \(imp.path)") }
                var vals: [Value] = []
                try bytes.withUnsafeBufferPointer { buf in
                    var r = ValueReader(buf)
                    while !r.atEnd() {
                        do { vals.append(try r.parseValue()) } catch { throw CompileError(message: (error as? JSONReadError)?.message ?? "bad JSON") }
                    }
                }
                env = Env(env, .value(name, .array(vals)))
                env = Env(env, .value("\(name)::\(name)", .array(vals)))
                continue
            }
            let p = try resolve(imp.path, meta: imp.meta, fromDir: fromDir, ext: "jq")
            let (bindings, _) = try load(p, ev: ev)
            for b in bindings {
                guard case .imported(let key, let def, let denv) = b else { continue }
                if let alias = imp.alias {
                    env = Env(env, .imported("\(alias)::\(key)", def, denv))
                } else {
                    env = Env(env, .imported(key, def, denv))
                }
            }
        }
        return env
    }

    func meta(_ name: String) throws -> Value {
        let p = try resolve(name, meta: nil, fromDir: nil, ext: "jq")
        guard let bytes = readFileBytes(p) else { throw JQError.msg("module not found: \(name)") }
        let m: ParsedModule
        do { m = try Parser.parseLibrary(String(decoding: bytes, as: UTF8.self), fileName: p) } catch {
            throw JQError.msg(error.message)
        }
        var o = JQObject()
        if case .object(let mo)? = m.meta { for (k, v) in mo.pairs { o[k] = v } }
        var deps: [Value] = []
        for imp in m.imports {
            var d = JQObject()
            if case .object(let io)? = imp.meta { for (k, v) in io.pairs { d[k] = v } }
            let isData = imp.alias?.hasPrefix("$") ?? false
            if let a = imp.alias { d["as"] = .string(isData ? String(a.dropFirst()) : a) }
            d["is_data"] = .bool(isData)
            d["relpath"] = .string(imp.path)
            deps.append(.object(d))
        }
        o["deps"] = .array(deps)
        o["defs"] = .array(m.defs.map { .string($0.key) })
        return .object(o)
    }
}

extension Evaluator {
    func moduleMeta(_ name: String) throws -> Value {
        let loader = moduleLoader ?? ModuleLoader(searchPaths: libraryPaths)
        moduleLoader = loader
        do { return try loader.meta(name) } catch let e as CompileError { throw JQError.msg(e.message) }
    }

    func loadPrelude() {
        do {
            let m = try Parser.parseLibrary(jqPrelude, fileName: "<builtin>")
            for d in m.defs { builtins[d.key] = .defined(d) }
        } catch {
            fatalError("prelude does not parse: \(error.message)")
        }
    }

    /// Parses a program and binds its imports; returns the body and its environment.
    func compile(_ text: String) throws -> (Node, Env?) {
        let m = try Parser.parseProgram(text)
        var env: Env? = nil
        if !m.imports.isEmpty {
            let loader = moduleLoader ?? ModuleLoader(searchPaths: libraryPaths)
            moduleLoader = loader
            env = try loader.bindImports(m.imports, fromDir: nil, ev: self, base: nil)
        }
        let body = m.body ?? .identity
        try checkProgram(body, env)
        return (body, env)
    }

    /// Compile-time checks jq performs: undefined functions and variables, stray `break`.
    func checkProgram(_ node: Node, _ env: Env?) throws {
        var scope = Scope(parent: nil)
        var e = env
        var frames: [Env] = []
        while let f = e { frames.append(f); e = f.parent }
        for f in frames.reversed() {
            switch f.binding {
            case .value(let n, _): scope.vars.insert(n)
            case .function(let d): scope.funcs.insert(d.key)
            case .imported(let k, _, _): scope.funcs.insert(k)
            default: break
            }
        }
        try check(node, &scope)
    }

    struct Scope {
        var parent: [Scope]?
        var vars: Set<String> = []
        var funcs: Set<String> = []
        var labels: Set<String> = []
        init(parent: [Scope]?) { self.parent = parent }
    }

    private func check(_ node: Node, _ s: inout Scope) throws {
        switch node {
        case .identity, .recurseAll, .literal, .format, .loc: break
        case .field(let t, _): try check(t, &s)
        case .index(let t, let k): try check(t, &s); try check(k, &s)
        case .slice(let t, let a, let b):
            try check(t, &s)
            if let a { try check(a, &s) }
            if let b { try check(b, &s) }
        case .iterate(let t), .negate(let t): try check(t, &s)
        case .pipe(let a, let b), .comma(let a, let b), .binary(_, let a, let b), .and(let a, let b), .or(let a, let b),
             .alternative(let a, let b), .update(_, let a, let b):
            try check(a, &s); try check(b, &s)
        case .arrayConstruct(let e): if let e { try check(e, &s) }
        case .objectConstruct(let entries):
            for (k, v) in entries { try check(k, &s); try check(v, &s) }
        case .ifThen(let c, let t, let e):
            try check(c, &s); try check(t, &s)
            if let e { try check(e, &s) }
        case .tryCatch(let b, let h):
            try check(b, &s)
            if let h { try check(h, &s) }
        case .reduce(let src, let pat, let i, let u):
            try check(src, &s); try check(i, &s)
            var inner = s
            try bindCheck(pat, &inner)
            try check(u, &inner)
        case .foreach(let src, let pat, let i, let u, let x):
            try check(src, &s); try check(i, &s)
            var inner = s
            try bindCheck(pat, &inner)
            try check(u, &inner)
            if let x { try check(x, &inner) }
        case .funcDef(let d, let rest):
            var inner = s
            inner.funcs.insert(d.key)
            var body = inner
            for p in d.params {
                if p.hasPrefix("$") {
                    body.vars.insert(String(p.dropFirst()))
                    body.funcs.insert("\(p.dropFirst())/0")
                } else {
                    body.funcs.insert("\(p)/0")
                }
            }
            try check(d.body, &body)
            try check(rest, &inner)
        case .call(let site):
            if !s.funcs.contains(site.key) && builtins[site.key] == nil {
                throw CompileError(message: "\(site.key) is not defined")
            }
            for a in site.args { try check(a, &s) }
        case .variable(let n):
            if !s.vars.contains(n) && n != "ENV" && n != "__prog_args" && namedArgs[n] == nil && n != "__named" {
                throw CompileError(message: "$\(n) is not defined")
            }
        case .binding(let src, let pats, let body):
            try check(src, &s)
            var inner = s
            for p in pats {
                try bindCheck(p, &inner)
            }
            try check(body, &inner)
        case .label(let n, let body):
            var inner = s
            inner.labels.insert(n)
            try check(body, &inner)
        case .breakLabel(let n):
            if !s.labels.contains(n) { throw CompileError(message: "$*label-\(n) is not defined") }
        case .stringInterp(_, let parts):
            for p in parts { if case .expr(let e) = p { try check(e, &s) } }
        }
    }

    private func bindCheck(_ p: Pattern, _ s: inout Scope) throws {
        switch p {
        case .variable(let n): s.vars.insert(n)
        case .array(let items): for i in items { try bindCheck(i, &s) }
        case .object(let entries):
            // key expressions may refer to variables bound earlier in the same pattern
            for (k, sub) in entries {
                switch k {
                case .variable(let n): s.vars.insert(n)
                case .expr(let e): try check(e, &s)
                }
                if let sub { try bindCheck(sub, &s) }
            }
        }
    }
}
