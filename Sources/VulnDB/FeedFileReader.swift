#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SystemIO
import VigilCore

/// Reads feed files with POSIX calls, so errors carry the system's reason ("Is a directory",
/// "No such device") instead of Foundation's domain codes, and a size limit is enforced while
/// reading: a device or a growing file can never make the import allocate without bound.
enum FeedFileReader {
    /// The reason for the last failed system call.
    static func lastError() -> String { String(cString: strerror(errno)) }

    /// The whole of `path`, which must be a regular file (after following symlinks) of at most
    /// `maxBytes` bytes.
    static func read(_ path: String, maxBytes: Int) throws(VulnDBError) -> [UInt8] {
        do {
            return try WholeFile.read(path, limit: maxBytes) { $0 == .regular }
        } catch {
            switch error.reason {
            case .open: throw VulnDBError(.io, "\(path): cannot open (\(error.systemMessage))")
            case .stat: throw VulnDBError(.io, "\(path): cannot stat (\(error.systemMessage))")
            case .notAFile:
                throw VulnDBError(.io, "\(path): not a regular file (\((error.kind ?? .other).words)); feeds are files or directories")
            case .tooLarge:
                // Without a size the file grew past the limit while it was read.
                let size = error.size.map { "\($0) bytes" } ?? "more than that"
                throw VulnDBError(.malformedFeed, "\(path): \(size) exceeds the \(maxBytes >> 20) MiB limit for one feed file")
            case .read, .write, .rename: throw VulnDBError(.io, "\(path): read failed (\(error.systemMessage))")
            }
        }
    }
}
