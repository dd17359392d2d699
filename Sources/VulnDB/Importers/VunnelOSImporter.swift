import VigilCore
/// Parses Anchore vunnel's normalised OS vulnerability files (what Grype's database is built
/// from): a JSON array of `{"Vulnerability": {"Name", "NamespaceName": "debian:7", "Severity",
/// "Link", "Description", "FixedIn": [{"Name", "Version", "VersionFormat"}], "Metadata": {"NVD": {"CVSSv2": …}}}}`.
///
/// `FixedIn.Version` `None` means affected with no fix. The namespace's distro becomes the
/// family (`rhel` → `redhat`, `amzn` → `amazon`, `ol` → `oracle`), and the source is the family,
/// so these facts merge with the distro's own feed.
enum VunnelOSImporter {
    static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        let value = try FeedJSON.value(path: path, data: data)
        guard let items = value as? [Any] else {
            throw VulnDBError(.malformedFeed, "\(path): expected a JSON array of {\"Vulnerability\": …} objects")
        }
        var result = FeedParseResult()
        for (index, item) in items.enumerated() {
            guard let vuln = (item as? [String: Any])?["Vulnerability"] as? [String: Any],
                  let id = vuln["Name"] as? String, !id.isEmpty,
                  let namespace = vuln["NamespaceName"] as? String else {
                throw VulnDBError(.malformedFeed, "\(path): [\(index)] is not a {\"Vulnerability\": {Name, NamespaceName…}} object")
            }
            let parts = namespace.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else {
                result.skip("namespace without a release")
                continue
            }
            let family: String
            switch parts[0] {
            case "rhel": family = "redhat"
            case "amzn": family = "amazon"
            case "ol": family = "oracle"
            default: family = String(parts[0])
            }
            let ecosystem = Ecosystem(family: family, release: String(parts[1]))
            let severity = (vuln["Severity"] as? String).flatMap { $0.isEmpty || $0 == "Unknown" ? nil : $0.lowercased() }
            for case let fix as [String: Any] in vuln["FixedIn"] as? [Any] ?? [] {
                guard let name = fix["Name"] as? String, !name.isEmpty, let version = fix["Version"] as? String else {
                    result.skip("FixedIn without Name and Version")
                    continue
                }
                let fixed = version == "None" || version.isEmpty ? nil : version
                result.batch.advisories.append(AdvisoryRecord(
                    vulnerabilityID: id, ecosystem: ecosystem, packageName: name, status: fixed == nil ? .affected : .fixed,
                    fixedVersion: fixed, vendorSeverity: severity, source: family))
            }
            var cvss: [CVSSRecord] = []
            if let v2 = ((vuln["Metadata"] as? [String: Any])?["NVD"] as? [String: Any])?["CVSSv2"] as? [String: Any] {
                let vector = v2["Vectors"] as? String
                let score = NVDImporter.number(v2["Score"])
                if vector != nil || score != nil { cvss = [CVSSRecord(source: "nvd", v2Vector: vector, v2Score: score)] }
            }
            let link = (vuln["Link"] as? String).map { [$0] } ?? []
            result.batch.vulnerabilities.append(VulnerabilityRecord(
                id: id, description: (vuln["Description"] as? String).flatMap { $0.isEmpty ? nil : $0 }, cvss: cvss,
                references: link, source: family, severity: severity))
        }
        return result
    }
}
