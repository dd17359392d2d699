import Classification
import Report
import ReportTools
import Scanner

/// What a scan found, with what rendering it needs: the result model and the classifier that
/// gives each vulnerability its categories.
public struct ScanOutcome: Sendable {
    /// The result model every report format is made from.
    public var result: ScanResult
    /// The classifier from the database's CWE catalogue; nil when no format or filter needed it.
    public let classification: ScanClassifier?

    /// The outcome of a scan that produced `result`, classified by `classification`.
    public init(result: ScanResult, classification: ScanClassifier?) {
        self.result = result
        self.classification = classification
    }

    /// The classifier the reports use (without a catalogue, CWE ids count only by themselves).
    public var classifier: Classifier { classification?.classifier ?? Classifier() }

    /// Whether anything was reported (vulnerabilities or failed checks): `--exit-code` applies.
    public var hasFindings: Bool { !(result.findings.isEmpty && result.configFindings.allSatisfy(\.isEmpty)) }

    /// The warning to give after rendering when categories were worked out without the CWE
    /// hierarchy a CWE id needed; nil otherwise. Ask after `render`.
    public var degradedWarning: String? { classification?.degradedWarning }

    /// The report text. `color` applies to the table; `listAllPackages` lists packages without
    /// findings in JSON; `toolVersion` is the version the SARIF, CycloneDX, SPDX and HTML reports name.
    public func render(format: ScanReportFormat, color: Bool, listAllPackages: Bool, toolVersion: String) -> String {
        switch format {
        case .table:
            return TableReport(color: color).render(result)
        case .json:
            return TrivyJSONReport(listAllPackages: listAllPackages, classifier: classifier).render(result)
        case .sarif, .cyclonedx, .spdxJSON, .html:
            // An SBOM lists every package, vulnerable or not (as Trivy's do), so `vigil sbom` can rescan it.
            let all = listAllPackages || format == .cyclonedx || format == .spdxJSON
            let report = TrivyJSONReport(listAllPackages: all, classifier: classifier).json(result)
            return format.reportFormat!.render(report, classifier: classifier, toolVersion: toolVersion)
        }
    }
}
