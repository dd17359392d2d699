/// The instruction-level half of parsing: interprets each logical line by keyword, expands
/// `ARG`/`ENV` references where BuildKit expands them, and groups instructions into stages with
/// BuildKit's scoping (meta `ARG`s before the first `FROM` are visible to `FROM` lines only; a
/// stage sees an `ARG` after it declares it; `ENV` beats `ARG`; `FROM <stage>` inherits its `ENV`).
struct StageBuilder {
    let file: String
    let sourceLines: [String]
    let escape: Unicode.Scalar
    let options: ParseOptions

    private var meta: [Instruction] = []
    private var stages: [Stage] = []
    /// Meta-argument values (nil: declared without a value).
    private var metaValues: [String: String?] = [:]
    private var platformArgs: [String: String]
    /// The current stage's declared arguments with values, and its environment.
    private var stageArgs: [String: String] = [:]
    private var stageEnv: [String: String] = [:]
    /// Final `ENV` of every stage, for stages built `FROM` them.
    private var finalEnv: [[String: String]] = []
    /// The last stage of each name: `FROM <name>` looks its parent up here rather than
    /// scanning every earlier stage (100,000 stages took minutes that way).
    private var stageByName: [String: Int] = [:]

    init(file: String, lines: [String], escape: Unicode.Scalar, options: ParseOptions) {
        self.file = file
        self.sourceLines = lines
        self.escape = escape
        self.options = options
        let parts = options.platform.split(separator: "/").map(String.init)
        let os = parts.first ?? "linux", arch = parts.count > 1 ? parts[1] : "amd64", variant = parts.count > 2 ? parts[2] : ""
        platformArgs = [
            "TARGETPLATFORM": options.platform, "TARGETOS": os, "TARGETARCH": arch, "TARGETVARIANT": variant,
            "BUILDPLATFORM": options.platform, "BUILDOS": os, "BUILDARCH": arch, "BUILDVARIANT": variant,
        ]
    }

    private func error(_ line: Int, _ message: String, _ code: ConfigScanError.Reason = .syntax) -> ConfigScanError {
        ConfigScanError(code, file: file, line: line, message)
    }

    mutating func add(_ line: LogicalLine) throws(ConfigScanError) {
        let inStage = !stages.isEmpty
        let instruction = try interpret(line, inStage: inStage, expand: true)
        switch instruction.keyword {
        case .from:
            startStage(instruction)
        case .arg:
            guard inStage else {
                for pair in instruction.pairs { metaValues[pair.key] = .some(pair.value) }
                meta.append(instruction)
                return
            }
            // Already resolved against build args and meta args by `interpret`.
            for pair in instruction.pairs {
                if let v = pair.value { stageArgs[pair.key] = v } else { stageArgs.removeValue(forKey: pair.key) }
            }
            stages[stages.count - 1].instructions.append(instruction)
        case .env:
            // Found by the Dockerfile fuzzer: `ENV` before any `FROM` indexed stage -1 and trapped.
            guard inStage else {
                throw error(line.startLine, "ENV before the first FROM: no build stage in current context")
            }
            for pair in instruction.pairs { stageEnv[pair.key] = pair.value ?? "" }
            stages[stages.count - 1].instructions.append(instruction)
        default:
            guard inStage else {
                throw error(line.startLine, "\(instruction.keyword.name) before the first FROM: no build stage in current context")
            }
            stages[stages.count - 1].instructions.append(instruction)
        }
    }

    private mutating func startStage(_ from: Instruction) {
        if !stages.isEmpty { finalEnv.append(stageEnv) }
        let index = stages.count
        var stage = Stage(index: index, name: nil, baseImage: from.words[0], baseImageRaw: "", platform: from.flag("platform"),
                          parentStage: nil, instructions: [])
        var f = from
        f.stageIndex = index
        stage.baseImageRaw = String(from.rawArguments.split(whereSeparator: InstructionText.isSpace).first ?? "")
        if from.words.count == 3 { stage.name = from.words[2].lowercased() }
        let base = from.words[0].lowercased()
        if let parent = stageByName[base] {
            stage.parentStage = parent
            stageEnv = finalEnv[parent]
        } else {
            stageEnv = [:]
        }
        stageArgs = [:]
        stage.instructions = [f]
        if let name = stage.name { stageByName[name] = index }
        stages.append(stage)
    }

