import ArgumentParser
import FeedUpdate
import Foundation
import VulnDB

/// `vigil db`: build and inspect the vulnerability database.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Build and inspect the vulnerability database.",
        subcommands: [Update.self, Import.self, Info.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Build the database from local feed files (air-gapped).",
            discussion: """
                Accepts files or directories (searched recursively): OSV JSON and osv.dev all.zip (the GitHub
                Advisory Database for every ecosystem, PyPI, Go, crates.io, Ubuntu, Alma, Rocky), Alpine/Wolfi
                secdb (YAML or JSON), the Debian security tracker JSON and DSA/DLA lists, the Ubuntu CVE tracker,
                NVD API 2.0 and CVE 5 JSON, Red Hat CSAF/CVE JSON, RustSec Markdown, RubySec and FriendsOfPHP
                YAML, Node.js security WG JSON, Wordfence Intelligence and the CWE catalogue. Files of other
                shapes are skipped and counted; a malformed feed file stops the import with its name (and line).
                The new database is built beside the old one and renamed into place, so a failed import leaves
                the previous one working.
                """
        )

        @Argument(help: "Feed files or directories.")
        var paths: [String]

        @Option(name: .long, help: "Database file to write (default: $VIGIL_DB or ~/.cache/vigil/db/vigil.db).")
        var db: String?

        func run() throws {
            let path = DatabaseLocation.resolve(db)
            // Same lock as `vigil db update`: two writers take turns instead of racing on the rename.
            let lock = try UpdateLock(databasePath: path, timeout: 1800) { pid in
                Console.warn("waiting for another database update\(pid.map { " (pid \($0))" } ?? "") to finish")
            }
            defer { withExtendedLifetime(lock) {} }
            _ = lock.removeLeftovers(databasePath: path)
            let summary = try DatabaseBuilder(destination: path).build(paths: paths)
            print("Imported \(summary.files) feed files into \(path) in \(String(format: "%.2f", summary.seconds)) s")
            for (source, counts) in summary.bySource.sorted(by: { $0.key < $1.key }) {
                print("  \(source): \(counts.advisories) advisories, \(counts.vulnerabilities) vulnerability records")
            }
            if !summary.gitOnlyAdvisories.isEmpty {
                let shown = summary.gitOnlyAdvisories.prefix(5).joined(separator: ", ")
                let more = summary.gitOnlyAdvisories.count > 5 ? ", …" : ""
                print("Not imported: \(summary.gitOnlyAdvisories.count) OSV entries with only GIT commit ranges (\(shown)\(more))")
            }
            if !summary.skippedFiles.isEmpty {
                Console.warn("skipped \(summary.skippedFiles.count) files of unknown format (first: \(summary.skippedFiles[0]))")
            }
            let total = summary.advisories + summary.vulnerabilities
            print("\(summary.advisories) advisories, \(summary.vulnerabilities) vulnerabilities (\(Int(Double(total) / max(summary.seconds, 0.001))) records/s)")
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Show the database's sources, record counts and age.",
            discussion: "Scans warn when the database is older than --db-max-age (default 7d); refresh it with `vigil db update`."
        )

        @Option(name: .long, help: "Database file (default: $VIGIL_DB or ~/.cache/vigil/db/vigil.db).")
        var db: String?

        func run() throws {
            let info = try VulnDatabase(readOnlyPath: DatabaseLocation.resolve(db)).info()
            let now = Date()
            print("Database: \(info.path)")
            print("Schema:   \(info.schemaVersion)")
            print("Built:    \(info.builtAt)\(info.age(now: now).map { " (\(DatabaseInfo.describe(age: $0)) ago)" } ?? "")")
            print("Records:  \(info.sources.reduce(0) { $0 + $1.advisories }) advisories, \(info.sources.reduce(0) { $0 + $1.vulnerabilities }) vulnerability records, \(info.cpeMatches) NVD CPE criteria, \(info.cweEntries) CWE entries")
            print("Sources:")
            for s in info.sources {
                print("  \(s.id): \(s.advisories) advisories, \(s.vulnerabilities) vulnerability records, imported \(s.importedAt) (from \(s.inputs))")
            }
        }
    }
}
