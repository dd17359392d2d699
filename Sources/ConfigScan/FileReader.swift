#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Musl)
private let systemRead = Musl.read
#else
private let systemRead = Darwin.read
#endif

/// Reads a whole file with a size limit checked before anything is read.
enum FileReader {
    static func read(_ path: String, maxBytes: Int) throws(ConfigScanError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO with no writer would block forever; fstat refuses it below.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw ConfigScanError(.unreadable, file: path, line: nil, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw ConfigScanError(.unreadable, file: path, line: nil, "cannot stat: \(String(cString: strerror(errno)))")
        }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: throw ConfigScanError(.unreadable, file: path, line: nil, "is a directory, not a Dockerfile")
        case S_IFIFO, S_IFSOCK: throw ConfigScanError(.unreadable, file: path, line: nil, "is a FIFO or socket, not a regular file")
        default: break
        }
        if Int(st.st_size) > maxBytes {
            throw ConfigScanError(.tooLarge, file: path, line: nil,
                                  "\(st.st_size) bytes is larger than the \(maxBytes)-byte limit for a Dockerfile")
        }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw ConfigScanError(.unreadable, file: path, line: nil, "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            // Pipes and special files have no size up front: enforce the limit while reading.
            if out.count > maxBytes {
                throw ConfigScanError(.tooLarge, file: path, line: nil, "larger than the \(maxBytes)-byte limit for a Dockerfile")
            }
        }
        return out
    }
}
