import Crypto
import Foundation
import SystemIO
import VigilCore
#if canImport(Glibc)
import Glibc
#endif

/// The content-addressed blob cache shared by every `vigil` process of a user:
/// `<cache>/blobs/sha256/<hex>` holds verified bytes only. Downloads go to a private temp file,
/// are hashed while written, and are renamed into place after the digest matched; a per-blob
/// `flock` keeps two processes from downloading the same blob at once.
public struct BlobCache: Sendable {
    public let root: String

    public init(root: String) throws(RegistryError) {
        self.root = root
        for dir in ["blobs/sha256", "tmp", "locks"] {
            do {
                try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
            } catch {
                throw RegistryError(.io, "\(root)/\(dir): cannot create cache directory (\(error.localizedDescription))")
            }
        }
    }

    static func hex(_ digest: String) -> String { String(digest.dropFirst("sha256:".count)) }

    /// Where a verified blob lives.
    public func path(for digest: String) -> String { root + "/blobs/sha256/" + Self.hex(digest) }

    public func contains(_ digest: String) -> Bool { FileManager.default.fileExists(atPath: path(for: digest)) }

    /// Reads a cached blob (manifests and configs: small).
    public func read(_ digest: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path(for: digest)).map { [UInt8]($0) }
    }

    /// Stores small bytes already verified against `digest`.
    public func store(_ bytes: [UInt8], digest: String) throws(RegistryError) {
        let temp = root + "/tmp/" + UUID().uuidString
        guard FileManager.default.createFile(atPath: temp, contents: Data(bytes)) else {
            throw RegistryError(.io, "\(temp): cannot write to the cache")
        }
        guard rename(temp, path(for: digest)) == 0 else {
            unlink(temp)
            throw RegistryError(.io, "\(path(for: digest)): cannot move into the cache (\(String(cString: strerror(errno))))")
        }
    }

    /// Holds an exclusive lock on `digest` while `body` runs (other processes wait).
    public func withLock<T>(_ digest: String, _ body: () async throws -> T) async throws -> T {
        let lockPath = root + "/locks/" + Self.hex(digest) + ".lock"
        let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RegistryError(.io, "\(lockPath): cannot open lock file") }
        defer { close(fd) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        defer { flock(fd, LOCK_UN) }
        return try await body()
    }

    /// A file being downloaded: written, hashed, then committed under its digest or discarded.
    public final class Download {
        let fd: Int32
        let tempPath: String
        var hasher = SHA256()
        public private(set) var bytes = 0
        var committed = false

        init(tempPath: String) throws(RegistryError) {
            self.tempPath = tempPath
            fd = open(tempPath, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw RegistryError(.io, "\(tempPath): cannot create (\(String(cString: strerror(errno))))") }
        }

        deinit {
            close(fd)
            if !committed { unlink(tempPath) }
        }

        /// Appends a chunk.
        public func write(_ chunk: UnsafeRawBufferPointer) throws(RegistryError) {
            hasher.update(bufferPointer: chunk)
            let failure = DescriptorIO.writeAll(fd, chunk)
            if failure != 0 {
                throw RegistryError(.io, "\(tempPath): write failed (\(String(cString: strerror(failure))))")
            }
            bytes += chunk.count
        }

        /// `sha256:<hex>` of what was written.
        public func digest() -> String {
            "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
        }
    }

    public func beginDownload() throws(RegistryError) -> Download {
        try Download(tempPath: root + "/tmp/" + UUID().uuidString)
    }

    /// Verifies and moves a finished download into place.
    public func commit(_ download: Download, expected digest: String, what: String) throws(RegistryError) {
        let actual = download.digest()
        guard actual == digest else {
            throw RegistryError(.digestMismatch, "\(what): downloaded content has digest \(actual), expected \(digest) (corrupted blob; nothing was cached)")
        }
        fsync(download.fd)
        guard rename(download.tempPath, path(for: digest)) == 0 else {
            throw RegistryError(.io, "\(path(for: digest)): cannot move into the cache (\(String(cString: strerror(errno))))")
        }
        download.committed = true
    }
}
