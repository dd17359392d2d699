/// A `RUN` command line split the way a POSIX shell splits it: simple commands separated by
/// `&&`, `||`, `;`, `&`, `|` and newlines, words with quotes removed, assignments and
/// redirections set aside, reserved words (`if`, `then`, `do` …) skipped, and the text of
/// `$(…)`, backquotes and `sh -c '…'` parsed as commands too. Shell-level checks work on this
/// rather than on substrings, so `echo "apt-get install"` is not an `apt-get install`.
public struct ShellScript: Sendable {
    /// Every simple command in order of appearance (nested ones after the command holding them).
    public var commands: [ShellCommand]

    /// Parses `text`. `variables` are the `ARG`/`ENV` values the build passes to the shell (others
    /// stay as written); `lineOf` maps a scalar offset in `text` to its Dockerfile line.
    public init(parsing text: String, variables: [String: String] = [:], lineOf: @escaping (Int) -> Int = { _ in 1 }) throws(ShellSyntaxError) {
        var parser = ShellParser(Array(text.unicodeScalars), variables: variables, lineOf: lineOf, depth: 0)
        try parser.parse()
        commands = parser.commands
    }

    /// Commands whose effective name (after `sudo`, `env` …) is `name`.
    public func commands(named names: Set<String>) -> [ShellCommand] {
        commands.filter { $0.effectiveName.map(names.contains) ?? false }
    }

    /// True when some pipeline joins two or more commands with `|`.
    public var hasPipe: Bool {
        var seen: [Int: Int] = [:]
        for c in commands where !c.isSubstitution { seen[c.pipeline, default: 0] += 1 }
        return seen.values.contains { $0 > 1 }
    }
}

/// A shell syntax error: what and where (scalar offset into the text parsed).
public struct ShellSyntaxError: Error, Sendable {
    public var message: String
    public var offset: Int
}

/// One word of a command: quotes removed, known variables substituted.
public struct ShellWord: Sendable, Hashable {
    /// The word as the command will receive it (unknown `$VARS` kept as written).
    public var text: String
    /// The word as written.
    public var raw: String
    /// Dockerfile line where the word starts.
    public var line: Int
}

/// A simple command: `NAME=v cmd arg … >file`.
public struct ShellCommand: Sendable {
    /// Command name and arguments, assignments and redirections removed.
    public var words: [ShellWord]
    /// `NAME=value` words before the command name.
    public var assignments: [ShellWord]
    /// Redirection operators with their targets (`>`, `/dev/null`).
    public var redirections: [ShellWord]
    /// The operator before this command: nil for the first, else `&&`, `||`, `;`, `&`, `|` or a newline.
    public var connector: String?
    /// Commands with the same number are one pipeline (joined by `|`).
    public var pipeline: Int
    /// Inside `( … )`.
    public var inSubshell: Bool
    /// Came from `$(…)`, backquotes or an `sh -c` string.
    public var isSubstitution: Bool
    /// Dockerfile line of the command's first word.
    public var line: Int
    /// Index of the real command after wrappers that run another command (`sudo -E apt-get …`,
    /// `env A=b apt-get …`, `nohup`, `time`, `nice -n 5`, `exec`, `command`).
    public let effectiveStart: Int
    /// The real command's name (`apt-get` for `sudo apt-get install …`), path stripped (`/usr/bin/curl` → `curl`).
    public let effectiveName: String?

    public init(words: [ShellWord], assignments: [ShellWord], redirections: [ShellWord], connector: String?, pipeline: Int,
                inSubshell: Bool, isSubstitution: Bool, line: Int) {
        self.words = words
        self.assignments = assignments
        self.redirections = redirections
        self.connector = connector
        self.pipeline = pipeline
        self.inSubshell = inSubshell
        self.isSubstitution = isSubstitution
        self.line = line
        let start = Self.effectiveStart(words)
        effectiveStart = start
        if start < words.count {
            let t = words[start].text
            if let slash = t.lastIndex(of: "/") { effectiveName = String(t[t.index(after: slash)...]) } else { effectiveName = t }
        } else {
            effectiveName = nil
        }
    }

    /// The name as written (`sudo`, `apt-get`).
    public var name: String? { words.first?.text }

