import Yams

/// `pnpm-lock.yaml` (`Type` `pnpm`), lockfile versions 5, 6 and 9, as Trivy reads them. The
/// `packages` keys name each package: `/name/1.0.0_peer` (v5), `/@s/name@1.0.0(peer@2)` (v6),
/// `@s/name@1.0.0` (v9); an entry with its own `name`/`version` (tarballs) uses those, and keys
/// whose version is a URL or path are skipped. Development packages are left out: v5/v6 mark
/// them `dev: true`; v9 no longer does, so the packages reachable from the importers'
/// `dependencies` and `optionalDependencies` through `snapshots` are the production set.
enum PnpmLockParser {
    static func parse(_ bytes: [UInt8], path: String, layer: Int?) throws -> [InstalledPackage] {
        let root = try LockfileYAML.document(bytes, path: path)
        guard let mapping = root?.mapping else {
            if root == nil { return [] }
            throw AnalyzerError(file: path, "line 1: expected a YAML mapping")
        }
        let versionText = mapping["lockfileVersion"]?.scalar?.string ?? ""
        let major = Int(versionText.prefix { $0 != "." }) ?? 0
        guard let packages = mapping["packages"] else { return [] }
        guard let entries = packages.mapping else {
            throw AnalyzerError(file: path, "line \(line(packages)): 'packages' is not a mapping")
        }
        let production = major >= 9 ? productionKeys(mapping) : nil
        var found: [String: InstalledPackage] = [:]
        for (keyNode, value) in entries {
            guard let key = keyNode.scalar?.string else { throw AnalyzerError(file: path, "line \(line(keyNode)): package key is not a string") }
            let fields = value.mapping
            if major < 9, fields?["dev"]?.scalar?.string == "true" { continue }
            var parsed = major >= 6 ? splitAt(key) : splitSlash(key)
            if let name = fields?["name"]?.scalar?.string, let version = fields?["version"]?.scalar?.string { parsed = (name, version) }
            guard let (name, version) = parsed, isVersion(version) else { continue }
            if let production, !production.isEmpty, !production.contains(name + "@" + version) { continue }
            found[name + "@" + version] = .language(.pnpm, name: name, version: version, path: path, layer: layer)
        }
        return Array(found.values)
    }

    static func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    /// v5: `/@s/name/1.0.0_peer@2` → (`@s/name`, `1.0.0`).
    static func splitSlash(_ key: String) -> (String, String)? {
        var k = Substring(key)
        if k.first == "/" { k = k.dropFirst() }
        guard let slash = k.lastIndex(of: "/") else { return nil }
        let name = k[..<slash]
        var version = k[k.index(after: slash)...]
        if let underscore = version.firstIndex(of: "_") { version = version[..<underscore] }
        guard !name.isEmpty, !version.isEmpty else { return nil }
        return (String(name), String(version))
    }

    /// v6/v9: `/@s/name@1.0.0(peer@2)` → (`@s/name`, `1.0.0`).
    static func splitAt(_ key: String) -> (String, String)? {
        var k = Substring(key)
        if k.first == "/" { k = k.dropFirst() }
        if let paren = k.firstIndex(of: "(") { k = k[..<paren] }
        guard let at = k.dropFirst().lastIndex(of: "@") else { return nil }
        let name = k[..<at], version = k[k.index(after: at)...]
        guard !name.isEmpty, !version.isEmpty else { return nil }
        return (String(name), String(version))
    }

    /// A release version, not a tarball URL, `link:` or `file:` path.
    static func isVersion(_ v: String) -> Bool { !v.contains(":") && !v.contains("/") }

    /// v9: `name@version` of every package reachable from the importers' production dependencies.
    /// Empty when the file has no importers (every package then counts).
    static func productionKeys(_ root: Node.Mapping) -> Set<String> {
        var queue: [String] = []
        for (_, importer) in root["importers"]?.mapping ?? [:] {
            for section in ["dependencies", "optionalDependencies"] {
                for (name, spec) in importer.mapping?[section]?.mapping ?? [:] {
                    guard let name = name.scalar?.string, let version = spec.mapping?["version"]?.scalar?.string ?? spec.scalar?.string else { continue }
                    queue.append(name + "@" + version)
                }
            }
        }
        let snapshots = root["snapshots"]?.mapping
        var seen: Set<String> = []
        var production: Set<String> = []
        while let snapshot = queue.popLast() {
            guard seen.insert(snapshot).inserted else { continue }
            if let (name, version) = splitAt(snapshot) { production.insert(name + "@" + version) }
            for section in ["dependencies", "optionalDependencies"] {
                for (name, version) in snapshots?[snapshot]?.mapping?[section]?.mapping ?? [:] {
                    guard let name = name.scalar?.string, let version = version.scalar?.string else { continue }
                    queue.append(name + "@" + version)
                }
            }
        }
        return production
    }
}
