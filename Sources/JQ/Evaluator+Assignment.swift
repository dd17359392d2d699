// Assignment and update operators (`=`, `|=`, `+=`, …).
extension Evaluator {
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
