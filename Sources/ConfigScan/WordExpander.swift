/// BuildKit's word processing (`shell.Lex` of the dockerfile frontend): quote removal, escapes with
/// the Dockerfile's escape character, and `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`,
/// `${VAR:+word}`, `${VAR+word}`, `${VAR:?msg}`, `${VAR#glob}`, `${VAR##glob}`, `${VAR%glob}`,
/// `${VAR%%glob}` substitution.
///
/// Values are expanded once, when an instruction is evaluated, and stored expanded, so a chain
/// `ARG A1=$A0`, `ARG A2=$A1` … costs time linear in its length. Nesting of `${…}` inside defaults
/// and the length of any expansion are bounded so hostile input fails instead of exhausting memory.
struct WordExpander {
    /// The Dockerfile's escape character (`\` or `` ` ``).
    var escape: Unicode.Scalar
    /// Leave references to unset variables as written (used to expand `RUN` text for analysis).
    var skipUnset = false
    /// Keep quote characters in the output (heredoc delimiter detection).
    var rawQuotes = false
    /// Keep escape characters in the output (heredoc delimiter detection).
    var rawEscapes = false

    /// Deepest `${a:-${b:-…}}` nesting accepted.
    static let maxDepth = 64
    /// Longest expansion accepted, in UTF-8 bytes.
    static let maxLength = 1 << 20

    init(escape: Unicode.Scalar = "\\") { self.escape = escape }

    /// Expands `text` as one word (`WORKDIR`, `USER`, `ENV` values).
    func word(_ text: String, env: @escaping (String) -> String?) throws(ExpansionError) -> String {
        var lexer = Lexer(Array(text.unicodeScalars), self, env)
        return try lexer.process(stop: nil, depth: 0).text
    }

    /// Expands `text` and splits it into words on unquoted whitespace, including whitespace that
    /// came from a variable (`COPY`, `EXPOSE`, `FROM`).
    func words(_ text: String, env: @escaping (String) -> String?) throws(ExpansionError) -> [String] {
        var lexer = Lexer(Array(text.unicodeScalars), self, env)
        return try lexer.process(stop: nil, depth: 0).words
    }
}

/// A substitution BuildKit would reject, or one past the limits.
struct ExpansionError: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}

private struct WordSplitter {
    var words: [String] = []
    var current = String.UnicodeScalarView()
    var inWord = false

    mutating func addChar(_ c: Unicode.Scalar) {
        if c.properties.isWhitespace {
            if inWord { words.append(String(current)); current = .init(); inWord = false }
        } else {
            addRawChar(c)
        }
    }
    mutating func addRawChar(_ c: Unicode.Scalar) { current.append(c); inWord = true }
    mutating func addString(_ s: String) { for c in s.unicodeScalars { addChar(c) } }
    mutating func addRawString(_ s: String) { current.append(contentsOf: s.unicodeScalars); inWord = true }
    mutating func finish() -> [String] {
        if !current.isEmpty { words.append(String(current)); current = .init(); inWord = false }
        return words
    }
}

private struct Lexer {
    let s: [Unicode.Scalar]
    var i = 0
    let options: WordExpander
    let env: (String) -> String?

    init(_ s: [Unicode.Scalar], _ options: WordExpander, _ env: @escaping (String) -> String?) {
        self.s = s
        self.options = options
        self.env = env
    }

    func peek() -> Unicode.Scalar? { i < s.count ? s[i] : nil }
    mutating func next() -> Unicode.Scalar? {
        guard i < s.count else { return nil }
        defer { i += 1 }
        return s[i]
    }

    mutating func process(stop: Unicode.Scalar?, depth: Int) throws(ExpansionError) -> (text: String, words: [String]) {
        if depth > WordExpander.maxDepth {
            throw ExpansionError("variable substitution nested deeper than \(WordExpander.maxDepth) levels")
        }
        var result = String.UnicodeScalarView()
        var length = 0
        var words = WordSplitter()
        while let ch = peek() {
            if let stop, ch == stop {
                i += 1
                return (String(result), words.finish())
            }
            switch ch {
            case "'", "\"", "$":
                let piece: String
                if ch == "'" { piece = try singleQuote() } else if ch == "\"" { piece = try doubleQuote(depth: depth) } else { piece = try dollar(depth: depth) }
                result.append(contentsOf: piece.unicodeScalars)
                length += piece.utf8.count
                if length > WordExpander.maxLength {
                    throw ExpansionError("value longer than \(WordExpander.maxLength / 1024) KiB after expansion")
                }
                if ch == "$" { words.addString(piece) } else { words.addRawString(piece) }
            default:
                var c = next()!
                if c == options.escape {
                    if options.rawEscapes { words.addRawChar(c); result.append(c) }
                    guard let escaped = next() else { break }
                    c = escaped
                    words.addRawChar(c)
                } else {
                    words.addChar(c)
                }
                result.append(c)
                length += 1
            }
        }
        if let stop {
            throw ExpansionError("unexpected end of statement while looking for matching \(Character(stop))")
        }
        return (String(result), words.finish())
    }

    mutating func singleQuote() throws(ExpansionError) -> String {
        var out = String.UnicodeScalarView()
        i += 1
        if options.rawQuotes { out.append("'") }
        while true {
            guard let c = next() else {
                throw ExpansionError("unexpected end of statement while looking for matching single-quote")
            }
            if c == "'" {
                if options.rawQuotes { out.append("'") }
                return String(out)
            }
            out.append(c)
        }
    }

