import Foundation
import GRDB
import SystemIO
import Versioning
import VigilCore

/// Builds a database from feed files into a temporary file beside the destination, then renames
/// it into place: an interrupted or failed import leaves the previous database untouched, and
/// scans that have the old file open keep reading it.
public struct DatabaseBuilder {
    public let destination: String

    /// Largest feed file read, as `vigil db update`'s default `max-file-size` (NVD's yearly
    /// JSON feeds, the biggest real ones, are a few hundred MB).
    public static let maximumFileSize = 2 << 30
    /// Largest number of feed bytes one import reads, files and inflated zip members together,
    /// as `vigil db update`'s default `max-total-size`. What is kept of them is bounded per
    /// record too (``VulnerabilityRecord/maximumTextLength``).
    public static let maximumTotalSize = 16 << 30

    public init(destination: String) { self.destination = destination }

    /// Statistics of one build.
    public struct Summary: Sendable {
        public var files = 0
        public var skippedFiles: [String] = []
        public var advisories = 0
        public var vulnerabilities = 0
        /// NVD CPE match criteria stored (after de-duplication).
        public var cpeMatches = 0
        /// CWE catalogue entries stored.
        public var weaknesses = 0
        /// Records parsed from the inputs before de-duplication (advisories, vulnerability
        /// records, CPE criteria and CWE entries): the measure of import throughput.
        public var parsedRecords = 0
        public var bySource: [String: (advisories: Int, vulnerabilities: Int)] = [:]
        /// OSV entries not imported because they only had GIT ranges (`ID Ecosystem/package`).
        public var gitOnlyAdvisories: [String] = []
        public var seconds = 0.0
    }

