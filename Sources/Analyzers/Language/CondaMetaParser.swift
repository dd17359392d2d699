import JSONValue

/// A conda environment's package record, `conda-meta/<name>-<version>-<build>.json`: its
/// `name`, `version` and `license`; a record without a name or version is unreadable (Trivy
/// fails it the same way).
enum CondaMetaParser {
    static func parse(_ bytes: [UInt8]) throws(InstalledMetadataProblem) -> [InstalledMetadataSample.Package] {
        let root = try MetadataJSON.parse(bytes)
        _ = try MetadataJSON.object(root, "the document")
        guard let name = try MetadataJSON.string(root, "name", in: "conda record"), !name.isEmpty,
              let version = try MetadataJSON.string(root, "version", in: "conda record"), !version.isEmpty else {
            throw InstalledMetadataProblem("conda record without a name or version")
        }
        let license = try MetadataJSON.string(root, "license", in: "conda record") ?? ""
        return [InstalledMetadataSample.Package(name: name, version: version, licenses: LicenseNames.split(license))]
    }
}
