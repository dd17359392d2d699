import JSONValue

/// Composer's `vendor/composer/installed.json`: the packages of a PHP vendor tree. Composer 2
/// writes `{"packages": [...], "dev": …}`, Composer 1 a bare array of the same entries; each
/// entry's `name` (`vendor/package`), `version` as written (`v5.4.0`, Trivy keeps the `v`) and
/// `license` (a string or a list). A package listed twice keeps its first entry.
enum ComposerInstalledParser {
    static func parse(_ bytes: [UInt8]) throws(InstalledMetadataProblem) -> [InstalledMetadataSample.Package] {
        let root = try MetadataJSON.parse(bytes)
        let entries: [JSON]
        switch root {
        case .array(let items):
            entries = items
        case .object:
            var all: [JSON] = []
            for key in ["packages", "packages-dev"] {
                switch root[key] {
                case nil, .null?: break
                case .array(let items)?: all += items
                default: throw InstalledMetadataProblem("\"\(key)\" is not an array")
                }
            }
            entries = all
        default:
            throw InstalledMetadataProblem("neither a Composer 2 object nor a Composer 1 array")
        }
        var seen: Set<String> = []
        var packages: [InstalledMetadataSample.Package] = []
        for (i, entry) in entries.enumerated() {
            let what = "package \(i + 1)"
            _ = try MetadataJSON.object(entry, what)
            guard let name = try MetadataJSON.string(entry, "name", in: what), !name.isEmpty,
                  let version = try MetadataJSON.string(entry, "version", in: what), !version.isEmpty,
                  seen.insert(name).inserted else { continue }
            packages.append(InstalledMetadataSample.Package(name: name, version: version, licenses: licenses(entry["license"])))
        }
        return packages
    }

    static func licenses(_ value: JSON?) -> [String] {
        switch value {
        case .string(let s)?: return LicenseNames.split(s)
        case .array(let items)?: return items.compactMap(\.stringValue)
        default: return []
        }
    }
}