    mutating func doubleQuote(depth: Int) throws(ExpansionError) -> String {
        var out = ""
        i += 1
        if options.rawQuotes { out.append("\"") }
        while true {
            guard let c = peek() else {
                throw ExpansionError("unexpected end of statement while looking for matching double-quote")
            }
            if c == "\"" {
                i += 1
                if options.rawQuotes { out.append("\"") }
                return out
            }
            if c == "$" {
                out += try dollar(depth: depth)
                if out.utf8.count > WordExpander.maxLength {
                    throw ExpansionError("value longer than \(WordExpander.maxLength / 1024) KiB after expansion")
                }
                continue
            }
            var ch = next()!
            if ch == options.escape {
                if options.rawEscapes { out.unicodeScalars.append(ch) }
                guard let following = peek() else { continue }
                if following == "\"" || following == "$" || following == options.escape {
                    ch = next()!
                }
            }
            out.unicodeScalars.append(ch)
        }
    }

    static func isSpecialParameter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "@", "*", "#", "?", "-", "$", "!", "0": return true
        default: return false
        }
    }

    mutating func name() -> String {
        var out = String.UnicodeScalarView()
        while let c = peek() {
            if out.isEmpty, c.properties.numericType != nil, ("0"..."9").contains(c) {
                while let d = peek(), ("0"..."9").contains(d) { out.append(d); i += 1 }
                return String(out)
            }
            if out.isEmpty, Self.isSpecialParameter(c) {
                i += 1
                return String(c)
            }
            guard c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" else { break }
            out.append(c)
            i += 1
        }
        return String(out)
    }

    mutating func dollar(depth: Int) throws(ExpansionError) -> String {
        i += 1
        if peek() != "{" {
            let n = name()
            if n.isEmpty { return "$" }
            if let v = env(n) { return v }
            return options.skipUnset ? "$" + n : ""
        }
        i += 1
        switch peek() {
        case nil: throw ExpansionError("syntax error: missing '}'")
        case "{", "}", ":": throw ExpansionError("syntax error: bad substitution")
        default: break
        }
        let n = name()
        guard let op = next() else { throw ExpansionError("syntax error: missing '}'") }
        let value = env(n)
        switch op {
        case "}":
            if let value { return value }
            return options.skipUnset ? "${\(n)}" : ""
        case ":":
            guard let modifier = next() else { throw ExpansionError("syntax error: missing '}'") }
            let word = try nested(depth: depth)
            if value == nil, options.skipUnset { return "${\(n):\(Character(modifier))\(word)}" }
            let v = value ?? ""
            switch modifier {
            case "+": return v.isEmpty ? "" : word
            case "-": return v.isEmpty ? word : v
            case "?":
                if v.isEmpty { throw ExpansionError("\(n): \(word.isEmpty ? "is not allowed to be empty" : word)") }
                return v
            default: throw ExpansionError("unsupported modifier (\(Character(modifier))) in substitution")
            }
        case "+", "-", "?":
            let word = try nested(depth: depth)
            if value == nil, options.skipUnset { return "${\(n)\(Character(op))\(word)}" }
            switch op {
            case "+": return value == nil ? "" : word
            case "-": return value ?? word
            default:
                if let value { return value }
                throw ExpansionError("\(n): \(word.isEmpty ? "is not allowed to be unset" : word)")
            }
        case "#", "%":
            var longest = false
            if peek() == op { longest = true; i += 1 }
            let pattern = try nested(depth: depth)
            guard let value else { return options.skipUnset ? "${\(n)\(Character(op))\(longest ? String(Character(op)) : "")\(pattern)}" : "" }
            return Self.trim(value, pattern: pattern, prefix: op == "#", longest: longest)
        default:
            throw ExpansionError("unsupported modifier (\(Character(op))) in substitution")
        }
    }

    mutating func nested(depth: Int) throws(ExpansionError) -> String {
        do {
            return try process(stop: "}", depth: depth + 1).text
        } catch {
            if peek() == nil, error.message.hasPrefix("unexpected end") { throw ExpansionError("syntax error: missing '}'") }
            throw error
        }
    }

    /// `${v#p}` / `${v##p}` / `${v%p}` / `${v%%p}` with `*` and `?` globs.
    static func trim(_ value: String, pattern: String, prefix: Bool, longest: Bool) -> String {
        let v = Array(value.unicodeScalars), p = Array(pattern.unicodeScalars)
        guard v.count <= 65536 else { return value }
        let lengths: [Int] = longest ? Array((0...v.count).reversed()) : Array(0...v.count)
        for len in lengths {
            let part = prefix ? v[0..<len] : v[(v.count - len)...]
            if globMatch(p[...], part) {
                var rest = String.UnicodeScalarView()
                rest.append(contentsOf: prefix ? v[len...] : v[..<(v.count - len)])
                return String(rest)
            }
        }
        return value
    }

    static func globMatch(_ p: ArraySlice<Unicode.Scalar>, _ t: ArraySlice<Unicode.Scalar>) -> Bool {
        // Iterative matcher with single-star backtracking: O(|p|·|t|).
        var pi = p.startIndex, ti = t.startIndex
        var star: Int? = nil, mark = t.startIndex
        while ti < t.endIndex {
            if pi < p.endIndex, p[pi] == "?" || p[pi] == t[ti] { pi += 1; ti += 1 }
            else if pi < p.endIndex, p[pi] == "*" { star = pi; pi += 1; mark = ti }
            else if let s = star { pi = s + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.endIndex, p[pi] == "*" { pi += 1 }
        return pi == p.endIndex
    }
}
