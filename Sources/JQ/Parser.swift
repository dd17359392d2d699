/// An `import`/`include` directive.
struct ImportDirective {
    var path: String
    var alias: String?     // "name" or "$name"; nil for include
    var meta: Value?
}

/// A parsed program or module: directives, definitions and (for programs) a body.
struct ParsedModule {
    var meta: Value?
    var imports: [ImportDirective] = []
    var defs: [FuncDef] = []
    var body: Node?
}

/// Recursive-descent parser for the jq grammar (precedence as in jq's parser.y).
struct Parser {
    var tokens: [Token] = []
    var tokenPos: [Int] = []
    var i = 0
    let lexer: Lexer
    let fileName: String

    init(_ text: String, fileName: String = "<top-level>") throws(CompileError) {
        var lx = Lexer(text)
        while true {
            lx.skipSpace()
            let p = lx.pos
            let t = try lx.next()
            tokens.append(t)
            tokenPos.append(p)
            if t == .eof { break }
        }
        lexer = lx
        self.fileName = fileName
    }

    static func parseProgram(_ text: String, fileName: String = "<top-level>") throws(CompileError) -> ParsedModule {
        var p = try Parser(text, fileName: fileName)
        return try p.parseModule(requireBody: true)
    }

    static func parseLibrary(_ text: String, fileName: String) throws(CompileError) -> ParsedModule {
        var p = try Parser(text, fileName: fileName)
        return try p.parseModule(requireBody: false)
    }

    var peek: Token { tokens[i] }
    mutating func advance() -> Token { let t = tokens[i]; if i < tokens.count - 1 { i += 1 }; return t }

    func unexpected() -> CompileError {
        let t = tokens[i]
        let desc: String
        switch t {
        case .eof: desc = "end of file"
        case .op(let s): desc = "'\(s)'"
        case .ident(let s): desc = "IDENT \(s)"
        case .keyword(let s): desc = s
        case .field(let s): desc = "FIELD .\(s)"
        case .variable(let s): desc = "'$\(s)'"
        case .number(let s): desc = "LITERAL \(s)"
        case .string: desc = "QQSTRING_START"
        case .format(let s): desc = "FORMAT @\(s)"
        }
        return CompileError(message: "syntax error, unexpected \(desc) at \(fileName), line \(lexer.lineOf(tokenPos[i])):")
    }

    mutating func expect(_ s: String) throws(CompileError) {
        if case .op(let o) = peek, o == s { _ = advance(); return }
        if case .keyword(let k) = peek, k == s { _ = advance(); return }
        throw unexpected()
    }

    func isOp(_ s: String) -> Bool { if case .op(let o) = peek { return o == s }; return false }
    func isKeyword(_ s: String) -> Bool { if case .keyword(let k) = peek { return k == s }; return false }

    mutating func parseModule(requireBody: Bool) throws(CompileError) -> ParsedModule {
        var m = ParsedModule()
        if case .ident("module") = peek {
            _ = advance()
            let meta = try parsePostfix()
            guard let v = constantValue(meta), case .object = v else { throw CompileError(message: "Module metadata must be constant") }
            m.meta = v
            try expect(";")
        }
        while isKeyword("import") || isKeyword("include") {
            let isImport = isKeyword("import")
            _ = advance()
            guard case .string(let parts) = advance(), parts.count == 1, case .literal(let path) = parts[0] else {
                throw CompileError(message: "Import path must be constant")
            }
            var d = ImportDirective(path: path)
            if isImport {
                try expect("as")
                switch advance() {
                case .ident(let n): d.alias = n
                case .variable(let n): d.alias = "$" + n
                default: throw unexpected()
                }
            }
            if !isOp(";") {
                let meta = try parsePostfix()
                guard let v = constantValue(meta), case .object = v else { throw CompileError(message: "Module metadata must be constant") }
                d.meta = v
            }
            try expect(";")
            m.imports.append(d)
        }
        if requireBody {
            if peek == .eof { m.body = .identity; return m }
            let body = try parsePipe()
            guard peek == .eof else { throw unexpected() }
            // top-level defs become part of the body
            m.body = body
        } else {
            while isKeyword("def") {
                m.defs.append(try parseDef())
            }
            guard peek == .eof else { throw unexpected() }
        }
        return m
    }

