import ConfigScan
import Foundation
import JSONValue
import Scanner
import VulnDB
import VigilCore

/// `vigil image --scanners misconfig`: the Dockerfile checks on the Dockerfile rebuilt from the
/// image's history and config, plus the predictions that add to a package scan — plain-http
/// downloads and source archives built in `RUN`s (which no package database lists). End of life
/// and package files are left out: the image's detected OS and installed packages say those.
struct ImageConfigCheck {
    var databasePath: String
    var quiet: Bool
    var warn: (String) -> Void

    static let target = "Dockerfile (image history)"

    func run(_ config: JSON) throws -> [ConfigScanFindings] {
        let (result, skipped) = ConfigScanner.scan(imageConfig: config, target: Self.target)
        if !quiet { for s in skipped { warn("image history entry not checked: \(s)") } }
        guard let result else { return [] }
        var database: VulnDatabase?
        let needed = result.predictions.artefacts.contains { $0.kind == .tarball || $0.kind == .zip }
        if needed, FileManager.default.fileExists(atPath: databasePath) {
            do { database = try VulnDatabase(readOnlyPath: databasePath) } catch { throw ScanPipelineError(.database, error.description) }
        }
        let outcome: BuildPredictionMatcher.Outcome
        do {
            outcome = try BuildPredictionMatcher(database: database).match(result, includeEndOfLife: false, includePackageFiles: false)
        } catch {
            throw ScanPipelineError(.database, error.description)
        }
        if !quiet { for note in outcome.unmatched { warn("\(Self.target): \(note): not matched") } }
        return [ConfigScanFindings(scan: result, predicted: outcome.vulnerabilities)]
    }
}
