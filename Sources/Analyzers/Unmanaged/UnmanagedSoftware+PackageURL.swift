extension UnmanagedSoftware {
    /// A program the ``BinaryClassifier`` table knows, found at `path` in version `version`: its
    /// NVD products, and the CPE version/update split where NVD files the patch level as update.
    static func program(_ entry: BinaryClassifier.Entry, version: String, path: String, layer: Int?) -> UnmanagedSoftware {
        var software = UnmanagedSoftware(kind: .binary, name: entry.name, version: version, products: entry.products, path: path, layer: layer)
        let parts = version.split(separator: ".")
        if let prefix = entry.patchAsUpdate, parts.count == 3 {
            software.cpeVersion = parts[0] + "." + parts[1]
            software.cpeUpdate = prefix + parts[2]
        }
        return software
    }

    /// The software a purl from an SBOM names, as the analyzers would have found it:
    /// `pkg:generic/wordpress@…`, `pkg:wordpress-plugin/slug@…`, `pkg:wordpress-theme/slug@…`,
    /// `pkg:generic/php@…` for a program of the ``BinaryClassifier`` table; nil for any other.
    static func fromPackageURL(_ purl: ParsedPackageURL, version: String, path: String) -> UnmanagedSoftware? {
        switch purl.type {
        case "wordpress-plugin":
            return UnmanagedSoftware(kind: .wordpressPlugin, name: purl.name, version: version,
                                     products: [CPEProduct("*", UnmanagedSoftwareAnalyzer.cpeProduct(purl.name))], path: path, layer: nil)
        case "wordpress-theme":
            return UnmanagedSoftware(kind: .wordpressTheme, name: purl.name, version: version,
                                     products: [CPEProduct("*", UnmanagedSoftwareAnalyzer.cpeProduct(purl.name))], path: path, layer: nil)
        case "generic" where purl.name == "wordpress":
            return UnmanagedSoftware(kind: .wordpress, name: "wordpress", version: version, products: [CPEProduct("wordpress", "wordpress")], path: path, layer: nil)
        case "generic":
            return BinaryClassifier.entries.first { $0.name == purl.name }.map { program($0, version: version, path: path, layer: nil) }
        default:
            return nil
        }
    }
}
