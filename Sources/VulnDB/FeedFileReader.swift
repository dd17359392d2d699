#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads feed files with POSIX calls, so errors carry the system's reason ("Is a directory",
/// "No such device") instead of Foundation's domain codes, and a size limit is enforced while
/// reading: a device or a growing file can never make the import allocate without bound.
enum FeedFileReader {
    /// The reason for the last failed system call.
    static func lastError() -> String { String(cString: strerror(errno)) }

    /// The whole of `path`, which must be a regular file (after following symlinks) of at most
    /// `maxBytes` bytes.
    static func read(_ path: String, maxBytes: Int) throws(VulnDBError) -> [UInt8] {
        // O_NONBLOCK: a FIFO swapped in after the directory walk must not block the open.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw VulnDBError(.io, "\(path): cannot open (\(lastError()))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw VulnDBError(.io, "\(path): cannot stat (\(lastError()))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw VulnDBError(.io, "\(path): not a regular file (\(describe(mode: st.st_mode))); feeds are files or directories")
        }
        guard Int(st.st_size) <= maxBytes else {
            throw VulnDBError(.malformedFeed, "\(path): \(st.st_size) bytes exceeds the \(maxBytes >> 20) MiB limit for one feed file")
        }
        var out = [UInt8](repeating: 0, count: Int(st.st_size))
        var filled = 0
        while filled < out.count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(filled)) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw VulnDBError(.io, "\(path): read failed (\(lastError()))")
            }
            if n == 0 { break }  // shrank while reading: keep what is there
            filled += n
        }
        if filled < out.count { out.removeSubrange(filled...) }
        return out
    }

    /// Words for a file type in error messages.
    static func describe(mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }
}
