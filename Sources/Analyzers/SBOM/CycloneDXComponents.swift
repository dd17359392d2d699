import JSONValue

/// The packages of a CycloneDX JSON document: `components` (nested ones too) with a `purl`,
/// and the OS from an `operating-system` component (or the `vigil:OS` property of
/// `metadata.component`).
enum CycloneDXComponents {
    /// (components with a purl, the declared OS, components skipped for want of a purl).
    static func read(_ root: JSON, path: String) throws -> ([SBOMComponent], OperatingSystem?, Int) {
        var components: [SBOMComponent] = []
        var os: OperatingSystem?
        var skipped = 0
        func walk(_ list: JSON?, at location: String, depth: Int) throws {
            guard let list else { return }
            guard let items = list.arrayValue else { throw AnalyzerError(file: path, "\(location): expected an array") }
            guard depth < 64 else { throw AnalyzerError(file: path, "\(location): components nested more than 64 deep") }
            for (i, item) in items.enumerated() {
                let here = "\(location)[\(i)]"
                guard item.objectValue != nil else { throw AnalyzerError(file: path, "\(here): expected an object") }
                let name = try string(item, "name", here, path)
                let version = try string(item, "version", here, path)
                let type = try string(item, "type", here, path)
                if type == "operating-system" {
                    if let name, let version { os = OperatingSystem(family: name.lowercased(), name: version) }
                } else if let text = try string(item, "purl", here, path) {
                    guard let purl = ParsedPackageURL(text) else { throw AnalyzerError(file: path, "\(here).purl: '\(text.prefix(120))' is not a package URL") }
                    components.append(SBOMComponent(location: here, purl: purl, name: name, version: version, properties: try properties(item, here, path)))
                } else if !["application", "container", "file"].contains(type ?? "") {
                    // Applications and containers group packages; they are no package themselves.
                    skipped += 1
                }
                try walk(item["components"], at: here + ".components", depth: depth + 1)
            }
        }
        try walk(root["components"], at: "$.components", depth: 0)
        if os == nil, let metadata = root["metadata"]?["component"],
           let text = try properties(metadata, "$.metadata.component", path)["OS"] {
            let words = text.split(separator: " ", maxSplits: 1)
            if words.count == 2 { os = OperatingSystem(family: String(words[0]), name: String(words[1])) }
        }
        return (components, os, skipped)
    }

    static func string(_ item: JSON, _ key: String, _ location: String, _ path: String) throws -> String? {
        guard let value = item[key] else { return nil }
        guard let s = value.stringValue else { throw AnalyzerError(file: path, "\(location).\(key): expected a string") }
        return s
    }

    /// `properties: [{name, value}]`, the `vigil:` and `aquasecurity:trivy:` prefixes removed.
    static func properties(_ item: JSON, _ location: String, _ path: String) throws -> [String: String] {
        guard let list = item["properties"] else { return [:] }
        guard let entries = list.arrayValue else { throw AnalyzerError(file: path, "\(location).properties: expected an array") }
        var result: [String: String] = [:]
        for (i, entry) in entries.enumerated() {
            guard let name = entry["name"]?.stringValue, let value = entry["value"]?.stringValue else {
                throw AnalyzerError(file: path, "\(location).properties[\(i)]: expected {\"name\": string, \"value\": string}")
            }
            for prefix in ["vigil:", "aquasecurity:trivy:"] where name.hasPrefix(prefix) {
                result[String(name.dropFirst(prefix.count))] = value
            }
        }
        return result
    }
}
