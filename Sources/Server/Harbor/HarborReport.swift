import JSONValue

/// The Harbor vulnerability report (`HarborVulnerabilityReport` of the adapter spec) made from a
/// scan's Trivy JSON: one item per vulnerability of every result, the artifact as Harbor named
/// it, and the worst severity overall.
struct HarborReport {
    /// What `scanner` says in every report and in the metadata.
    var scanner: JSON
    /// The artifact object of the scan request.
    var artifact: JSON

    /// Harbor's severity names by Trivy's.
    static func severity(_ trivy: String?) -> String {
        switch trivy?.uppercased() {
        case "CRITICAL": "Critical"
        case "HIGH": "High"
        case "MEDIUM": "Medium"
        case "LOW": "Low"
        default: "Unknown"
        }
    }

    static let rank = ["Unknown": 0, "Negligible": 1, "Low": 2, "Medium": 3, "High": 4, "Critical": 5]

    func json(_ trivy: JSON) -> JSON {
        var items: [JSON] = []
        var worst = "Unknown"
        for result in trivy["Results"]?.arrayValue ?? [] {
            for v in result["Vulnerabilities"]?.arrayValue ?? [] {
                let severity = Self.severity(v["Severity"]?.stringValue)
                if Self.rank[severity]! > Self.rank[worst]! { worst = severity }
                items.append(item(v, result: result, severity: severity))
            }
        }
        return .object([
            ("generated_at", trivy["CreatedAt"] ?? .null),
            ("artifact", artifact),
            ("scanner", scanner),
            ("severity", .string(worst)),
            ("vulnerabilities", .array(items)),
        ])
    }

    func item(_ v: JSON, result: JSON, severity: String) -> JSON {
        var members: [(String, JSON)] = [
            ("id", v["VulnerabilityID"] ?? .string("")),
            ("package", v["PkgName"] ?? .string("")),
            ("version", v["InstalledVersion"] ?? .string("")),
            ("fix_version", v["FixedVersion"] ?? .string("")),
            ("severity", .string(severity)),
            ("description", v["Description"] ?? .string("")),
        ]
        var links: [JSON] = []
        if let primary = v["PrimaryURL"]?.stringValue, !primary.isEmpty { links.append(.string(primary)) }
        for r in v["References"]?.arrayValue ?? [] where r.stringValue != nil && !links.contains(r) { links.append(r) }
        members.append(("links", .array(links)))
        if let cvss = preferredCVSS(v) { members.append(("preferred_cvss", cvss)) }
        members.append(("cwe_ids", v["CweIDs"] ?? .array([])))
        var vendor: [(String, JSON)] = []
        if let cvss = v["CVSS"] { vendor.append(("CVSS", cvss)) }
        if let categories = v["Categories"] { vendor.append(("categories", categories)) }
        if let target = result["Target"] { vendor.append(("target", target)) }
        if let type = result["Type"] { vendor.append(("type", type)) }
        if let purl = v["PkgIdentifier"]?["PURL"] { vendor.append(("purl", purl)) }
        members.append(("vendor_attributes", .object(vendor)))
        return .object(members)
    }

    /// The CVSS of the source that gave the severity, else NVD's, else the first given.
    func preferredCVSS(_ v: JSON) -> JSON? {
        guard let all = v["CVSS"]?.objectValue, !all.isEmpty else { return nil }
        let source = v["SeveritySource"]?.stringValue
        let chosen = all.first { $0.0 == source }?.1 ?? all.first { $0.0 == "nvd" }?.1 ?? all[0].1
        var out: [(String, JSON)] = []
        if let s = chosen["V3Score"] { out.append(("score_v3", s)) }
        if let s = chosen["V2Score"] { out.append(("score_v2", s)) }
        if let s = chosen["V3Vector"] { out.append(("vector_v3", s)) }
        if let s = chosen["V2Vector"] { out.append(("vector_v2", s)) }
        return out.isEmpty ? nil : .object(out)
    }
}