    /// Imports every feed file under `paths` (files or directories, recursively) and swaps the result in.
    /// `labels` names an input in the `sources` table instead of its path (`vigil db update`
    /// builds from a staging directory that is gone afterwards, so it records the feed's URL).
    ///
    /// Records are written to the new database file by file, in one transaction without a
    /// rollback journal (the file is new and discarded on failure), and the indices are built
    /// at the end: memory stays bounded by the largest feed file, not by the feed set (NVD's
    /// 400,000 CVEs and GitHub's 250,000 advisories import within 1 GiB, Benchmarks/feed-scale.sh).
    /// Duplicates are merged as they arrive for vulnerability records (keyed by id and source),
    /// and after loading for advisories (``merge(_:_:)-swift.type.method``, in arrival order)
    /// and CPE criteria.
    public func build(paths: [String], labels: [String: String] = [:], progress: (String) -> Void = { _ in }) throws(VulnDBError) -> Summary {
        try Self.checkDestination(destination)
        let start = Date()
        var summary = Summary()
        let dir = (destination as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir.isEmpty ? "." : dir, withIntermediateDirectories: true)
        } catch {
            throw VulnDBError(.io, "\(dir): cannot create directory (\(error.localizedDescription))")
        }
        let temp = destination + ".tmp-\(getpid())"
        try? FileManager.default.removeItem(atPath: temp)
        do {
            let queue = try DatabaseQueue(path: temp)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = OFF")
                try db.execute(sql: "PRAGMA temp_store = FILE")
            }
            try queue.write { db in
                try Self.createSchema(db)
                var writer = try DatabaseWriter(db)
                try load(paths: paths, labels: labels, into: &writer, summary: &summary, progress: progress)
                try Self.createIndices(db)
                try writer.finish(summary: &summary)
            }
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try queue.close()
        } catch let error as VulnDBError {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw VulnDBError(.database, "\(temp): \(VulnDatabase.describe(error))")
        }
        guard rename(temp, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temp)
            throw VulnDBError(.io, "\(destination): cannot move the new database into place (\(reason))")
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// Parses every feed file and hands its records to `writer`, file by file.
    private func load(paths: [String], labels: [String: String], into writer: inout DatabaseWriter,
                      summary: inout Summary, progress: (String) -> Void) throws {
        var totalBytes = 0
        for root in paths {
            for file in try Self.feedFiles(under: root) {
                let data = try FeedFileReader.read(file, maxBytes: Self.maximumFileSize)
                totalBytes += data.count
                guard totalBytes <= Self.maximumTotalSize else {
                    throw VulnDBError(.malformedFeed, "\(file): the import's feeds exceed \(Self.maximumTotalSize >> 30) GiB in total; the database was not changed")
                }
                guard let format = FeedImporter.detect(path: file, data: data) else {
                    // JSON that does not even parse is a damaged feed, not a file to step over:
                    // skipping it would silently drop its advisories from the new database.
                    if let problem = FeedImporter.damagedJSON(data) {
                        throw VulnDBError(.malformedFeed, "\(file): malformed JSON (\(problem)); the database was not changed")
                    }
                    summary.skippedFiles.append(file)
                    continue
                }
                let parsed = try FeedImporter.parseDetailed(path: file, data: data, format: format)
                totalBytes += parsed.inflatedBytes
                guard totalBytes <= Self.maximumTotalSize else {
                    throw VulnDBError(.malformedFeed, "\(file): the import's feeds exceed \(Self.maximumTotalSize >> 30) GiB in total (zip members inflated); the database was not changed")
                }
                summary.gitOnlyAdvisories += parsed.gitOnlyAdvisories
                summary.files += 1
                summary.parsedRecords += parsed.batch.count
                progress(file)
                try writer.add(parsed.batch, input: labels[root] ?? root)
            }
        }
        guard summary.files > 0 else {
            let skipped = summary.skippedFiles.isEmpty ? "" : " (\(summary.skippedFiles.count) files of unknown format)"
            throw VulnDBError(.notFound, "no feed files found in \(paths.joined(separator: ", "))\(skipped); the database was not changed")
        }
    }

    static func createSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE sources (id TEXT PRIMARY KEY, inputs TEXT NOT NULL, advisories INTEGER NOT NULL,
                                  vulnerabilities INTEGER NOT NULL, imported_at TEXT NOT NULL);
            CREATE TABLE advisories (
                id INTEGER PRIMARY KEY,
                vulnerability_id TEXT NOT NULL,
                family TEXT NOT NULL,
                release TEXT NOT NULL,
                package TEXT NOT NULL,
                status TEXT NOT NULL,
                fixed_version TEXT,
                ranges TEXT,
                affected_versions TEXT,
                vendor_severity TEXT,
                source TEXT NOT NULL,
                advisory_id TEXT,
                vulnerable_ranges TEXT,
                unaffected_ranges TEXT
            );
            CREATE TABLE vulnerabilities (
                id TEXT NOT NULL,
                source TEXT NOT NULL,
                title TEXT,
                description TEXT,
                cvss TEXT,
                cwe_ids TEXT,
                refs TEXT,
                aliases TEXT,
                published TEXT,
                modified TEXT,
                severity TEXT,
                PRIMARY KEY (id, source)
            ) WITHOUT ROWID;
            CREATE TABLE cpe_matches (
                id INTEGER PRIMARY KEY,
                vulnerability_id TEXT NOT NULL,
                part TEXT NOT NULL,
                vendor TEXT NOT NULL,
                product TEXT NOT NULL,
                version TEXT NOT NULL,
                update_ TEXT NOT NULL,
                version_start_including TEXT,
                version_start_excluding TEXT,
                version_end_including TEXT,
                version_end_excluding TEXT,
                requires_other_product INTEGER NOT NULL,
                criteria TEXT NOT NULL
            );
            CREATE TABLE nvd_configurations (
                vulnerability_id TEXT PRIMARY KEY,
                configurations TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE cwe (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                kind TEXT,
                abstraction TEXT,
                status TEXT,
                parents TEXT NOT NULL
            ) WITHOUT ROWID;
            """)
    }

    /// The lookup indices, built once after loading (cheaper than maintaining them per insert).
    static func createIndices(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX advisories_by_package ON advisories (family, release, package, vulnerability_id);
            CREATE INDEX cpe_matches_by_product ON cpe_matches (vendor, product);
            CREATE INDEX cpe_matches_by_product_only ON cpe_matches (product);
            """)
    }

    /// Two facts about the same package and vulnerability from one source (a DSA and a later DLA,
    /// the tracker JSON and a list file): a fix wins over no fix, and the later (higher) fix wins,
    /// because the package stays vulnerable until the last fix.
    static func merge(_ a: AdvisoryRecord, _ b: AdvisoryRecord) -> AdvisoryRecord {
        func rank(_ s: AdvisoryStatus) -> Int {
            switch s {
            case .fixed: return 4
            case .affected: return 3
            case .willNotFix: return 2
            case .endOfLife: return 1
            case .notAffected: return 0
            }
        }
        if a.source.hasPrefix("osv-"), !a.ranges.isEmpty || !a.affectedVersions.isEmpty,
           !b.ranges.isEmpty || !b.affectedVersions.isEmpty {
            // Two OSV `affected` entries for one package (the schema allows it): a version is
            // affected if either says so, so keep both entries' ranges and versions.
            var merged = a
            merged.ranges = a.ranges + b.ranges.filter { !a.ranges.contains($0) }
            merged.affectedVersions = a.affectedVersions + b.affectedVersions.filter { !a.affectedVersions.contains($0) }
            if let fb = b.fixedVersion, a.fixedVersion.map({
                VersionComparator.compare($0, fb, scheme: scheme(for: a.ecosystem.family)) < 0 }) ?? true {
                merged.fixedVersion = fb
            }
            merged.status = merged.fixedVersion == nil ? .affected : .fixed
            merged.vendorSeverity = a.vendorSeverity ?? b.vendorSeverity
            return merged
        }
        if a.status == .fixed, b.status == .fixed, let fa = a.fixedVersion, let fb = b.fixedVersion {
            let scheme = scheme(for: a.ecosystem.family)
            var winner = VersionComparator.compare(fa, fb, scheme: scheme) >= 0 ? a : b
            winner.vendorSeverity = winner.vendorSeverity ?? a.vendorSeverity ?? b.vendorSeverity
            winner.advisoryID = winner.advisoryID ?? a.advisoryID ?? b.advisoryID
            return winner
        }
        var winner = rank(b.status) > rank(a.status) ? b : a
        winner.vendorSeverity = winner.vendorSeverity ?? a.vendorSeverity ?? b.vendorSeverity
        winner.advisoryID = winner.advisoryID ?? a.advisoryID ?? b.advisoryID
        return winner
    }

    static func merge(_ a: VulnerabilityRecord, _ b: VulnerabilityRecord) -> VulnerabilityRecord {
        var r = a
        r.title = a.title ?? b.title
        r.description = (a.description?.isEmpty == false ? a.description : nil) ?? b.description
        r.cvss = a.cvss.isEmpty ? b.cvss : a.cvss
        r.cweIDs = Array(Set(a.cweIDs + b.cweIDs)).sorted()
        var seen = Set<String>()
        r.references = (a.references + b.references).filter { seen.insert($0).inserted }
        r.aliases = Array(Set(a.aliases + b.aliases)).sorted()
        r.published = a.published ?? b.published
        r.modified = [a.modified, b.modified].compactMap { $0 }.max()
        r.severity = a.severity ?? b.severity
        return r
    }

    /// The version scheme an ecosystem family uses.
    public static func scheme(for family: String) -> VersionScheme {
        switch family {
        case "alpine", "wolfi", "chainguard": return .apk
        case "debian", "ubuntu", "ubuntu-pro": return .dpkg
        default: return VersionScheme(ecosystem: family) ?? .rpm
        }
    }

    /// Refuses a database path that exists and is not a regular file (or a symlink, which the
    /// rename replaces without touching its target). The new database is renamed over the
    /// destination, so `--db /dev/null` run as root would otherwise replace the device node,
    /// and a directory would fail only after the whole import.
    public static func checkDestination(_ path: String) throws(VulnDBError) {
        guard let kind = FileKind(path: path, followLinks: false) else {
            if errno == ENOENT { return }
            throw VulnDBError(.io, "\(path): cannot use as the database (\(FeedFileReader.lastError()))")
        }
        guard kind == .regular || kind == .symbolicLink else {
            throw VulnDBError(.io, "\(path): is \(kind.words), not a database file; give --db a regular file path")
        }
    }

    /// Feed files under a path, sorted, skipping licences and readmes.
    public static func feedFiles(under root: String) throws(VulnDBError) -> [String] {
        guard let kind = FileKind(path: root) else {
            throw VulnDBError(.notFound, "\(root): \(FeedFileReader.lastError())")
        }
        guard kind == .directory else {
            guard kind == .regular else {
                throw VulnDBError(.io, "\(root): is \(kind.words), not a feed file or directory")
            }
            return [root]
        }
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let rel = walker.nextObject() as? String {
            let full = root + "/" + rel
            // Regular files only: a FIFO or device in a feed directory would block the import.
            // One lstat: Foundation's attributesOfItem also looks up the owner and group names,
            // which cost more than the whole parse of a small advisory over GitHub's 250,000 files.
            guard FileKind(path: full, followLinks: false) == .regular else { continue }
            let base = (rel as NSString).lastPathComponent.lowercased()
            // Licences, readmes and the Ubuntu tracker's `00boilerplate.*` templates are not feeds.
            // RustSec advisories are Markdown too, so `.md` files are only skipped when they
            // are not RustSec advisories (`RUSTSEC-…md`).
            let isRustSec = base.hasPrefix("rustsec-") && base.hasSuffix(".md")
            if base.hasPrefix("license") || base.hasPrefix("readme") || base.hasPrefix("upstream-readme")
                || base.hasPrefix("00boilerplate") || base.hasPrefix("cwe-terms-of-use")
                || (base.hasSuffix(".md") && !isRustSec) || base.hasSuffix(".txt") || base.hasPrefix(".") { continue }
            files.append(full)
        }
        return files.sorted()
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
