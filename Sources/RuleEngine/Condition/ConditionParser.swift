import VigilCore

/// A position inside a condition string (1-based line and column, 0-based byte offset).
public struct SourcePosition: Sendable, Equatable {
    public var offset: Int
    public var line: Int
    public var column: Int
    public init(offset: Int = 0, line: Int = 1, column: Int = 1) {
        self.offset = offset
        self.line = line
        self.column = column
    }
}

/// Why a condition could not be parsed, with Falco's wording and where it happened.
public struct ConditionSyntaxError: VigilError {
    /// Falco's wording of the problem.
    public var message: String
    /// Where in the condition it is.
    public var position: SourcePosition
    /// Always `rules.condition-syntax`.
    public var code: String { "rules.condition-syntax" }
    public var description: String { "\(message) at line \(position.line), column \(position.column)" }
}

/// Recursive-descent parser for Falco's condition language, following libsinsp's grammar:
///
/// ```
/// or    := and ("or" (blank and | "(" embedded))*
/// and   := not ("and" (blank not | "(" embedded))*
/// not   := ("not" blank)* ("not(" embedded | check)
/// check := "(" embedded | field cond | transformer cond | identifier
/// cond  := unary-op | num-op num-or-transformer | str-op [modifier] str-or-transformer
///        | list-op list-or-transformer
/// ```
///
/// Lexing works on bytes: every token of the language is ASCII.
public struct ConditionParser {
    static let maxDepth = 100
    static let unaryOps = ["exists"]
    static let numOps = ["<=", "<", ">=", ">"]
    static let strOps = ["==", "=", "!=", "glob ", "iglob ", "contains ", "icontains ", "bcontains ",
                         "startswith ", "bstartswith ", "endswith ", "regex "]
    static let listOps = ["intersects", "in", "pmatch"]
    static let transformers = ["tolower(", "toupper(", "b64(", "basename(", "len("]
    static let modifiers = ["oneof", "anyof", "allof"]

    /// Every operator, trimmed, in the order Falco lists them.
    public static var supportedOperators: [String] {
        (unaryOps + numOps + strOps + listOps).map { $0.trimmedBlanks }
    }

    private let input: [UInt8]
    private var pos = SourcePosition()
    private var depth = 0
    private var lastToken = ""

    public init(_ text: String) {
        input = Array(text.utf8)
    }

    /// Parses a whole condition.
    public static func parse(_ text: String) throws(ConditionSyntaxError) -> ConditionExpr {
        var parser = ConditionParser(text)
        return try parser.parse()
    }

    public mutating func parse() throws(ConditionSyntaxError) -> ConditionExpr {
        if input.isEmpty { throw fail("filter input string is empty") }
        pos = SourcePosition()
        depth = 0
        let result = try parseOr()
        if pos.offset != input.count {
            throw fail("unexpected token after '\(lastToken)', expecting 'or', 'and'")
        }
        return result
    }

    // MARK: grammar

    private mutating func enter() throws(ConditionSyntaxError) {
        depth += 1
        if depth >= Self.maxDepth { throw fail("exceeded max depth limit of \(Self.maxDepth)") }
    }

