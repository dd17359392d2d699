import ArgumentParser
import Classification
import Foundation
import ReportTools
import Scan
import Scanner
import VigilCore

/// Options every scan command shares.
struct ScanOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .long],
            help: "Output format: table, json (Trivy SchemaVersion 2 with Categories), sarif, cyclonedx, spdx-json or html.")
    var format: OutputFormat = .table

    @Option(name: [.customShort("o"), .long], help: "Write the report to FILE instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Vulnerability database file (default: $VIGIL_DB or ~/.cache/vigil/db/vigil.db).")
    var db: String?

    @Option(name: [.customShort("s"), .long], help: "Severities to report, comma-separated (UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL).")
    var severity: String = "UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL"

    @Option(name: .long, help: ArgumentHelp(
        "Report only vulnerabilities in these categories, comma-separated (full or short names: buffer-overflow/bo, denial-of-service/dos, privilege-escalation/pe, man-in-the-middle/mitm, code-execution/rce, information-disclosure/info, path-traversal/traversal, injection, other).",
        valueName: "names"))
    var category: [String] = []

    @Flag(name: .long, help: "Report only vulnerabilities that have a fixed version.")
    var ignoreUnfixed = false

    @Option(name: .long, help: "File of vulnerability ids to ignore (.trivyignore syntax; `exp:YYYY-MM-DD` expiry).")
    var ignorefile: String = ".trivyignore"

    @Option(name: .long, parsing: .unconditional, help: "Exit with this code (0-255, 0 = off) when vulnerabilities are reported.")
    var exitCode: Int32 = 0

    @Flag(name: .long, help: "List every installed package in the JSON report, vulnerable or not.")
    var listAllPkgs = false

    @Flag(name: .long, help: "Do not print warnings on standard error.")
    var quiet = false

    @Option(name: .long, help: "Warn when the vulnerability database is older than this (e.g. 7d, 36h, 90m; 0 = never).")
    var dbMaxAge: String = "7d"

    @Flag(name: .long, help: "Accepted for Trivy compatibility: scans never download the database (run `vigil db update`).")
    var skipDbUpdate = false

    @Option(name: .long, help: ArgumentHelp(
        "VEX document (OpenVEX, CycloneDX VEX or CSAF VEX JSON; repeatable): findings its not_affected or fixed statements cover (by package URL; a version-less purl covers every version) are suppressed.",
        valueName: "file"))
    var vex: [String] = []

    @Flag(name: .long, help: "List the findings VEX statements or the ignore file suppressed: in JSON as ExperimentalModifiedFindings (status, justification, source), in the table after the sections.")
    var showSuppressed = false

    @Flag(name: .long, help: "Make no network connection: the database is never fetched and registry pulls are refused (use --input).")
    var offline = false

    func severities() throws -> Set<Severity> {
        var set: Set<Severity> = []
        for word in severity.split(separator: ",") {
            let w = word.trimmingCharacters(in: .whitespaces)
            if w.isEmpty { continue }
            guard let s = Severity(name: w) else {
                throw ValidationError("unknown severity '\(w)' (use UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL)")
            }
            set.insert(s)
        }
        // An empty list would hide every finding and let a CI gate pass silently.
        guard !set.isEmpty else { throw ValidationError("--severity names no severity (use UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL)") }
        return set
    }

    /// `--category`, parsed; empty when not given.
    func categories() throws -> Set<Category> {
        do {
            return try VulnerabilityCategories.parseFilter(category)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// Checked at parse time, before any image is read.
    func validate() throws {
        try ExitCodeOption.check(exitCode)
        _ = try severities()
        _ = try maxDatabaseAge()
        _ = try categories()
    }

    /// `--db-max-age` in seconds; nil when the warning is off (`0`).
    func maxDatabaseAge() throws -> TimeInterval? {
        guard let seconds = DurationText.seconds(dbMaxAge) else {
            throw ValidationError("--db-max-age '\(dbMaxAge)' is not a duration (use 7d, 36h, 90m, 168h30m or 0)")
        }
        return seconds == 0 ? nil : seconds
    }

    /// The database path in effect.
    var databasePath: String { DatabaseLocation.resolve(db) }

    /// The engine's configuration for these options (flags already checked by `validate`).
    func configuration(scanners: Set<ScanConfiguration.Scanner> = [.vuln]) throws -> ScanConfiguration {
        var c = ScanConfiguration()
        c.severities = try severities()
        c.ignoreUnfixed = ignoreUnfixed
        c.ignoreFile = ignorefile
        c.categories = try categories()
        c.scanners = scanners
        c.classify = format != .table
        c.quiet = quiet
        c.maxDatabaseAge = try maxDatabaseAge().map { DatabaseAgeLimit(seconds: $0, text: dbMaxAge) }
        c.vexFiles = vex
        c.showSuppressed = showSuppressed
        return c
    }

    /// Runs the scan of `source` with the warnings on standard error, writes the report, and
    /// returns the exit code.
    func scan(_ source: ScanSource, configuration: ScanConfiguration) async throws -> Int32 {
        let pipeline = ScanPipeline(configuration: configuration, databasePath: databasePath)
        let outcome = try await pipeline.run(source, warn: { Console.warn($0) })
        let color = output == nil && isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let text = outcome.render(format: format.scanFormat, color: color, listAllPackages: listAllPkgs, toolVersion: VigilVersion.current)
        try OutputFile.write(text, to: output)
        if !quiet, let warning = outcome.degradedWarning { Console.warn(warning) }
        return outcome.hasFindings ? exitCode : 0
    }
}
