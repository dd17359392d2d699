import JSONValue

/// NuGet's `packages.lock.json`: per target framework, each resolved package (`"resolved":
/// "13.0.1"`); the project's own entries (`"type": "Project"`) are left out and a package that
/// several frameworks resolve to the same version counts once, as in Trivy.
enum NuGetLockParser {
    static func parse(_ bytes: [UInt8]) throws(InstalledMetadataProblem) -> [InstalledMetadataSample.Package] {
        let root = try MetadataJSON.parse(bytes)
        _ = try MetadataJSON.object(root, "the document")
        let frameworks: [(String, JSON)]
        switch root["dependencies"] {
        case nil, .null?: return []
        case let value?: frameworks = try MetadataJSON.object(value, "\"dependencies\"")
        }
        var seen: Set<String> = []
        var packages: [InstalledMetadataSample.Package] = []
        for (framework, entries) in frameworks {
            for (name, entry) in try MetadataJSON.object(entries, "framework '\(NodePackageJSONParser.printable(framework))'") {
                let what = "package '\(NodePackageJSONParser.printable(name))'"
                _ = try MetadataJSON.object(entry, what)
                guard try MetadataJSON.string(entry, "type", in: what) != "Project",
                      let version = try MetadataJSON.string(entry, "resolved", in: what), !version.isEmpty,
                      seen.insert(name + "@" + version).inserted else { continue }
                packages.append(InstalledMetadataSample.Package(name: name, version: version))
            }
        }
        return packages
    }
}
