/// A parsed jq program node.
indirect enum Node {
    case identity
    case recurseAll
    case literal(Value)
    /// `.foo` style index with a constant key applied to the result of `target`.
    case field(Node, String)
    case index(Node, Node)
    case slice(Node, Node?, Node?)
    case iterate(Node)
    case pipe(Node, Node)
    case comma(Node, Node)
    case negate(Node)
    case binary(BinaryOp, Node, Node)
    case and(Node, Node)
    case or(Node, Node)
    case alternative(Node, Node)
    case update(UpdateOp, Node, Node)
    case arrayConstruct(Node?)
    case objectConstruct([(key: Node, value: Node)])
    case ifThen(Node, Node, Node?)
    case tryCatch(Node, Node?)
    case reduce(Node, Pattern, Node, Node)
    case foreach(Node, Pattern, Node, Node, Node?)
    case funcDef(FuncDef, Node)
    case call(CallSite)
    case variable(String)
    case binding(Node, [Pattern], Node)
    case label(String, Node)
    case breakLabel(String)
    case format(String)
    case stringInterp(String?, [StringPart])
    case loc(String, Int)
}

enum StringPart {
    case literal(String)
    case expr(Node)
}

enum BinaryOp {
    case add, sub, mul, div, mod, eq, ne, lt, le, gt, ge
}

enum UpdateOp {
    case assign, modify, arith(BinaryOp), alternative
}

/// A destructuring pattern for `as`.
indirect enum Pattern {
    case variable(String)
    case array([Pattern])
    case object([(key: ObjectPatternKey, pattern: Pattern?)])
}

enum ObjectPatternKey {
    /// `$name` (binds the variable and uses the name as key)
    case variable(String)
    /// Constant or computed key expression.
    case expr(Node)
}

/// A function definition: `def name(params): body;`.
final class FuncDef {
    let name: String
    let params: [String]  // "$x" for value params, "f" for filter params
    let body: Node
    let key: String
    init(name: String, params: [String], body: Node) {
        self.name = name
        self.params = params
        self.body = body
        self.key = "\(name)/\(params.count)"
    }
}

/// A function call with its lookup key precomputed.
final class CallSite {
    let name: String
    let args: [Node]
    let key: String
    /// Set at resolve time when the call targets a builtin that cannot be shadowed.
    var builtin: Builtin?
    init(name: String, args: [Node]) {
        self.name = name
        self.args = args
        self.key = "\(name)/\(args.count)"
    }
}
