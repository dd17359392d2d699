import Foundation
import SystemIO

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
        do {
            let (descriptor, _) = try FileDescriptor.openForReading(path)
            return FileHandle(fileDescriptor: descriptor.release(), closeOnDealloc: true)
        } catch {
            throw reportError(error, maxBytes: maximumWholeSize)
        }
    }

    /// The whole file, at most `maxBytes` bytes (checked while reading, so a device cannot
    /// make it allocate without bound).
    public static func readAll(_ path: String, maxBytes: Int = maximumWholeSize) throws(ReportError) -> [UInt8] {
        do { return try WholeFile.read(path, limit: maxBytes) } catch { throw reportError(error, maxBytes: maxBytes) }
    }

    /// The report commands' wording of a file that cannot be read.
    private static func reportError(_ error: SystemIOError, maxBytes: Int) -> ReportError {
        let path = error.path
        switch error.reason {
        case .open: return ReportError(.unreadable, path: path, message: "cannot open for reading (\(error.systemMessage))")
        case .stat: return ReportError(.unreadable, path: path, message: "cannot stat (\(error.systemMessage))")
        case .notAFile: return ReportError(.unreadable, path: path, message: "is \((error.kind ?? .other).words), not a report file")
        case .tooLarge:
            return ReportError(.tooLarge, path: path, message: "larger than the \(maxBytes >> 20) MiB limit for reading a whole report; split it first (`vigil report split`)")
        case .read, .write, .rename: return ReportError(.unreadable, path: path, message: "read failed (\(error.systemMessage))")
        }
    }
}
