import VulnDB
import VigilCore

/// Which severity a finding shows and why, chosen as Trivy chooses it
/// (`pkg/vulnerability.getVendorSeverity`):
///
/// 1. the advisory's own source — the distro's word for a distro package (Ubuntu priority,
///    Debian urgency, Red Hat impact, Alpine/OSV `database_specific.severity`), else that
///    source's record severity or CVSS;
/// 2. for `GHSA-…` ids, GitHub's severity;
/// 3. NVD (its `baseSeverity`, else NVD's CVSS v3 score band, then v4, then v2);
/// 4. GitHub's severity for any id;
/// 5. `UNKNOWN`, with no source.
///
/// `vendorSeverity` maps every source that rated the vulnerability to its severity (Trivy's
/// `VendorSeverity`, printed as numbers 0–4).
public struct SeveritySelection: Sendable, Equatable {
    public var severity: Severity
    /// Trivy's `SeveritySource`; nil when nothing rated the vulnerability.
    public var source: String?
    public var vendorSeverity: [String: Severity]

    public init(severity: Severity, source: String?, vendorSeverity: [String: Severity]) {
        self.severity = severity
        self.source = source
        self.vendorSeverity = vendorSeverity
    }

    /// The selection for one advisory given every descriptive record of its vulnerability id.
    public static func select(advisory: AdvisoryRecord, records: [VulnerabilityRecord]) -> SeveritySelection {
        var vendor: [String: Severity] = [:]
        if let word = advisory.vendorSeverity {
            let s = Severity(vendorWord: word)
            if s != .unknown { vendor[advisory.source] = s }
        }
        for record in records.sorted(by: { $0.source < $1.source }) {
            let key = vendorKey(record)
            guard vendor[key] == nil else { continue }
            let s = rating(record)
            if s != .unknown { vendor[key] = s }
        }
        var order = [advisory.source]
        if advisory.vulnerabilityID.hasPrefix("GHSA-") { order.append("ghsa") }
        order += ["nvd", "ghsa"]
        for source in order {
            if let s = vendor[source] { return SeveritySelection(severity: s, source: source, vendorSeverity: vendor) }
        }
        return SeveritySelection(severity: .unknown, source: nil, vendorSeverity: vendor)
    }

    /// GitHub advisories arrive through OSV exports (`osv-PyPI`…) but are Trivy's `ghsa`.
    static func vendorKey(_ record: VulnerabilityRecord) -> String {
        record.id.hasPrefix("GHSA-") ? "ghsa" : record.source
    }

    /// A record's own word, else the band of its first CVSS score (v3, then v4, then v2).
    static func rating(_ record: VulnerabilityRecord) -> Severity {
        if let word = record.severity {
            let s = Severity(vendorWord: word)
            if s != .unknown { return s }
        }
        for c in record.cvss {
            if let score = c.v3Score { return Severity(cvss3: score) }
            if let score = c.v40Score { return Severity(cvss3: score) }
            if let score = c.v2Score { return Severity(cvss2: score) }
        }
        return .unknown
    }
}
