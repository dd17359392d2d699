import JSONValue

/// Rebuilds a Dockerfile from a built image's configuration (`history[].created_by`,
/// `config.User`, `config.Healthcheck`) so the Dockerfile checks run on images as well, the way
/// Trivy's image-config analyzer does: the base image's history (everything up to its last
/// `CMD`) is left out, `#(nop)` instructions are taken as written, `/bin/sh -c …` entries become
/// `RUN`s (multi-line scripts as heredocs), BuildKit's `… # buildkit` entries lose the marker,
/// Go-printed lists (`CMD ["a" "b"]`, `VOLUME [/data]`, `EXPOSE map[80/tcp:{}]`) become
/// Dockerfile syntax, and `USER`/`HEALTHCHECK` come from the config when history lacks them.
public struct ImageHistoryDockerfile: Sendable {
    /// The reconstructed Dockerfile text (first line `FROM scratch`: the base is not known by name).
    public var text: String
    /// History entries that were left out because they do not parse as an instruction.
    public var skipped: [String]

    /// Reconstructs from an image config JSON object.
    public init(config: JSON) {
        let history = config["history"]?.arrayValue ?? []
        let entries: [(createdBy: String, empty: Bool)] = history.map {
            ($0["created_by"]?.stringValue ?? "", $0["empty_layer"] == .bool(true))
        }
        let base = Self.baseImageIndex(entries)
        var lines = ["FROM scratch"]
        var userFound = false
        var healthcheckFound = false
        for entry in entries.dropFirst(base + 1) {
            guard let instruction = Self.instruction(entry.createdBy, config: config) else { continue }
            let keyword = instruction.prefix { !$0.isWhitespace }.uppercased()
            if keyword == "USER" { userFound = true }
            if keyword == "HEALTHCHECK" { healthcheckFound = true }
            lines.append(instruction)
        }
        if !userFound, let user = config["config"]?["User"]?.stringValue, !user.isEmpty, !user.contains("\n") {
            lines.append("USER \(user)")
        }
        if !healthcheckFound, let hc = Self.healthcheck(config) { lines.append(hc) }
        text = lines.joined(separator: "\n") + "\n"
        skipped = []
    }

    /// Trivy's `GuessBaseImageIndex`: from the end, past the image's own trailing metadata, the
    /// last empty-layer `CMD` marks the end of the base image's history; -1 when none does.
    static func baseImageIndex(_ entries: [(createdBy: String, empty: Bool)]) -> Int {
        var foundNonEmpty = false
        for i in entries.indices.reversed() {
            let h = entries[i]
            if !foundNonEmpty {
                if h.empty { continue }
                foundNonEmpty = true
            }
            if !h.empty { continue }
            if h.createdBy.hasPrefix("/bin/sh -c #(nop)  CMD") || h.createdBy.hasPrefix("CMD") { return i }
        }
        return -1
    }

    /// One history entry as a Dockerfile instruction, nil when it is not one.
    static func instruction(_ createdBy: String, config: JSON) -> String? {
        var s = createdBy.trimmingSpaces()
        if s.hasSuffix("# buildkit") { s = String(s.dropLast("# buildkit".count)).trimmingSpaces() }
        if let r = s.firstRange(of: "#(nop)") {
            s = String(s[r.upperBound...]).trimmingSpaces()
        } else if s.hasPrefix("RUN ") || s.hasPrefix("/bin/sh -c") || s.hasPrefix("|") {
            // `RUN /bin/sh -c cmd`, `/bin/sh -c cmd`, `|2 A=1 B=2 /bin/sh -c cmd` (build args).
            if let r = s.firstRange(of: "/bin/sh -c") { return run(String(s[r.upperBound...]).trimmingSpaces()) }
            return run(String(s.dropFirst(4)).trimmingSpaces())
        }
        guard !s.isEmpty else { return nil }
        let keyword = s.prefix { !$0.isWhitespace }.uppercased()
        var rest = String(s.dropFirst(keyword.count)).trimmingSpaces()
        switch keyword {
        case "CMD", "ENTRYPOINT", "SHELL":
            if rest.hasPrefix("["), rest.hasSuffix("]") { rest = goListToJSON(rest) }
        case "VOLUME":
            if rest.hasPrefix("["), rest.hasSuffix("]") { rest = String(rest.dropFirst().dropLast()) }
        case "EXPOSE":
            // `map[80/tcp:{} 443/tcp:{}]`
            if rest.hasPrefix("map[") {
                rest = rest.dropFirst(4).dropLast().split(separator: " ").map { $0.replacing(":{}", with: "") }.joined(separator: " ")
            }
        case "ADD", "COPY":
            // `ADD file:3c4… in /`, `COPY dir:… in /app`: the source is a content hash.
            rest = rest.replacing(" in ", with: " ")
        case "HEALTHCHECK":
            return healthcheck(config)
        case "ENV", "ARG", "USER", "WORKDIR", "LABEL", "STOPSIGNAL", "MAINTAINER", "ONBUILD":
            break
        default:
            return nil
        }
        let line = keyword + (rest.isEmpty ? "" : " " + rest)
        return line.contains("\n") ? nil : line
    }