    private mutating func parseOr() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        var children: [ConditionExpr] = []
        lexBlank()
        children.append(try parseAnd())
        lexBlank()
        while lexString("or") {
            if !lexBlank() {
                guard lexString("(") else { throw fail("expected blank or '(' after 'or'") }
                children.append(try parseEmbeddedRemainder())
            } else {
                children.append(try parseAnd())
            }
            lexBlank()
        }
        return children.count > 1 ? .or(children) : children[0]
    }

    private mutating func parseAnd() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        var children: [ConditionExpr] = []
        lexBlank()
        children.append(try parseNot())
        lexBlank()
        while lexString("and") {
            if !lexBlank() {
                guard lexString("(") else { throw fail("expected blank or '(' after 'and'") }
                children.append(try parseEmbeddedRemainder())
            } else {
                children.append(try parseNot())
            }
            lexBlank()
        }
        return children.count > 1 ? .and(children) : children[0]
    }

    private mutating func parseNot() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        var negate = false
        lexBlank()
        while lexNotBlank() { negate.toggle() }
        let child: ConditionExpr
        if lexString("not(") {
            negate.toggle()
            child = try parseEmbeddedRemainder()
        } else {
            child = try parseCheck()
        }
        return negate ? .not(child) : child
    }

    private mutating func parseEmbeddedRemainder() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        let child = try parseOr()
        lexBlank()
        guard lexString(")") else { throw fail("expected a ')' token") }
        return child
    }

    private mutating func parseCheck() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        if lexString("(") { return try parseEmbeddedRemainder() }
        if lexFieldName() {
            let left = try parseFieldRemainder(lastToken)
            return try parseCondition(left)
        }
        if let left = try parseLeftTransformer() {
            return try parseCondition(left)
        }
        if lexIdentifier() { return .identifier(lastToken) }
        throw fail("expected a '(' token, a field check, or an identifier")
    }

    /// Transformers allowed where a field is expected (left-hand side and nested): not `val`.
    private mutating func parseLeftTransformer() throws(ConditionSyntaxError) -> ConditionExpr? {
        if lexString("join(") { return try parseJoinRemainder() }
        if lexString("getopt(") { return try parseGetoptRemainder() }
        if lexOneOf(Self.transformers) {
            lexBlank()
            return try parseFieldOrTransformerRemainder(String(lastToken.dropLast()))
        }
        return nil
    }

    private mutating func parseFieldRemainder(_ name: String) throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        var arg: String?
        if lexString("[") {
            guard try lexQuotedString() || lexFieldArgBareString() else {
                throw fail("expected a valid field argument: a quoted string or a bare string")
            }
            arg = lastToken
            guard lexString("]") else { throw fail("expected a ']' token") }
        }
        return .field(name, arg: arg)
    }

    private mutating func parseFieldOrTransformerRemainder(_ transformer: String) throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        var child: ConditionExpr?
        if let nested = try parseLeftTransformer() {
            child = nested
        } else if lexFieldName() {
            child = try parseFieldRemainder(lastToken)
        }
        guard let child else {
            throw fail("expected a field or a nested valid transformer: " + Self.quotedList(["val"] + Self.transformers.map { String($0.dropLast()) }))
        }
        lexBlank()
        guard lexString(")") else { throw fail("expected a ')' token closing the transformer") }
        return .transformer(transformer, child)
    }

    /// `join(SEP, (OPERAND, …))` after `join(`; operands are fields, transformers, quoted strings
    /// or numbers.
    private mutating func parseJoinRemainder() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        guard try lexQuotedString() else { throw fail("expected a quoted separator string in 'join' transformer") }
        let separator = lastToken
        lexBlank()
        guard lexString(",") else { throw fail("expected a ',' token in 'join' transformer") }
        lexBlank()
        guard lexString("(") else { throw fail("expected a '(' token opening the 'join' operand list") }
        var operands: [ConditionExpr] = [.value(separator)]
        lexBlank()
        if !lexString(")") {
            while true {
                lexBlank()
                if let t = try parseLeftTransformer() {
                    operands.append(t)
                } else if lexFieldName() {
                    operands.append(try parseFieldRemainder(lastToken))
                } else if try lexQuotedString() {
                    operands.append(.value(lastToken))
                } else if lexHexNumber() || lexNumber() {
                    operands.append(.value(lastToken))
                } else {
                    throw fail("expected a field, a transformer or a literal in 'join' operand list")
                }
                lexBlank()
                if lexString(",") { continue }
                guard lexString(")") else { throw fail("expected a ')' token closing the 'join' operand list") }
                break
            }
        }
        lexBlank()
        guard lexString(")") else { throw fail("expected a ')' token closing the transformer") }
        return .call("join", args: operands, arg: nil)
    }

    /// `getopt(FIELD, "OPTS")[ARG]` after `getopt(`.
    private mutating func parseGetoptRemainder() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        guard lexFieldName() else { throw fail("expected a field within 'getopt' transformer") }
        let field = try parseFieldRemainder(lastToken)
        lexBlank()
        guard lexString(",") else { throw fail("expected a ',' token in 'getopt' transformer") }
        lexBlank()
        guard try lexQuotedString() else { throw fail("expected a quoted option string in 'getopt' transformer") }
        let options = lastToken
        lexBlank()
        guard lexString(")") else { throw fail("expected a ')' token closing the transformer") }
        var arg: String?
        if lexString("[") {
            guard try lexQuotedString() || lexFieldArgBareString() else {
                throw fail("expected a valid field argument: a quoted string or a bare string")
            }
            arg = lastToken
            guard lexString("]") else { throw fail("expected a ']' token") }
        }
        return .call("getopt", args: [field, .value(options)], arg: arg)
    }

    private mutating func parseCondition(_ left: ConditionExpr) throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        if lexOneOf(Self.unaryOps) { return .unaryCheck(left, op: lastToken) }
        lexBlank()
        if lexOneOf(Self.numOps) {
            let op = lastToken
            return .binaryCheck(left, op: op, try parseNumValueOrTransformer())
        }
        if lexOneOf(Self.strOps) {
            var op = lastToken.trimmedBlanks
            let blankAfterOp = lastToken.hasSuffix(" ") || lexBlank()
            if blankAfterOp, let modifier = try parseModifier() {
                op += " " + modifier.name
                return .binaryCheck(left, op: op, modifier.operand)
            }
            return .binaryCheck(left, op: op, try parseStrValueOrTransformer(noTransformer: false))
        }
        if lexOneOf(Self.listOps) {
            let op = lastToken
            return .binaryCheck(left, op: op, try parseListValueOrTransformer())
        }
        throw fail("expected a valid check operator: one of " + Self.quotedList(Self.supportedOperators))
    }

    /// `oneof|anyof|allof` followed by blanks and a list or a list name; nil (and nothing
    /// consumed) when the word is just a string value such as `proc.name = oneof and …`.
    private mutating func parseModifier() throws(ConditionSyntaxError) -> (name: String, operand: ConditionExpr)? {
        let saved = pos
        let savedToken = lastToken
        for modifier in Self.modifiers where lexString(modifier) {
            guard lexBlank() else { break }
            if peek() == UInt8(ascii: "(") {
                return (modifier, try parseListValueOrTransformer())
            }
            let before = pos
            if lexIdentifier() {
                let word = lastToken
                let next = peek()
                let isKeyword = (word == "and" || word == "or") && (next == 0 || isBlank(next) || next == UInt8(ascii: "("))
                if !isKeyword { return (modifier, .value(word)) }
                pos = before
            }
            break
        }
        pos = saved
        lastToken = savedToken
        return nil
    }

    private mutating func parseNumValueOrTransformer() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        if let t = try tryParseTransformerOrVal() { return t }
        if lexHexNumber() || lexNumber() { return .value(lastToken) }
        throw fail("expected a number value or a field with a valid transformer: " + Self.transformerList)
    }

    private mutating func parseStrValueOrTransformer(noTransformer: Bool) throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        if !noTransformer, let t = try tryParseTransformerOrVal() { return t }
        if try lexQuotedString() || lexBareString() { return .value(lastToken) }
        if noTransformer { throw fail("expected a string value") }
        throw fail("expected a string value or a field with a valid transformer: " + Self.transformerList)
    }

    private mutating func parseListValueOrTransformer() throws(ConditionSyntaxError) -> ConditionExpr {
        try enter(); defer { depth -= 1 }
        lexBlank()
        if lexString("(") {
            var values: [String] = []
            lexBlank()
            let saved = pos
            var first: ConditionExpr?
            do { first = try parseStrValueOrTransformer(noTransformer: true) } catch { pos = saved }
            if case .value(let v) = first {
                values.append(v)
                lexBlank()
                while lexString(",") {
                    guard case .value(let next) = try parseStrValueOrTransformer(noTransformer: true) else {
                        throw fail("parser fatal error: null value expr in body of list")
                    }
                    values.append(next)
                    lexBlank()
                }
            }
            guard lexString(")") else { throw fail("expected a ')' token") }
            return .list(values)
        }
        if let t = try tryParseTransformerOrVal() { return t }
        if lexIdentifier() { return .value(lastToken) }
        throw fail("expected a list, an identifier, or a field with a valid transformer: " + Self.transformerList)
    }

    /// Right-hand side transformers, where `val(field)` is allowed too.
    private mutating func tryParseTransformerOrVal() throws(ConditionSyntaxError) -> ConditionExpr? {
        try enter(); defer { depth -= 1 }
        lexBlank()
        if lexString("val(") {
            lexBlank()
            guard lexFieldName() else { throw fail("expected a field within 'val' transformer") }
            let child = try parseFieldRemainder(lastToken)
            lexBlank()
            guard lexString(")") else { throw fail("expected a ')' token closing the transformer") }
            return .transformer("val", child)
        }
        return try parseLeftTransformer()
    }

    private static var transformerList: String {
        quotedList(["val"] + transformers.map { String($0.dropLast()) } + ["join"])
    }

    private static func quotedList(_ items: [String]) -> String {
        items.map { "'\($0)'" }.joined(separator: ", ")
    }

    // MARK: lexer

    private func fail(_ message: String) -> ConditionSyntaxError {
        ConditionSyntaxError(message: message, position: pos)
    }

    private func peek(_ ahead: Int = 0) -> UInt8 {
        let i = pos.offset + ahead
        return i < input.count ? input[i] : 0
    }

    private mutating func advance(_ count: Int) {
        for _ in 0..<count {
            let c = input[pos.offset]
            pos.column += 1
            if c == UInt8(ascii: "\r") || c == UInt8(ascii: "\n") {
                pos.column = 1
                pos.line += 1
            }
            pos.offset += 1
        }
    }

    private func isBlank(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x08 || c == 0x0D || c == 0x0A
    }

    /// POSIX `[:space:]`.
    private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || (c >= 0x09 && c <= 0x0D)
    }

    private static func isAlpha(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private static func isIdentTail(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) || c == 0x5F }

    @discardableResult
    private mutating func lexBlank() -> Bool {
        var found = false
        while pos.offset < input.count, isBlank(input[pos.offset]) {
            found = true
            advance(1)
        }
        return found
    }

    private mutating func take(_ length: Int) -> Bool {
        guard length > 0 else { return false }
        lastToken = String(decoding: input[pos.offset..<(pos.offset + length)], as: UTF8.self)
        advance(length)
        return true
    }

    private mutating func lexString(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard pos.offset + bytes.count <= input.count else { return false }
        for (i, b) in bytes.enumerated() where input[pos.offset + i] != b { return false }
        return take(bytes.count)
    }

    private mutating func lexOneOf(_ list: [String]) -> Bool {
        for s in list where lexString(s) { return true }
        return false
    }

    /// `(not[[:space:]]+)`
    private mutating func lexNotBlank() -> Bool {
        guard peek() == UInt8(ascii: "n"), peek(1) == UInt8(ascii: "o"), peek(2) == UInt8(ascii: "t"),
              Self.isSpace(peek(3)) else { return false }
        var n = 3
        while Self.isSpace(peek(n)) { n += 1 }
        return take(n)
    }

    /// `[a-zA-Z]+[a-zA-Z0-9_]*`
    private mutating func lexIdentifier() -> Bool {
        guard Self.isAlpha(peek()) else { return false }
        var n = 1
        while Self.isIdentTail(peek(n)) { n += 1 }
        return take(n)
    }

    /// `[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+`
    private mutating func lexFieldName() -> Bool {
        guard Self.isAlpha(peek()) else { return false }
        var n = 1
        while Self.isIdentTail(peek(n)) { n += 1 }
        var segments = 0
        while peek(n) == UInt8(ascii: "."), Self.isAlpha(peek(n + 1)) {
            n += 2
            while Self.isIdentTail(peek(n)) { n += 1 }
            segments += 1
        }
        return segments > 0 ? take(n) : false
    }

    /// `[^][\"'[:space:]]+`
    private mutating func lexFieldArgBareString() -> Bool {
        var n = 0
        while true {
            let c = peek(n)
            if c == 0 || c == UInt8(ascii: "[") || c == UInt8(ascii: "]") || c == UInt8(ascii: "\"")
                || c == UInt8(ascii: "'") || Self.isSpace(c) { break }
            n += 1
        }
        return take(n)
    }

    /// `[^()\"'[:space:]=,]+`
    private mutating func lexBareString() -> Bool {
        var n = 0
        while true {
            let c = peek(n)
            if c == 0 || c == UInt8(ascii: "(") || c == UInt8(ascii: ")") || c == UInt8(ascii: "\"")
                || c == UInt8(ascii: "'") || c == UInt8(ascii: "=") || c == UInt8(ascii: ",") || Self.isSpace(c) { break }
            n += 1
        }
        return take(n)
    }

    /// `0[xX][0-9a-zA-Z]+`
    private mutating func lexHexNumber() -> Bool {
        guard peek() == UInt8(ascii: "0"), peek(1) == UInt8(ascii: "x") || peek(1) == UInt8(ascii: "X") else { return false }
        var n = 2
        while Self.isAlpha(peek(n)) || Self.isDigit(peek(n)) { n += 1 }
        return n > 2 ? take(n) : false
    }

    /// `[+\-]?[0-9]+[\.]?[0-9]*([eE][+\-][0-9]+)?`
    private mutating func lexNumber() -> Bool {
        var n = 0
        if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { n = 1 }
        guard Self.isDigit(peek(n)) else { return false }
        while Self.isDigit(peek(n)) { n += 1 }
        if peek(n) == UInt8(ascii: ".") {
            n += 1
            while Self.isDigit(peek(n)) { n += 1 }
        }
        if peek(n) == UInt8(ascii: "e") || peek(n) == UInt8(ascii: "E"),
           peek(n + 1) == UInt8(ascii: "+") || peek(n + 1) == UInt8(ascii: "-"), Self.isDigit(peek(n + 2)) {
            n += 2
            while Self.isDigit(peek(n)) { n += 1 }
        }
        return take(n)
    }

    /// A single- or double-quoted string, unescaped the way libsinsp does.
    private mutating func lexQuotedString() throws(ConditionSyntaxError) -> Bool {
        let delimiter = peek()
        guard delimiter == UInt8(ascii: "'") || delimiter == UInt8(ascii: "\"") else { return false }
        var n = 1
        var prev = delimiter
        while pos.offset + n < input.count {
            let c = input[pos.offset + n]
            if c == delimiter && prev != UInt8(ascii: "\\") {
                let raw = Array(input[(pos.offset + 1)..<(pos.offset + n)])
                let start = pos
                advance(n + 1)
                do {
                    lastToken = try Self.unescape(raw, delimiter: delimiter)
                } catch {
                    throw ConditionSyntaxError(message: error.message, position: start)
                }
                return true
            }
            // like libsinsp: any backslash before the delimiter keeps the string open
            prev = c
            n += 1
        }
        return false
    }

    struct EscapeError: Error { var message: String }

    static func unescape(_ raw: [UInt8], delimiter: UInt8) throws(EscapeError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var escaped = false
        for c in raw {
            if !escaped {
                if c == UInt8(ascii: "\\") { escaped = true } else { out.append(c) }
                continue
            }
            switch c {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: " "), UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
            case UInt8(ascii: "\""):
                guard delimiter == c else { throw EscapeError(message: "invalid \\\" escape in '-quoted string") }
                out.append(c)
            case UInt8(ascii: "'"):
                guard delimiter == c else { throw EscapeError(message: "invalid \\' escape in \"-quoted string") }
                out.append(c)
            default:
                throw EscapeError(message: "unsupported string escape sequence: \\" + String(UnicodeScalar(c)))
            }
            escaped = false
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    var trimmedBlanks: String {
        let blanks: Set<Character> = [" ", "\t", "\n", "\r"]
        var s = Substring(self)
        while let f = s.first, blanks.contains(f) { s.removeFirst() }
        while let l = s.last, blanks.contains(l) { s.removeLast() }
        return String(s)
    }
}
