/// A node of a parsed Falco condition, shaped like libsinsp's filter AST.
///
/// `description` prints Falco's normalised form (libsinsp `ast::as_string`): logical nodes are
/// parenthesised, operators are separated by single spaces and values are quoted only when they
/// contain blanks, quotes or backslashes.
public indirect enum ConditionExpr: Sendable, Hashable, CustomStringConvertible {
    case and([ConditionExpr])
    case or([ConditionExpr])
    case not(ConditionExpr)
    /// A bare identifier: a macro reference.
    case identifier(String)
    /// A constant operand.
    case value(String)
    /// A list literal `(a, b, c)`.
    case list([String])
    case unaryCheck(ConditionExpr, op: String)
    case binaryCheck(ConditionExpr, op: String, ConditionExpr)
    /// A field with an optional argument: `proc.aname[2]`, `evt.arg.flags`.
    case field(String, arg: String?)
    /// `tolower(x)`, `toupper(x)`, `b64(x)`, `basename(x)`, `len(x)`, `val(x)`.
    case transformer(String, ConditionExpr)
    /// Transformers with extra arguments: `join("-", (a, b))`, `getopt(proc.args, "nt:")[t]`.
    case call(String, args: [ConditionExpr], arg: String?)

    public var description: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .and(let children): Self.writeLogical("and", children, into: &out)
        case .or(let children): Self.writeLogical("or", children, into: &out)
        case .not(let child):
            out += "not "
            child.write(into: &out)
        case .identifier(let name): out += name
        case .value(let v): out += Self.escape(v)
        case .list(let values):
            out += "("
            out += values.map(Self.escape).joined(separator: ", ")
            out += ")"
        case .unaryCheck(let left, let op):
            left.write(into: &out)
            out += " " + op
        case .binaryCheck(let left, let op, let right):
            left.write(into: &out)
            out += " " + op + " "
            right.write(into: &out)
        case .field(let name, let arg):
            out += name
            if let arg, !arg.isEmpty { out += "[" + Self.escape(arg) + "]" }
        case .transformer(let name, let child):
            out += name + "("
            child.write(into: &out)
            out += ")"
        case .call(let name, let args, let arg):
            out += name + "("
            if name == "join", let first = args.first {
                // join(separator, (operand, …))
                first.write(into: &out)
                out += ", (" + args.dropFirst().map(\.description).joined(separator: ", ") + ")"
            } else {
                out += args.map(\.description).joined(separator: ", ")
            }
            out += ")"
            if let arg, !arg.isEmpty { out += "[" + Self.escape(arg) + "]" }
        }
    }

    private static func writeLogical(_ op: String, _ children: [ConditionExpr], into out: inout String) {
        out += "("
        for (i, c) in children.enumerated() {
            if i > 0 { out += " " + op + " " }
            c.write(into: &out)
        }
        out += ")"
    }

    /// libsinsp's `escape_str`: quotes a value with blanks, quotes or backslashes.
    public static func escape(_ s: String) -> String {
        var res = ""
        var quote = false
        for ch in s.unicodeScalars {
            switch ch {
            case "\u{08}": quote = true; res += "\\b"
            case "\u{0C}": quote = true; res += "\\f"
            case "\n": quote = true; res += "\\n"
            case "\r": quote = true; res += "\\r"
            case "\t": quote = true; res += "\\t"
            case " ": quote = true; res += " "
            case "\\": quote = true; res += "\\\\"
            case "\"": quote = true; res += "\\\""
            case "'": quote = true; res += "'"
            default: res.unicodeScalars.append(ch)
            }
        }
        return quote ? "\"" + res + "\"" : res
    }
}

extension ConditionExpr {
    /// Visits every node, depth first.
    func forEach(_ body: (ConditionExpr) -> Void) {
        body(self)
        switch self {
        case .and(let c), .or(let c): for x in c { x.forEach(body) }
        case .not(let c): c.forEach(body)
        case .unaryCheck(let l, _): l.forEach(body)
        case .binaryCheck(let l, _, let r): l.forEach(body); r.forEach(body)
        case .transformer(_, let c): c.forEach(body)
        case .call(_, let args, _): for a in args { a.forEach(body) }
        case .identifier, .value, .list, .field: break
        }
    }

    /// Every field name used (inside checks and transformers).
    var fieldNames: [String] {
        var names: [String] = []
        forEach { if case .field(let n, _) = $0 { names.append(n) } }
        return names
    }
}
