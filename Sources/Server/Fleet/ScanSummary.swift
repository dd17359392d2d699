import JSONValue

/// What the fleet views need of one scan without reading its report: vulnerabilities counted by
/// severity and by category, and the worst severity. Made from the Trivy JSON when the scan is
/// stored (`scan_jobs.summary`).
struct ScanSummary {
    static let severities = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"]

    var bySeverity: [String: Int] = [:]
    var byCategory: [String: Int] = [:]

    init(trivy: JSON) {
        for result in trivy["Results"]?.arrayValue ?? [] {
            for v in result["Vulnerabilities"]?.arrayValue ?? [] {
                let severity = (v["Severity"]?.stringValue ?? "UNKNOWN").uppercased()
                bySeverity[Self.severities.contains(severity) ? severity : "UNKNOWN", default: 0] += 1
                for c in v["Categories"]?.arrayValue ?? [] { if let c = c.stringValue { byCategory[c, default: 0] += 1 } }
            }
        }
    }

    /// The most severe level with a finding, nil when there is none.
    var worst: String? { Self.severities.first { (bySeverity[$0] ?? 0) > 0 } }

    var json: JSON {
        .object([
            ("by_severity", .object(Self.severities.map { ($0, .int(bySeverity[$0] ?? 0)) })),
            ("by_category", .object(byCategory.keys.sorted().map { ($0, .int(byCategory[$0]!)) })),
            ("worst", worst.map(JSON.string) ?? .null),
        ])
    }
}
