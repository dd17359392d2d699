import JSONValue

/// `yarn.lock` (`Type` `yarn`), classic (v1: `"a@^1.0.0", a@~1.0.1:` then `  version "1.0.2"`) and
/// berry (v2+: YAML, `"a@npm:^1.0.0":` then `  version: 1.0.2`; the `__metadata` block skipped),
/// read line by line as Trivy's parser does. An entry's name comes from its first pattern (the
/// text before the `@` that ends the name; scoped names keep their leading `@`). Only registry
/// entries are packages: no protocol or `npm:`. Workspaces, patches, `file:`, `link:`, `portal:`
/// and git sources are skipped silently; any other protocol is skipped with a warning, as Trivy
/// does. With the project's `package.json` beside it, development-only entries are left out (see
/// ``parse(_:path:layer:manifest:warn:)``); without one every entry is reported, as in Trivy.
enum YarnLockParser {
    static let ignoredProtocols: Set<String> = ["workspace", "patch", "file", "link", "portal", "github", "git", "git+ssh", "git+http", "git+https", "git+file", "exec"]

    /// One registry entry: its packages' name and version, the patterns (`name@range`, with any
    /// `npm:` dropped) that resolve to it, and its dependencies as patterns.
    struct Entry {
        var name: String
        var version: String
        var patterns: [String]
        var dependencies: [String]
    }

    /// The packages of `bytes`. With `manifest` (the `package.json` beside the lockfile), the
    /// entries reachable only from `devDependencies` are left out, as Trivy does: production is
    /// what `dependencies`, `optionalDependencies` and `peerDependencies` reach through the
    /// entries' own dependencies. A manifest with workspaces is not followed (every entry counts).
    static func parse(_ bytes: [UInt8], path: String, layer: Int?, manifest: JSON? = nil, warn: (String) -> Void) throws -> [InstalledPackage] {
        var entries = try self.entries(bytes, path: path, warn: warn)
        if let manifest, manifest["workspaces"] == nil {
            entries = production(entries, manifest: manifest)
        }
        var found: [String: InstalledPackage] = [:]
        for e in entries { found[e.name + "@" + e.version] = .language(.yarn, name: e.name, version: e.version, path: path, layer: layer) }
        return Array(found.values)
    }

    static func entries(_ bytes: [UInt8], path: String, warn: (String) -> Void) throws -> [Entry] {
        var entries: [Entry] = []
        var current: (name: String, line: Int, patterns: [String])?
        var currentVersion: String?
        var dependencies: [String] = []
        var inDependencies = false
        var skipping = false

        func close() throws {
            defer { current = nil; currentVersion = nil; dependencies = []; inDependencies = false }
            guard let entry = current else { return }
            guard let version = currentVersion, !version.isEmpty else {
                throw AnalyzerError(file: path, "line \(entry.line): entry '\(entry.name)' has no version")
            }
            entries.append(Entry(name: entry.name, version: version, patterns: entry.patterns, dependencies: dependencies))
        }

        for (number, raw) in TextLines.lines(bytes) {
            if raw.isEmpty || raw.first == "#" { continue }
            let indent = raw.prefix { $0 == " " }.count
            let line = raw.trimmed
            if line.isEmpty { continue }
            if indent == 0 {
                try close()
                skipping = false
                guard line.hasSuffix(":") else {
                    throw AnalyzerError(file: path, "line \(number): expected an entry ('name@range:'), got '\(line.prefix(80))'")
                }
                let header = line.dropLast()
                if header == "__metadata" { skipping = true; continue }
                let all = header.split(separator: ",").map { strippingQuotes($0.trimmed) }
                guard let first = all.first, let (name, proto) = pattern(first) else {
                    throw AnalyzerError(file: path, "line \(number): '\(header.prefix(80))' is not a 'name@range' pattern")
                }
                if let proto, proto != "npm" {
                    if !ignoredProtocols.contains(proto) { warn("\(path): line \(number): '\(name)' comes from '\(proto):', which is not a registry: skipped") }
                    skipping = true
                    continue
                }
                current = (name, number, all.map { withoutNPMProtocol(String($0)) })
                continue
            }
            guard !skipping, current != nil else { continue }
            if indent == 2 {
                inDependencies = line == "dependencies:" || line == "optionalDependencies:"
                // `version "1.0.2"` (v1) or `version: 1.0.2` (berry).
                guard line.hasPrefix("version") else { continue }
                var value = line.dropFirst("version".count)
                guard value.first == " " || value.first == ":" else { continue }
                if value.first == ":" { value = value.dropFirst() }
                currentVersion = String(unquote(value.trimmed))
            } else if indent == 4, inDependencies {
                // `"@s/b" "^1.0.0"` (v1) or `"@s/b": "npm:^1.0.0"` (berry).
                var text = line
                var depName: Substring
                if text.first == "\"", let close = text.dropFirst().firstIndex(of: "\"") {
                    depName = text[text.index(after: text.startIndex)..<close]
                    text = text[text.index(after: close)...]
                } else {
                    let end = text.firstIndex { $0 == " " || $0 == ":" } ?? text.endIndex
                    depName = text[..<end]
                    text = text[end...]
                }
                if text.first == ":" { text = text.dropFirst() }
                dependencies.append(withoutNPMProtocol(String(depName) + "@" + String(unquote(text.trimmed))))
            }
        }
        try close()
        return entries
    }

