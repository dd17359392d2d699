import JSONValue

/// `Pipfile.lock` (JSON): `default` maps package names to `{"version": "==1.2.3", …}`. Packages
/// of `develop` are development-only and left out, as Trivy does by default.
enum PipfileLockParser {
    static func parse(_ bytes: [UInt8], path: String, layer: Int?) throws -> [InstalledPackage] {
        let root = try LockfileJSON.object(bytes, path: path)
        guard let section = root["default"] else { return [] }
        guard let entries = section.objectValue else { throw AnalyzerError(file: path, "\"default\" is not an object") }
        var packages: [InstalledPackage] = []
        for (name, entry) in entries {
            // Entries from a VCS or a path have no version; nothing to match.
            guard let spec = entry["version"]?.stringValue else { continue }
            guard spec.hasPrefix("==") else {
                throw AnalyzerError(file: path, "package '\(name)': version '\(spec)' is not an exact '==' pin")
            }
            let version = String(spec.dropFirst(spec.hasPrefix("===") ? 3 : 2))
            packages.append(.language(.pipenv, name: name, version: version, path: path, layer: layer))
        }
        return packages
    }
}
