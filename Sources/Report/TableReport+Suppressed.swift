import Analyzers
import Scanner
import VigilCore

extension TableReport {
    /// The findings VEX statements or the ignore file suppressed (`--show-suppressed`), after
    /// every section, as Trivy's table lists them: package, id, severity, status, the statement's
    /// justification and the document it came from, in aligned columns. Empty when none was kept.
    func suppressedSection(_ result: ScanResult) -> String {
        guard !result.suppressed.isEmpty else { return "" }
        let title = "Suppressed Vulnerabilities (Total: \(result.suppressed.count))"
        let header = ["Library", "Vulnerability", "Severity", "Status", "Statement", "Source"]
        let rows = result.suppressed.map { s in
            [s.finding.package.name, s.finding.vulnerabilityID, s.finding.severity.description, s.status,
             s.statement.isEmpty ? "-" : s.statement, s.source]
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count) }
                .joined(separator: "  ") + "\n"
        }
        var out = "\n" + title + "\n" + String(repeating: "=", count: title.count) + "\n\n"
        out += line(header)
        for row in rows { out += line(row) }
        return out + "\n"
    }
}
