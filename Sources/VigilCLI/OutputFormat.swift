import ArgumentParser
import Scan

/// Output formats of scan commands: the table, Trivy JSON, and the `ReportFormat`s made from it.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, sarif, cyclonedx
    case spdxJSON = "spdx-json"
    case html

    /// The engine's format of the same name.
    var scanFormat: ScanReportFormat { ScanReportFormat(rawValue: rawValue)! }
}
