import JSONValue
import Report
import ReportTools
import Scanner

/// What `vigil config` found: the report over every Dockerfile.
public struct ConfigScanOutcome {
    /// The checks that failed (and passed, when asked) and the predicted vulnerabilities, per Dockerfile.
    public var report: ConfigReport

    /// The outcome of a scan that produced `report`.
    public init(report: ConfigReport) { self.report = report }

    /// The formats of a Dockerfile scan.
    public enum Format: String, Sendable, CaseIterable {
        case table, json, sarif
    }

    /// Whether anything was reported: `--exit-code` applies.
    public var hasFindings: Bool { report.entries.contains { !$0.isEmpty } }

    /// The report text; `color` applies to the table, `toolVersion` is the version SARIF names.
    public func render(format: Format, color: Bool, toolVersion: String) -> String {
        switch format {
        case .json: report.render()
        case .table: report.table(color: color)
        case .sarif: JSONPrinter(indent: 2, escapeHTML: false).render(SARIFReport(toolVersion: toolVersion).json(report.json()))
        }
    }
}
