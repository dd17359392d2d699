import JSONValue

/// A compile error with jq's message shape.
/// A jq program that does not compile (jq exits 3).
public struct CompileError: Error {
    public var message: String
}

enum Token: Equatable {
    case ident(String)       // name, possibly with module prefix a::b
    case field(String)       // .name or ."str" handled in parser
    case variable(String)    // $name
    case number(String)
    case string([LexStringPart])
    case format(String)      // @name
    case op(String)          // punctuation and operators
    case keyword(String)
    case eof
}

enum LexStringPart: Equatable {
    case literal(String)
    case interp(String)
}

let jqKeywords: Set<String> = [
    "def", "if", "then", "elif", "else", "end", "as", "reduce", "foreach", "try", "catch",
    "label", "import", "include", "and", "or", "not_kw_unused", "__loc__",
]

/// Splits jq program text into tokens; string interpolations are kept as source text.
struct Lexer {
    let src: [UInt8]
    var pos = 0

    init(_ text: String) { src = Array(text.utf8) }

    func lineOf(_ p: Int) -> Int {
        var l = 1
        for i in 0..<min(p, src.count) where src[i] == 0x0A { l += 1 }
        return l
    }

    static func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F
    }
    static func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= 0x30 && c <= 0x39) }

    mutating func skipSpace() {
        while pos < src.count {
            let c = src[pos]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { pos += 1 }
            else if c == UInt8(ascii: "#") {
                // comments run to end of line; a backslash before the newline continues them (jq 1.7)
                while pos < src.count && src[pos] != 0x0A {
                    if src[pos] == UInt8(ascii: "\\") && pos + 1 < src.count {
                        var bs = 0
                        var q = pos
                        while q < src.count && src[q] == UInt8(ascii: "\\") { bs += 1; q += 1 }
                        if q < src.count && (src[q] == 0x0A || (src[q] == 0x0D && q + 1 < src.count && src[q + 1] == 0x0A)) && bs % 2 == 1 {
                            pos = q + 1
                            continue
                        }
                        pos = q
                        continue
                    }
                    pos += 1
                }
            } else { break }
        }
    }

    mutating func next() throws(CompileError) -> Token {
        skipSpace()
        guard pos < src.count else { return .eof }
        let c = src[pos]
        if c == UInt8(ascii: "\"") {
            pos += 1
            return .string(try lexString())
        }
        if Lexer.isIdentStart(c) {
            let s = pos
            while pos < src.count && Lexer.isIdentChar(src[pos]) { pos += 1 }
            while pos + 2 < src.count && src[pos] == UInt8(ascii: ":") && src[pos + 1] == UInt8(ascii: ":") && Lexer.isIdentStart(src[pos + 2]) {
                pos += 2
                while pos < src.count && Lexer.isIdentChar(src[pos]) { pos += 1 }
            }
            let w = String(decoding: src[s..<pos], as: UTF8.self)
            if jqKeywords.contains(w) { return .keyword(w) }
            return .ident(w)
        }
        if c == UInt8(ascii: "$") {
            pos += 1
            skipSpace()
            let s = pos
            guard pos < src.count && Lexer.isIdentStart(src[pos]) else { throw CompileError(message: "syntax error, unexpected '$'") }
            while pos < src.count && Lexer.isIdentChar(src[pos]) { pos += 1 }
            while pos + 2 < src.count && src[pos] == UInt8(ascii: ":") && src[pos + 1] == UInt8(ascii: ":") && Lexer.isIdentStart(src[pos + 2]) {
                pos += 2
                while pos < src.count && Lexer.isIdentChar(src[pos]) { pos += 1 }
            }
            return .variable(String(decoding: src[s..<pos], as: UTF8.self))
        }
        if c == UInt8(ascii: "@") {
            pos += 1
            let s = pos
            while pos < src.count && Lexer.isIdentChar(src[pos]) { pos += 1 }
            return .format(String(decoding: src[s..<pos], as: UTF8.self))
        }
        if (c >= 0x30 && c <= 0x39) || (c == UInt8(ascii: ".") && pos + 1 < src.count && src[pos + 1] >= 0x30 && src[pos + 1] <= 0x39) {
            let s = pos
            while pos < src.count && src[pos] >= 0x30 && src[pos] <= 0x39 { pos += 1 }
            if pos < src.count && src[pos] == UInt8(ascii: ".") {
                pos += 1
                while pos < src.count && src[pos] >= 0x30 && src[pos] <= 0x39 { pos += 1 }
            }
            if pos < src.count && (src[pos] == UInt8(ascii: "e") || src[pos] == UInt8(ascii: "E")) {
                var q = pos + 1
                if q < src.count && (src[q] == UInt8(ascii: "+") || src[q] == UInt8(ascii: "-")) { q += 1 }
                if q < src.count && src[q] >= 0x30 && src[q] <= 0x39 {
                    pos = q
                    while pos < src.count && src[pos] >= 0x30 && src[pos] <= 0x39 { pos += 1 }
                }
            }
            return .number(String(decoding: src[s..<pos], as: UTF8.self))
        }
        if c == UInt8(ascii: ".") {
            pos += 1
            if pos < src.count && src[pos] == UInt8(ascii: ".") { pos += 1; return .op("..") }
            if pos < src.count && Lexer.isIdentStart(src[pos]) {
                let s = pos
                while pos < src.count && Lexer.isIdentChar(src[pos]) { pos += 1 }
                return .field(String(decoding: src[s..<pos], as: UTF8.self))
            }
            return .op(".")
        }
        let three = ["?//", "//="]
        let two = ["|=", "+=", "-=", "*=", "/=", "%=", "==", "!=", "<=", ">=", "//", "?/"]
        for t in three where matches(t) { pos += 3; return .op(t) }
        for t in two where t != "?/" && matches(t) { pos += 2; return .op(t) }
        pos += 1
        let s = String(decoding: [c], as: UTF8.self)
        if "|,+-*/%=<>()[]{}:;?".utf8.contains(c) { return .op(s) }
        throw CompileError(message: "syntax error, unexpected INVALID_CHARACTER")
    }

    private func matches(_ t: String) -> Bool {
        let u = Array(t.utf8)
        guard pos + u.count <= src.count else { return false }
        for i in 0..<u.count where src[pos + i] != u[i] { return false }
        return true
    }

    /// Lexes a string body after the opening quote.
    mutating func lexString() throws(CompileError) -> [LexStringPart] {
        var parts: [LexStringPart] = []
        var cur: [UInt8] = []
        while pos < src.count {
            let c = src[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                if !cur.isEmpty || parts.isEmpty { parts.append(.literal(String(decoding: cur, as: UTF8.self))) }
                return parts
            }
            if c == UInt8(ascii: "\\") {
                pos += 1
                guard pos < src.count else { break }
                if src[pos] == UInt8(ascii: "(") {
                    // jq's interpolation \(…): lexed as a nested filter up to its closing parenthesis
                    pos += 1
                    if !cur.isEmpty { parts.append(.literal(String(decoding: cur, as: UTF8.self))); cur = [] }
                    let start = pos
                    var depth = 1
                    var sub = Lexer(String(decoding: src[pos...], as: UTF8.self))
                    while true {
                        let t = try sub.next()
                        if t == .eof { throw CompileError(message: "syntax error: unterminated string interpolation") }
                        if t == .op("(") { depth += 1 }
                        if t == .op(")") { depth -= 1; if depth == 0 { break } }
                    }
                    pos = start + sub.pos
                    parts.append(.interp(String(decoding: src[start..<(pos - 1)], as: UTF8.self)))
                    continue
                }
                let outcome = src.withUnsafeBufferPointer { JSONEscape.decode($0, at: pos, into: &cur) }
                switch outcome {
                case .next(let next): pos = next
                case .invalidUnicode: throw CompileError(message: "syntax error: invalid \\u escape")
                case .unknown: throw CompileError(message: "syntax error: invalid escape")
                }
                continue
            }
            cur.append(c)
            pos += 1
        }
        throw CompileError(message: "syntax error, unexpected end of file, unterminated string")
    }

}