    func constantValue(_ n: Node) -> Value? {
        switch n {
        case .literal(let v): return v
        case .stringInterp(nil, let parts):
            if parts.count == 1, case .literal(let s) = parts[0] { return .string(s) }
            if parts.isEmpty { return .string("") }
            return nil
        case .arrayConstruct(nil): return .array([])
        case .arrayConstruct(let e?):
            var out: [Value] = []
            var stack = [e]
            var items: [Node] = []
            while let x = stack.popLast() {
                if case .comma(let a, let b) = x { stack.append(b); stack.append(a) } else { items.append(x) }
            }
            for it in items { guard let v = constantValue(it) else { return nil }; out.append(v) }
            return .array(out)
        case .objectConstruct(let entries):
            var o = JQObject()
            for (k, v) in entries {
                guard case .string(let ks)? = constantValue(k), let vv = constantValue(v) else { return nil }
                o[ks] = vv
            }
            return .object(o)
        case .negate(let x):
            if let v = constantValue(x), let d = v.doubleValue { return .number(-d) }
            return nil
        default: return nil
        }
    }

    mutating func parseDef() throws(CompileError) -> FuncDef {
        try expect("def")
        let name: String
        switch advance() {
        case .ident(let n): name = n
        case .keyword(let k) where k != "__loc__": name = k
        default: throw unexpected()
        }
        var params: [String] = []
        if isOp("(") {
            _ = advance()
            while true {
                switch advance() {
                case .ident(let p): params.append(p)
                case .keyword(let p): params.append(p)
                case .variable(let p): params.append("$" + p)
                default: throw unexpected()
                }
                if isOp(";") { _ = advance(); continue }
                try expect(")")
                break
            }
        }
        try expect(":")
        let body = try parsePipe()
        try expect(";")
        return FuncDef(name: name, params: params, body: body)
    }

    /// Pipe level: `def`, `as` bindings, `label`, and `|` (right associative).
    mutating func parsePipe() throws(CompileError) -> Node {
        if isKeyword("def") {
            let d = try parseDef()
            let rest = try parsePipe()
            return .funcDef(d, rest)
        }
        if isKeyword("label") {
            _ = advance()
            guard case .variable(let name) = advance() else { throw unexpected() }
            try expect("|")
            let body = try parsePipe()
            return .label(name, body)
        }
        let lhs = try parseComma()
        if isKeyword("as") {
            _ = advance()
            var patterns = [try parsePattern()]
            while isOp("?//") {
                _ = advance()
                patterns.append(try parsePattern())
            }
            try expect("|")
            let body = try parsePipe()
            return .binding(lhs, patterns, body)
        }
        if isOp("|") {
            _ = advance()
            let rhs = try parsePipe()
            return .pipe(lhs, rhs)
        }
        return lhs
    }

    mutating func parsePattern() throws(CompileError) -> Pattern {
        switch peek {
        case .variable(let n):
            _ = advance()
            return .variable(n)
        case .op("["):
            _ = advance()
            var items: [Pattern] = []
            if isOp("]") { throw unexpected() }
            while true {
                items.append(try parsePattern())
                if isOp(",") { _ = advance(); continue }
                try expect("]")
                break
            }
            return .array(items)
        case .op("{"):
            _ = advance()
            var entries: [(key: ObjectPatternKey, pattern: Pattern?)] = []
            while true {
                switch peek {
                case .variable(let n):
                    _ = advance()
                    if isOp(":") {
                        _ = advance()
                        entries.append((.variable(n), try parsePattern()))
                    } else {
                        entries.append((.variable(n), nil))
                    }
                case .ident(let n):
                    _ = advance()
                    try expect(":")
                    entries.append((.expr(.literal(.string(n))), try parsePattern()))
                case .keyword(let n):
                    _ = advance()
                    try expect(":")
                    entries.append((.expr(.literal(.string(n))), try parsePattern()))
                case .string:
                    let k = try parsePrimary()
                    try expect(":")
                    entries.append((.expr(k), try parsePattern()))
                case .op("("):
                    _ = advance()
                    let k = try parsePipe()
                    try expect(")")
                    try expect(":")
                    entries.append((.expr(k), try parsePattern()))
                default:
                    throw unexpected()
                }
                if isOp(",") { _ = advance(); continue }
                try expect("}")
                break
            }
            return .object(entries)
        default:
            throw unexpected()
        }
    }