    static func effectiveStart(_ words: [ShellWord]) -> Int {
        var i = 0
        while i < words.count {
            let w = words[i].text
            switch w {
            case "sudo", "doas":
                i += 1
                while i < words.count, words[i].text.hasPrefix("-") {
                    let flag = words[i].text
                    i += 1
                    if ["-u", "-g", "-C", "-h", "-p", "-r", "-t", "-U"].contains(flag), i < words.count { i += 1 }
                }
            case "env":
                i += 1
                while i < words.count, words[i].text.hasPrefix("-") || words[i].text.contains("=") { i += 1 }
            case "nohup", "time", "exec", "command", "builtin", "xargs", "stdbuf", "eatmydata", "chroot":
                i += 1
                while i < words.count, words[i].text.hasPrefix("-") { i += 1 }
                if w == "chroot", i < words.count { i += 1 }
            case "nice", "ionice", "timeout":
                i += 1
                while i < words.count, words[i].text.hasPrefix("-") {
                    let f = words[i].text
                    i += 1
                    if ["-n", "-c", "-s", "-k"].contains(f), i < words.count { i += 1 }
                }
                if w == "timeout", i < words.count { i += 1 }
            default:
                return i
            }
        }
        return i
    }

    /// The real command's arguments.
    public var effectiveArguments: ArraySlice<ShellWord> {
        let i = effectiveStart
        return i < words.count ? words[(i + 1)...] : []
    }
}

private struct ShellParser {
    let s: [Unicode.Scalar]
    let variables: [String: String]
    let lineOf: (Int) -> Int
    let depth: Int
    /// False for the text of `sh -c "…"`: its `$(…)` were already parsed as part of the outer word.
    var parsesSubstitutions = true
    var i = 0
    var commands: [ShellCommand] = []
    private var nested: [ShellCommand] = []

    // Command under construction.
    private var words: [ShellWord] = []
    private var assignments: [ShellWord] = []
    private var redirections: [ShellWord] = []
    private var connector: String? = nil
    private var pipeline = 0
    private var subshell = 0
    private var skipping = false
    private var firstLine: Int? = nil
    private var pendingHeredocs: [(String, Bool)] = []

    static let reserved: Set<String> = ["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "esac", "in"]
    static let skipToSeparator: Set<String> = ["for", "case", "select", "function"]
    static let shells: Set<String> = ["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"]

    init(_ s: [Unicode.Scalar], variables: [String: String], lineOf: @escaping (Int) -> Int, depth: Int) {
        self.s = s
        self.variables = variables
        self.lineOf = lineOf
        self.depth = depth
    }

    func fail(_ message: String, _ at: Int) -> ShellSyntaxError { ShellSyntaxError(message: message, offset: at) }

    mutating func parse() throws(ShellSyntaxError) {
        var expectTarget: String? = nil
        while i < s.count {
            let c = s[i]
            switch c {
            case " ", "\t", "\r":
                i += 1
            case "\n":
                i += 1
                end("\n")
                try skipHeredocBodies()
            case "#":
                while i < s.count, s[i] != "\n" { i += 1 }
            case ";":
                i += 1
                if i < s.count, s[i] == ";" { i += 1 }
                end(";")
            case "&":
                if peek(1) == "&" { i += 2; end("&&") } else if peek(1) == ">" { i += 1; expectTarget = redirection() } else { i += 1; end("&") }
            case "|":
                if peek(1) == "|" { i += 2; end("||") } else { i += 1; if peek(0) == "&" { i += 1 }; end("|") }
            case "(":
                i += 1
                end(nil)
                subshell += 1
            case ")":
                i += 1
                end(nil)
                subshell = max(0, subshell - 1)
            case "<", ">":
                expectTarget = redirection()
            default:
                let start = i
                var word = try readWord()
                // `2>file`, `2>&1`: a number right before a redirection is its file descriptor.
                if i < s.count, s[i] == ">" || s[i] == "<", word.raw.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
                    expectTarget = redirection()
                    continue
                }
                if firstLine == nil { firstLine = lineOf(start) }
                word.line = lineOf(start)
                if let op = expectTarget {
                    redirections.append(ShellWord(text: op, raw: op, line: word.line))
                    redirections.append(word)
                    if op.hasPrefix("<<") { pendingHeredocs.append((word.text, op == "<<-")) }
                    expectTarget = nil
                    continue
                }
                if skipping { continue }
                if words.isEmpty {
                    if Self.isAssignment(word.raw) { assignments.append(word); continue }
                    if Self.reserved.contains(word.raw) { continue }
                    if Self.skipToSeparator.contains(word.raw) { skipping = true; continue }
                }
                words.append(word)
            }
        }
        end(nil)
        commands.append(contentsOf: nested)
    }

