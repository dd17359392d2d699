import ArgumentParser
import FeedUpdate
import Foundation
import VulnDB

extension DBCommand {
    /// `vigil db update`: download the configured feeds and swap in a freshly built database.
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Download the vulnerability feeds and rebuild the database.",
            discussion: """
                Fetches every feed of the feeds config (the public feeds' usual URLs unless overridden: \
                --print-config shows them) into a staging directory beside the database, checks that each \
                download is the feed it should be, builds a new database beside the old one and renames it \
                into place. A failed or interrupted update (even kill -9) leaves the previous database \
                working, and scans that are running keep reading it. Concurrent updates take turns \
                (a lock file beside the database). Scans never download anything by themselves.

                --from reads every feed from a mirror laid out like shared/data/feeds (alpine-secdb/, \
                debian-tracker/, ubuntu/, nvd/, cwe/, pypi-osv/, go-osv/, rustsec/, rhel-family-samples/): \
                a directory, a file:// URL or an http(s):// URL serving directory indexes.
                """
        )

        @Option(name: .long, help: "Database file to replace (default: $VIGIL_DB or ~/.cache/vigil/db/vigil.db).")
        var db: String?

        @Option(name: .long, help: "Feeds config (YAML; default: $VIGIL_FEEDS_CONFIG, else ~/.config/vigil/feeds.yaml when it exists, else the built-in feeds).")
        var config: String?

        @Option(name: .long, help: "Read every feed from this mirror (directory, file:// or http(s):// base URL) instead of its upstream URLs.")
        var from: String?

        @Option(name: .long, parsing: .unconditional, help: "Seconds to wait while another update holds the database lock.")
        var lockTimeout: Double = 1800

        @Flag(name: .long, help: "Print the feeds config in effect (YAML) and exit.")
        var printConfig = false

        @Flag(name: .long, help: "No progress output; only the summary.")
        var quiet = false

        func validate() throws {
            guard lockTimeout.isFinite, lockTimeout >= 0, lockTimeout <= 365 * 86_400 else {
                throw ValidationError("--lock-timeout must be a number of seconds from 0 to 31536000, not \(lockTimeout)")
            }
        }

        func run() async throws {
            let feeds = try Self.loadConfig(config)
            if printConfig {
                print(feeds.yaml(), terminator: "")
                return
            }
            let path = DatabaseLocation.resolve(db)
            let display = UpdateProgressDisplay(mode: quiet ? .silent : (isatty(2) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb" ? .bar : .lines),
                                                source: from)
            let updater = DatabaseUpdater(destination: path, config: feeds, mirror: from, lockTimeout: lockTimeout)
            let report: DatabaseUpdater.Report
            do {
                report = try await updater.run { display.handle($0) }
            } catch {
                display.abort()
                throw error
            }
            display.finish()
            let build = report.build
            print("Updated \(path) from \(report.feeds.count) feeds: \(report.files) feed files (\(ByteCount.text(report.bytes))) fetched in \(String(format: "%.2f", report.fetchSeconds)) s, database built in \(String(format: "%.2f", build.seconds)) s")
            for (source, counts) in build.bySource.sorted(by: { $0.key < $1.key }) {
                print("  \(source): \(counts.advisories) advisories, \(counts.vulnerabilities) vulnerability records")
            }
            if build.cpeMatches > 0 || build.weaknesses > 0 {
                print("  NVD CPE criteria: \(build.cpeMatches); CWE entries: \(build.weaknesses)")
            }
            if !build.gitOnlyAdvisories.isEmpty {
                print("Not imported: \(build.gitOnlyAdvisories.count) OSV entries with only GIT commit ranges")
            }
            let rate = Int(Double(build.parsedRecords) / max(report.seconds, 0.001))
            print("\(build.advisories) advisories, \(build.vulnerabilities) vulnerabilities; \(build.parsedRecords) records parsed, \(rate) records/s over the whole update")
        }

        /// `--config`, `$VIGIL_FEEDS_CONFIG`, `~/.config/vigil/feeds.yaml` when present, else the defaults.
        static func loadConfig(_ explicit: String?) throws -> FeedsConfig {
            let env = ProcessInfo.processInfo.environment
            if let explicit { return try FeedsConfig.load(path: explicit) }
            if let path = env["VIGIL_FEEDS_CONFIG"], !path.isEmpty { return try FeedsConfig.load(path: path) }
            let configHome = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.config")
            let path = configHome + "/vigil/feeds.yaml"
            return FileManager.default.fileExists(atPath: path) ? try FeedsConfig.load(path: path) : .defaults()
        }
    }
}

