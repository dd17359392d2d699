/// Runs every rule of `RuleCatalog` over a parsed Dockerfile.
public struct DockerfileChecker: Sendable {
    /// The rules to run (all by default).
    public var rules: [Rule]

    public init(rules: [Rule] = RuleCatalog.all) { self.rules = rules }

    /// Every failure, ordered by line then rule. Throws when a `RUN` command is not valid shell
    /// (unterminated quote …), naming its line.
    public func check(_ dockerfile: Dockerfile) throws(ConfigScanError) -> [Misconfiguration] {
        try check(CheckContext(dockerfile))
    }

    func check(_ context: CheckContext) -> [Misconfiguration] {
        let wanted = rules.count == RuleCatalog.all.count ? nil : Set(rules.map(\.id))
        var out: [Misconfiguration] = []
        for check in Self.checks where wanted?.contains(check.rule.id) ?? true {
            out.append(contentsOf: check.run(context))
        }
        let order = Self.catalogOrder
        return out.enumerated().sorted { a, b in
            let la = a.element.startLine ?? 0, lb = b.element.startLine ?? 0
            if la != lb { return la < lb }
            let ra = order[a.element.rule.id] ?? 0, rb = order[b.element.rule.id] ?? 0
            if ra != rb { return ra < rb }
            return a.offset < b.offset
        }.map(\.element)
    }

    static let catalogOrder = Dictionary(uniqueKeysWithValues: RuleCatalog.all.enumerated().map { ($1.id, $0) })

    struct Check: Sendable {
        var rule: Rule
        var run: @Sendable (CheckContext) -> [Misconfiguration]
    }
}

/// A `RUN` (or `ONBUILD RUN`) with its command split into shell commands.
struct RunStep {
    var instruction: Instruction
    var stage: Int
    var commands: [ShellCommand]
    /// Shell form (or an exec form that runs a shell with `-c`).
    var isShell: Bool
    /// Pipes appear outside `$(…)`.
    var hasPipe: Bool
    /// Every package-manager invocation among `commands`, parsed once.
    var packageInvocations: [PackageInvocation] = []
    /// Commands in the order they run, substitutions excluded.
    var topLevel: [ShellCommand] { commands.filter { !$0.isSubstitution } }
    /// Every command (including `$(…)` and `sh -c` contents) whose effective name is in `names`.
    func commands(named names: Set<String>) -> [ShellCommand] {
        commands.filter { $0.effectiveName.map(names.contains) ?? false }
    }
    func mounts() -> [String] { instruction.flagValues("mount") }
}

/// What every check needs, computed once.
struct CheckContext {
    let dockerfile: Dockerfile
    let runs: [RunStep]
    /// Indices of the final stage and the stages it is built `FROM`, final first.
    let finalLineage: [Int]
    /// `dockerfile.instructions`, built once.
    let instructions: [Instruction]

    init(_ dockerfile: Dockerfile) throws(ConfigScanError) {
        self.dockerfile = dockerfile
        instructions = dockerfile.instructions
        var lineage: [Int] = []
        var seen: Set<Int> = []
        var next: Int? = dockerfile.stages.count - 1
        // A set, not `lineage.contains`: a chain of 100,000 stages each `FROM` the previous one.
        while let n = next, seen.insert(n).inserted { lineage.append(n); next = dockerfile.stages[n].parentStage }
        finalLineage = lineage
        var runs: [RunStep] = []
        for stage in dockerfile.stages {
            for instruction in stage.instructions {
                let target: Instruction
                if instruction.keyword == .run { target = instruction } else if instruction.keyword == .onbuild, let t = instruction.trigger.first, t.keyword == .run {
                    target = t
                } else { continue }
                runs.append(try Self.runStep(target, stage: stage.index, file: dockerfile.file))
            }
        }
        self.runs = runs
    }

    static func runStep(_ instruction: Instruction, stage: Int, file: String) throws(ConfigScanError) -> RunStep {
        var commands: [ShellCommand] = []
        var isShell = false
        func parse(_ text: String, lineOf: @escaping (Int) -> Int) throws(ConfigScanError) -> ShellScript {
            do {
                return try ShellScript(parsing: text, variables: instruction.variables, lineOf: lineOf)
            } catch {
                throw ConfigScanError(.syntax, file: file, line: lineOf(error.offset), "RUN: \(error.message)")
            }
        }
        switch instruction.command {
        case .shell(let text)?:
            isShell = true
            commands = try parse(text) { instruction.line(atArgumentOffset: $0) }.commands
            // `RUN <<EOF` (or `RUN bash <<EOF`): the heredoc body is the script.
            let first = commands.first { !$0.isSubstitution }
            let runsScript = first.map { $0.words.isEmpty || ShellParserNames.shells.contains($0.effectiveName ?? "") } ?? false
            if runsScript {
                for doc in instruction.heredocs {
                    let base = doc.firstLine
                    let newlines = doc.content.unicodeScalars.enumerated().filter { $0.element == "\n" }.map(\.offset)
                    let script = try parse(doc.content) { offset in
                        var lo = 0, hi = newlines.count
                        while lo < hi { let mid = (lo + hi) / 2; if newlines[mid] < offset { lo = mid + 1 } else { hi = mid } }
                        return base + lo
                    }
                    commands.append(contentsOf: script.commands)
                }
            }
        case .exec(let array)?:
            let line = instruction.startLine
            var words = array.map { ShellWord(text: $0, raw: $0, line: line) }
            if words.isEmpty { words = [] }
            commands = [ShellCommand(words: words, assignments: [], redirections: [], connector: nil, pipeline: 0,
                                     inSubshell: false, isSubstitution: false, line: line)]
            if let name = commands[0].effectiveName, ShellParserNames.shells.contains(name),
               let c = array.firstIndex(where: { $0.hasPrefix("-") && $0.contains("c") }), c + 1 < array.count {
                isShell = true
                commands = try parse(array[c + 1]) { _ in line }.commands
            }
        case nil:
            break
        }
        var pipelines: [Int: Int] = [:]
        for c in commands where !c.isSubstitution { pipelines[c.pipeline, default: 0] += 1 }
        return RunStep(instruction: instruction, stage: stage, commands: commands, isShell: isShell,
                       hasPipe: pipelines.values.contains { $0 > 1 },
                       packageInvocations: commands.enumerated().compactMap { PackageInvocation.parse($1, position: $0) })
    }

    var finalStage: Stage { dockerfile.stages[dockerfile.stages.count - 1] }

    /// Instructions of the final stage's lineage, base stages first.
    var finalImageInstructions: [Instruction] {
        finalLineage.reversed().flatMap { dockerfile.stages[$0].instructions }
    }

    func failure(_ rule: Rule, _ message: String, _ instruction: Instruction, masked: [String] = []) -> Misconfiguration {
        Misconfiguration(rule: rule, message: message, startLine: instruction.startLine, endLine: instruction.endLine,
                         stage: instruction.stageIndex, masked: masked)
    }

    func failure(_ rule: Rule, _ message: String, line: Int, stage: Int?) -> Misconfiguration {
        Misconfiguration(rule: rule, message: message, startLine: line, endLine: line, stage: stage)
    }
}

enum ShellParserNames {
    static let shells: Set<String> = ["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"]
}