    mutating func finish(isEmpty: Bool) throws(ConfigScanError) -> ([Instruction], [Stage]) {
        if stages.isEmpty {
            throw ConfigScanError(.syntax, file: file, line: isEmpty ? nil : 1,
                                  isEmpty ? "the Dockerfile has no instructions" : "the Dockerfile has no FROM instruction")
        }
        return (meta, stages)
    }

    // MARK: - Interpreting one instruction

    static let allowedFlags: [Instruction.Keyword: [String: Bool]] = [
        .from: ["platform": false],
        .copy: ["from": false, "chown": false, "chmod": false, "link": true, "parents": true, "exclude": false],
        .add: ["chown": false, "chmod": false, "link": true, "keep-git-dir": true, "checksum": false, "exclude": false, "unpack": true],
        .run: ["mount": false, "network": false, "security": false],
        .healthcheck: ["interval": false, "timeout": false, "start-period": false, "start-interval": false, "retries": false],
    ]

    private func expander(skipUnset: Bool = false) -> WordExpander {
        var e = WordExpander(escape: escape)
        e.skipUnset = skipUnset
        return e
    }

    /// Turns an expansion failure into a `FILE:LINE:` error naming the instruction.
    private func expanding<T>(_ line: Int, _ keyword: Instruction.Keyword, _ body: () throws(ExpansionError) -> T) throws(ConfigScanError) -> T {
        do {
            return try body()
        } catch {
            throw self.error(line, "\(keyword.name): \(error.message)", .expansion)
        }
    }

