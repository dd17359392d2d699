import Classification
import Scanner
import VigilCore

/// What a scan looks for and what it keeps: the options of `vigil image` and `vigil rootfs`
/// without their command-line spelling.
public struct ScanConfiguration: Sendable {
    /// What an image scan looks for.
    public enum Scanner: String, Sendable, CaseIterable {
        /// Vulnerable packages (OS, language, unmanaged software).
        case vuln
        /// Dockerfile checks of the image's history and config (images only).
        case misconfig
    }

    /// Severities to report.
    public var severities: Set<Severity> = Set(Severity.allCases)
    /// Report only vulnerabilities with a fixed version.
    public var ignoreUnfixed = false
    /// Ignore file (`.trivyignore` syntax). The default name may be absent; any other must exist;
    /// nil reads none (a server's scans must not depend on its working directory).
    public var ignoreFile: String? = ScanConfiguration.defaultIgnoreFile
    /// Report only vulnerabilities in these categories (empty: all).
    public var categories: Set<Category> = []
    /// What to look for.
    public var scanners: Set<Scanner> = [.vuln]
    /// Load the CWE catalogue for categories even without `categories` (every report format but the table shows them).
    public var classify = false
    /// Skip the warnings altogether (they also cost database queries).
    public var quiet = false
    /// Warn when the database is older than this; nil never warns.
    public var maxDatabaseAge: DatabaseAgeLimit?
    /// Platform to pick from a multi-platform index or OCI layout (os/arch[/variant]).
    public var platform = "linux/amd64"
    /// How to reach a registry for `.registry` sources; nil refuses them.
    public var registry: RegistryAccess?
    /// VEX documents (`--vex`): their `not_affected` and `fixed` statements suppress findings.
    public var vexFiles: [String] = []
    /// Keep the suppressed findings for the report (`--show-suppressed`).
    public var showSuppressed = false

    /// The ignore file read when none is named; its absence is not an error.
    public static let defaultIgnoreFile = ".trivyignore"

    /// Every severity, vulnerabilities only, the default ignore file, no database age warning.
    public init() {}
}
