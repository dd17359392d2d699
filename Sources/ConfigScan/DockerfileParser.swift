import JSONValue

/// How to read a Dockerfile.
public struct ParseOptions: Sendable {
    /// Files larger than this are refused with `ConfigScanError.Reason.tooLarge` (default 8 MiB;
    /// real Dockerfiles are a few KiB, and the limit keeps a hostile 100 MB file from being read).
    public var maxBytes: Int
    /// `--build-arg NAME=VALUE` values; they replace the defaults of declared `ARG`s.
    public var buildArguments: [String: String]
    /// Target platform for the automatic `TARGETPLATFORM`/`TARGETOS`/`TARGETARCH` arguments.
    public var platform: String
    /// Instructions accepted (default 50,000; real Dockerfiles have tens, generated ones a few
    /// thousand). Each parsed and checked instruction costs about a kilobyte, so 8 MiB of
    /// one-word `RUN` lines (1.4 million) took 1.8 GB before this limit.
    public var maxInstructions: Int

    public init(maxBytes: Int = 8 << 20, buildArguments: [String: String] = [:], platform: String = "linux/amd64",
                maxInstructions: Int = 50_000) {
        self.maxInstructions = maxInstructions
        self.maxBytes = maxBytes
        self.buildArguments = buildArguments
        self.platform = platform
    }
}

/// Parses Dockerfiles with BuildKit's dockerfile-frontend semantics: parser directives
/// (`# syntax=`, `# escape=`), comments, line continuations (with comment and blank lines inside
/// them), heredocs, JSON and shell forms, flags, `ARG`/`ENV` expansion and scoping, multi-stage
/// builds and `ONBUILD`.
public enum DockerfileParser {
    /// Parses a Dockerfile's bytes; `file` names it in errors.
    public static func parse(_ bytes: [UInt8], file: String, options: ParseOptions = .init()) throws(ConfigScanError) -> Dockerfile {
        let lines = try DockerfileSource.lines(bytes, file: file, maxBytes: options.maxBytes)
        return try parse(lines: lines, file: file, options: options)
    }

    /// Parses Dockerfile text; `file` names it in errors.
    public static func parse(_ text: String, file: String, options: ParseOptions = .init()) throws(ConfigScanError) -> Dockerfile {
        try parse(Array(text.utf8), file: file, options: options)
    }

    static func parse(lines: [String], file: String, options: ParseOptions) throws(ConfigScanError) -> Dockerfile {
        var reader = LogicalLineReader(lines: lines, file: file, maxInstructions: options.maxInstructions)
        let logical = try reader.read()
        var builder = StageBuilder(file: file, lines: lines, escape: reader.escape, options: options)
        for line in logical { try builder.add(line) }
        let (meta, stages) = try builder.finish(isEmpty: logical.isEmpty)
        return Dockerfile(file: file, lines: lines, directives: reader.directives,
                          escapeCharacter: Character(reader.escape), metaArguments: meta, stages: stages)
    }
}

/// One instruction's text with continuations joined and its heredoc bodies read.
struct LogicalLine {
    var text: String
    var startLine: Int
    var endLine: Int
    var lineStarts: [LineStart]
    var heredocs: [Heredoc]
}

/// The line-level half of BuildKit's `parser.Parse`.
struct LogicalLineReader {
    let lines: [String]
    let file: String
    var escape: Unicode.Scalar = "\\"
    var directives: [ParserDirective] = []
    private var directivesDone = false
    private var seenDirectives: Set<String> = []

    /// Logical lines read at most (``ParseOptions/maxInstructions``).
    var maxInstructions = Int.max

    init(lines: [String], file: String, maxInstructions: Int = .max) {
        self.lines = lines
        self.file = file
        self.maxInstructions = maxInstructions
    }

    static let knownDirectives: Set<String> = ["syntax", "escape", "check"]

    /// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`
    static func matchDirective(_ text: Substring) -> (String, String)? {
        var s = text.unicodeScalars[...]
        guard s.first == "#" else { return nil }
        s = s.dropFirst()
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\u{0C}" || c == "\u{0B}" }
        while let c = s.first, isSpace(c) { s = s.dropFirst() }
        var name = String.UnicodeScalarView()
        guard let first = s.first, first.isASCII, first.properties.isAlphabetic else { return nil }
        while let c = s.first, c.isASCII, c.properties.isAlphabetic || ("0"..."9").contains(c) { name.append(c); s = s.dropFirst() }
        while let c = s.first, isSpace(c) { s = s.dropFirst() }
        guard s.first == "=" else { return nil }
        s = s.dropFirst()
        while let c = s.first, isSpace(c) { s = s.dropFirst() }
        while let c = s.last, isSpace(c) { s = s.dropLast() }
        guard !s.isEmpty else { return nil }
        return (String(name), String(String.UnicodeScalarView(s)))
    }

