import Scanner
import VigilCore

/// What a Dockerfile scan (`vigil config`) keeps and where it matches its predictions.
public struct ConfigScanConfiguration: Sendable {
    /// Build arguments, as `docker build --build-arg`.
    public var buildArguments: [String: String] = [:]
    /// Severities to report.
    public var severities: Set<Severity> = Set(Severity.allCases)
    /// Report only predicted vulnerabilities with a fixed version.
    public var ignoreUnfixed = false
    /// Ignore file (vulnerability or check ids); the default name may be absent.
    public var ignoreFile = ScanConfiguration.defaultIgnoreFile
    /// List the checks that passed too.
    public var includePassed = false
    /// Skip the warnings.
    public var quiet = false
    /// The database predictions are matched against.
    public var databasePath: String
    /// Whether the user named the database: then it must exist. A missing default database only
    /// leaves the artefacts unmatched (a warning names them).
    public var databaseRequired = false

    /// Defaults (every severity, the default ignore file, no build arguments) over `databasePath`.
    public init(databasePath: String) { self.databasePath = databasePath }
}
