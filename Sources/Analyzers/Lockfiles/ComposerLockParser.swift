import JSONValue

/// `composer.lock` (`Type` `composer`): the `packages` array's `name`, `version` and `license`.
/// `packages-dev` holds development-only packages and is left out, as Trivy does by default.
/// Versions are reported as written (`v5.4.0` keeps its `v`; Composer's ordering ignores it).
enum ComposerLockParser {
    static func parse(_ bytes: [UInt8], path: String, layer: Int?) throws -> [InstalledPackage] {
        let root = try LockfileJSON.object(bytes, path: path)
        guard let section = root["packages"] else { return [] }
        guard let entries = section.arrayValue else { throw AnalyzerError(file: path, "\"packages\" is not an array") }
        var packages: [InstalledPackage] = []
        for (index, entry) in entries.enumerated() {
            guard let name = entry["name"]?.stringValue, !name.isEmpty else {
                throw AnalyzerError(file: path, "packages[\(index)]: no \"name\"")
            }
            guard let version = entry["version"]?.stringValue, !version.isEmpty else {
                throw AnalyzerError(file: path, "packages[\(index)] (\(name)): no \"version\"")
            }
            let licenses = entry["license"]?.arrayValue?.compactMap(\.stringValue) ?? entry["license"]?.stringValue.map { [$0] } ?? []
            packages.append(.language(.composer, name: name, version: version, path: path, layer: layer, licenses: licenses))
        }
        return packages
    }
}
