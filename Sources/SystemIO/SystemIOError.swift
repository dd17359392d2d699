import Glibc
import VigilCore

/// A file that could not be opened, read or written: names the file and the system's reason.
///
/// Engines that word their file errors their own way (`ConfigScanError`, `ReportError`) map
/// ``reason``, ``systemError``, ``kind`` and ``size`` to their text; the rest throw this one.
public struct SystemIOError: VigilError, Equatable {
    /// What failed; its raw value is the stable part of ``code``: the system call (`open`, `stat`,
    /// `read`, `write` (or `close`, or nothing more could be written), `rename`), or the file:
    /// `notAFile` (a directory, FIFO or socket, or a device where only regular files are read),
    /// `tooLarge` (more than the caller's limit).
    public enum Reason: String, Sendable {
        case open, stat, read, write, rename, notAFile = "not-a-file", tooLarge = "too-large"
    }

    /// What failed.
    public var reason: Reason
    /// The file as the caller named it.
    public var path: String
    /// `errno` of the failed call, 0 when no call failed (``Reason/notAFile``, ``Reason/tooLarge``).
    public var systemError: Int32
    /// The type of the file, for ``Reason/notAFile``.
    public var kind: FileKind?
    /// The size `fstat` reported when it was already over the limit; nil when the limit was
    /// passed while reading (devices, growing files).
    public var size: Int?
    /// The limit passed, for ``Reason/tooLarge``.
    public var limit: Int

    /// Creates an error.
    public init(_ reason: Reason, path: String, systemError: Int32 = 0, kind: FileKind? = nil, size: Int? = nil, limit: Int = 0) {
        self.reason = reason
        self.path = path
        self.systemError = systemError
        self.kind = kind
        self.size = size
        self.limit = limit
    }

    /// `io.<reason>`, e.g. `io.too-large`.
    public var code: String { "io." + reason.rawValue }

    /// The system's words for ``systemError`` (`No such file or directory`).
    public var systemMessage: String { String(cString: strerror(systemError)) }

    /// The limit in words: `16 MiB` for whole MiB, `4096 bytes` otherwise.
    public var limitText: String {
        limit >= 1 << 20 && limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) bytes"
    }

    /// What is wrong, without the path (`is a directory, not a file`).
    public var problem: String {
        switch reason {
        case .open, .stat: return systemMessage
        case .read: return "read failed (\(systemMessage))"
        case .write: return "write failed (\(systemMessage))"
        case .rename: return "cannot rename into place (\(systemMessage))"
        case .notAFile:
            switch kind ?? .other {
            case .directory, .socket: return "is \((kind ?? .other).words), not a file"
            default: return "is \((kind ?? .other).words), not a regular file"
            }
        case .tooLarge:
            if let size { return "\(size) bytes is more than the \(limitText) limit" }
            return "more than the \(limitText) limit"
        }
    }

    /// `PATH: problem`.
    public var description: String { "\(path): \(problem)" }
}