    mutating func directive(_ text: Substring, line: Int) throws(ConfigScanError) {
        guard !directivesDone else { return }
        guard let (name, value) = Self.matchDirective(text), Self.knownDirectives.contains(name.lowercased()) else {
            directivesDone = true
            return
        }
        let key = name.lowercased()
        if seenDirectives.contains(key) {
            throw ConfigScanError(.syntax, file: file, line: line, "only one \(key) parser directive can be used")
        }
        seenDirectives.insert(key)
        if key == "escape" {
            guard value == "\\" || value == "`" else {
                throw ConfigScanError(.syntax, file: file, line: line, "invalid escape token '\(value)' does not match ` or \\")
            }
            escape = value.unicodeScalars.first!
        }
        directives.append(ParserDirective(name: key, value: value, line: line))
    }

    static func trimLeadingWhitespace(_ s: Substring) -> Substring {
        s.drop { $0 == " " || $0 == "\t" }
    }

    static func isComment(_ s: Substring) -> Bool { trimLeadingWhitespace(s).first == "#" }

    /// Removes a trailing escape character (and the blanks after it); false when there was none.
    func trimContinuation(_ s: Substring) -> (Substring, isEnd: Bool) {
        var end = s.endIndex
        while end > s.startIndex {
            let before = s.index(before: end)
            if s[before] == " " || s[before] == "\t" { end = before } else { break }
        }
        guard end > s.startIndex else { return (s, true) }
        let last = s.index(before: end)
        if s[last] == Character(escape) {
            return (s[s.startIndex..<last], false)
        }
        return (s, true)
    }

    mutating func read() throws(ConfigScanError) -> [LogicalLine] {
        var out: [LogicalLine] = []
        var i = 0
        var current = 0
        while i < lines.count {
            let raw = Self.trimLeadingWhitespace(lines[i][...])
            i += 1
            try directive(raw, line: current + 1)
            current += 1
            let startLine = current
            let firstText: Substring = Self.isComment(raw) ? "" : raw
            var (content, isEnd) = trimContinuation(firstText)
            if isEnd && content.isEmpty { continue }
            var text = String(content)
            var scalarCount = text.unicodeScalars.count
            var starts = [LineStart(offset: 0, line: startLine)]
            while !isEnd && i < lines.count {
                let next = lines[i][...]
                i += 1
                try directive(next, line: current + 1)
                current += 1
                if Self.isComment(next) { continue }
                if Self.trimLeadingWhitespace(next).isEmpty { continue }
                starts.append(LineStart(offset: scalarCount, line: current))
                (content, isEnd) = trimContinuation(next)
                text += content
                scalarCount += content.unicodeScalars.count
            }
            var line = LogicalLine(text: text, startLine: startLine, endLine: current, lineStarts: starts, heredocs: [])
            if text.includes("<<"), Self.canContainHeredoc(text) {
                for var doc in Self.heredocs(in: text) {
                    var terminated = false
                    var body = ""
                    doc.firstLine = current + 1
                    while i < lines.count {
                        let candidate = lines[i]
                        i += 1
                        current += 1
                        let terminator = doc.stripsTabs ? String(candidate.drop { $0 == "\t" }) : candidate
                        if terminator == doc.name { terminated = true; break }
                        if doc.stripsTabs { body += candidate.drop { $0 == "\t" } } else { body += candidate }
                        body += "\n"
                    }
                    if !terminated {
                        throw ConfigScanError(.syntax, file: file, line: startLine,
                                              "unterminated heredoc <<\(doc.name): no line '\(doc.name)' before the end of the file")
                    }
                    doc.content = body
                    line.heredocs.append(doc)
                }
                line.endLine = current
            }
            guard out.count < maxInstructions else {
                throw ConfigScanError(.tooLarge, file: file, line: line.startLine,
                                      "more than \(maxInstructions) instructions; refusing the Dockerfile")
            }
            out.append(line)
        }
        return out
    }

    /// RUN, COPY and ADD in shell form may carry heredocs.
    static func canContainHeredoc(_ text: String) -> Bool {
        let split = InstructionText.split(text)
        guard ["run", "copy", "add"].contains(split.keyword.lowercased()) else { return false }
        guard let (rest, _) = try? InstructionText.extractFlags(split.rest) else { return false }
        return InstructionText.jsonArray(rest) == nil
    }

