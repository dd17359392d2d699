import Analyzers
import Report
import Scanner

/// Applies VEX documents to findings: a finding is suppressed when the last statement (in
/// document order, across documents in the order given) about its vulnerability and package says
/// `not_affected` or `fixed`, as Trivy takes the latest OpenVEX statement. A finding is matched by
/// its vulnerability id or its advisory id (a GHSA id of a CVE), and by its package URL.
public struct VEXFilter: Sendable {
    public var documents: [VEXDocument]

    public init(documents: [VEXDocument]) { self.documents = documents }

    /// (kept, suppressed).
    public func apply(_ findings: [Finding], os: OperatingSystem?) -> ([Finding], [SuppressedFinding]) {
        let statements = documents.flatMap(\.statements)
        guard !statements.isEmpty else { return (findings, []) }
        var kept: [Finding] = [], suppressed: [SuppressedFinding] = []
        for finding in findings {
            guard let purl = ParsedPackageURL(PackageURL.make(finding.package, os: os)) else { kept.append(finding); continue }
            let ids = [finding.vulnerabilityID] + (finding.advisoryID.map { [$0] } ?? [])
            let last = statements.last { s in ids.contains { s.applies(to: $0, purl: purl) } }
            if let last, last.status == .notAffected || last.status == .fixed {
                suppressed.append(SuppressedFinding(finding: finding, status: last.status.rawValue, statement: last.justification, source: last.source))
            } else {
                kept.append(finding)
            }
        }
        return (kept, suppressed)
    }
}
