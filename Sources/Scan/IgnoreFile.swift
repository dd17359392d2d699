import Foundation
import Scanner
import VigilCore

/// The ignore file of a scan (`.trivyignore` syntax, `exp:YYYY-MM-DD` expiry).
public enum IgnoreFile {
    /// Reads `path`. The default name (`.trivyignore` in the working directory) may be absent:
    /// nothing is ignored then; a file the user named must exist.
    public static func read(_ path: String) throws -> IgnoreList {
        guard FileManager.default.fileExists(atPath: path) else {
            if path != ScanConfiguration.defaultIgnoreFile { throw ScanPipelineError(.ignoreFile, "\(path): no such ignore file") }
            return IgnoreList()
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScanPipelineError(.ignoreFile, "\(path): cannot read ignore file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScanPipelineError(.ignoreFile, "\(path): ignore file is not valid UTF-8")
        }
        return try IgnoreList(parsing: text, path: path)
    }
}
