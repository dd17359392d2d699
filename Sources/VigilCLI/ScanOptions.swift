import Analyzers
import ArgumentParser
import Classification
import ContainerImage
import Foundation
import Report
import ReportTools
import Scanner
import VulnDB

/// Output formats of scan commands: the table, Trivy JSON, and the `ReportFormat`s made from it.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, sarif, cyclonedx
    case spdxJSON = "spdx-json"
    case html

    /// The `ReportTools` format; nil for the table.
    var reportFormat: ReportFormat? { ReportFormat(rawValue: rawValue) }
}

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

    /// Warns when the database was built longer ago than `--db-max-age`.
    func warnIfStale(_ database: VulnDatabase) throws {
        guard !quiet, let limit = try maxDatabaseAge() else { return }
        let info = try database.info()
        guard let age = info.age(), age > limit else { return }
        Console.warn("the vulnerability database was built \(DatabaseInfo.describe(age: age)) ago (\(info.builtAt), older than --db-max-age \(dbMaxAge)); refresh it with `vigil db update`")
    }

    func ignoreList() throws -> IgnoreList {
        guard FileManager.default.fileExists(atPath: ignorefile) else {
            if ignorefile != ".trivyignore" { throw CLIError("\(ignorefile): no such ignore file") }
            return IgnoreList()
        }
        guard let data = FileManager.default.contents(atPath: ignorefile) else {
            throw CLIError("\(ignorefile): cannot read ignore file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError("\(ignorefile): ignore file is not valid UTF-8")
        }
        return try IgnoreList(parsing: text, path: ignorefile)
    }

    /// The database path in effect.
    var databasePath: String { DatabaseLocation.resolve(db) }

    /// Matches, filters and writes the report; returns the exit code.
    /// `config`: Dockerfile checks of the image (`--scanners misconfig`), filtered here;
    /// `matchPackages` false skips the vulnerability scan (`--scanners misconfig` alone).
    func finish(artifactName: String, type: ScanResult.ArtifactType, image: ImageSummary?, inventory: Inventory,
                config: [ConfigScanFindings] = [], matchPackages: Bool = true) throws -> Int32 {
        let filter = FindingFilter(severities: try severities(), ignoreUnfixed: ignoreUnfixed, ignored: try ignoreList())
        let wanted = try categories()
        var findings: [Finding] = []
        // Categories (JSON, the other formats, --category) come from the database's CWE catalogue.
        var classification: CommandClassifier?
        if matchPackages, inventory.os != nil || !inventory.applications.isEmpty {
            let database = try VulnDatabase(readOnlyPath: databasePath)
            try warnIfStale(database)
            if format != .table || !wanted.isEmpty {
                classification = try CommandClassifier(database: database, path: databasePath)
            }
            let matcher = VulnerabilityMatcher(database: database)
            findings = filter.apply(try matcher.match(inventory))
            if let classification, !wanted.isEmpty {
                findings = CategoryFilter(categories: wanted, classifier: classification.classifier).apply(findings)
            }
            if !quiet {
                for entry in try matcher.gitOnlyAdvisories(inventory) {
                    Console.warn("\(entry) gives only GIT commit ranges, which an installed version cannot be checked against: not matched")
                }
            }
        }
        if !quiet { warn(inventory) }
        var result = ScanResult(artifactName: artifactName, artifactType: type, image: image, inventory: inventory, findings: findings)
        result.configFindings = config.map { $0.filtered(severities: (try? severities()) ?? [], filter: filter) }
        let classifier = classification?.classifier ?? Classifier()
        let text: String
        switch format {
        case .table:
            text = TableReport(color: output == nil && isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil).render(result)
        case .json:
            text = TrivyJSONReport(listAllPackages: listAllPkgs, classifier: classifier).render(result)
        case .sarif, .cyclonedx, .spdxJSON, .html:
            let report = TrivyJSONReport(listAllPackages: listAllPkgs, classifier: classifier).json(result)
            text = format.reportFormat!.render(report, classifier: classifier, toolVersion: VigilVersion.current)
        }
        try OutputFile.write(text, to: output)
        classification?.warnIfDegraded(quiet: quiet)
        return findings.isEmpty && result.configFindings.allSatisfy(\.isEmpty) ? 0 : exitCode
    }

    func warn(_ inventory: Inventory) {
        for w in inventory.warnings { Console.warn(w) }
        guard let os = inventory.os else {
            Console.warn("no OS release file found; OS packages cannot be matched against advisories")
            return
        }
        if os.endOfLife {
            Console.warn("\(os.family) \(os.name) reached end of support\(os.endOfLifeDate.map { " on \($0)" } ?? ""): its packages get no more security fixes")
        }
    }
}

/// Durations as Trivy and Go write them (`168h`, `90m`, `1h30m`, `45s`) plus days and weeks
/// (`7d`, `2w`); a bare number is hours.
enum DurationText {
    static func seconds(_ text: String) -> TimeInterval? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !t.isEmpty else { return nil }
        if let hours = Double(t) { return hours >= 0 ? hours * 3600 : nil }
        let units: [Character: Double] = ["w": 604_800, "d": 86_400, "h": 3600, "m": 60, "s": 1]
        var total = 0.0
        var number = ""
        for c in t {
            if c.isNumber || c == "." {
                number.append(c)
            } else if let unit = units[c], let value = Double(number) {
                total += value * unit
                number = ""
            } else {
                return nil
            }
        }
        return number.isEmpty ? total : nil
    }
}

/// Where the database lives by default.
enum DatabaseLocation {
    static func resolve(_ explicit: String?) -> String {
        if let explicit { return explicit }
        if let env = ProcessInfo.processInfo.environment["VIGIL_DB"], !env.isEmpty { return env }
        return cacheDirectory() + "/db/vigil.db"
    }

    static func cacheDirectory() -> String {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/vigil" }
        let home = env["HOME"] ?? NSHomeDirectory()
        return home + "/.cache/vigil"
    }
}

/// A user-facing error from the command layer.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// Standard error output.
enum Console {
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("vigil: warning: \(oneLine(message))\n".utf8))
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("vigil: error: \(oneLine(message))\n".utf8))
    }

    /// Messages quote names and lines from untrusted images and feeds: control characters are
    /// escaped so a hostile entry name can neither forge a second `vigil: error:` line nor drive
    /// the terminal.
    static func oneLine(_ message: String) -> String {
        var out = ""
        for scalar in message.unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029:
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Reports are written whole or not at all: a temp file beside the target, renamed into place.
/// A target that exists and is not a regular file — `/dev/null`, `/dev/stdout`, a FIFO, a
/// symbolic link — is written through instead, as Trivy does: renaming onto it would replace the
/// device or the link with a plain file.
enum OutputFile {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            try writeThrough(text, to: path)
            return
        }
        let temp = path + ".vigil-tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temp, contents: Data(text.utf8)) else {
            throw CLIError("\(path): cannot write report")
        }
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temp)
            throw CLIError("\(path): cannot write report (\(reason))")
        }
    }

    private static func writeThrough(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CLIError("\(path): cannot write report (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw CLIError("\(path): cannot write report (\(String(cString: strerror(errno))))") }
            done += n
        }
        bytes.removeAll()
    }
}
