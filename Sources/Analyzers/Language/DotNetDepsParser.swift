import JSONValue

/// A .NET application's `*.deps.json`, as Trivy's `dotnet-core` analyzer reads it: the
/// `libraries` of type `package` (`"Newtonsoft.Json/13.0.1"`), leaving out those the runtime
/// target lists without any `runtime`, `runtimeTargets` or `native` assets (build-time-only
/// packages such as analyzers). Without the runtime target's section every package is kept.
enum DotNetDepsParser {
    static func parse(_ bytes: [UInt8]) throws(InstalledMetadataProblem) -> [InstalledMetadataSample.Package] {
        let root = try MetadataJSON.parse(bytes)
        _ = try MetadataJSON.object(root, "the document")
        let libraries: [(String, JSON)]
        switch root["libraries"] {
        case nil, .null?: return []
        case let value?: libraries = try MetadataJSON.object(value, "\"libraries\"")
        }
        var targetLibraries: [String: JSON]?
        if let runtimeTarget = root["runtimeTarget"], runtimeTarget != .null {
            _ = try MetadataJSON.object(runtimeTarget, "\"runtimeTarget\"")
            if let targetName = try MetadataJSON.string(runtimeTarget, "name", in: "\"runtimeTarget\""),
               let section = root["targets"]?[targetName] {
                let members = try MetadataJSON.object(section, "target '\(targetName)'")
                targetLibraries = Dictionary(members, uniquingKeysWith: { first, _ in first })
            }
        }
        var packages: [InstalledMetadataSample.Package] = []
        for (key, library) in libraries {
            let what = "library '\(NodePackageJSONParser.printable(key))'"
            _ = try MetadataJSON.object(library, what)
            guard let type = try MetadataJSON.string(library, "type", in: what), type.lowercased() == "package" else { continue }
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            // Trivy skips (with a warning of its own) a key that is not `name/version`.
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { continue }
            if let targetLibraries, let target = targetLibraries[key], !hasRuntimeAssets(target) { continue }
            packages.append(InstalledMetadataSample.Package(name: String(parts[0]), version: String(parts[1])))
        }
        return packages
    }

    static func hasRuntimeAssets(_ target: JSON) -> Bool {
        ["runtime", "runtimeTargets", "native"].contains { key in
            if let v = target[key], v != .null { return true }
            return false
        }
    }
}
