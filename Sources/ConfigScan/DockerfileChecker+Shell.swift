/// Checks on the shell commands of `RUN` steps.
extension DockerfileChecker {
    static func text(_ cmd: ShellCommand) -> String {
        let t = cmd.words.map(\.text).joined(separator: " ")
        return t.count > 120 ? String(t.prefix(119)) + "…" : t
    }

    static func fail(_ c: CheckContext, _ rule: Rule, _ message: String, _ cmd: ShellCommand, _ run: RunStep) -> Misconfiguration {
        c.failure(rule, message, line: cmd.line, stage: run.stage)
    }

    static func sudo(_ c: CheckContext) -> [Misconfiguration] {
        c.runs.flatMap { run in
            run.commands.filter { $0.name == "sudo" || $0.name == "/usr/bin/sudo" }.map {
                fail(c, RuleCatalog.sudo, "Using 'sudo' in Dockerfile should be avoided: '\(text($0))'", $0, run)
            }
        }
    }

    static func runCd(_ c: CheckContext) -> [Misconfiguration] {
        c.runs.flatMap { run in
            run.commands.filter { $0.effectiveName == "cd" && !$0.inSubshell && !$0.isSubstitution }.map {
                fail(c, RuleCatalog.runCd, "RUN should not be used to change directory: '\(text($0))'. Use 'WORKDIR' statement instead.", $0, run)
            }
        }
    }

    static func wgetAndCurl(_ c: CheckContext) -> [Misconfiguration] {
        var first: [String: (ShellCommand, RunStep)] = [:]
        for run in c.runs {
            for cmd in run.commands(named: ["curl", "wget"]) where first[cmd.effectiveName!] == nil {
                first[cmd.effectiveName!] = (cmd, run)
            }
        }
        guard let curl = first["curl"], let wget = first["wget"] else { return [] }
        let later = curl.0.line >= wget.0.line ? curl : wget
        return [fail(c, RuleCatalog.wgetAndCurl, "Shouldn't use both curl (line \(curl.0.line)) and wget (line \(wget.0.line))", later.0, later.1)]
    }

    static let updateCommands: Set<String> = ["update", "up"]
    static let installCommands: Set<String> = ["upgrade", "install", "source-install", "reinstall", "groupinstall", "localinstall", "add", "dist-upgrade", "full-upgrade", "in"]
    static let managerFamilies: [Set<String>] = [["apt-get", "apt"], ["yum"], ["apk"], ["dnf"], ["zypper"]]

