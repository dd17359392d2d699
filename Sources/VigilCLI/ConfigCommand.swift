import ArgumentParser
import ConfigScan
import Foundation
import JSONValue
import Report
import ReportTools
import Scanner
import VulnDB

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

    func scanOptions() -> ScanOptions {
        var o = ScanOptions()
        o.severity = severity
        o.ignorefile = ignorefile
        o.ignoreUnfixed = ignoreUnfixed
        o.db = db
        return o
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
        _ = try scanOptions().severities()
        _ = try parsedBuildArgs()
    }

    func run() throws {
        let options = ParseOptions(buildArguments: try parsedBuildArgs())
        let files = try Self.dockerfiles(at: path)
        var scans: [ConfigScanResult] = []
        for (file, target) in files {
            do {
                var result = try ConfigScanner.scan(path: file, options: options)
                result.target = target
                scans.append(result)
            } catch {
                throw CLIError(error.description)
            }
        }
        let database = try openDatabase(needed: scans.contains { !$0.predictions.artefacts.isEmpty })
        let matcher = BuildPredictionMatcher(database: database)
        let scan = scanOptions()
        let filter = FindingFilter(severities: try scan.severities(), ignoreUnfixed: ignoreUnfixed, ignored: try scan.ignoreList())
        let ignored = try scan.ignoreList()
        var entries: [ConfigScanFindings] = []
        for result in scans {
            let outcome: BuildPredictionMatcher.Outcome
            do { outcome = try matcher.match(result) } catch { throw CLIError(error.description) }
            if !quiet { for note in outcome.unmatched { Console.warn("\(result.target): \(note): not matched") } }
            var found = ConfigScanFindings(scan: result, predicted: outcome.vulnerabilities).filtered(severities: try scan.severities(), filter: filter)
            // A check id in the ignore file hides that check, as Trivy's .trivyignore does for misconfigurations.
            found.scan.failures = found.scan.failures.filter { !ignored.ignores($0.rule.id, now: Date()) && !ignored.ignores($0.rule.reportID, now: Date()) }
            entries.append(found)
        }
        let report = ConfigReport(artifactName: path, entries: entries, includePassed: includeNonFailures)
        let text: String
        switch format {
        case .json: text = report.render()
        case .table: text = report.table(color: output == nil && isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        case .sarif: text = JSONPrinter(indent: 2, escapeHTML: false).render(SARIFReport(toolVersion: VigilVersion.current).json(report.json()))
        }
        try OutputFile.write(text, to: output)
        if exitCode != 0, entries.contains(where: { !$0.isEmpty }) { throw ExitCode(exitCode) }
    }

    /// The database, or nil when none is needed, or when the default one is missing (a warning
    /// says what is not matched); a database named with --db or VIGIL_DB must exist.
    func openDatabase(needed: Bool) throws -> VulnDatabase? {
        guard needed else { return nil }
        let location = DatabaseLocation.resolve(db)
        let explicit = db != nil || !(ProcessInfo.processInfo.environment["VIGIL_DB"] ?? "").isEmpty
        if !explicit, !FileManager.default.fileExists(atPath: location) { return nil }
        do { return try VulnDatabase(readOnlyPath: location) } catch { throw CLIError(error.description) }
    }

    /// Whether a file name is a Dockerfile by name.
    static func isDockerfileName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "dockerfile" || lower == "containerfile" || lower.hasSuffix(".dockerfile") || lower.hasPrefix("dockerfile.")
            || lower.hasSuffix(".containerfile") || lower.hasPrefix("containerfile.")
    }

    /// (path to read, Target to report): the file itself, or every Dockerfile under a directory
    /// (relative paths, sorted).
    static func dockerfiles(at path: String) throws -> [(String, String)] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw CLIError("\(path): no such file or directory") }
        guard isDir.boolValue else { return [(path, path)] }
        var found: [String] = []
        var stack = [""]
        while let rel = stack.popLast() {
            let dir = rel.isEmpty ? path : path + "/" + rel
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
                throw CLIError("\(dir): cannot read directory")
            }
            for name in names.sorted() {
                let child = rel.isEmpty ? name : rel + "/" + name
                let full = path + "/" + child
                var st = stat()
                guard lstat(full, &st) == 0 else { continue }
                let type = st.st_mode & S_IFMT
                if type == S_IFDIR {
                    if !name.hasPrefix("."), name != "node_modules" { stack.append(child) }
                } else if (type == S_IFREG || type == S_IFLNK), isDockerfileName(name) {
                    found.append(child)
                }
            }
        }
        guard !found.isEmpty else {
            throw CLIError("\(path): no Dockerfile found (looked for Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*)")
        }
        return found.sorted().map { (path + "/" + $0, $0) }
    }
}
