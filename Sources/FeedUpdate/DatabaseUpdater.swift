import Foundation
import VulnDB
import VigilCore

/// `vigil db update`: fetches the configured feeds into a staging directory beside the database,
/// validates them, builds a new database beside the old one and renames it into place.
///
/// Every failure before the rename leaves the previous database as it was; the rename itself is
/// atomic, and scans that opened the old file keep reading its inode. An exclusive lock on
/// `<database>.lock` serialises concurrent updates (and imports).
public struct DatabaseUpdater: Sendable {
    /// The database file to replace.
    public var destination: String
    /// The feeds and limits.
    public var config: FeedsConfig
    /// A mirror laid out like `shared/data/feeds` (directory, `file://` or `http(s)://` base):
    /// each feed is read from its `mirror` paths there instead of its `urls`.
    public var mirror: String?
    /// Seconds to wait for another update's lock.
    public var lockTimeout: Double
    /// Files downloaded at once.
    public var concurrency: Int

    /// Creates an updater.
    public init(destination: String, config: FeedsConfig, mirror: String? = nil, lockTimeout: Double = 1800, concurrency: Int = 8) {
        self.destination = destination
        self.config = config
        self.mirror = mirror
        self.lockTimeout = lockTimeout
        self.concurrency = max(1, concurrency)
    }

    /// What the update is doing, for a progress display.
    public enum Event: Sendable {
        /// Another process holds the lock (its pid when known); this one waits.
        case waitingForLock(pid: Int32?)
        /// A staging directory or temporary database left by a killed update was removed.
        case removedLeftover(String)
        /// A feed has nothing to fetch in this mode (no URLs, or no mirror path with `--from`).
        case skipped(feed: String, reason: String)
        /// Directory listings are being read for a feed.
        case listing(feed: String, location: String)
        /// Everything to fetch is known.
        case planned(feeds: Int, files: Int)
        /// Bytes of one file so far (for long single-file downloads).
        case receiving(feed: String, file: String, received: Int64, expected: Int64?)
        /// One file is staged.
        case fileFetched(feed: String, bytes: Int64)
        /// All files of a feed are staged.
        case feedFetched(feed: String, files: Int, bytes: Int64)
        /// Every staged file passed the format checks.
        case validated(files: Int)
        /// The importers parsed one more file.
        case importing(done: Int, total: Int, file: String)
        /// The new database is in place.
        case swapped
    }

    /// What an update did.
    public struct Report: Sendable {
        /// Feeds fetched, in config order.
        public var feeds: [String]
        /// Files staged and their total size.
        public var files = 0
        public var bytes: Int64 = 0
        /// Seconds spent fetching (listing, downloading, unpacking, validating).
        public var fetchSeconds = 0.0
        /// The build's own statistics.
        public var build: DatabaseBuilder.Summary
        /// Wall time of the whole update, lock wait excluded.
        public var seconds = 0.0
    }

    /// One configured location, staged at `staged` (a file or a directory).
    struct StagedLocation: Sendable {
        var feed: FeedSpec
        var location: FeedLocation
        var staged: String
        var isDirectory: Bool
    }

    /// Runs the update.
    public func run(progress: @escaping @Sendable (Event) -> Void = { _ in }) async throws -> Report {
        let lock = try UpdateLock(databasePath: destination, timeout: lockTimeout) { progress(.waitingForLock(pid: $0)) }
        defer { withExtendedLifetime(lock) {} }
        let start = Date()
        for leftover in lock.removeLeftovers(databasePath: destination) { progress(.removedLeftover(leftover)) }

        let staging = destination + ".staging-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw FeedUpdateError(.io, "\(staging): cannot create staging directory (\(error.localizedDescription))")
        }
        defer { try? FileManager.default.removeItem(atPath: staging) }

        let fetcher = FeedFetcher()
        let staged: [StagedLocation]
        let jobs: [FetchJob]
        let outputs: [String: [String]]
        do {
            let planned = try await plan(staging: staging, fetcher: fetcher, progress: progress)
            staged = planned.0
            jobs = planned.1
            outputs = try await fetchAll(jobs, staged: staged, fetcher: fetcher, progress: progress)
        } catch {
            await fetcher.shutdown()
            throw error
        }
        await fetcher.shutdown()
        let fileCount = try validate(staged, outputs: outputs)
        progress(.validated(files: fileCount))
        let fetchSeconds = Date().timeIntervalSince(start)

