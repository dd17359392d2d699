/// Checks on instructions and stages (no shell parsing involved).
extension DockerfileChecker {
    static let checks: [Check] = [
        Check(rule: RuleCatalog.latestTag, run: latestTag),
        Check(rule: RuleCatalog.rootUser, run: rootUser),
        Check(rule: RuleCatalog.port22, run: { ports($0, rule: RuleCatalog.port22) }),
        Check(rule: RuleCatalog.addInsteadOfCopy, run: { add($0, rule: RuleCatalog.addInsteadOfCopy) }),
        Check(rule: RuleCatalog.copyFromSelf, run: copyFromSelf),
        Check(rule: RuleCatalog.multipleEntrypoint, run: { duplicates($0, .entrypoint, RuleCatalog.multipleEntrypoint) }),
        Check(rule: RuleCatalog.portOutOfRange, run: { ports($0, rule: RuleCatalog.portOutOfRange) }),
        Check(rule: RuleCatalog.relativeWorkdir, run: relativeWorkdir),
        Check(rule: RuleCatalog.sudo, run: sudo),
        Check(rule: RuleCatalog.copyManyToFile, run: copyManyToFile),
        Check(rule: RuleCatalog.duplicateAlias, run: duplicateAlias),
        Check(rule: RuleCatalog.runCd, run: runCd),
        Check(rule: RuleCatalog.wgetAndCurl, run: wgetAndCurl),
        Check(rule: RuleCatalog.yumClean, run: { missingClean($0, tools: ["yum"], installs: ["install", "groupinstall", "localinstall"], clean: ["clean"], rule: RuleCatalog.yumClean, cache: "/var/cache/yum") }),
        Check(rule: RuleCatalog.multipleCmd, run: { duplicates($0, .cmd, RuleCatalog.multipleCmd) }),
        Check(rule: RuleCatalog.updateAlone, run: updateAlone),
        Check(rule: RuleCatalog.dnfClean, run: { missingClean($0, tools: ["dnf"], installs: ["install", "groupinstall", "localinstall", "reinstall"], clean: ["clean"], rule: RuleCatalog.dnfClean, cache: "/var/cache/dnf") }),
        Check(rule: RuleCatalog.zypperClean, run: { missingClean($0, tools: ["zypper"], installs: ["install", "in", "source-install", "si", "patch", "remove", "rm"], clean: ["clean", "cc"], rule: RuleCatalog.zypperClean, cache: "/var/cache/zypp") }),
        Check(rule: RuleCatalog.aptMissingYes, run: aptMissingYes),
        Check(rule: RuleCatalog.maintainer, run: maintainer),
        Check(rule: RuleCatalog.multipleHealthcheck, run: { duplicates($0, .healthcheck, RuleCatalog.multipleHealthcheck) }),
        Check(rule: RuleCatalog.distUpgrade, run: { aptUpgrade($0, dist: true) }),
        Check(rule: RuleCatalog.apkNoCache, run: apkNoCache),
        Check(rule: RuleCatalog.noHealthcheck, run: noHealthcheck),
        Check(rule: RuleCatalog.aptNoRecommends, run: aptNoRecommends),
        Check(rule: RuleCatalog.knownSecrets, run: knownSecrets),
        Check(rule: RuleCatalog.pipefail, run: pipefail),
        Check(rule: RuleCatalog.addRemoteURL, run: { add($0, rule: RuleCatalog.addRemoteURL) }),
        Check(rule: RuleCatalog.addArchive, run: { add($0, rule: RuleCatalog.addArchive) }),
        Check(rule: RuleCatalog.aptUpgrade, run: { aptUpgrade($0, dist: false) }),
        Check(rule: RuleCatalog.aptListsNotRemoved, run: aptListsNotRemoved),
        Check(rule: RuleCatalog.aptUnpinned, run: aptUnpinned),
        Check(rule: RuleCatalog.pipUnpinned, run: pipUnpinned),
        Check(rule: RuleCatalog.apkUnpinned, run: apkUnpinned),
        Check(rule: RuleCatalog.pipeToShell, run: pipeToShell),
        Check(rule: RuleCatalog.secretName, run: secretNames),
        Check(rule: RuleCatalog.highEntropyValue, run: highEntropyValues),
        Check(rule: RuleCatalog.worldWritable, run: worldWritable),
        Check(rule: RuleCatalog.privileged, run: privileged),
        Check(rule: RuleCatalog.copyWholeContext, run: copyWholeContext),
        Check(rule: RuleCatalog.yumMissingYes, run: yumMissingYes),
        Check(rule: RuleCatalog.zypperInteractive, run: zypperInteractive),
        Check(rule: RuleCatalog.plainHTTP, run: plainHTTP),
        Check(rule: RuleCatalog.tlsDisabled, run: tlsDisabled),
    ]

