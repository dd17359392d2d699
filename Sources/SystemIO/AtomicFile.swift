import Glibc

/// Writes a whole file so that readers see the old content or the new, never half of it:
/// written to a new file `PATH.vigil-tmp-PID-N` beside it, then renamed over it. The temporary
/// name is created exclusively and never followed (`O_EXCL | O_NOFOLLOW`): a symbolic link or
/// FIFO planted at a predictable name cannot redirect or stall the write (a run as root into a
/// shared directory); a name that exists is skipped for the next.
///
/// A path that exists and is not a regular file (a symbolic link, `/dev/stdout`, a FIFO, a
/// device) is written through instead, as a shell redirection would: renaming over it would
/// replace the link or device node with a file (`-o /dev/null` would delete /dev/null).
public enum AtomicFile {
    /// Writes `bytes` to `path` (see the type's notes).
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws(SystemIOError) {
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            try writeThrough(bytes, to: path)
            return
        }
        var temp = ""
        var fd: Int32 = -1
        for attempt in 0..<64 {
            temp = path + ".vigil-tmp-\(getpid())-\(attempt == 0 ? 0 : UInt32.random(in: 1...UInt32.max))"
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw SystemIOError(.open, path: path, systemError: errno) }
        let written = DescriptorIO.writeAll(fd, bytes)
        let closed = close(fd) == 0 ? 0 : errno
        if written != 0 || closed != 0 {
            unlink(temp)
            throw SystemIOError(.write, path: path, systemError: written != 0 ? written : closed)
        }
        guard rename(temp, path) == 0 else {
            let failure = errno
            unlink(temp)
            throw SystemIOError(.rename, path: path, systemError: failure)
        }
    }

    /// `write` of an array.
    public static func write(_ bytes: [UInt8], to path: String) throws(SystemIOError) {
        var failure: SystemIOError?
        bytes.withUnsafeBytes { raw in
            do throws(SystemIOError) { try write(raw, to: path) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Opens the existing non-regular file (following a link) and writes into it.
    private static func writeThrough(_ bytes: UnsafeRawBufferPointer, to path: String) throws(SystemIOError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemIOError(.open, path: path, systemError: errno) }
        let failure = DescriptorIO.writeAll(fd, bytes)
        let closed = close(fd) == 0 ? 0 : errno
        if failure != 0 || closed != 0 { throw SystemIOError(.write, path: path, systemError: failure != 0 ? failure : closed) }
    }
}