    mutating func parseComma() throws(CompileError) -> Node {
        var lhs = try parseAlternative()
        while isOp(",") {
            _ = advance()
            let rhs = try parseAlternative()
            lhs = .comma(lhs, rhs)
        }
        return lhs
    }

    /// `//` is right associative and binds looser than assignment.
    mutating func parseAlternative() throws(CompileError) -> Node {
        let lhs = try parseAssign()
        if isOp("//") {
            _ = advance()
            let rhs = try parseAlternative()
            return .alternative(lhs, rhs)
        }
        return lhs
    }

    mutating func parseAssign() throws(CompileError) -> Node {
        let lhs = try parseOr()
        if case .op(let o) = peek {
            let op: UpdateOp?
            switch o {
            case "=": op = .assign
            case "|=": op = .modify
            case "+=": op = .arith(.add)
            case "-=": op = .arith(.sub)
            case "*=": op = .arith(.mul)
            case "/=": op = .arith(.div)
            case "%=": op = .arith(.mod)
            case "//=": op = .alternative
            default: op = nil
            }
            if let op {
                _ = advance()
                let rhs = try parseAlternative()
                return .update(op, lhs, rhs)
            }
        }
        return lhs
    }

    mutating func parseOr() throws(CompileError) -> Node {
        var lhs = try parseAnd()
        while isKeyword("or") {
            _ = advance()
            lhs = .or(lhs, try parseAnd())
        }
        return lhs
    }

    mutating func parseAnd() throws(CompileError) -> Node {
        var lhs = try parseCompare()
        while isKeyword("and") {
            _ = advance()
            lhs = .and(lhs, try parseCompare())
        }
        return lhs
    }

    mutating func parseCompare() throws(CompileError) -> Node {
        let lhs = try parseAdditive()
        if case .op(let o) = peek {
            let op: BinaryOp?
            switch o {
            case "==": op = .eq
            case "!=": op = .ne
            case "<": op = .lt
            case "<=": op = .le
            case ">": op = .gt
            case ">=": op = .ge
            default: op = nil
            }
            if let op {
                _ = advance()
                let rhs = try parseAdditive()
                if case .op(let o2) = peek, ["==", "!=", "<", "<=", ">", ">="].contains(o2) { throw unexpected() }
                return .binary(op, lhs, rhs)
            }
        }
        return lhs
    }

    mutating func parseAdditive() throws(CompileError) -> Node {
        var lhs = try parseMultiplicative()
        while true {
            if isOp("+") { _ = advance(); lhs = .binary(.add, lhs, try parseMultiplicative()) }
            else if isOp("-") { _ = advance(); lhs = .binary(.sub, lhs, try parseMultiplicative()) }
            else { return lhs }
        }
    }

    mutating func parseMultiplicative() throws(CompileError) -> Node {
        var lhs = try parseUnary()
        while true {
            if isOp("*") { _ = advance(); lhs = .binary(.mul, lhs, try parseUnary()) }
            else if isOp("/") { _ = advance(); lhs = .binary(.div, lhs, try parseUnary()) }
            else if isOp("%") { _ = advance(); lhs = .binary(.mod, lhs, try parseUnary()) }
            else { return lhs }
        }
    }

    mutating func parseUnary() throws(CompileError) -> Node {
        if isOp("-") {
            _ = advance()
            return .negate(try parseMultiplicativeOperandForNegate())
        }
        return try parsePostfix()
    }

    private mutating func parseMultiplicativeOperandForNegate() throws(CompileError) -> Node {
        var lhs = try parseUnary()
        while true {
            if isOp("*") { _ = advance(); lhs = .binary(.mul, lhs, try parseUnary()) }
            else if isOp("/") { _ = advance(); lhs = .binary(.div, lhs, try parseUnary()) }
            else if isOp("%") { _ = advance(); lhs = .binary(.mod, lhs, try parseUnary()) }
            else { return lhs }
        }
    }

