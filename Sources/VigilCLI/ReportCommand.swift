import ArgumentParser
import Foundation
import JSONValue
import ReportTools
import Scan

/// `vigil report`: analyst work on Trivy-shaped JSON reports (Vigil's, Trivy's, or earlier splits).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Split, summarise, compare and convert Trivy-shaped JSON reports.",
        discussion: """
            Vulnerabilities without `Categories` (reports Trivy wrote) are classified with the CWE \
            catalogue of the vulnerability database (--db, $VIGIL_DB or the default one); see docs/categories.md.
            """,
        subcommands: [Split.self, Summary.self, Diff.self, Convert.self]
    )

    /// Options of the subcommands that classify.
    struct ClassifyOptions: ParsableArguments {
        @Option(name: .long, help: "Database whose CWE catalogue classifies vulnerabilities without Categories (default: $VIGIL_DB or ~/.cache/vigil/db/vigil.db).")
        var db: String?

        @Flag(name: .long, help: "Do not print warnings on standard error.")
        var quiet = false
    }

    /// Text to standard output, ending in one newline.
    static func emit(_ text: String) {
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
    }

    enum SplitGrouping: String, ExpressibleByArgument, CaseIterable {
        case category, severity, package
    }

    enum TextOrJSON: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "split",
            abstract: "Write one Trivy-shaped JSON file per category, severity or package.",
            discussion: """
                Files are named PREFIX + group + `_vulns.json`: with --prefix wp_ and --by category, \
                wp_bo_vulns.json, wp_dos_vulns.json, wp_pe_vulns.json, wp_mitm_vulns.json, wp_rce_vulns.json, \
                wp_info_vulns.json, wp_traversal_vulns.json, wp_injection_vulns.json and wp_other_vulns.json (always \
                all nine; --by severity always gives all five). The report is streamed; the files appear only \
                when the whole report was read.
                """
        )

        @Argument(help: "Trivy-shaped JSON report.")
        var report: String

        @Option(name: .long, help: "How to group the vulnerabilities.")
        var by: SplitGrouping

        @Option(name: .long, help: "File name prefix (`wp_` gives wp_bo_vulns.json …).")
        var prefix: String = ""

        @Option(name: .long, help: "Existing directory to write the files in.")
        var outDir: String = "."

        @OptionGroup var options: ClassifyOptions

        func run() throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: outDir, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CLIError("\(outDir): no such directory (--out-dir)")
            }
            guard !prefix.contains("/") else { throw CLIError("--prefix '\(prefix)' contains '/'; use --out-dir for the directory") }
            let classification = try ScanClassifier.forReports(path: DatabaseLocation.resolve(options.db), explicit: options.db != nil)
            let directory = outDir.hasSuffix("/") ? outDir : outDir + "/"
            let splitter = ReportSplitter(by: ReportSplitter.Grouping(rawValue: by.rawValue)!, prefix: directory + prefix,
                                          classifier: classification.classifier)
            let outputs = try splitter.split(reportAt: report)
            for output in outputs {
                let path = outDir == "." ? String(output.path.dropFirst(2)) : output.path
                print("\(path)\t\(output.vulnerabilities)")
            }
            if !options.quiet, let warning = classification.degradedWarning { Console.warn(warning) }
        }
    }

    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "summary",
            abstract: "Count vulnerabilities by category and severity.",
            discussion: "A vulnerability in several categories is counted in each category row and once in the total."
        )

        @Argument(help: "Trivy-shaped JSON report.")
        var report: String

        @Option(name: .long, help: "text (a table) or json.")
        var format: TextOrJSON = .text

        @OptionGroup var options: ClassifyOptions

        func run() throws {
            let classification = try ScanClassifier.forReports(path: DatabaseLocation.resolve(options.db), explicit: options.db != nil)
            let summary = try ReportSummary.read(reportAt: report, classifier: classification.classifier)
            switch format {
            case .text: ReportCommand.emit(summary.text())
            case .json: ReportCommand.emit(JSONPrinter(indent: 2).render(summary.json()))
            }
            if !options.quiet, let warning = classification.degradedWarning { Console.warn(warning) }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Show what changed between two reports: fixed, introduced, severity changed.",
            discussion: "Findings are matched by (VulnerabilityID, PkgName, InstalledVersion); a finding listed in several results counts once."
        )

        @Argument(help: "The earlier report.")
        var old: String

        @Argument(help: "The later report.")
        var new: String

        @Option(name: .long, help: "text or json.")
        var format: TextOrJSON = .text

        func run() throws {
            let diff = try ReportDiff.compare(old: old, new: new)
            switch format {
            case .text: ReportCommand.emit(diff.text())
            case .json: ReportCommand.emit(JSONPrinter(indent: 2).render(diff.json()))
            }
        }
    }

    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract: "Convert a report to json (with Categories), sarif, cyclonedx, spdx-json or html.",
            discussion: "With -o the file is written whole or not at all."
        )

        @Argument(help: "Trivy-shaped JSON report.")
        var report: String

        @Option(name: [.customShort("f"), .long], help: "json, sarif, cyclonedx, spdx-json or html.")
        var format: ConvertFormat

        @Option(name: [.customShort("o"), .long], help: "Write to FILE instead of standard output.")
        var output: String?

        @OptionGroup var options: ClassifyOptions

        func run() throws {
            let classification = try ScanClassifier.forReports(path: DatabaseLocation.resolve(options.db), explicit: options.db != nil)
            let value = try Self.read(report)
            let text = ReportFormat(rawValue: format.rawValue)!.render(value, classifier: classification.classifier,
                                                                       toolVersion: VigilVersion.current)
            try OutputFile.write(text, to: output)
            if !options.quiet, let warning = classification.degradedWarning { Console.warn(warning) }
        }

        /// The whole report as a value; errors name the file and line.
        static func read(_ path: String) throws -> JSON {
            let data = try ReportFile.readAll(path)
            let value: JSON
            do {
                value = try JSONParser.parse(data)
            } catch {
                throw ReportError(path: path, line: error.line, message: "invalid JSON: \(error.message)")
            }
            guard case .object = value else {
                throw ReportError(path: path, line: 1, message: "not a Trivy-shaped report: expected a JSON object")
            }
            if let results = value["Results"], results.arrayValue == nil, results != .null {
                throw ReportError(path: path, message: "not a Trivy-shaped report: `Results` is not an array")
            }
            return value
        }
    }

    enum ConvertFormat: String, ExpressibleByArgument, CaseIterable {
        case json, sarif, cyclonedx
        case spdxJSON = "spdx-json"
        case html
    }
}
