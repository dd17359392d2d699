import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SystemIO
import VigilHTTP
import VigilCore
#if canImport(Glibc)
import Glibc
#endif

/// One file to bring into the staging directory.
struct FetchJob: Sendable {
    /// The feed it belongs to.
    var feed: String
    /// Where it comes from (a single file, never a directory).
    var source: FeedLocation
    /// Where it goes, inside the staging directory.
    var destination: String
}

/// Shared counters that stop an update before it fills the disk.
final class FetchBudget: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: Int64 = 0
    let maxFileBytes: Int64
    let maxTotalBytes: Int64

    init(maxFileBytes: Int64, maxTotalBytes: Int64) {
        self.maxFileBytes = maxFileBytes
        self.maxTotalBytes = maxTotalBytes
    }

    /// Accounts `n` more bytes; throws once the total passes the limit.
    func add(_ n: Int64, what: String) throws(FeedUpdateError) {
        lock.lock(); defer { lock.unlock() }
        bytes += n
        if bytes > maxTotalBytes {
            throw FeedUpdateError(.validation, "\(what): the update passed its total size limit of \(ByteCount.text(maxTotalBytes)) (max-total-size in the feeds config)")
        }
    }

    var total: Int64 {
        lock.lock(); defer { lock.unlock() }
        return bytes
    }
}

/// Lists and copies feed files from disk, or downloads them over HTTP(S) with AsyncHTTPClient.
final class FeedFetcher: @unchecked Sendable {
    let http: HTTPClient
    /// Tries per HTTP request (the first included); connection failures and 5xx are retried.
    let attempts: Int

    init(attempts: Int = 3) {
        // Feeds are stored as served; `.gz` files are inflated by `Unpacker` with its own limits.
        http = .forDownloads()
        self.attempts = attempts
    }

    func shutdown() async {
        try? await http.shutdown()
    }

    // MARK: - Planning