    /// A term followed by suffixes: `.foo`, `[...]`, `?`, `."str"`.
    mutating func parsePostfix() throws(CompileError) -> Node {
        var t = try parsePrimary()
        while true {
            switch peek {
            case .field(let name):
                _ = advance()
                t = .field(t, name)
            case .op("."):
                // `.` followed by a string or `[` continues the path
                let save = i
                _ = advance()
                if case .string = peek {
                    let k = try parseStringLiteralNode(format: nil)
                    t = .index(t, k)
                } else if isOp("[") {
                    t = try parseBracketSuffix(t)
                } else {
                    i = save
                    return t
                }
            case .op("["):
                t = try parseBracketSuffix(t)
            case .op("?"):
                _ = advance()
                t = .tryCatch(t, nil)
            default:
                if isKeyword("as") { return t }
                return t
            }
        }
    }

    mutating func parseBracketSuffix(_ t: Node) throws(CompileError) -> Node {
        try expect("[")
        if isOp("]") { _ = advance(); return .iterate(t) }
        if isOp(":") {
            _ = advance()
            let hi = try parsePipe()
            try expect("]")
            return .slice(t, nil, hi)
        }
        let lo = try parsePipe()
        if isOp(":") {
            _ = advance()
            if isOp("]") { _ = advance(); return .slice(t, lo, nil) }
            let hi = try parsePipe()
            try expect("]")
            return .slice(t, lo, hi)
        }
        try expect("]")
        return .index(t, lo)
    }

    mutating func parseStringLiteralNode(format: String?) throws(CompileError) -> Node {
        guard case .string(let parts) = advance() else { throw unexpected() }
        var out: [StringPart] = []
        for p in parts {
            switch p {
            case .literal(let s): out.append(.literal(s))
            case .interp(let src):
                var sub = try Parser(src, fileName: fileName)
                let n = try sub.parsePipe()
                guard sub.peek == .eof else { throw sub.unexpected() }
                out.append(.expr(n))
            }
        }
        if format == nil, out.count == 1, case .literal(let s) = out[0] { return .literal(.string(s)) }
        return .stringInterp(format, out)
    }

    mutating func parsePrimary() throws(CompileError) -> Node {
        let line = lexer.lineOf(tokenPos[i])
        switch peek {
        case .number(let s):
            _ = advance()
            return .literal(numberLiteral(s))
        case .string:
            return try parseStringLiteralNode(format: nil)
        case .format(let f):
            _ = advance()
            if case .string = peek { return try parseStringLiteralNode(format: f) }
            return .format(f)
        case .field(let name):
            _ = advance()
            return .field(.identity, name)
        case .variable(let name):
            _ = advance()
            if name == "__loc__" { return .loc(fileName, line) }
            return .variable(name)
        case .op("."):
            _ = advance()
            if case .string = peek {
                let k = try parseStringLiteralNode(format: nil)
                return .index(.identity, k)
            }
            return .identity
        case .op(".."):
            _ = advance()
            return .recurseAll
        case .op("("):
            _ = advance()
            let e = try parsePipe()
            try expect(")")
            return e
        case .op("["):
            _ = advance()
            if isOp("]") { _ = advance(); return .arrayConstruct(nil) }
            let e = try parsePipe()
            try expect("]")
            return .arrayConstruct(e)
        case .op("{"):
            _ = advance()
            return try parseObject()
        case .op("-"):
            _ = advance()
            return .negate(try parsePostfix())
        case .keyword("if"):
            _ = advance()
            return try parseIf()
        case .keyword("try"):
            _ = advance()
            let body = try parsePostTermForTry()
            if isKeyword("catch") {
                _ = advance()
                let handler = try parsePostTermForTry()
                return .tryCatch(body, handler)
            }
            return .tryCatch(body, nil)
        case .keyword("reduce"):
            _ = advance()
            let src = try parseAlternative()
            try expect("as")
            let pat = try parsePattern()
            try expect("(")
            let initial = try parsePipe()
            try expect(";")
            let update = try parsePipe()
            try expect(")")
            return .reduce(src, pat, initial, update)
        case .keyword("foreach"):
            _ = advance()
            let src = try parseAlternative()
            try expect("as")
            let pat = try parsePattern()
            try expect("(")
            let initial = try parsePipe()
            try expect(";")
            let update = try parsePipe()
            var extract: Node?
            if isOp(";") {
                _ = advance()
                extract = try parsePipe()
            }
            try expect(")")
            return .foreach(src, pat, initial, update, extract)
        case .keyword("def"):
            let d = try parseDef()
            let rest = try parsePipe()
            return .funcDef(d, rest)
        case .keyword("label"):
            _ = advance()
            guard case .variable(let name) = advance() else { throw unexpected() }
            try expect("|")
            let body = try parsePipe()
            return .label(name, body)
        case .ident(let name):
            _ = advance()
            if name == "true" { return .literal(.bool(true)) }
            if name == "false" { return .literal(.bool(false)) }
            if name == "null" { return .literal(.null) }
            if name == "break" {
                guard case .variable(let l) = advance() else { throw unexpected() }
                return .breakLabel(l)
            }
            var args: [Node] = []
            if isOp("(") {
                _ = advance()
                while true {
                    args.append(try parsePipe())
                    if isOp(";") { _ = advance(); continue }
                    try expect(")")
                    break
                }
            }
            return .call(CallSite(name: name, args: args))
        default:
            throw unexpected()
        }
    }

