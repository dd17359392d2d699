/// A package-manager command split into options, subcommand and operands
/// (`apt-get -q install -y --no-install-recommends curl=7.0` → `install`, [`-q`, `-y`, …], [`curl=7.0`]).
struct PackageInvocation {
    var command: ShellCommand
    /// Position of the command in its RUN's command list.
    var position: Int
    var tool: String
    var subcommand: String?
    /// Options before the subcommand (global options).
    var globalOptions: [String]
    /// Options after the subcommand.
    var options: [String]
    /// Values of options that take one, keyed by the option (`-o` → [`APT::Install-Recommends=false`]).
    var optionValues: [String: [String]]
    var operands: [ShellWord]

    var allOptions: [String] { globalOptions + options }

    /// True when a short-option cluster (`-qy`) or a long option is present.
    func has(short: Character? = nil, long: [String] = []) -> Bool {
        for o in allOptions {
            if o.hasPrefix("--") {
                let name = o.split(separator: "=", maxSplits: 1).first.map(String.init) ?? o
                if long.contains(name) { return true }
            } else if let short, o.hasPrefix("-"), o.count > 1, !o.contains("="), o.dropFirst().contains(short) {
                return true
            }
        }
        return false
    }

    static let optionsWithValue: [String: Set<String>] = [
        "apt-get": ["-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release", "-a", "--host-architecture"],
        "apt": ["-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release", "-a", "--host-architecture"],
        "apk": ["-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch", "--keys-dir", "--cache-dir", "--repositories-file"],
        "pip": ["-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url",
                "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--trusted-host", "--src", "--platform",
                "--python-version", "--implementation", "--abi", "--progress-bar", "--cache-dir", "--log", "--proxy",
                "--retries", "--timeout", "--exists-action", "--cert", "--client-cert", "--global-option",
                "--install-option", "-C", "--config-settings", "--upgrade-strategy", "--no-binary", "--only-binary", "--python"],
        "yum": ["-c", "--config", "-d", "--debuglevel", "-e", "--errorlevel", "--installroot", "--enablerepo", "--disablerepo",
                "-x", "--exclude", "--releasever", "--setopt"],
        "dnf": ["-c", "--config", "-d", "--debuglevel", "-e", "--errorlevel", "--installroot", "--enablerepo", "--disablerepo",
                "-x", "--exclude", "--releasever", "--setopt", "--repo", "--repoid"],
        "microdnf": ["--enablerepo", "--disablerepo", "--setopt", "--config", "--installroot", "--releasever"],
        "zypper": ["-c", "--config", "-r", "--repo", "--from", "-R", "--root", "-t", "--type"],
    ]

    /// Parses `command` as an invocation of `tool` (`pip` also matches `pip3` and `python3 -m pip`).
    static func parse(_ command: ShellCommand, position: Int) -> PackageInvocation? {
        guard var name = command.effectiveName, name.hasPrefix("p") || optionsWithValue[name] != nil else { return nil }
        var args = Array(command.effectiveArguments)
        if name.hasPrefix("python") {
            guard let m = args.firstIndex(where: { $0.text == "-m" }), m + 1 < args.count, args[m + 1].text.hasPrefix("pip") else { return nil }
            args = Array(args[(m + 2)...])
            name = "pip"
        }
        if name == "pip3" || name == "pip2" || name.hasPrefix("pip3.") { name = "pip" }
        guard let valued = optionsWithValue[name] else { return nil }
        var inv = PackageInvocation(command: command, position: position, tool: name, subcommand: nil, globalOptions: [], options: [],
                                    optionValues: [:], operands: [])
        var i = 0
        while i < args.count {
            let w = args[i].text
            if w.hasPrefix("-"), w.count > 1 {
                if inv.subcommand == nil { inv.globalOptions.append(w) } else { inv.options.append(w) }
                if let eq = w.firstIndex(of: "="), w.hasPrefix("--") {
                    inv.optionValues[String(w[..<eq]), default: []].append(String(w[w.index(after: eq)...]))
                } else if valued.contains(w), i + 1 < args.count {
                    inv.optionValues[w, default: []].append(args[i + 1].text)
                    i += 1
                }
            } else if inv.subcommand == nil {
                inv.subcommand = w
            } else {
                inv.operands.append(args[i])
            }
            i += 1
        }
        return inv
    }
}

extension RunStep {
    /// Package-manager invocations of `tools`, in order.
    func invocations(_ tools: Set<String>) -> [PackageInvocation] {
        packageInvocations.filter { tools.contains($0.tool) }
    }

    /// True when some command at or after `position` satisfies `predicate`.
    func anyCommand(after position: Int, _ predicate: (ShellCommand) -> Bool) -> Bool {
        commands[position...].contains(where: predicate)
    }

    /// A `--mount=type=cache` whose target starts with `path`.
    func hasCacheMount(_ path: String) -> Bool {
        mounts().contains { m in
            let fields = m.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
            let isCache = fields.contains { $0.count == 2 && $0[0] == "type" && $0[1] == "cache" }
            let target = fields.first { $0.count == 2 && ["target", "dst", "destination"].contains($0[0]) }?[1]
            return isCache && (target.map { $0.hasPrefix(path) } ?? false)
        }
    }
}