    /// BuildKit's `heredocsFromLine` + `ParseHeredoc`.
    static func heredocs(in text: String) -> [Heredoc] {
        var raw = WordExpander()
        raw.rawQuotes = true
        raw.rawEscapes = true
        guard let words = try? raw.words(text, env: { _ in nil }) else { return [] }
        var docs: [Heredoc] = []
        for word in words {
            var s = word.unicodeScalars[...]
            var fd = 0
            var digits = 0
            while let c = s.first, ("0"..."9").contains(c) { fd = min(fd * 10 + Int(c.value - 48), 1 << 20); digits += 1; s = s.dropFirst() }
            guard s.starts(with: "<<".unicodeScalars) else { continue }
            s = s.dropFirst(2)
            var chomp = false
            if s.first == "-" { chomp = true; s = s.dropFirst() }
            guard !s.isEmpty, !s.contains("<") else { continue }
            let rest = String(String.UnicodeScalarView(s))
            var plain = WordExpander()
            plain.skipUnset = true
            guard let cooked = try? plain.words(rest, env: { _ in nil }), cooked.count == 1 else { continue }
            plain.rawQuotes = true
            guard let uncooked = try? plain.words(rest, env: { _ in nil }), uncooked.count == 1 else { continue }
            docs.append(Heredoc(name: cooked[0], content: "", expands: cooked[0] == uncooked[0], stripsTabs: chomp,
                                fileDescriptor: fd, firstLine: 0))
        }
        return docs
    }
}

/// Splitting an instruction's text the way BuildKit's `splitCommand`/`extractBuilderFlags` do.
enum InstructionText {
    static func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" || c == "\u{0B}" || c == "\u{0C}" }

    /// Keyword and the rest (leading blanks removed).
    static func split(_ text: String) -> (keyword: Substring, rest: Substring) {
        let trimmed = text.drop(while: isSpace)
        guard let space = trimmed.firstIndex(where: isSpace) else { return (trimmed, "") }
        return (trimmed[..<space], trimmed[space...].drop(while: isSpace))
    }

    struct UnterminatedFlagQuote: Error {}

    /// Leading `--flag[=value]` words (quotes and backslashes handled as BuildKit does) and the rest.
    static func extractFlags(_ line: Substring) throws(UnterminatedFlagQuote) -> (rest: Substring, flags: [String]) {
        var flags: [String] = []
        var i = line.startIndex
        while true {
            while i < line.endIndex, isSpace(line[i]) { i = line.index(after: i) }
            guard i < line.endIndex, line[i...].hasPrefix("--") else { return (line[i...], flags) }
            var word = ""
            var quote: Character? = nil
            var j = i
            while j < line.endIndex {
                let c = line[j]
                if let q = quote {
                    if c == q { quote = nil; j = line.index(after: j); continue }
                    if c == "\\", line.index(after: j) < line.endIndex { j = line.index(after: j) }
                    word.append(line[j])
                    j = line.index(after: j)
                    continue
                }
                if isSpace(c) { break }
                if c == "'" || c == "\"" { quote = c; j = line.index(after: j); continue }
                if c == "\\" {
                    j = line.index(after: j)
                    if j == line.endIndex { break }
                }
                word.append(line[j])
                j = line.index(after: j)
            }
            if quote != nil { throw UnterminatedFlagQuote() }
            if word == "--" { return (line[j...].drop(while: isSpace), flags) }
            flags.append(String(word.dropFirst(2)))
            i = j
        }
    }

    /// The strings of a JSON array of strings, or nil when `text` is not one.
    static func jsonArray(_ text: Substring) -> [String]? {
        let t = text.drop(while: isSpace)
        guard t.first == "[" else { return nil }
        guard let value = try? JSONParser.parse(String(t)), case .array(let items) = value else { return nil }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else { return nil }
            out.append(s)
        }
        return out
    }

    /// True when `text` was meant as a JSON array (`["a", …`) even though it does not parse.
    static func looksLikeJSON(_ text: Substring) -> Bool {
        let t = text.drop(while: isSpace)
        guard t.first == "[" else { return false }
        let inner = t.dropFirst()
        if inner.first == "\"" { return true }
        return inner.drop(while: isSpace).first == "\"" && t.contains("\",")
    }

    /// BuildKit's `parseWords`: whitespace-separated words that keep their quotes and escapes.
    static func rawWords(_ rest: Substring, escape: Character) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false, blankOK = false
        var quote: Character? = nil
        var i = rest.startIndex
        while i < rest.endIndex {
            let c = rest[i]
            if let q = quote {
                if c == q { quote = nil; word.append(c); i = rest.index(after: i); continue }
                if c == escape, q != "'" {
                    let n = rest.index(after: i)
                    if n == rest.endIndex { i = n; continue }
                    word.append(c)
                    word.append(rest[n])
                    i = rest.index(after: n)
                    continue
                }
                word.append(c)
                i = rest.index(after: i)
                continue
            }
            if isSpace(c) {
                if inWord, blankOK || !word.isEmpty { words.append(word) }
                word = ""; inWord = false; blankOK = false
                i = rest.index(after: i)
                continue
            }
            inWord = true
            if c == "'" || c == "\"" { quote = c; blankOK = true }
            if c == escape {
                let n = rest.index(after: i)
                if n == rest.endIndex { i = n; continue }
                word.append(c)
                word.append(rest[n])
                i = rest.index(after: n)
                continue
            }
            word.append(c)
            i = rest.index(after: i)
        }
        if inWord, blankOK || !word.isEmpty { words.append(word) }
        return words
    }
}