    /// `a@npm:^1` → `a@^1`: package.json ranges carry no protocol.
    static func withoutNPMProtocol(_ pattern: String) -> String {
        guard let (name, proto) = Self.pattern(Substring(pattern)), proto == "npm" else { return pattern }
        return name + "@" + pattern.dropFirst(name.count + 5)
    }

    /// The entries production reaches from the manifest's non-dev dependency lists.
    static func production(_ entries: [Entry], manifest: JSON) -> [Entry] {
        var byPattern: [String: Int] = [:]
        for (i, e) in entries.enumerated() { for p in e.patterns { byPattern[p] = i } }
        var queue: [String] = []
        for section in ["dependencies", "optionalDependencies", "peerDependencies"] {
            for (name, range) in manifest[section]?.objectValue ?? [] {
                if let range = range.stringValue { queue.append(withoutNPMProtocol(name + "@" + range)) }
            }
        }
        var reached = Set<Int>()
        while let p = queue.popLast() {
            guard let i = byPattern[p], reached.insert(i).inserted else { continue }
            queue += entries[i].dependencies
        }
        return entries.indices.filter { reached.contains($0) }.map { entries[$0] }
    }

    /// `"@s/a@npm:^1"` → (`@s/a`, `npm`); `a@^1` → (`a`, nil); `a@https://…` → (`a`, `https`).
    static func pattern(_ text: Substring) -> (String, String?)? {
        let scalars = Array(text.utf8)
        guard scalars.count > 1, let at = scalars.dropFirst().firstIndex(of: UInt8(ascii: "@")) else { return nil }
        let name = String(decoding: scalars[..<at], as: UTF8.self)
        let rest = scalars[(at + 1)...]
        guard let colon = rest.firstIndex(of: UInt8(ascii: ":")) else { return (name, nil) }
        let proto = String(decoding: rest[..<colon], as: UTF8.self)
        // `a@^1.0.0 || >=2:` has no protocol; a protocol is one word of letters, digits and `+`.
        guard !proto.isEmpty, proto.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 43 }) else { return (name, nil) }
        return (name, proto)
    }

    /// `"a@^1` (the first of several patterns quoted together) → `a@^1`.
    static func strippingQuotes(_ s: Substring) -> Substring {
        var t = s
        if t.first == "\"" { t = t.dropFirst() }
        if t.last == "\"" { t = t.dropLast() }
        return t
    }

    static func unquote(_ s: Substring) -> Substring {
        s.count >= 2 && s.first == "\"" && s.last == "\"" ? s.dropFirst().dropLast() : s
    }
}