    static func updateAlone(_ c: CheckContext) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        for run in c.runs {
            for family in managerFamilies {
                let invs = run.invocations(family)
                for update in invs where updateCommands.contains(update.subcommand ?? "") {
                    let followed = invs.contains { $0.position > update.position && installCommands.contains($0.subcommand ?? "") }
                    if !followed {
                        out.append(fail(c, RuleCatalog.updateAlone, "'\(text(update.command))' is not followed by '\(update.tool) install' in the same RUN statement", update.command, run))
                    }
                }
            }
        }
        return out
    }

    static func missingClean(_ c: CheckContext, tools: Set<String>, installs: Set<String>, clean: Set<String>, rule: Rule, cache: String) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        for run in c.runs where !run.hasCacheMount(cache) {
            let invs = run.invocations(tools)
            for install in invs where installs.contains(install.subcommand ?? "") {
                let cleaned = invs.contains { inv in
                    inv.position > install.position && clean.contains(inv.subcommand ?? "")
                        && (inv.tool == "zypper" || inv.operands.contains { $0.text == "all" })
                }
                if !cleaned {
                    let cleanText = tools.contains("zypper") ? "zypper clean" : "\(install.tool) clean all"
                    out.append(fail(c, rule, "'\(cleanText)' is missed: '\(text(install.command))'", install.command, run))
                }
            }
        }
        return out
    }

    /// `apt-get install` and friends: every install invocation.
    static func aptInstalls(_ run: RunStep) -> [PackageInvocation] {
        run.invocations(["apt-get", "apt"]).filter { $0.subcommand == "install" }
    }

    static func aptAssumesYes(_ inv: PackageInvocation, _ run: RunStep) -> Bool {
        if inv.has(short: "y", long: ["--yes", "--assume-yes", "--force-yes"]) { return true }
        if inv.allOptions.contains("-qq") || inv.allOptions.contains("-q=2") || inv.allOptions.contains("--quiet=2") { return true }
        if (inv.optionValues["-o"] ?? []).contains(where: { $0.lowercased().hasPrefix("apt::get::assume-yes=") && !$0.hasSuffix("=false") && !$0.hasSuffix("=0") }) { return true }
        // `yes | apt-get install …`
        return run.commands.contains { $0.pipeline == inv.command.pipeline && $0.effectiveName == "yes" && !$0.isSubstitution && !inv.command.isSubstitution }
    }

    static func aptMissingYes(_ c: CheckContext) -> [Misconfiguration] {
        c.runs.flatMap { run in
            aptInstalls(run).filter { !aptAssumesYes($0, run) }.map {
                fail(c, RuleCatalog.aptMissingYes, "'-y' flag is missed: '\(text($0.command))'", $0.command, run)
            }
        }
    }

    static func aptNoRecommends(_ c: CheckContext) -> [Misconfiguration] {
        c.runs.flatMap { run in
            aptInstalls(run).filter { inv in
                if inv.has(long: ["--no-install-recommends"]) { return false }
                let o = (inv.optionValues["-o"] ?? []) + (inv.optionValues["--option"] ?? [])
                return !o.contains { $0.lowercased() == "apt::install-recommends=false" || $0.lowercased() == "apt::install-recommends=0" }
            }.map { fail(c, RuleCatalog.aptNoRecommends, "'--no-install-recommends' flag is missed: '\(text($0.command))'", $0.command, run) }
        }
    }

    static func aptUpgrade(_ c: CheckContext, dist: Bool) -> [Misconfiguration] {
        let wanted: Set<String> = dist ? ["dist-upgrade", "full-upgrade"] : ["upgrade"]
        let rule = dist ? RuleCatalog.distUpgrade : RuleCatalog.aptUpgrade
        return c.runs.flatMap { run in
            run.invocations(["apt-get", "apt"]).filter { wanted.contains($0.subcommand ?? "") }.map {
                fail(c, rule, "'\($0.tool) \($0.subcommand!)' should not be used in Dockerfile: '\(text($0.command))'", $0.command, run)
            }
        }
    }

    static func aptListsNotRemoved(_ c: CheckContext) -> [Misconfiguration] {
        let shipped = Set(c.finalLineage)
        return c.runs.filter { shipped.contains($0.stage) && !$0.hasCacheMount("/var/lib/apt/lists") }.flatMap { run -> [Misconfiguration] in
            let installs = aptInstalls(run)
            guard let install = installs.first else { return [] }
            let removed = run.commands.contains { cmd in
                cmd.effectiveName == "rm" && cmd.effectiveArguments.contains { $0.text.hasPrefix("/var/lib/apt/lists") }
            }
            return removed ? [] : [fail(c, RuleCatalog.aptListsNotRemoved, "'rm -rf /var/lib/apt/lists/*' is missing after '\(text(install.command))'", install.command, run)]
        }
    }

    static func isLocalPackageFile(_ w: String) -> Bool {
        w.contains("/") || w.hasSuffix(".deb") || w.hasSuffix(".apk") || w.hasSuffix(".rpm") || w.contains("$")
    }

    static func aptUnpinned(_ c: CheckContext) -> [Misconfiguration] {
        c.runs.flatMap { run in
            aptInstalls(run).compactMap { inv in
                let unpinned = inv.operands.map(\.text).filter { !$0.contains("=") && !isLocalPackageFile($0) }
                guard !unpinned.isEmpty else { return nil }
                return fail(c, RuleCatalog.aptUnpinned, "Pin versions in apt-get install: \(unpinned.joined(separator: ", "))", inv.command, run)
            }
        }
    }

    static func pipUnpinned(_ c: CheckContext) -> [Misconfiguration] {
        let specifiers = ["==", ">=", "<=", "~=", "!=", "<", ">", "@"]
        return c.runs.flatMap { run in
            run.invocations(["pip"]).filter { $0.subcommand == "install" }.compactMap { inv in
                let unpinned = inv.operands.map(\.text).filter { w in
                    !specifiers.contains { w.includes($0) } && !w.includes("://") && !w.hasPrefix(".") && !w.hasPrefix("/")
                        && !w.hasSuffix(".whl") && !w.hasSuffix(".tar.gz") && !w.hasSuffix(".zip") && !w.contains("$")
                }
                guard !unpinned.isEmpty else { return nil }
                return fail(c, RuleCatalog.pipUnpinned, "Pin versions in pip install: \(unpinned.joined(separator: ", "))", inv.command, run)
            }
        }
    }

    static func apkUnpinned(_ c: CheckContext) -> [Misconfiguration] {
        c.runs.flatMap { run in
            run.invocations(["apk"]).filter { $0.subcommand == "add" }.compactMap { inv in
                let unpinned = inv.operands.map(\.text).filter { w in
                    !w.contains("=") && !w.contains("~") && !w.contains(">") && !w.contains("<") && !isLocalPackageFile(w)
                }
                guard !unpinned.isEmpty else { return nil }
                return fail(c, RuleCatalog.apkUnpinned, "Pin versions in apk add: \(unpinned.joined(separator: ", "))", inv.command, run)
            }
        }
    }

    static func apkNoCache(_ c: CheckContext) -> [Misconfiguration] {
        c.runs.filter { !$0.hasCacheMount("/var/cache/apk") && !$0.hasCacheMount("/etc/apk/cache") }.flatMap { run in
            run.invocations(["apk"]).filter { $0.subcommand == "add" && !$0.has(long: ["--no-cache"]) }.map {
                fail(c, RuleCatalog.apkNoCache, "'--no-cache' is missed: '\(text($0.command))'", $0.command, run)
            }
        }
    }

    static func yumMissingYes(_ c: CheckContext) -> [Misconfiguration] {
        c.runs.flatMap { run in
            run.invocations(["yum"]).filter { ["install", "groupinstall", "localinstall", "update", "upgrade", "remove"].contains($0.subcommand ?? "") }
                .filter { !$0.has(short: "y", long: ["--assumeyes"]) }
                .map { fail(c, RuleCatalog.yumMissingYes, "'-y' flag is missed: '\(text($0.command))'", $0.command, run) }
        }
    }

    static func zypperInteractive(_ c: CheckContext) -> [Misconfiguration] {
        let modifying: Set<String> = ["install", "in", "remove", "rm", "update", "up", "patch", "dist-upgrade", "dup", "source-install", "si"]
        return c.runs.flatMap { run in
            run.invocations(["zypper"]).filter { modifying.contains($0.subcommand ?? "") }.filter { inv in
                let global = inv.globalOptions.contains { $0 == "--non-interactive" || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("n")) }
                let local = inv.options.contains { $0 == "-y" || $0 == "--no-confirm" }
                return !global && !local
            }.map { fail(c, RuleCatalog.zypperInteractive, "'-n' / '--non-interactive' is missed: '\(text($0.command))'", $0.command, run) }
        }
    }

    static let downloaders: Set<String> = ["curl", "wget", "fetch", "aria2c"]

    static func pipeToShell(_ c: CheckContext) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        let interpreters = ShellParserNames.shells.union(["python", "python2", "python3", "perl", "ruby", "node", "php"])
        for run in c.runs {
            let cmds = run.commands
            for (i, cmd) in cmds.enumerated() where downloaders.contains(cmd.effectiveName ?? "") {
                if let sink = cmds[(i + 1)...].first(where: { $0.pipeline == cmd.pipeline && $0.isSubstitution == cmd.isSubstitution && interpreters.contains($0.effectiveName ?? "") }) {
                    out.append(fail(c, RuleCatalog.pipeToShell, "'\(text(cmd)) | \(text(sink))' runs a downloaded script without verifying it", cmd, run))
                }
            }
            // `sh -c "$(curl …)"`, `bash <(curl …)`
            for cmd in cmds where ShellParserNames.shells.contains(cmd.effectiveName ?? "") && !cmd.isSubstitution {
                let substituted = cmd.effectiveArguments.contains { w in
                    (w.raw.includes("$(") || w.raw.includes("`") || w.raw.hasPrefix("<(")) && downloaders.contains { w.raw.includes($0) }
                }
                if substituted {
                    out.append(fail(c, RuleCatalog.pipeToShell, "'\(text(cmd))' runs a downloaded script without verifying it", cmd, run))
                }
            }
        }
        return out
    }

    /// `chmod 777`, `chmod -R o+w`, `COPY --chmod=777`.
    static func isWorldWritable(_ mode: String) -> Bool {
        if (3...4).contains(mode.count), mode.allSatisfy({ ("0"..."7").contains($0) }), let last = mode.last?.wholeNumberValue {
            return last & 2 != 0
        }
        for clause in mode.split(separator: ",") {
            guard let op = clause.firstIndex(where: { $0 == "+" || $0 == "=" }) else { continue }
            let who = clause[..<op]
            let perms = clause[clause.index(after: op)...]
            if (who.contains("o") || who.contains("a")) && perms.contains("w") { return true }
        }
        return false
    }

    static func worldWritable(_ c: CheckContext) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        for run in c.runs {
            for cmd in run.commands where cmd.effectiveName == "chmod" {
                if let mode = cmd.effectiveArguments.first(where: { !$0.text.hasPrefix("-") && isWorldWritable($0.text) }) {
                    out.append(fail(c, RuleCatalog.worldWritable, "'\(text(cmd))' makes files world-writable (mode \(mode.text))", cmd, run))
                }
            }
        }
        for i in c.instructions where i.keyword == .copy || i.keyword == .add {
            if let mode = i.flag("chmod"), isWorldWritable(mode) {
                out.append(c.failure(RuleCatalog.worldWritable, "'\(i.keyword.name) --chmod=\(mode)' makes files world-writable", i))
            }
        }
        return out
    }

    static let pipefailShells: Set<String> = ["/bin/bash", "/bin/zsh", "/bin/ash", "bash", "zsh", "ash", "/usr/bin/bash", "/bin/ksh", "ksh"]
    static let nonPOSIXShells = ["pwsh", "powershell", "cmd"]

    static func shellHasPipefail(_ shell: [String]) -> Bool {
        guard let first = shell.first else { return false }
        if nonPOSIXShells.contains(where: { first.lowercased().hasPrefix($0) || first.lowercased().hasSuffix($0 + ".exe") }) { return true }
        guard pipefailShells.contains(first) else { return false }
        for (i, w) in shell.enumerated() where i + 1 < shell.count && shell[i + 1] == "pipefail" {
            if w == "-o" || (w.hasPrefix("-") && !w.hasPrefix("--") && w.hasSuffix("o")) { return true }
        }
        return false
    }

    static func setsPipefail(_ cmd: ShellCommand) -> Bool {
        guard cmd.effectiveName == "set" else { return false }
        let args = cmd.effectiveArguments.map(\.text)
        for (i, w) in args.enumerated() where i + 1 < args.count && args[i + 1] == "pipefail" {
            if w.hasPrefix("-") && !w.hasPrefix("--") && w.contains("o") { return true }
        }
        return false
    }

    static func pipefail(_ c: CheckContext) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        var runAt: [Int: RunStep] = [:]
        for run in c.runs where run.instruction.keyword == .run { runAt[run.instruction.startLine] = run }
        // The SHELL in effect when each stage ends, so a stage starts from its parent's without
        // walking its whole lineage again (a 100,000-stage chain was cubic that way). A parent
        // is always an earlier stage.
        var finalShell: [[String]] = []
        for stage in c.dockerfile.stages {
            var shell: [String] = stage.parentStage.flatMap { $0 < finalShell.count ? finalShell[$0] : nil } ?? ["/bin/sh", "-c"]
            defer { finalShell.append(shell) }
            for i in stage.instructions {
                if i.keyword == .shell, case .exec(let a)? = i.command { shell = a; continue }
                guard i.keyword == .run, !shellHasPipefail(shell),
                      let run = runAt[i.startLine],
                      run.isShell, run.hasPipe else { continue }
                let top = run.topLevel
                guard let pipeCmd = top.first(where: { $0.connector == "|" }),
                      let start = top.firstIndex(where: { $0.pipeline == pipeCmd.pipeline }) else { continue }
                if top[..<start].contains(where: setsPipefail) { continue }
                let hint = shell.first == "/bin/sh" ? " (the default /bin/sh may not support it: use SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"])" : ""
                out.append(fail(c, RuleCatalog.pipefail, "RUN instruction with a pipe should use 'set -o pipefail'\(hint)", pipeCmd, run))
            }
        }
        return out
    }

    /// URLs in a word (`--url=http://x`, `http://x/y`).
    static let schemes: [[UInt8]] = ["http://", "https://", "ftp://"].map { Array($0.utf8) }

    static func urls(in word: String) -> [String] {
        var out: [String] = []
        // Fast path: no "://" in fewer than 7 bytes.
        guard word.utf8.count >= 7, word.utf8.contains(UInt8(ascii: ":")) else { return out }
        let bytes = Array(word.utf8)
        var i = 0
        while i + 6 < bytes.count {
            let b = bytes[i] | 0x20
            guard b == UInt8(ascii: "h") || b == UInt8(ascii: "f") else { i += 1; continue }
            var matched = 0
            for scheme in schemes where i + scheme.count <= bytes.count {
                var k = 0
                while k < scheme.count {
                    let c = bytes[i + k]
                    let lower = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
                    if lower != scheme[k] { break }
                    k += 1
                }
                if k == scheme.count { matched = k; break }
            }
            guard matched > 0 else { i += 1; continue }
            var end = i + matched
            while end < bytes.count, bytes[end] != 0x20, bytes[end] != 0x22, bytes[end] != 0x27, bytes[end] != 0x2C, bytes[end] != 0x3B { end += 1 }
            out.append(String(decoding: bytes[i..<end], as: UTF8.self))
            i = end
        }
        return out
    }

    static let fetchingCommands: Set<String> = ["curl", "wget", "fetch", "aria2c", "git", "pip", "pip3", "rpm", "yum", "dnf", "apk",
                                                "dpkg", "npm", "gem", "go", "svn", "hg", "ftp", "tftp"]

    static func isLoopback(_ url: String) -> Bool {
        let host = url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map { $0.split(separator: ":").first.map(String.init) ?? "" } ?? ""
        return host == "localhost" || host.hasPrefix("127.") || host == "[::1]"
    }

    static func plainHTTP(_ c: CheckContext) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        for run in c.runs {
            for cmd in run.commands where fetchingCommands.contains(cmd.effectiveName ?? "") || (cmd.effectiveName ?? "").hasPrefix("pip") {
                for w in cmd.effectiveArguments {
                    for url in urls(in: w.text) where url.lowercased().hasPrefix("http://") && !isLoopback(url) {
                        out.append(c.failure(RuleCatalog.plainHTTP, "'\(cmd.effectiveName!)' downloads '\(url)' over plain HTTP (man-in-the-middle risk)", line: w.line, stage: run.stage))
                    }
                }
            }
        }
        for i in c.instructions where i.keyword == .add {
            for url in i.words.dropLast() where url.lowercased().hasPrefix("http://") && !isLoopback(url) {
                out.append(c.failure(RuleCatalog.plainHTTP, "ADD downloads '\(url)' over plain HTTP (man-in-the-middle risk)", i))
            }
        }
        return out
    }

    static func tlsDisabled(_ c: CheckContext) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        for run in c.runs {
            for cmd in run.commands {
                let name = cmd.effectiveName ?? ""
                let args = cmd.effectiveArguments.map(\.text)
                var hit: String? = nil
                switch name {
                case "curl":
                    hit = args.first { $0 == "--insecure" || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("k")) }
                case "wget":
                    hit = args.first { $0 == "--no-check-certificate" }
                case "git":
                    hit = args.first { $0.lowercased() == "http.sslverify=false" }
                case "npm", "yarn":
                    if args.contains("strict-ssl"), args.contains("false") { hit = "strict-ssl false" }
                case _ where name.hasPrefix("pip"):
                    hit = args.first { $0 == "--trusted-host" || $0.hasPrefix("--trusted-host=") }
                default: break
                }
                if hit == nil, let a = cmd.assignments.first(where: { Self.disablesTLS($0.text) }) { hit = a.text }
                if let hit {
                    out.append(fail(c, RuleCatalog.tlsDisabled, "'\(hit)' disables certificate verification: '\(text(cmd))'", cmd, run))
                }
            }
        }
        for i in c.instructions where i.keyword == .env {
            for p in i.pairs where disablesTLS("\(p.key)=\(p.value ?? "")") {
                out.append(c.failure(RuleCatalog.tlsDisabled, "ENV \(p.key)=\(p.value ?? "") disables certificate verification for every later download", i))
            }
        }
        return out
    }

    static func disablesTLS(_ assignment: String) -> Bool {
        let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return false }
        switch parts[0] {
        case "GIT_SSL_NO_VERIFY": return !["", "0", "false"].contains(parts[1].lowercased())
        case "NODE_TLS_REJECT_UNAUTHORIZED", "PYTHONHTTPSVERIFY": return parts[1] == "0"
        case "CURL_INSECURE": return true
        default: return false
        }
    }
}
