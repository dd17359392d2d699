/// A compiled jq program: what a front end (JQCLI's command line) gets from `Evaluator` and
/// hands back to run it on each input, without seeing the syntax tree.
public struct JQProgram {
    let node: Node
    let env: Env?
}

extension Evaluator {
    /// Compiles `text` with this evaluator's library paths, arguments and environment.
    public func compileProgram(_ text: String) throws -> JQProgram {
        let (node, env) = try compile(text)
        return JQProgram(node: node, env: env)
    }

    /// Runs `program` on `input`, calling `emit` with each output in order (jq's generators:
    /// nothing is collected).
    public func run(_ program: JQProgram, input: Value, emit: (Value) throws -> Void) throws {
        try eval(program.node, program.env, input, nil) { v, _ in try emit(v) }
    }
}
