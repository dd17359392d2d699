import JSONValue
import VigilCore

/// The outcome of scanning one Dockerfile: failed checks, the rules that ran, and the
/// predictions the vulnerability step matches against the database.
public struct ConfigScanResult: Sendable {
    /// The file as the user named it (Trivy's `Target`).
    public var target: String
    public var dockerfile: Dockerfile
    /// Rules that ran, in catalog order.
    public var rules: [Rule]
    /// Failures ordered by line, then rule.
    public var failures: [Misconfiguration]
    public var predictions: BuildPredictions

    /// Rules that ran and found nothing (Trivy's `MisconfSummary.Successes`).
    public var passedRules: [Rule] {
        let failed = Set(failures.map(\.rule.id))
        return rules.filter { !failed.contains($0.id) }
    }

    /// Failure counts by severity.
    public var counts: [Severity: Int] {
        var c: [Severity: Int] = [:]
        for f in failures { c[f.rule.severity, default: 0] += 1 }
        return c
    }
}

/// Parses and checks Dockerfiles: the entry point `vigil config` calls.
public enum ConfigScanner {
    /// Scans Dockerfile bytes named `file`.
    public static func scan(_ bytes: [UInt8], file: String, options: ParseOptions = .init(),
                            rules: [Rule] = RuleCatalog.all) throws(ConfigScanError) -> ConfigScanResult {
        let dockerfile = try DockerfileParser.parse(bytes, file: file, options: options)
        return try scan(dockerfile, rules: rules)
    }

    /// Checks an already parsed Dockerfile.
    public static func scan(_ dockerfile: Dockerfile, rules: [Rule] = RuleCatalog.all) throws(ConfigScanError) -> ConfigScanResult {
        let context = try CheckContext(dockerfile)
        let failures = DockerfileChecker(rules: rules).check(context)
        return ConfigScanResult(target: dockerfile.file, dockerfile: dockerfile, rules: rules, failures: failures,
                                predictions: BuildPredictions(dockerfile, context: context))
    }

    /// Reads and scans the file at `path` (refusing files over `options.maxBytes` before reading them).
    public static func scan(path: String, options: ParseOptions = .init(), rules: [Rule] = RuleCatalog.all) throws(ConfigScanError) -> ConfigScanResult {
        let bytes = try FileReader.read(path, maxBytes: options.maxBytes)
        return try scan(bytes, file: path, options: options, rules: rules)
    }
}