    static func latestTag(_ c: CheckContext) -> [Misconfiguration] {
        c.dockerfile.stages.compactMap { stage in
            guard stage.parentStage == nil, stage.baseImage.lowercased() != "scratch" else { return nil }
            let ref = ImageReference(stage.baseImage)
            if ref.digest != nil { return nil }
            if ref.tag == nil, stage.baseImageRaw.contains("$") { return nil }
            if ref.tag == nil || ref.tag == "latest" {
                let message = ref.tag == nil
                    ? "Specify a tag in the 'FROM' statement for image '\(ref.repository)'"
                    : "Specify a tag other than 'latest' in the 'FROM' statement for image '\(ref.repository)'"
                return c.failure(RuleCatalog.latestTag, message, stage.from)
            }
            return nil
        }
    }

    static func isRoot(_ user: String) -> Bool {
        let name = user.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? user
        return name == "root" || name == "0"
    }

    static func rootUser(_ c: CheckContext) -> [Misconfiguration] {
        let users = c.finalImageInstructions.filter { $0.keyword == .user }
        guard let last = users.last else {
            var m = c.failure(RuleCatalog.rootUser, "Specify at least 1 USER command in Dockerfile with non-root user as argument", c.finalStage.from)
            m.endLine = m.startLine
            return [m]
        }
        if isRoot(last.words[0]) {
            return [c.failure(RuleCatalog.rootUser, "Last USER command in Dockerfile should not be 'root'", last)]
        }
        return []
    }