    /// `try` binds tighter than every binary operator: its body is a postfix term.
    mutating func parsePostTermForTry() throws(CompileError) -> Node {
        if isOp("-") {
            _ = advance()
            return .negate(try parsePostfix())
        }
        return try parsePostfix()
    }

    mutating func parseIf() throws(CompileError) -> Node {
        let cond = try parsePipe()
        try expect("then")
        let then = try parsePipe()
        if isKeyword("elif") {
            _ = advance()
            let rest = try parseIf()
            return .ifThen(cond, then, rest)
        }
        if isKeyword("else") {
            _ = advance()
            let els = try parsePipe()
            try expect("end")
            return .ifThen(cond, then, els)
        }
        try expect("end")
        return .ifThen(cond, then, nil)
    }

    mutating func parseObject() throws(CompileError) -> Node {
        var entries: [(key: Node, value: Node)] = []
        if isOp("}") { _ = advance(); return .objectConstruct([]) }
        while true {
            let line = lexer.lineOf(tokenPos[i])
            var key: Node
            var value: Node?
            switch peek {
            case .variable(let n):
                _ = advance()
                if n == "__loc__" {
                    key = .literal(.string("__loc__"))
                    value = .loc(fileName, line)
                } else if isOp(":") {
                    key = .variable(n)
                } else {
                    key = .literal(.string(n))
                    value = .variable(n)
                }
            case .ident(let n), .keyword(let n):
                _ = advance()
                key = .literal(.string(n))
                if !isOp(":") { value = .field(.identity, n) }
            case .number(let s):
                _ = advance()
                key = .literal(numberLiteral(s))
            case .string:
                key = try parseStringLiteralNode(format: nil)
                if !isOp(":") { value = .index(.identity, key) }
            case .format(let f):
                _ = advance()
                if case .string = peek {
                    key = try parseStringLiteralNode(format: f)
                } else {
                    key = .format(f)
                }
                if !isOp(":") { value = .index(.identity, key) }
            case .op("("):
                _ = advance()
                key = try parsePipe()
                try expect(")")
            default:
                throw unexpected()
            }
            if value == nil {
                try expect(":")
                value = try parseObjectValue()
            }
            entries.append((key, value!))
            if isOp(",") { _ = advance(); if isOp("}") { _ = advance(); break }; continue }
            try expect("}")
            break
        }
        return .objectConstruct(entries)
    }

    /// Object values: `ExpD: ExpD '|' ExpD | '-' ExpD | Term`.
    mutating func parseObjectValue() throws(CompileError) -> Node {
        let lhs = try parseAlternative()
        if isOp("|") {
            _ = advance()
            return .pipe(lhs, try parseObjectValue())
        }
        return lhs
    }

    func numberLiteral(_ s: String) -> Value {
        let d = Double(s) ?? Double.greatestFiniteMagnitude
        var isSimple = true
        for c in s.utf8 where !(c >= 0x30 && c <= 0x39) { isSimple = false; break }
        if isSimple && s.utf8.count <= 15 { return .number(d) }
        if s.hasPrefix(".") { return .literal(d, "0" + s) }
        if s.hasSuffix(".") { return .literal(d, String(s.dropLast())) }
        return .literal(d, s)
    }
}
