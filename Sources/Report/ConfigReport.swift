import ConfigScan
import Foundation
import JSONValue
import Scanner
import Analyzers
import VigilCore

/// `vigil config`'s report: one Trivy `Result` per Dockerfile (Class `config`, Type
/// `dockerfile`) with its `Misconfigurations` and the predicted `Vulnerabilities`, as JSON
/// (SchemaVersion 2, ArtifactType `filesystem`) or as text (Trivy's misconfiguration layout,
/// then a table of predicted vulnerabilities with their Dockerfile lines).
public struct ConfigReport {
    public var artifactName: String
    public var entries: [ConfigScanFindings]
    public var createdAt: Date
    public var includePassed: Bool

    public init(artifactName: String, entries: [ConfigScanFindings], createdAt: Date = Date(), includePassed: Bool = false) {
        self.artifactName = artifactName
        self.entries = entries
        self.createdAt = createdAt
        self.includePassed = includePassed
    }

    /// The report as a JSON value.
    public func json() -> JSON {
        var root: [(String, JSON)] = [
            ("SchemaVersion", .int(2)),
            ("CreatedAt", .string(TrivyJSONReport.rfc3339Nano(createdAt))),
            ("ArtifactName", .string(artifactName)),
            ("ArtifactType", .string("filesystem")),
        ]
        if !entries.isEmpty { root.append(("Results", .array(entries.map(Self.result(includePassed: includePassed))))) }
        return .object(root)
    }

    /// Rendered JSON (two-space indent, Go's escaping, trailing newline).
    public func render() -> String { JSONPrinter(indent: 2).render(json()) }

    /// The Trivy Result of one Dockerfile (also used by `vigil image --scanners misconfig`).
    public static func result(includePassed: Bool) -> (ConfigScanFindings) -> JSON {
        { entry in
            let scan = entry.scan
            return scan.trivyResult(vulnerabilities: entry.predicted.map { vulnerabilityJSON($0, scan: scan) }, includePassed: includePassed)
        }
    }

    /// One predicted vulnerability: Trivy's vulnerability fields, `Status: predicted`, and a
    /// `CauseMetadata` naming the Dockerfile lines (with their text) it comes from.
    public static func vulnerabilityJSON(_ p: PredictedVulnerability, scan: ConfigScanResult) -> JSON {
        let f = p.finding
        var v: [(String, JSON)] = [("VulnerabilityID", .string(f.vulnerabilityID))]
        if let a = f.advisoryID, a != f.vulnerabilityID { v.append(("VendorIDs", .array([.string(a)]))) }
        v.append(("PkgName", .string(f.package.name)))
        v.append(("PkgIdentifier", .object([("PURL", .string(p.purl))])))
        v.append(("InstalledVersion", .string(f.package.version)))
        if let fixed = f.fixedVersion { v.append(("FixedVersion", .string(fixed))) }
        v.append(("Status", .string(f.status)))
        if let s = f.severitySource { v.append(("SeveritySource", .string(s))) }
        if let u = f.primaryURL { v.append(("PrimaryURL", .string(u))) }
        v.append(("DataSource", .object([
            ("ID", .string(f.dataSource.id)), ("Name", .string(f.dataSource.name)), ("URL", .string(f.dataSource.url)),
        ])))
        if let t = f.title { v.append(("Title", .string(t))) }
        if let d = f.description { v.append(("Description", .string(d))) }
        v.append(("Severity", .string(f.severity.description)))
        if !f.cweIDs.isEmpty { v.append(("CweIDs", .array(f.cweIDs.map(JSON.string)))) }
        TrivyJSONReport.appendRatings(f, to: &v)
        if !f.references.isEmpty { v.append(("References", .array(f.references.map(JSON.string)))) }
        if let d = f.publishedDate { v.append(("PublishedDate", .string(d))) }
        if let d = f.lastModifiedDate { v.append(("LastModifiedDate", .string(d))) }
        var cause: [(String, JSON)] = [
            ("Kind", .string(p.kind.rawValue)),
            ("Source", .string(p.source)),
            ("StartLine", .int(p.startLine)),
            ("EndLine", .int(p.endLine)),
        ]
        if !p.urls.isEmpty { cause.append(("URLs", .array(p.urls.map(JSON.string)))) }
        if let cpe = p.cpe { cause.append(("CPE", .string(cpe))) }
        let shown = p.startLine >= 1 ? Array(p.startLine...max(p.startLine, min(p.endLine, p.startLine + 9))) : []
        let lines: [JSON] = shown.map { n in
            .object([("Number", .int(n)), ("Content", .string(scan.dockerfile.text(lines: n...n).first ?? ""))])
        }
        if !lines.isEmpty { cause.append(("Code", .object([("Lines", .array(lines))]))) }
        v.append(("CauseMetadata", .object(cause)))
        return .object(v)
    }

    /// Text: each Dockerfile's misconfigurations (Trivy's layout), then its predicted vulnerabilities.
    public func table(color: Bool = false) -> String {
        var out = ""
        for entry in entries { out += Self.table(entry, color: color) }
        return out
    }

    /// One Dockerfile's misconfigurations and predicted vulnerabilities.
    public static func table(_ entry: ConfigScanFindings, color: Bool) -> String {
        entry.scan.table() + predictionTable(entry.predicted, target: entry.scan.target, color: color)
    }

    /// The predicted vulnerabilities of one Dockerfile as a box table with their lines.
    public static func predictionTable(_ predicted: [PredictedVulnerability], target: String, color: Bool) -> String {
        var counts: [Severity: Int] = [:]
        for p in predicted { counts[p.finding.severity, default: 0] += 1 }
        let heading = "\(target) (predicted vulnerabilities)"
        var out = "\n\(heading)\n" + String(repeating: "=", count: heading.count) + "\n"
        out += "Total: \(predicted.count) (" + Severity.allCases.map { "\($0): \(counts[$0] ?? 0)" }.joined(separator: ", ") + ")\n"
        guard !predicted.isEmpty else { return out + "\n" }
        out += "\n"
        let header = ["Line", "Source", "Vulnerability", "Severity", "Version", "Fixed Version", "Title"]
        let rows: [[String]] = predicted.map { p in
            let f = p.finding
            let line = p.startLine == p.endLine ? "\(p.startLine)" : "\(p.startLine)-\(p.endLine)"
            let source = p.kind == .plaintextDownload ? (f.package.name) : p.source
            let text = f.title ?? f.description ?? ""
            let title = text.count > 60 ? String(text.prefix(59)) + "…" : text
            return [line, source, f.vulnerabilityID, f.severity.description, f.package.version, f.fixedVersion ?? "", title]
        }
        var widths = header.map(\.count)
        for row in rows { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func rule(_ l: String, _ m: String, _ r: String) -> String {
            l + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + r + "\n"
        }
        func line(_ cells: [String], severity: Severity?) -> String {
            var text = "│"
            for (i, c) in cells.enumerated() {
                let shown = i == 3 && color && severity != nil ? TableReport.paint(c, severity!) : c
                text += " " + shown + String(repeating: " ", count: widths[i] - c.count) + " │"
            }
            return text + "\n"
        }
        out += rule("┌", "┬", "┐") + line(header, severity: nil) + rule("├", "┼", "┤")
        for (i, row) in rows.enumerated() { out += line(row, severity: predicted[i].finding.severity) }
        return out + rule("└", "┴", "┘")
    }
}
