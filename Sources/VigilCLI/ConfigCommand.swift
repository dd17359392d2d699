import ArgumentParser
import Foundation
import Scan
import Scanner

/// Output formats of `vigil config`.
enum ConfigOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, sarif
}

/// `vigil config`: misconfigurations of Dockerfiles and the vulnerabilities their build will pull in.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check Dockerfiles for misconfigurations and predict the vulnerabilities their build pulls in.",
        discussion: """
            PATH is a Dockerfile or a directory, searched recursively (hidden directories and node_modules skipped) \
            for Dockerfile, Containerfile, *.Dockerfile and Dockerfile.* (any case). Besides the 44 checks \
            (docs/config-checks.md), predictions are reported as vulnerabilities with Status `predicted` and the \
            Dockerfile lines: end-of-life base images (VGL-EOL-BASE), downloads over http:// or ftp:// \
            (VGL-PLAIN-DOWNLOAD), .deb/.rpm/.apk files matched against their distro release's advisories, and \
            source archives (bash-4.3.tar.gz) matched against NVD CPE ranges. Matching artefacts needs the \
            database; without one (and without --db) they are named in a warning and skipped.

            Examples:
              vigil config ./Dockerfile
              vigil config . -f json -o config.json --severity HIGH,CRITICAL --exit-code 1
              vigil config Dockerfile --build-arg BASE=ubuntu:22.04 -f sarif -o config.sarif
            """
    )

    @Argument(help: "Dockerfile, or a directory to search for Dockerfiles.")
    var path: String

    @Option(name: [.customShort("f"), .long], help: "Output format: table, json (Trivy SchemaVersion 2) or sarif.")
    var format: ConfigOutputFormat = .table

    @Option(name: [.customShort("o"), .long], help: "Write the report to FILE instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Vulnerability database file (default: $VIGIL_DB or ~/.cache/vigil/db/vigil.db).")
    var db: String?

    @Option(name: [.customShort("s"), .long], help: "Severities to report, comma-separated (UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL).")
    var severity: String = "UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL"

    @Option(name: .long, parsing: .unconditional, help: "Exit with this code (0-255, 0 = off) when misconfigurations or vulnerabilities are reported.")
    var exitCode: Int32 = 0

    @Option(name: .customLong("build-arg"), help: "Build argument NAME=VALUE, as `docker build --build-arg` (repeatable).")
    var buildArgs: [String] = []

    @Option(name: .long, help: "File of vulnerability or check ids to ignore (.trivyignore syntax).")
    var ignorefile: String = ".trivyignore"

    @Flag(name: .long, help: "Report only predicted vulnerabilities that have a fixed version.")
    var ignoreUnfixed = false

    @Flag(name: .long, help: "Also list the checks that passed (JSON: Status PASS).")
    var includeNonFailures = false

    @Flag(name: .long, help: "Do not print warnings on standard error.")
    var quiet = false

    /// `--severity`, parsed (the scan commands' parser).
    func severities() throws -> Set<Severity> {
        var o = ScanOptions()
        o.severity = severity
        return try o.severities()
    }

    func parsedBuildArgs() throws -> [String: String] {
        var out: [String: String] = [:]
        for arg in buildArgs {
            guard let eq = arg.firstIndex(of: "="), eq != arg.startIndex else {
                throw ValidationError("--build-arg '\(arg)' is not NAME=VALUE")
            }
            out[String(arg[..<eq])] = String(arg[arg.index(after: eq)...])
        }
        return out
    }

    func validate() throws {
        try ExitCodeOption.check(exitCode)
        _ = try severities()
        _ = try parsedBuildArgs()
    }

    /// The engine's configuration for these options.
    func configuration() throws -> ConfigScanConfiguration {
        var c = ConfigScanConfiguration(databasePath: DatabaseLocation.resolve(db))
        c.buildArguments = try parsedBuildArgs()
        c.severities = try severities()
        c.ignoreUnfixed = ignoreUnfixed
        c.ignoreFile = ignorefile
        c.includePassed = includeNonFailures
        c.quiet = quiet
        c.databaseRequired = db != nil || !(ProcessInfo.processInfo.environment["VIGIL_DB"] ?? "").isEmpty
        return c
    }

    func run() throws {
        let outcome = try ConfigScanPipeline(configuration: configuration()).run(path: path, warn: { Console.warn($0) })
        let color = output == nil && isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let text = outcome.render(format: ConfigScanOutcome.Format(rawValue: format.rawValue)!, color: color, toolVersion: VigilVersion.current)
        try OutputFile.write(text, to: output)
        if exitCode != 0, outcome.hasFindings { throw ExitCode(exitCode) }
    }
}