    /// The files behind one location: itself, or everything under a directory (an HTML index
    /// crawled over HTTP). `destination` is the file or directory path to mirror it to.
    func plan(feed: String, location: FeedLocation, destination: String, maxFiles: Int) async throws(FeedUpdateError) -> [FetchJob] {
        switch location {
        case .local(let path):
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw FeedUpdateError(.io, "feed '\(feed)': \(path): no such file or directory")
            }
            guard isDir.boolValue else { return [FetchJob(feed: feed, source: location, destination: destination)] }
            return try localTree(feed: feed, root: path, destination: destination, maxFiles: maxFiles)
        case .remote(let url):
            guard url.hasSuffix("/") else { return [FetchJob(feed: feed, source: location, destination: destination)] }
            var jobs: [FetchJob] = []
            try await crawl(feed: feed, url: url, destination: destination, depth: 0, maxFiles: maxFiles, into: &jobs)
            return jobs
        }
    }

    private func localTree(feed: String, root: String, destination: String, maxFiles: Int) throws(FeedUpdateError) -> [FetchJob] {
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw FeedUpdateError(.io, "feed '\(feed)': \(root): cannot list directory")
        }
        var jobs: [FetchJob] = []
        let base = root.hasSuffix("/") ? root : root + "/"
        while let rel = walker.nextObject() as? String {
            let name = (rel as NSString).lastPathComponent
            if name.hasPrefix(".") {
                walker.skipDescendants()
                continue
            }
            // Regular files only: symlinks could point anywhere, and a FIFO would block the copy.
            guard let type = try? FileManager.default.attributesOfItem(atPath: base + rel)[.type] as? FileAttributeType,
                  type == .typeRegular else { continue }
            jobs.append(FetchJob(feed: feed, source: .local(base + rel), destination: destination + "/" + rel))
            if jobs.count > maxFiles {
                throw FeedUpdateError(.validation, "feed '\(feed)': \(root): more than \(maxFiles) files (max-files in the feeds config)")
            }
        }
        return jobs
    }

    private func crawl(feed: String, url: String, destination: String, depth: Int, maxFiles: Int,
                       into jobs: inout [FetchJob]) async throws(FeedUpdateError) {
        guard depth <= 16 else { throw FeedUpdateError(.validation, "feed '\(feed)': \(url): directory index nested more than 16 levels") }
        let (body, contentType) = try await fetchSmall(url, what: "feed '\(feed)': \(url)", limit: 64 << 20)
        guard contentType.lowercased().contains("html") || body.lowercased().contains("<a ") else {
            throw FeedUpdateError(.validation, "feed '\(feed)': \(url): not an HTML directory index (Content-Type \(contentType.isEmpty ? "missing" : contentType)); list the files in the feeds config instead")
        }
        let path = URL(string: url)?.path ?? "/"
        let listing = DirectoryListing(html: body, directoryPath: path.hasSuffix("/") ? path : path + "/")
        for entry in listing.entries {
            let encoded = entry.name.addingPercentEncoding(withAllowedCharacters: FeedLocation.segmentAllowed) ?? entry.name
            if entry.isDirectory {
                try await crawl(feed: feed, url: url + encoded + "/", destination: destination + "/" + entry.name, depth: depth + 1,
                                maxFiles: maxFiles, into: &jobs)
            } else {
                jobs.append(FetchJob(feed: feed, source: .remote(url + encoded), destination: destination + "/" + entry.name))
                if jobs.count > maxFiles {
                    throw FeedUpdateError(.validation, "feed '\(feed)': \(url): more than \(maxFiles) files (max-files in the feeds config)")
                }
            }
        }
    }

    // MARK: - Transfer

    /// Brings one file to `job.destination` (creating directories), calling `progress` with the
    /// bytes received so far and the expected total when known. Returns the size.
    func fetch(_ job: FetchJob, budget: FetchBudget, progress: @Sendable (Int64, Int64?) -> Void) async throws(FeedUpdateError) -> Int64 {
        let dir = (job.destination as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw FeedUpdateError(.io, "\(dir): cannot create staging directory (\(error.localizedDescription))")
        }
        switch job.source {
        case .local(let path):
            return try copy(path, to: job.destination, feed: job.feed, budget: budget)
        case .remote(let url):
            return try await download(url, to: job.destination, feed: job.feed, budget: budget, progress: progress)
        }
    }

    private func copy(_ path: String, to destination: String, feed: String, budget: FetchBudget) throws(FeedUpdateError) -> Int64 {
        let what = "feed '\(feed)': \(path)"
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        guard size <= budget.maxFileBytes else {
            throw FeedUpdateError(.validation, "\(what): \(ByteCount.text(size)) is over the \(ByteCount.text(budget.maxFileBytes)) file limit (max-file-size in the feeds config)")
        }
        try budget.add(size, what: what)
        do {
            try FileManager.default.copyItem(atPath: path, toPath: destination)
        } catch {
            throw FeedUpdateError(.io, "\(what): cannot copy into the staging directory (\(error.localizedDescription))")
        }
        return size
    }

    private func download(_ url: String, to destination: String, feed: String, budget: FetchBudget,
                          progress: @Sendable (Int64, Int64?) -> Void) async throws(FeedUpdateError) -> Int64 {
        let what = "feed '\(feed)': \(url)"
        var attempt = 0
        while true {
            attempt += 1
            let response: HTTPClientResponse
            do {
                response = try await http.execute(HTTPClientRequest(url: url), timeout: .hours(4))
            } catch {
                if attempt < attempts, !Self.isConnectFailure(error) { await backoff(attempt); continue }
                throw FeedUpdateError(.network, "\(what): \(Self.describe(error))")
            }
            guard response.status == .ok else {
                let retry = response.status.code >= 500 || response.status == .tooManyRequests
                _ = try? await response.body.collect(upTo: 1 << 16)
                if retry, attempt < attempts { await backoff(attempt); continue }
                throw FeedUpdateError(.network, "\(what): server answered \(response.status.code) \(response.status.reasonPhrase)")
            }
            let expected = response.headers.first(name: "Content-Length").flatMap(Int64.init)
            if let expected, expected > budget.maxFileBytes {
                throw FeedUpdateError(.validation, "\(what): \(ByteCount.text(expected)) is over the \(ByteCount.text(budget.maxFileBytes)) file limit (max-file-size in the feeds config)")
            }
            let file = try StagingFile(path: destination)
            var received: Int64 = 0
            do {
                for try await chunk in response.body {
                    received += Int64(chunk.readableBytes)
                    if received > budget.maxFileBytes {
                        throw FeedUpdateError(.validation, "\(what): more than the \(ByteCount.text(budget.maxFileBytes)) file limit (max-file-size in the feeds config)")
                    }
                    try chunk.withUnsafeReadableBytes { (raw) throws(FeedUpdateError) in try file.write(raw) }
                    progress(received, expected)
                }
            } catch let error as FeedUpdateError {
                throw error
            } catch {
                file.discard()
                if attempt < attempts { await backoff(attempt); continue }
                throw FeedUpdateError(.network, "\(what): connection lost after \(received)\(expected.map { " of \($0)" } ?? "") bytes (\(Self.describe(error)))")
            }
            if let expected, received != expected {
                file.discard()
                if attempt < attempts { await backoff(attempt); continue }
                throw FeedUpdateError(.network, "\(what): transfer ended after \(received) of \(expected) bytes")
            }
            try file.finish()
            try budget.add(received, what: what)
            return received
        }
    }

    /// A small body (a directory index) and its Content-Type.
    private func fetchSmall(_ url: String, what: String, limit: Int) async throws(FeedUpdateError) -> (String, String) {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(120))
                if response.status.code >= 500, attempt < attempts {
                    _ = try? await response.body.collect(upTo: 1 << 16)
                    await backoff(attempt)
                    continue
                }
                guard response.status == .ok else {
                    _ = try? await response.body.collect(upTo: 1 << 16)
                    throw FeedUpdateError(.network, "\(what): server answered \(response.status.code) \(response.status.reasonPhrase)")
                }
                let body = try await response.body.collect(upTo: limit)
                return (String(buffer: body), response.headers.first(name: "Content-Type") ?? "")
            } catch let error as FeedUpdateError {
                throw error
            } catch {
                if attempt < attempts, !Self.isConnectFailure(error) { await backoff(attempt); continue }
                throw FeedUpdateError(.network, "\(what): \(Self.describe(error))")
            }
        }
    }

    private func backoff(_ attempt: Int) async {
        try? await Task.sleep(nanoseconds: UInt64(250_000_000 << min(attempt - 1, 4)))
    }

    /// AsyncHTTPClient already keeps retrying a connection until its connect timeout: trying the
    /// whole request again would only multiply the wait for a host that is down.
    static func isConnectFailure(_ error: any Error) -> Bool {
        let text = describe(error)
        return text == "connection refused" || text == "connection timed out"
    }

    /// AsyncHTTPClient / NIO errors in words a user can act on.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectTimeout") || text.contains("connect timeout") { return "connection timed out" }
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("remoteConnectionClosed") || text.contains("invalidEOFState") { return "the server closed the connection" }
        if text.contains("readTimeout") || text.contains("deadlineExceeded") { return "no data within the time limit" }
        return text.split(separator: "\n").first.map(String.init) ?? text
    }
}

/// A file being written in the staging directory; removed unless finished.
final class StagingFile {
    let path: String
    private var fd: Int32

    init(path: String) throws(FeedUpdateError) {
        self.path = path
        unlink(path)
        fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FeedUpdateError(.io, "\(path): cannot create (\(String(cString: strerror(errno))))") }
    }

    func write(_ raw: UnsafeRawBufferPointer) throws(FeedUpdateError) {
        let failure = DescriptorIO.writeAll(fd, raw)
        if failure != 0 {
            throw FeedUpdateError(.io, "\(path): cannot write (\(String(cString: strerror(failure))))")
        }
    }

    func finish() throws(FeedUpdateError) {
        let status = close(fd)
        fd = -1
        guard status == 0 else { throw FeedUpdateError(.io, "\(path): cannot write (\(String(cString: strerror(errno))))") }
    }

    func discard() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(path)
    }

    deinit {
        if fd >= 0 { close(fd); unlink(path) }
    }
}

/// Byte counts for people: `276 KiB`, `14.2 MiB`.
public enum ByteCount {
    /// `n` bytes in binary units.
    public static func text(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(n) B" : String(format: value >= 100 ? "%.0f" : "%.1f", value) + " " + units[unit]
    }
}