    static func ports(_ c: CheckContext, rule: Rule) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        for i in c.instructions where i.keyword == .expose {
            for word in i.words {
                let port = word.split(separator: "/").first.map(String.init) ?? word
                let bounds = port.split(separator: "-", maxSplits: 1).map { Int($0) }
                guard bounds.allSatisfy({ $0 != nil }), let lo = bounds.first ?? nil else { continue }
                let hi = (bounds.count == 2 ? bounds[1] : lo) ?? lo
                if rule == RuleCatalog.port22, lo <= 22, 22 <= hi {
                    out.append(c.failure(rule, "Port 22 should not be exposed in Dockerfile", i))
                } else if rule == RuleCatalog.portOutOfRange, hi > 65535 || lo > 65535 {
                    out.append(c.failure(rule, "'EXPOSE' contains port which is out of range [0, 65535]: \(word)", i))
                }
            }
        }
        return out
    }

    static let archiveSuffixes = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".tar.lz", ".tar.lzma", ".taz", ".tz2"]

    static func isRemote(_ source: String) -> Bool {
        let s = source.lowercased()
        return s.hasPrefix("http://") || s.hasPrefix("https://") || s.hasPrefix("git@") || s.hasPrefix("git://") || s.hasPrefix("ssh://")
    }

    static func isArchive(_ source: String) -> Bool {
        let s = source.lowercased()
        return archiveSuffixes.contains { s.hasSuffix($0) }
    }

    static func add(_ c: CheckContext, rule: Rule) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        for i in c.instructions where i.keyword == .add {
            let sources = Array(i.words.dropLast())
            let remote = sources.filter(isRemote)
            let archives = sources.filter { !isRemote($0) && isArchive($0) }
            switch rule {
            case RuleCatalog.addInsteadOfCopy where remote.isEmpty && archives.isEmpty:
                let args = i.words.joined(separator: " ")
                out.append(c.failure(rule, "Consider using 'COPY \(args)' command instead of 'ADD \(args)'", i))
            case RuleCatalog.addRemoteURL:
                let verified = i.flag("checksum") != nil
                for url in remote where !(verified && !url.lowercased().hasPrefix("git")) {
                    out.append(c.failure(rule, "ADD downloads '\(url)' without verifying it; use RUN with curl/wget and a checksum, or ADD --checksum", i))
                }
            case RuleCatalog.addArchive:
                for a in archives {
                    out.append(c.failure(rule, "ADD extracts the local archive '\(a)' into the image; use COPY and extract explicitly", i))
                }
            default: break
            }
        }
        return out
    }

    static func copyFromSelf(_ c: CheckContext) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        for stage in c.dockerfile.stages {
            for i in stage.instructions where i.keyword == .copy {
                guard let from = i.flag("from")?.lowercased() else { continue }
                if from == stage.name || from == String(stage.index) {
                    out.append(c.failure(RuleCatalog.copyFromSelf, "'COPY --from' should not mention current alias '\(from)' since it is impossible to copy from itself", i))
                }
            }
        }
        return out
    }

    static func duplicates(_ c: CheckContext, _ keyword: Instruction.Keyword, _ rule: Rule) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        for stage in c.dockerfile.stages {
            let found = stage.instructions.filter { $0.keyword == keyword }
            guard found.count > 1 else { continue }
            let lines = found.map { String($0.startLine) }.joined(separator: ", ")
            let name = stage.name.map { "'\($0)'" } ?? "\(stage.index)"
            for extra in found.dropLast() {
                out.append(c.failure(rule, "There are \(found.count) duplicate \(keyword.name) instructions in stage \(name) (lines \(lines)); only the last takes effect", extra))
            }
        }
        return out
    }

    static func relativeWorkdir(_ c: CheckContext) -> [Misconfiguration] {
        c.instructions.compactMap { i in
            guard i.keyword == .workdir, let path = i.words.first else { return nil }
            let absolute = path.hasPrefix("/") || path.hasPrefix("$") || path.hasPrefix("\\")
                || (path.count >= 2 && path.dropFirst().first == ":" && path.first!.isLetter)
            return absolute ? nil : c.failure(RuleCatalog.relativeWorkdir, "WORKDIR path '\(path)' should be absolute", i)
        }
    }

    static func copyManyToFile(_ c: CheckContext) -> [Misconfiguration] {
        c.instructions.compactMap { i in
            guard i.keyword == .copy, i.words.count > 2, let dest = i.words.last, !dest.hasSuffix("/"), !dest.hasSuffix("\\") else { return nil }
            return c.failure(RuleCatalog.copyManyToFile, "Slash is expected at the end of COPY command argument '\(dest)'", i)
        }
    }

    static func duplicateAlias(_ c: CheckContext) -> [Misconfiguration] {
        var seen: [String: Int] = [:]
        var out: [Misconfiguration] = []
        for stage in c.dockerfile.stages {
            guard let name = stage.name else { continue }
            if let first = seen[name] {
                out.append(c.failure(RuleCatalog.duplicateAlias, "Duplicate aliases '\(name)' are found in different FROMs (first on line \(first))", stage.from))
            } else {
                seen[name] = stage.from.startLine
            }
        }
        return out
    }

    static func maintainer(_ c: CheckContext) -> [Misconfiguration] {
        c.instructions.filter { $0.keyword == .maintainer }.map {
            c.failure(RuleCatalog.maintainer, "MAINTAINER should not be used: 'MAINTAINER \($0.rawArguments)'", $0)
        }
    }

    static func noHealthcheck(_ c: CheckContext) -> [Misconfiguration] {
        guard !c.finalImageInstructions.contains(where: { $0.keyword == .healthcheck }) else { return [] }
        var m = c.failure(RuleCatalog.noHealthcheck, "Add HEALTHCHECK instruction in your Dockerfile", c.finalStage.from)
        m.endLine = m.startLine
        return [m]
    }

    static func copyWholeContext(_ c: CheckContext) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        for i in c.instructions where (i.keyword == .copy || i.keyword == .add) && i.flag("from") == nil {
            let sources = i.words.dropLast()
            if let whole = sources.first(where: { ["." , "./", "*", "./*", "/"].contains($0) }) {
                out.append(c.failure(RuleCatalog.copyWholeContext, "'\(i.keyword.name) \(whole) \(i.words.last!)' copies the whole build context into the image", i))
            }
        }
        return out
    }

    static func privileged(_ c: CheckContext) -> [Misconfiguration] {
        var out: [Misconfiguration] = []
        for i in c.instructions {
            if i.keyword == .run {
                if i.flag("security") == "insecure" {
                    out.append(c.failure(RuleCatalog.privileged, "'RUN --security=insecure' runs the step with full host privileges", i))
                }
                if i.flag("network") == "host" {
                    out.append(c.failure(RuleCatalog.privileged, "'RUN --network=host' gives the step the host's network namespace", i))
                }
                if i.flagValues("mount").contains(where: { $0.includes("docker.sock") }) {
                    out.append(c.failure(RuleCatalog.privileged, "RUN mounts the Docker socket, which is root on the host", i))
                }
            }
            if i.keyword == .volume, i.words.contains(where: { $0.includes("docker.sock") }) {
                out.append(c.failure(RuleCatalog.privileged, "VOLUME declares the Docker socket; a container with it is root on the host", i))
            }
        }
        for run in c.runs {
            for cmd in run.commands where cmd.words.contains(where: { $0.text.includes("/var/run/docker.sock") || $0.text.hasPrefix("--privileged") }) {
                let what = cmd.words.contains(where: { $0.text.hasPrefix("--privileged") }) ? "'--privileged'" : "the Docker socket"
                out.append(c.failure(RuleCatalog.privileged, "RUN uses \(what): '\(cmd.words.map(\.text).joined(separator: " "))'", line: cmd.line, stage: run.stage))
            }
        }
        for run in c.runs {
            for cmd in run.commands where cmd.effectiveName == "setcap" || (cmd.effectiveName == "chmod" && cmd.effectiveArguments.contains { isSetuidMode($0.text) }) {
                out.append(c.failure(RuleCatalog.privileged, "RUN grants elevated privileges: '\(cmd.words.map(\.text).joined(separator: " "))'", line: cmd.line, stage: run.stage))
            }
        }
        return out
    }

    /// `chmod u+s`, `4755`, `g+s`, `2755`.
    static func isSetuidMode(_ mode: String) -> Bool {
        if mode.count == 4, mode.allSatisfy({ ("0"..."7").contains($0) }), let d = mode.first?.wholeNumberValue { return d & 6 != 0 }
        return !mode.hasPrefix("-") && (mode.contains("+s") || mode.contains("=s")) && mode.allSatisfy { "ugoa+-=rwxXstST,".contains($0) }
    }
}

/// A Docker image reference split the way the registry client does it (no default tag added).
struct ImageReference {
    var repository: String
    var tag: String?
    var digest: String?

    init(_ text: String) {
        var rest = text
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = String(rest[..<at])
        }
        let lastSlash = rest.lastIndex(of: "/")
        if let colon = rest.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            tag = String(rest[rest.index(after: colon)...])
            rest = String(rest[..<colon])
        }
        repository = rest
    }
}
