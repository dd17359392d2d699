import JSONValue

/// `package-lock.json` (npm's `Type` `npm`), lockfile versions 1 to 3, read as Trivy's npm parser
/// reads them. Version 1 nests `dependencies` objects (the key is the name); versions 2 and 3 list
/// `packages` by install path (`node_modules/a/node_modules/@s/b`: the name is what follows the
/// last `node_modules/`, unless the entry names itself, as an alias does). Paths outside
/// `node_modules` are workspace sources, reported through the `node_modules/<name>` link that
/// points at them (`"link": true, "resolved": "packages/x"`), as Trivy resolves links.
/// One package per name and version; development-only packages (`"dev": true` everywhere the
/// version is installed) are left out, as Trivy does without `--include-dev-deps`.
enum NpmLockParser {
    static func parse(_ bytes: [UInt8], path: String, layer: Int?) throws -> [InstalledPackage] {
        let root = try LockfileJSON.object(bytes, path: path)
        let version = root["lockfileVersion"]?.int64Value ?? 1
        var found: [String: (name: String, version: String, dev: Bool)] = [:]
        func add(_ name: String, _ version: String, _ dev: Bool) {
            guard !name.isEmpty, !version.isEmpty else { return }
            let id = name + "@" + version
            if let seen = found[id] { found[id]!.dev = seen.dev && dev } else { found[id] = (name, version, dev) }
        }
        if version == 1 {
            guard let deps = root["dependencies"] else { return [] }
            try v1(deps, path: path, trail: "dependencies", add: add)
        } else {
            guard let packages = root["packages"] else { return [] }
            guard let entries = packages.objectValue else { throw AnalyzerError(file: path, "\"packages\" is not an object") }
            for (name, pkg) in try resolvingLinks(entries, path: path) {
                add(name, pkg["version"]?.stringValue ?? "", LockfileJSON.isTrue(pkg["dev"]))
            }
        }
        return found.values.filter { !$0.dev }.map { .language(.npm, name: $0.name, version: $0.version, path: path, layer: layer) }
    }

    /// Version 1: `{"name": {"version": …, "dev": …, "dependencies": {…}}}`, nested without end
    /// in principle; the JSON parser's depth limit bounds it.
    static func v1(_ deps: JSON, path: String, trail: String, add: (String, String, Bool) -> Void) throws {
        guard let entries = deps.objectValue else { throw AnalyzerError(file: path, "\"\(trail)\" is not an object") }
        for (name, dep) in entries {
            guard dep.objectValue != nil else { throw AnalyzerError(file: path, "\"\(trail).\(name)\" is not an object") }
            // `file:` and git versions name no registry release; nothing to match.
            if let version = dep["version"]?.stringValue, isRegistryVersion(version) {
                add(name, version, LockfileJSON.isTrue(dep["dev"]))
            }
            if let nested = dep["dependencies"] {
                try v1(nested, path: path, trail: trail + "." + name + ".dependencies", add: add)
            }
        }
    }

    /// A version that is a version, not a URL or a path (v1 writes `file:…`, `git+https:…`).
    static func isRegistryVersion(_ v: String) -> Bool { !v.contains(":") && !v.contains("/") }

    /// Versions 2–3: the `node_modules/…` entries, with workspace sources moved under the links
    /// that point at them. Returns (package name, entry).
    static func resolvingLinks(_ entries: [(String, JSON)], path: String) throws -> [(String, JSON)] {
        var links: [(link: String, target: String)] = []
        for (key, pkg) in entries where LockfileJSON.isTrue(pkg["link"]) {
            guard let target = pkg["resolved"]?.stringValue, !target.isEmpty else { continue }  // a broken link: Trivy skips it
            links.append((key, target))
        }
        var result: [(String, JSON)] = []
        for (key, pkg) in entries {
            guard pkg.objectValue != nil else { throw AnalyzerError(file: path, "\"packages.\(key)\" is not an object") }
            if LockfileJSON.isTrue(pkg["link"]) { continue }
            var installPath = key
            if let link = links.first(where: { key == $0.target || key.hasPrefix($0.target + "/") }) {
                installPath = link.link + key.dropFirst(link.target.count)
            }
            guard installPath.hasPrefix("node_modules/") else { continue }  // the root ("") and unlinked sources
            let name = pkg["name"]?.stringValue ?? nameFromPath(installPath)
            result.append((name, pkg))
        }
        return result
    }

    /// `node_modules/a/node_modules/@s/b` → `@s/b`.
    static func nameFromPath(_ path: String) -> String {
        let marker = Array("node_modules/".utf8), bytes = Array(path.utf8)
        var start = 0
        if bytes.count >= marker.count {
            for i in stride(from: bytes.count - marker.count, through: 0, by: -1) where bytes[i..<(i + marker.count)].elementsEqual(marker) {
                start = i + marker.count
                break
            }
        }
        return String(decoding: bytes[start...], as: UTF8.self)
    }
}
