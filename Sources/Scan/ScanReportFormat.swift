import ReportTools

/// The formats a scan renders to: the table, Trivy JSON, and the `ReportFormat`s made from it.
public enum ScanReportFormat: String, Sendable, CaseIterable {
    case table, json, sarif, cyclonedx
    case spdxJSON = "spdx-json"
    case html

    /// The `ReportTools` format; nil for the table.
    public var reportFormat: ReportFormat? { ReportFormat(rawValue: rawValue) }
}
