/// `yarn.lock` (`Type` `yarn`), classic (v1: `"a@^1.0.0", a@~1.0.1:` then `  version "1.0.2"`) and
/// berry (v2+: YAML, `"a@npm:^1.0.0":` then `  version: 1.0.2`; the `__metadata` block skipped),
/// read line by line as Trivy's parser does. An entry's name comes from its first pattern (the
/// text before the `@` that ends the name; scoped names keep their leading `@`). Only registry
/// entries are packages: no protocol or `npm:`. Workspaces, patches, `file:`, `link:`, `portal:`
/// and git sources are skipped silently; any other protocol is skipped with a warning, as Trivy
/// does. Without the project's `package.json` there is no telling development dependencies apart,
/// so every entry is reported (Trivy does the same when no `package.json` lies beside the lockfile).
enum YarnLockParser {
    static let ignoredProtocols: Set<String> = ["workspace", "patch", "file", "link", "portal", "github", "git", "git+ssh", "git+http", "git+https", "git+file", "exec"]

    static func parse(_ bytes: [UInt8], path: String, layer: Int?, warn: (String) -> Void) throws -> [InstalledPackage] {
        var found: [String: InstalledPackage] = [:]
        var current: (name: String, line: Int)?
        var currentVersion: String?
        var skipping = false

        func close() throws {
            defer { current = nil; currentVersion = nil }
            guard let entry = current else { return }
            guard let version = currentVersion, !version.isEmpty else {
                throw AnalyzerError(file: path, "line \(entry.line): entry '\(entry.name)' has no version")
            }
            found[entry.name + "@" + version] = .language(.yarn, name: entry.name, version: version, path: path, layer: layer)
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
                let first = header.split(separator: ",", maxSplits: 1).first.map { $0.trimmed } ?? header
                guard let (name, proto) = pattern(strippingQuotes(first)) else {
                    throw AnalyzerError(file: path, "line \(number): '\(first.prefix(80))' is not a 'name@range' pattern")
                }
                if let proto, proto != "npm" {
                    if !ignoredProtocols.contains(proto) { warn("\(path): line \(number): '\(name)' comes from '\(proto):', which is not a registry: skipped") }
                    skipping = true
                    continue
                }
                current = (name, number)
                continue
            }
            guard !skipping, current != nil, indent == 2 else { continue }
            // `version "1.0.2"` (v1) or `version: 1.0.2` (berry).
            guard line.hasPrefix("version") else { continue }
            var value = line.dropFirst("version".count)
            guard value.first == " " || value.first == ":" else { continue }
            if value.first == ":" { value = value.dropFirst() }
            currentVersion = String(unquote(value.trimmed))
        }
        try close()
        return Array(found.values)
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
