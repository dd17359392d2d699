import ConfigScan
import Foundation
import JSONValue
import Report
import ReportTools
import Scanner
import VulnDB
import VigilCore

/// `vigil config` as one call: find the Dockerfiles under a path, check each, match the build's
/// predicted artefacts against the database, filter, and build the report.
public struct ConfigScanPipeline {
    /// What the scan keeps and where it matches predictions.
    public var configuration: ConfigScanConfiguration

    /// A pipeline with `configuration`.
    public init(configuration: ConfigScanConfiguration) { self.configuration = configuration }

    /// Scans the Dockerfile at `path` or every Dockerfile under it. `warn` receives each warning
    /// (none when `configuration.quiet`).
    public func run(path: String, warn: (String) -> Void) throws -> ConfigScanOutcome {
        let options = ParseOptions(buildArguments: configuration.buildArguments)
        let files = try DockerfileFinder.dockerfiles(at: path)
        var scans: [ConfigScanResult] = []
        for (file, target) in files {
            do {
                var result = try ConfigScanner.scan(path: file, options: options)
                result.target = target
                scans.append(result)
            } catch {
                throw ScanPipelineError(.input, error.description)
            }
        }
        let database = try openDatabase(needed: scans.contains { !$0.predictions.artefacts.isEmpty })
        let matcher = BuildPredictionMatcher(database: database)
        let ignored = try IgnoreFile.read(configuration.ignoreFile)
        let filter = FindingFilter(severities: configuration.severities, ignoreUnfixed: configuration.ignoreUnfixed, ignored: ignored)
        var entries: [ConfigScanFindings] = []
        for result in scans {
            let outcome: BuildPredictionMatcher.Outcome
            do { outcome = try matcher.match(result) } catch { throw ScanPipelineError(.database, error.description) }
            if !configuration.quiet { for note in outcome.unmatched { warn("\(result.target): \(note): not matched") } }
            var found = ConfigScanFindings(scan: result, predicted: outcome.vulnerabilities).filtered(severities: configuration.severities, filter: filter)
            // A check id in the ignore file hides that check, as Trivy's .trivyignore does for misconfigurations.
            found.scan.failures = found.scan.failures.filter { !ignored.ignores($0.rule.id, now: Date()) && !ignored.ignores($0.rule.reportID, now: Date()) }
            entries.append(found)
        }
        return ConfigScanOutcome(report: ConfigReport(artifactName: path, entries: entries, includePassed: configuration.includePassed))
    }

    /// The database, or nil when none is needed, or when the default one is missing.
    func openDatabase(needed: Bool) throws -> VulnDatabase? {
        guard needed else { return nil }
        let location = configuration.databasePath
        if !configuration.databaseRequired, !FileManager.default.fileExists(atPath: location) { return nil }
        do { return try VulnDatabase(readOnlyPath: location) } catch { throw ScanPipelineError(.database, error.description) }
    }
}
