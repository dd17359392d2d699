import JQ

/// `--stream`: the `[path, leaf]` and closing `[path]` events of a value, in jq's order.
func streamEvents(_ v: Value) -> [Value] {
    var out: [Value] = []
    func walk(_ v: Value, _ p: [Value], top: Bool) {
        switch v {
        case .array(let a) where !a.isEmpty:
            for (i, x) in a.enumerated() { walk(x, p + [.number(Double(i))], top: false) }
            out.append(.array([.array(p + [.number(Double(a.count - 1))])]))
        case .object(let o) where o.count > 0:
            for (k, x) in o.pairs { walk(x, p + [.string(k)], top: false) }
            out.append(.array([.array(p + [.string(o.keys.last!)])]))
        default:
            out.append(.array([.array(p), v]))
        }
    }
    walk(v, [], top: true)
    return out
}