    func interpret(_ line: LogicalLine, inStage: Bool, expand: Bool) throws(ConfigScanError) -> Instruction {
        let (keywordText, afterKeyword) = InstructionText.split(line.text)
        guard let keyword = Instruction.Keyword(rawValue: keywordText.lowercased()) else {
            throw error(line.startLine, "unknown instruction: \(keywordText.uppercased())")
        }
        let flagWords: [String]
        let rest: Substring
        do {
            (rest, flagWords) = try InstructionText.extractFlags(afterKeyword)
        } catch {
            throw self.error(line.startLine, "\(keyword.name): unterminated quote in a flag")
        }
        var args = rest
        while let last = args.last, InstructionText.isSpace(last) { args = args.dropLast() }
        let argumentsOffset = line.text.unicodeScalars.count - rest.unicodeScalars.count
        let lookup: (String) -> String?
        if !expand {
            lookup = { _ in nil }
        } else if keyword == .from || !inStage {
            let declared = metaValues, platform = platformArgs
            lookup = { name in
                if let value = declared[name] { return value }
                return platform[name]
            }
        } else {
            let env = stageEnv, args = stageArgs
            lookup = { env[$0] ?? args[$0] }
        }

        var instruction = Instruction(
            keyword: keyword, startLine: line.startLine, endLine: line.endLine,
            original: sourceLines[(line.startLine - 1)..<min(line.endLine, sourceLines.count)].joined(separator: "\n"),
            flags: [], rawArguments: String(args), words: [], pairs: [], command: nil, heredocs: line.heredocs, trigger: [],
            stageIndex: inStage ? stages.count - 1 : nil, lineStarts: line.lineStarts, argumentsOffset: argumentsOffset)

        // Flags
        let allowed = Self.allowedFlags[keyword] ?? [:]
        for word in flagWords {
            let name: String, value: String?
            if let eq = word.firstIndex(of: "=") { name = String(word[..<eq]); value = String(word[word.index(after: eq)...]) } else { name = word; value = nil }
            guard let isBool = allowed[name] else {
                throw error(line.startLine, "unknown flag --\(name) for \(keyword.name)")
            }
            if !isBool, value == nil { throw error(line.startLine, "\(keyword.name): missing a value on flag --\(name)") }
            var expanded = value
            if let v = value, expand, [.from, .copy, .add, .run].contains(keyword) {
                expanded = try expanding(line.startLine, keyword) { () throws(ExpansionError) in try expander().word(v, env: lookup) }
            }
            instruction.flags.append(InstructionFlag(name: name, value: expanded))
        }

        func requireArguments() throws(ConfigScanError) {
            if args.isEmpty { throw error(line.startLine, "\(keyword.name) requires at least one argument") }
        }

        func command(_ text: Substring) throws(ConfigScanError) -> CommandForm {
            if let array = InstructionText.jsonArray(text) { return .exec(array) }
            if InstructionText.looksLikeJSON(text) {
                throw error(line.startLine, "\(keyword.name): malformed JSON array (unterminated or missing a comma); BuildKit would run it as a shell command")
            }
            return .shell(String(text))
        }

        switch keyword {
        case .from:
            let parts = args.split(whereSeparator: InstructionText.isSpace)
            guard parts.count == 1 || (parts.count == 3 && parts[1].lowercased() == "as") else {
                throw error(line.startLine, "FROM requires either one or three arguments")
            }
            let image = try expanding(line.startLine, keyword) { () throws(ExpansionError) in try expander().word(String(parts[0]), env: lookup) }
            instruction.words = [image]
            if parts.count == 3 {
                let name = String(parts[2])
                guard Self.isValidStageName(name.lowercased()) else {
                    throw error(line.startLine, "invalid name for build stage: \"\(name)\", name can't start with a number or contain symbols")
                }
                instruction.words += ["AS", name]
            }
        case .run, .cmd, .entrypoint, .shell:
            if keyword == .run { try requireArguments() }
            instruction.command = try command(args)
            if keyword == .shell, case .shell = instruction.command {
                throw error(line.startLine, "SHELL requires the arguments to be in JSON form")
            }
            instruction.variables = Self.referencedVariables(String(args), lookup: lookup)
        case .healthcheck:
            let (type, rest) = InstructionText.split(String(args))
            switch type.uppercased() {
            case "NONE":
                if !rest.isEmpty { throw error(line.startLine, "HEALTHCHECK NONE takes no arguments") }
            case "CMD":
                if rest.isEmpty { throw error(line.startLine, "HEALTHCHECK CMD requires a command") }
                instruction.command = try command(rest)
                instruction.variables = Self.referencedVariables(String(rest), lookup: lookup)
            default:
                throw error(line.startLine, "Unknown type \"\(type)\" in HEALTHCHECK (try CMD)")
            }
        case .copy, .add, .volume:
            if let array = InstructionText.jsonArray(args) {
                instruction.words = try expanding(line.startLine, keyword) { () throws(ExpansionError) in
                    try array.map { (s) throws(ExpansionError) in try expander().word(s, env: lookup) }
                }
            } else if InstructionText.looksLikeJSON(args) {
                throw error(line.startLine, "\(keyword.name): malformed JSON array (unterminated or missing a comma)")
            } else {
                instruction.words = try expanding(line.startLine, keyword) { () throws(ExpansionError) in try expander().words(String(args), env: lookup) }
            }
            if keyword == .volume { try requireArguments() } else if instruction.words.count < 2 {
                throw error(line.startLine, "\(keyword.name) requires at least two arguments, but only \(instruction.words.count) provided")
            }
        case .expose:
            try requireArguments()
            instruction.words = try expanding(line.startLine, keyword) { () throws(ExpansionError) in try expander().words(String(args), env: lookup) }
        case .user, .workdir, .stopsignal:
            try requireArguments()
            instruction.words = [try expanding(line.startLine, keyword) { () throws(ExpansionError) in try expander().word(String(args), env: lookup) }]
        case .maintainer:
            try requireArguments()
            instruction.words = [String(args)]
        case .env, .label:
            try requireArguments()
            instruction.pairs = try nameValues(args, keyword: keyword, line: line.startLine, lookup: lookup)
        case .arg:
            try requireArguments()
            for word in InstructionText.rawWords(args, escape: Character(escape)) {
                var pair: KeyValue
                if let eq = word.firstIndex(of: "=") {
                    let raw = String(word[word.index(after: eq)...])
                    let value = try expanding(line.startLine, keyword) { () throws(ExpansionError) in try expander().word(raw, env: lookup) }
                    pair = KeyValue(key: String(word[..<eq]), value: value, rawValue: raw)
                } else {
                    pair = KeyValue(key: word, value: nil, rawValue: nil)
                }
                if pair.key.isEmpty { throw error(line.startLine, "ARG names can not be blank") }
                if let supplied = options.buildArguments[pair.key] {
                    pair.value = supplied
                } else if pair.value == nil, inStage {
                    if let m = metaValues[pair.key] { pair.value = m } else { pair.value = platformArgs[pair.key] }
                }
                instruction.pairs.append(pair)
            }
        case .onbuild:
            try requireArguments()
            let (sub, _) = InstructionText.split(String(args))
            switch sub.lowercased() {
            case "onbuild": throw error(line.startLine, "ONBUILD ONBUILD isn't allowed")
            case "from", "maintainer": throw error(line.startLine, "\(sub.uppercased()) isn't allowed as an ONBUILD trigger")
            default: break
            }
            var subLine = line
            subLine.text = String(args)
            subLine.lineStarts = line.lineStarts.map { LineStart(offset: max(0, $0.offset - argumentsOffset), line: $0.line) }
            subLine.heredocs = []
            // Triggers run in a later build: nothing is expanded now.
            var trigger = try interpret(subLine, inStage: true, expand: false)
            trigger.original = instruction.original
            instruction.trigger = [trigger]
        }
        return instruction
    }

