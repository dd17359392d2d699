// Destructuring patterns (`. as [$a, {b: $c}]`).
extension Evaluator {
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