    func peek(_ k: Int) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    /// Consumes a redirection operator; returns it (its target is the next word).
    mutating func redirection() -> String {
        var op = String.UnicodeScalarView()
        while i < s.count, s[i] == "<" || s[i] == ">" || s[i] == "&" || s[i] == "|" || (s[i] == "-" && op.last == "<" && op.count == 2) {
            if s[i] == "|" && op.last != ">" { break }
            if s[i] == "&" && !op.isEmpty && op.last != ">" && op.last != "<" { break }
            op.append(s[i])
            i += 1
            if op.count >= 3 { break }
        }
        return String(op)
    }

    static func isAssignment(_ raw: String) -> Bool {
        guard let eq = raw.firstIndex(of: "="), eq != raw.startIndex else { return false }
        let name = raw[..<eq]
        guard let f = name.unicodeScalars.first, f == "_" || f.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }

    mutating func end(_ next: String?) {
        skipping = false
        if !words.isEmpty || !assignments.isEmpty || !redirections.isEmpty {
            let command = ShellCommand(words: words, assignments: assignments, redirections: redirections, connector: connector,
                                       pipeline: pipeline, inSubshell: subshell > 0, isSubstitution: depth > 0,
                                       line: firstLine ?? lineOf(i))
            commands.append(command)
            expandShellDashC(command)
            connector = next
            if next != "|" { pipeline += 1 }
        } else if next != nil, next != "\n" {
            connector = next
        }
        words = []; assignments = []; redirections = []; firstLine = nil
    }

    /// `sh -c 'apt-get install …'`: the string is a script too.
    mutating func expandShellDashC(_ command: ShellCommand) {
        guard depth < 4, let name = command.effectiveName, Self.shells.contains(name) else { return }
        let args = Array(command.effectiveArguments)
        guard let c = args.firstIndex(where: { $0.text.hasPrefix("-") && !$0.text.hasPrefix("--") && $0.text.contains("c") }),
              c + 1 < args.count else { return }
        let line = args[c + 1].line
        var inner = ShellParser(Array(args[c + 1].text.unicodeScalars), variables: variables, lineOf: { _ in line }, depth: depth + 1)
        inner.parsesSubstitutions = false
        guard (try? inner.parse()) != nil else { return }
        // A command that is itself a substitution was already parsed from the outer word.
        nested.append(contentsOf: inner.commands.filter { c in
            guard let raw = c.words.first?.raw else { return true }
            return !raw.hasPrefix("$(") && !raw.hasPrefix("`")
        })
    }

    mutating func skipHeredocBodies() throws(ShellSyntaxError) {
        for (delimiter, stripTabs) in pendingHeredocs {
            while i < s.count {
                var j = i
                while j < s.count, s[j] != "\n" { j += 1 }
                var line = String(String.UnicodeScalarView(s[i..<j]))
                if stripTabs { line = String(line.drop { $0 == "\t" }) }
                i = min(j + 1, s.count)
                if line == delimiter { break }
            }
        }
        pendingHeredocs = []
    }