        var feedDirs: [String] = []
        var labels: [String: String] = [:]
        for loc in staged {
            let dir = staging + "/" + loc.feed.name
            if !feedDirs.contains(dir) {
                feedDirs.append(dir)
                let all = staged.filter { $0.feed.name == loc.feed.name }
                labels[dir] = "\(loc.feed.name) (\(loc.location)\(all.count > 1 ? " +\(all.count - 1) more" : ""))"
            }
        }
        var total = 0
        for dir in feedDirs { total += try DatabaseBuilder.feedFiles(under: dir).count }
        var done = 0
        let summary: DatabaseBuilder.Summary
        do {
            summary = try DatabaseBuilder(destination: destination).build(paths: feedDirs, labels: labels) { file in
                done += 1
                progress(.importing(done: done, total: total, file: file))
            }
        } catch {
            throw VulnDBError(error.reason, Self.unstage(error.message, staged))
        }
        progress(.swapped)
        var report = Report(feeds: feedDirs.map { ($0 as NSString).lastPathComponent }, build: summary)
        report.files = fileCount
        report.bytes = jobs.isEmpty ? 0 : Self.stagedBytes(staging)
        report.fetchSeconds = fetchSeconds
        report.seconds = Date().timeIntervalSince(start)
        return report
    }

    /// Resolves every enabled feed to locations and lists them into fetch jobs.
    func plan(staging: String, fetcher: FeedFetcher, progress: @Sendable (Event) -> Void) async throws -> ([StagedLocation], [FetchJob]) {
        var staged: [StagedLocation] = []
        var jobs: [FetchJob] = []
        for feed in config.enabledFeeds {
            let locations: [FeedLocation]
            if let mirror {
                guard !feed.mirror.isEmpty else {
                    progress(.skipped(feed: feed.name, reason: "no mirror path in the feeds config"))
                    continue
                }
                locations = try feed.mirror.map { (path) throws(FeedUpdateError) in try FeedLocation.mirror(base: mirror, path: path) }
            } else {
                guard !feed.urls.isEmpty else {
                    progress(.skipped(feed: feed.name, reason: "no download URL in the feeds config (mirror only)"))
                    continue
                }
                locations = try feed.urls.map { (url) throws(FeedUpdateError) in try FeedLocation(url) }
            }
            let feedDir = staging + "/" + feed.name
            for (k, location) in locations.enumerated() {
                let isDirectory: Bool
                switch location {
                case .remote(let url): isDirectory = url.hasSuffix("/")
                case .local(let path):
                    var dir: ObjCBool = false
                    isDirectory = FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
                }
                let destination = isDirectory ? feedDir + "/\(k)" : feedDir + "/\(k)-" + Self.fileName(location)
                if isDirectory { progress(.listing(feed: feed.name, location: location.description)) }
                let found = try await fetcher.plan(feed: feed.name, location: location, destination: destination,
                                                   maxFiles: config.maxFiles - jobs.count)
                jobs += found
                staged.append(StagedLocation(feed: feed, location: location, staged: destination, isDirectory: isDirectory))
            }
        }
        guard !jobs.isEmpty else {
            throw FeedUpdateError(.config, "no feed has anything to fetch\(mirror.map { " from \($0)" } ?? ""); the database was not changed")
        }
        progress(.planned(feeds: Set(staged.map(\.feed.name)).count, files: jobs.count))
        return (staged, jobs)
    }

    /// Downloads or copies every job, `concurrency` at a time, unpacking as files arrive.
    /// Returns what each job's destination became (itself, its inflated name, its unzipped files).
    func fetchAll(_ jobs: [FetchJob], staged: [StagedLocation], fetcher: FeedFetcher,
                  progress: @escaping @Sendable (Event) -> Void) async throws -> [String: [String]] {
        let budget = FetchBudget(maxFileBytes: config.maxFileBytes, maxTotalBytes: config.maxTotalBytes)
        let tally = FeedTally(jobs: jobs)
        let keepZip = Dictionary(staged.map { ($0.feed.name, $0.feed.format == nil || $0.feed.format == .osvArchive) }, uniquingKeysWith: { a, _ in a })
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func launch() {
                let job = jobs[next]
                next += 1
                group.addTask {
                    let name = (job.destination as NSString).lastPathComponent
                    let bytes = try await fetcher.fetch(job, budget: budget) { received, expected in
                        progress(.receiving(feed: job.feed, file: name, received: received, expected: expected))
                    }
                    let outputs = try FeedUnpacker.unpack(job.destination, keepZip: keepZip[job.feed] ?? true,
                                                          maxBytes: budget.maxFileBytes, what: "feed '\(job.feed)': \(job.source)")
                    progress(.fileFetched(feed: job.feed, bytes: bytes))
                    if let finished = tally.finish(job.feed, destination: job.destination, outputs: outputs, bytes: bytes) {
                        progress(.feedFetched(feed: job.feed, files: finished.files, bytes: finished.bytes))
                    }
                }
            }
            while next < min(concurrency, jobs.count) { launch() }
            while try await group.next() != nil {
                if next < jobs.count { launch() }
            }
        }
        return tally.outputs
    }

    /// Checks that what arrived is feed data: a single-file URL must hold a recognised format
    /// (the configured one, when given), a directory at least one feed file. Returns the number
    /// of staged files.
    func validate(_ staged: [StagedLocation], outputs: [String: [String]]) throws -> Int {
        var count = 0
        for loc in staged {
            let files = loc.isDirectory ? ((try? DatabaseBuilder.feedFiles(under: loc.staged)) ?? []) : (outputs[loc.staged] ?? [])
            count += files.count
            var recognised = 0
            for file in files {
                let format = Self.detect(file)
                if format != nil { recognised += 1 }
                // An unpacked zip may carry a readme beside its data: only members in a known format are held to the hint.
                if !loc.isDirectory, let wanted = loc.feed.format, format != wanted, files.count == 1 || format != nil {
                    throw FeedUpdateError(.validation, "feed '\(loc.feed.name)': \(loc.location): \(format.map { "holds \($0.rawValue) data" } ?? "is not a recognised feed file (\(Self.firstLine(file)))"), expected \(wanted.rawValue); the database was not changed")
                }
            }
            guard recognised > 0 else {
                let what = loc.isDirectory ? "has no feed files" : "is not a recognised feed file (\(files.first.map(Self.firstLine) ?? "empty"))"
                throw FeedUpdateError(.validation, "feed '\(loc.feed.name)': \(loc.location): \(what); the database was not changed")
            }
        }
        return count
    }

    /// The format of a staged file from its first 4 MiB (enough for every detector: they look
    /// at magic bytes, the first lines, or the first keys of a JSON object).
    static func detect(_ path: String) -> FeedFormat? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 4 << 20) else { return nil }
        return FeedImporter.detect(path: path, data: [UInt8](data))
    }

    /// The start of a file, quoted for an error (an HTML error page served with 200, say).
    static func firstLine(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.read(upToCount: 80), !data.isEmpty else { return "empty" }
        try? handle.close()
        let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return "starts with `\(line.prefix(60))`"
    }

    /// Error messages name the feed's URL or path, not the staging directory that is about to go.
    static func unstage(_ message: String, _ staged: [StagedLocation]) -> String {
        var text = message
        for loc in staged.sorted(by: { $0.staged.count > $1.staged.count }) {
            if loc.isDirectory {
                let source = loc.location.description
                text = text.replacingOccurrences(of: loc.staged + "/", with: source.hasSuffix("/") ? source : source + "/")
            } else {
                text = text.replacingOccurrences(of: loc.staged + ".d/", with: loc.location.description + "!")
                text = text.replacingOccurrences(of: loc.staged, with: loc.location.description)
            }
        }
        return text
    }

    /// A safe local name for a downloaded file: the URL's last segment, decoded, without `/`.
    static func fileName(_ location: FeedLocation) -> String {
        let raw: String
        switch location {
        case .local(let path): raw = (path as NSString).lastPathComponent
        case .remote(let url): raw = (URL(string: url)?.path).map { ($0 as NSString).lastPathComponent } ?? "download"
        }
        let cleaned = String(raw.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "_" })
        return cleaned.isEmpty || cleaned.hasPrefix(".") ? "download" + cleaned : cleaned
    }

    static func stagedBytes(_ dir: String) -> Int64 {
        guard let walker = FileManager.default.enumerator(atPath: dir) else { return 0 }
        var total: Int64 = 0
        while let rel = walker.nextObject() as? String {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: dir + "/" + rel),
                  attributes[.type] as? FileAttributeType == .typeRegular, let size = attributes[.size] as? NSNumber else { continue }
            total += size.int64Value
        }
        return total
    }
}

/// Files left per feed, so the display can say when a feed is complete.
final class FeedTally: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: [String: Int] = [:]
    private var bytes: [String: Int64] = [:]
    private var files: [String: Int] = [:]
    private var produced: [String: [String]] = [:]

    init(jobs: [FetchJob]) {
        for job in jobs { remaining[job.feed, default: 0] += 1 }
    }

    /// Job destination → the files it became.
    var outputs: [String: [String]] {
        lock.lock(); defer { lock.unlock() }
        return produced
    }

    /// Counts one file; returns the feed's totals when it was the last.
    func finish(_ feed: String, destination: String, outputs: [String], bytes n: Int64) -> (files: Int, bytes: Int64)? {
        lock.lock(); defer { lock.unlock() }
        produced[destination] = outputs
        remaining[feed, default: 1] -= 1
        bytes[feed, default: 0] += n
        files[feed, default: 0] += 1
        return remaining[feed] == 0 ? (files[feed] ?? 0, bytes[feed] ?? 0) : nil
    }
}