/// What `vigil db update` shows while it works, on standard error: a self-rewriting bar on a
/// terminal, plain lines otherwise (CI logs), nothing with `--quiet`.
final class UpdateProgressDisplay: @unchecked Sendable {
    enum Mode { case bar, lines, silent }

    let mode: Mode
    let source: String?
    private let lock = NSLock()
    private var totalFiles = 0
    private var fetchedFiles = 0
    private var fetchedBytes: Int64 = 0
    private var lastDraw = Date.distantPast
    private var barShown = false
    private var importTotal: Int?
    private var importDrawnComplete = false
    private var announcedImport = false

    init(mode: Mode, source: String?) {
        self.mode = mode
        self.source = source
    }

    func handle(_ event: DatabaseUpdater.Event) {
        guard mode != .silent else { return }
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .waitingForLock(let pid):
            line("Waiting for another database update\(pid.map { " (pid \($0))" } ?? "") to finish…")
        case .removedLeftover(let path):
            line("Removed \(path), left by an interrupted update")
        case .skipped(let feed, let reason):
            line("  \(feed): skipped (\(reason))")
        case .listing(let feed, let location):
            if mode == .lines { line("Listing \(feed): \(location)") }
        case .planned(let feeds, let files):
            totalFiles = files
            line("Fetching \(files) files from \(feeds) feeds\(source.map { " (mirror \($0))" } ?? "")")
        case .receiving(_, let file, let received, let expected):
            guard mode == .bar, totalFiles == 1 || (expected ?? 0) > 4 << 20 else { return }
            let done = expected.map { "\(ByteCount.text(received)) / \(ByteCount.text($0))" } ?? ByteCount.text(received)
            draw(fraction: expected.map { Double(received) / Double(max($0, 1)) } ?? 0, text: "\(file)  \(done)")
        case .fileFetched(_, let bytes):
            fetchedFiles += 1
            fetchedBytes += bytes
            if mode == .bar {
                draw(fraction: Double(fetchedFiles) / Double(max(totalFiles, 1)),
                     text: "\(fetchedFiles)/\(totalFiles) files  \(ByteCount.text(fetchedBytes))", force: fetchedFiles == totalFiles)
            }
        case .feedFetched(let feed, let files, let bytes):
            if mode == .lines { line("  \(feed): \(files) files, \(ByteCount.text(bytes))") }
        case .validated(let files):
            line("Fetched \(fetchedFiles) files (\(ByteCount.text(fetchedBytes))); \(files) feed files checked")
        case .importing(let done, let total, _):
            if !announcedImport {
                announcedImport = true
                if mode == .lines { line("Importing \(total) feed files…") }
            }
            importTotal = total
            importDrawnComplete = done == total
            if mode == .bar { draw(fraction: Double(done) / Double(max(total, 1)), text: "importing \(done)/\(total) files", force: done == total) }
        case .swapped:
            // the importer reports progress per batch: the bar ends complete even when the last
            // report came before the last file
            if mode == .bar, let total = importTotal, !importDrawnComplete {
                draw(fraction: 1, text: "importing \(total)/\(total) files", force: true)
                importDrawnComplete = true
            }
            line("New database in place")
        }
    }

    /// Ends a bar line before the summary is printed.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        clearBar()
    }

    /// Clears the bar so the error line starts at the left margin.
    func abort() { finish() }

    private func line(_ text: String) {
        clearBar()
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    private func clearBar() {
        if barShown {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            barShown = false
        }
    }

    private func draw(fraction: Double, text: String, force: Bool = false) {
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let width = 30
        let filled = max(0, min(width, Int(fraction * Double(width))))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + bar + " " + String(format: "%3d%%", Int(fraction * 100)) + "  " + text).utf8))
        barShown = true
    }
}