    static func isValidStageName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    /// `ENV`/`LABEL`: `key=value …`, or the old `ENV key value with spaces` form.
    private func nameValues(_ args: Substring, keyword: Instruction.Keyword, line: Int, lookup: @escaping (String) -> String?) throws(ConfigScanError) -> [KeyValue] {
        let words = InstructionText.rawWords(args, escape: Character(escape))
        guard let first = words.first else { throw error(line, "\(keyword.name) must have two arguments") }
        if !first.contains("=") {
            let parts = args.split(maxSplits: 1, whereSeparator: InstructionText.isSpace)
            guard parts.count == 2 else { throw error(line, "\(keyword.name) must have two arguments") }
            let key = String(parts[0]), raw = String(parts[1])
            let value = try expanding(line, keyword) { () throws(ExpansionError) in try expander().word(raw, env: lookup) }
            return [KeyValue(key: key, value: value, rawValue: raw)]
        }
        var out: [KeyValue] = []
        for word in words {
            guard let eq = word.firstIndex(of: "=") else {
                throw error(line, "Syntax error - can't find = in \"\(word)\". Must be of the form: name=value")
            }
            let rawKey = String(word[..<eq]), raw = String(word[word.index(after: eq)...])
            let key = try expanding(line, keyword) { () throws(ExpansionError) in try expander().word(rawKey, env: lookup) }
            if key.isEmpty { throw error(line, "\(keyword.name) names can not be blank") }
            let value = try expanding(line, keyword) { () throws(ExpansionError) in try expander().word(raw, env: lookup) }
            out.append(KeyValue(key: key, value: value, rawValue: raw))
        }
        return out
    }

    /// Values of the variables a command mentions (`$NAME`, `${NAME…}`), as the shell will see them.
    static func referencedVariables(_ text: String, lookup: (String) -> String?) -> [String: String] {
        var out: [String: String] = [:]
        let s = Array(text.utf8)
        var i = 0
        while i < s.count {
            guard s[i] == UInt8(ascii: "$") else { i += 1; continue }
            i += 1
            if i < s.count, s[i] == UInt8(ascii: "{") { i += 1 }
            let start = i
            while i < s.count, s[i] == UInt8(ascii: "_") || (s[i] >= 0x30 && s[i] <= 0x39) || ((s[i] | 0x20) >= 0x61 && (s[i] | 0x20) <= 0x7A) { i += 1 }
            guard i > start else { continue }
            let name = String(decoding: s[start..<i], as: UTF8.self)
            if out[name] == nil, let v = lookup(name) { out[name] = v }
        }
        return out
    }
}
