import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens report files for reading with the checks every report command shares: a directory,
/// FIFO or socket is refused with the system's words (a FIFO with no writer would block the
/// command forever; a directory would fail later with a Foundation domain code).
public enum ReportFile {
    /// Largest report read whole (`report convert`): the formats it writes need every
    /// vulnerability at once, and converting takes about 20× the report's size in memory (a
    /// 119 MB report peaked at 2.4 GB as CycloneDX), so 64 MiB keeps it near 1.3 GB.
    /// Commands that stream (`split`, `summary`, `diff`) have no size limit.
    public static let maximumWholeSize = 64 << 20

    /// An open descriptor on `path`, which must not be a directory, FIFO or socket.
    static func openForReading(_ path: String) throws(ReportError) -> FileHandle {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw ReportError(path: path, message: "cannot open for reading (\(String(cString: strerror(errno))))") }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ReportError(path: path, message: "cannot stat (\(reason))")
        }
        let kind: String?
        switch st.st_mode & S_IFMT {
        case S_IFDIR: kind = "a directory"
        case S_IFIFO: kind = "a FIFO"
        case S_IFSOCK: kind = "a socket"
        default: kind = nil
        }
        if let kind {
            close(fd)
            throw ReportError(path: path, message: "is \(kind), not a report file")
        }
        // Back to blocking reads: the non-blocking open was only for the FIFO check.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// The whole file, at most `maxBytes` bytes (checked while reading, so a device cannot
    /// make it allocate without bound).
    public static func readAll(_ path: String, maxBytes: Int = maximumWholeSize) throws(ReportError) -> [UInt8] {
        let handle = try openForReading(path)
        defer { try? handle.close() }
        var out: [UInt8] = []
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch {
                throw ReportError(path: path, message: "read failed (\(String(cString: strerror(errno))))")
            }
            guard let chunk, !chunk.isEmpty else { break }
            out.append(contentsOf: chunk)
            guard out.count <= maxBytes else {
                throw ReportError(path: path, message: "larger than the \(maxBytes >> 20) MiB limit for reading a whole report; split it first (`vigil report split`)")
            }
        }
        return out
    }
}