    static func isWordEnd(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case " ", "\t", "\n", "\r", ";", "&", "|", "(", ")", "<", ">": return true
        default: return false
        }
    }

    mutating func readWord() throws(ShellSyntaxError) -> ShellWord {
        let start = i
        var text = String.UnicodeScalarView()
        while i < s.count, !Self.isWordEnd(s[i]) {
            let c = s[i]
            switch c {
            case "\\":
                i += 1
                if i < s.count {
                    if s[i] == "\n" { i += 1 } else { text.append(s[i]); i += 1 }
                }
            case "'":
                let open = i
                i += 1
                while i < s.count, s[i] != "'" { text.append(s[i]); i += 1 }
                guard i < s.count else { throw fail("unterminated single quote", open) }
                i += 1
            case "\"":
                let open = i
                i += 1
                while i < s.count, s[i] != "\"" {
                    if s[i] == "\\", i + 1 < s.count, ["$", "`", "\"", "\\", "\n"].contains(s[i + 1]) {
                        if s[i + 1] != "\n" { text.append(s[i + 1]) }
                        i += 2
                    } else if s[i] == "$" {
                        text.append(contentsOf: try dollar().unicodeScalars)
                    } else if s[i] == "`" {
                        text.append(contentsOf: try backquote().unicodeScalars)
                    } else {
                        text.append(s[i]); i += 1
                    }
                }
                guard i < s.count else { throw fail("unterminated double quote", open) }
                i += 1
            case "$":
                text.append(contentsOf: try dollar().unicodeScalars)
            case "`":
                text.append(contentsOf: try backquote().unicodeScalars)
            default:
                text.append(c)
                i += 1
            }
        }
        return ShellWord(text: String(text), raw: String(String.UnicodeScalarView(s[start..<i])), line: 0)
    }

    /// `$NAME`, `${…}`, `$(…)`, `$((…))`: known variables substituted, the rest kept as written.
    mutating func dollar() throws(ShellSyntaxError) -> String {
        let start = i
        i += 1
        guard i < s.count else { return "$" }
        if s[i] == "(" {
            let inner = try balanced(open: "(", close: ")", from: i)
            let body = Array(s[(i + 1)..<(inner - 1)])
            if body.first != "(" { parseNested(body, at: i + 1) }
            i = inner
            return String(String.UnicodeScalarView(s[start..<i]))
        }
        if s[i] == "{" {
            let end = try balanced(open: "{", close: "}", from: i)
            i = end
            let raw = String(String.UnicodeScalarView(s[start..<end]))
            var expander = WordExpander()
            expander.skipUnset = true
            let vars = variables
            return (try? expander.word(raw, env: { vars[$0] })) ?? raw
        }
        var name = String.UnicodeScalarView()
        while i < s.count, s[i] == "_" || s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) {
            name.append(s[i]); i += 1
            if name.count == 1, ("0"..."9").contains(name.first!) { break }
        }
        if name.isEmpty {
            if i < s.count, "@*#?-$!".unicodeScalars.contains(s[i]) { i += 1; return String(String.UnicodeScalarView(s[start..<i])) }
            return "$"
        }
        return variables[String(name)] ?? "$" + String(name)
    }

    mutating func backquote() throws(ShellSyntaxError) -> String {
        let start = i
        i += 1
        while i < s.count, s[i] != "`" {
            if s[i] == "\\" { i += 1 }
            i += 1
        }
        guard i < s.count else { throw fail("unterminated backquote", start) }
        parseNested(Array(s[(start + 1)..<i]), at: start + 1)
        i += 1
        return String(String.UnicodeScalarView(s[start..<i]))
    }

    mutating func parseNested(_ body: [Unicode.Scalar], at offset: Int) {
        guard depth < 4, parsesSubstitutions else { return }
        let outer = lineOf
        var inner = ShellParser(body, variables: variables, lineOf: { outer($0 + offset) }, depth: depth + 1)
        if (try? inner.parse()) != nil { nested.append(contentsOf: inner.commands) }
    }

    /// Index just past the bracket matching the one at `from`, skipping quoted text.
    func balanced(open: Unicode.Scalar, close: Unicode.Scalar, from: Int) throws(ShellSyntaxError) -> Int {
        var level = 0
        var j = from
        while j < s.count {
            let c = s[j]
            if c == "\\" { j += 2; continue }
            if c == "'" && open == "(" {
                j += 1
                while j < s.count, s[j] != "'" { j += 1 }
            } else if c == "\"" && open == "(" {
                j += 1
                while j < s.count, s[j] != "\"" { if s[j] == "\\" { j += 1 }; j += 1 }
            } else if c == open {
                level += 1
            } else if c == close {
                level -= 1
                if level == 0 { return j + 1 }
            }
            j += 1
        }
        throw fail(open == "(" ? "unterminated $( … )" : "unterminated ${ … }", from - 1)
    }
}
