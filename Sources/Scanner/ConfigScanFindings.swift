import ConfigScan
import VigilCore

/// One checked Dockerfile (written, or rebuilt from an image's history) with the failures and
/// predicted vulnerabilities that survived the filters: what reports render as a `config` Result.
public struct ConfigScanFindings: Sendable {
    /// The scan; its `rules` and `failures` are the filtered ones.
    public var scan: ConfigScanResult
    public var predicted: [PredictedVulnerability]

    public init(scan: ConfigScanResult, predicted: [PredictedVulnerability]) {
        self.scan = scan
        self.predicted = predicted
    }

    /// Keeps failures and rules of `severities`, and predicted vulnerabilities `filter` keeps.
    public func filtered(severities: Set<Severity>, filter: FindingFilter) -> ConfigScanFindings {
        var s = scan
        let keep = Set(severities.map(\.rawValue))
        s.failures = s.failures.filter { keep.contains($0.rule.severity.rawValue) }
        s.rules = s.rules.filter { keep.contains($0.severity.rawValue) }
        let kept = predicted.filter { !filter.apply([$0.finding]).isEmpty }
        return ConfigScanFindings(scan: s, predicted: kept)
    }

    /// Whether anything is reported.
    public var isEmpty: Bool { scan.failures.isEmpty && predicted.isEmpty }
}
