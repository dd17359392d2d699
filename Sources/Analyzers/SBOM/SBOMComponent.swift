/// One package an SBOM lists, whatever the format: its purl and the name, version and
/// properties the document gives (CycloneDX `properties`, SPDX annotations `Key: value`), keyed
/// without their tool prefix (`vigil:SrcName` and `aquasecurity:trivy:SrcName` are both `SrcName`).
struct SBOMComponent {
    /// Where the component is in the document (`$.components[3]`), for errors.
    var location: String
    var purl: ParsedPackageURL
    var name: String?
    var version: String?
    var properties: [String: String]
}