    /// A `RUN`; multi-line scripts become a heredoc so each line stays a command.
    static func run(_ script: String) -> String? {
        guard !script.isEmpty else { return nil }
        guard script.contains("\n") else { return "RUN " + script }
        var delimiter = "VIGIL_EOF"
        while script.split(separator: "\n").contains(where: { $0 == delimiter }) { delimiter += "_" }
        return "RUN <<\(delimiter)\n\(script)\n\(delimiter)"
    }

    /// `["nginx" "-g" "daemon off;"]` (Go's `%q` list) → `["nginx", "-g", "daemon off;"]`.
    static func goListToJSON(_ s: String) -> String {
        if s.contains("\", \"") || s == "[]" { return s }
        var items: [String] = []
        var current = ""
        var inString = false
        var escaped = false
        for c in s.dropFirst().dropLast() {
            if inString {
                if escaped { current.append(c); escaped = false; continue }
                if c == "\\" { current.append(c); escaped = true; continue }
                if c == "\"" { inString = false; items.append("\"" + current + "\""); current = ""; continue }
                current.append(c)
            } else if c == "\"" {
                inString = true
            } else if !c.isWhitespace {
                // Not a Go string list (`[/bin/sh]`): leave it for the parser to judge.
                return s
            }
        }
        return "[" + items.joined(separator: ", ") + "]"
    }

    /// `HEALTHCHECK CMD …` / `HEALTHCHECK NONE` from `config.Healthcheck.Test`.
    static func healthcheck(_ config: JSON) -> String? {
        guard let test = config["config"]?["Healthcheck"]?["Test"]?.arrayValue?.compactMap(\.stringValue), let kind = test.first else {
            return nil
        }
        let args = Array(test.dropFirst())
        let line: String
        switch kind {
        case "NONE": line = "HEALTHCHECK NONE"
        case "CMD-SHELL": line = "HEALTHCHECK CMD " + args.joined(separator: " ")
        case "CMD":
            line = "HEALTHCHECK CMD [" + args.map { JSONPrinter(indent: 0).render(.string($0)).trimmingSpaces() }.joined(separator: ", ") + "]"
        default: return nil
        }
        return line.contains("\n") ? nil : line
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

extension ConfigScanner {
    /// Checks a built image's configuration: reconstructs its Dockerfile
    /// (`ImageHistoryDockerfile`) and scans it as `target`. A history entry the parser rejects
    /// is dropped (named in `skipped`) rather than failing the image scan.
    public static func scan(imageConfig: JSON, target: String) -> (result: ConfigScanResult?, skipped: [String]) {
        var rebuilt = ImageHistoryDockerfile(config: imageConfig)
        var lines = rebuilt.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Each failure names a line: comment it out and try again (bounded by the line count).
        for _ in 0...lines.count {
            do {
                let result = try scan(Array(lines.joined(separator: "\n").utf8), file: target)
                return (result, rebuilt.skipped)
            } catch {
                guard let line = error.line, line >= 2, line <= lines.count, !lines[line - 1].hasPrefix("#") else { return (nil, rebuilt.skipped + [error.description]) }
                rebuilt.skipped.append(error.description)
                // Comment out the whole instruction (a heredoc's body too).
                var i = line - 1
                repeat { lines[i] = "# " + lines[i]; i += 1 } while i < lines.count && !Self.startsInstruction(lines[i])
            }
        }
        return (nil, rebuilt.skipped)
    }

    static func startsInstruction(_ line: String) -> Bool {
        let word = line.prefix { !$0.isWhitespace }.uppercased()
        return ["FROM", "RUN", "CMD", "ENTRYPOINT", "ENV", "ARG", "USER", "WORKDIR", "LABEL", "EXPOSE", "VOLUME", "COPY", "ADD",
                "HEALTHCHECK", "SHELL", "STOPSIGNAL", "MAINTAINER", "ONBUILD"].contains(word)
    }
}
