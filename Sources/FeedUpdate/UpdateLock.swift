import Foundation
import VulnDB
import VigilCore
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock(2)` on `<database>.lock`, held while a database is downloaded and built.
///
/// A second `vigil db update` (or `vigil db import`) waits for the first, then does its own
/// work; the kernel drops the lock when the holder exits, even on `kill -9`, so a crashed
/// update never leaves a stale lock behind. The lock file is never deleted (deleting it would
/// let two processes hold locks on different inodes).
public final class UpdateLock {
    /// The lock file.
    public let path: String
    private let fd: Int32

    /// Takes the lock for `databasePath`, calling `waiting` once with the holder's pid (when it
    /// wrote one) if another process has it, and giving up after `timeout` seconds.
    public init(databasePath: String, timeout: Double, waiting: (Int32?) -> Void = { _ in }) throws(FeedUpdateError) {
        path = databasePath + ".lock"
        // Before the lock file exists: a refused target (a directory, a device) leaves nothing
        // beside it (`--db /tmp` must not create `/tmp.lock`).
        do {
            try DatabaseBuilder.checkDestination(databasePath)
        } catch {
            throw FeedUpdateError(.io, error.message)
        }
        let dir = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir.isEmpty ? "." : dir, withIntermediateDirectories: true)
        } catch {
            throw FeedUpdateError(.io, "\(dir): cannot create directory (\(error.localizedDescription))")
        }
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FeedUpdateError(.io, "\(path): cannot open lock file (\(String(cString: strerror(errno))))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            waiting(Self.holder(fd))
            let deadline = Date().addingTimeInterval(timeout)
            while flock(fd, LOCK_EX | LOCK_NB) != 0 {
                guard Date() < deadline else {
                    let pid = Self.holder(fd).map { " (pid \($0))" } ?? ""
                    // deinit closes the descriptor (the instance is fully initialised here).
                    throw FeedUpdateError(.locked, "\(path): another database update\(pid) still holds the lock after \(Int(timeout)) s; the database was not changed")
                }
                usleep(100_000)
            }
        }
        let text = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// The pid written by the current holder.
    static func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Removes what killed updates left beside the database (`vigil.db.tmp-PID`,
    /// `vigil.db.staging-PID`) when that process is gone. Call with the lock held.
    public func removeLeftovers(databasePath: String) -> [String] {
        let dir = (databasePath as NSString).deletingLastPathComponent
        let base = (databasePath as NSString).lastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir) else { return [] }
        var removed: [String] = []
        for name in names {
            for marker in [".tmp-", ".staging-"] where name.hasPrefix(base + marker) {
                guard let pid = Int32(name.dropFirst(base.count + marker.count)), pid != getpid(),
                      kill(pid, 0) != 0, errno == ESRCH else { continue }
                let full = (dir.isEmpty ? "." : dir) + "/" + name
                if (try? FileManager.default.removeItem(atPath: full)) != nil { removed.append(full) }
            }
        }
        return removed
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
