// Calls: jq-defined and builtin function calls, parameter binding.
extension Evaluator {
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
}
