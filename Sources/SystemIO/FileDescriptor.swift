import Glibc

/// An open descriptor this object owns: closed by ``close()`` or when the object goes away.
public final class FileDescriptor {
    /// The descriptor, -1 once closed or released.
    public private(set) var rawValue: Int32

    /// Takes ownership of `rawValue`.
    public init(owning rawValue: Int32) {
        self.rawValue = rawValue
    }

    deinit { if rawValue >= 0 { _ = Glibc.close(rawValue) } }

    /// Closes the descriptor; the result of `close(2)` (0, or -1 with `errno` set).
    @discardableResult
    public func close() -> Int32 {
        guard rawValue >= 0 else { return 0 }
        let status = Glibc.close(rawValue)
        rawValue = -1
        return status
    }

    /// Hands the descriptor to the caller, who closes it from now on.
    public func release() -> Int32 {
        let fd = rawValue
        rawValue = -1
        return fd
    }

    /// Opens `path` read-only and checks its type with `fstat`: `accept` decides which kinds
    /// may be read (by default all but directories, FIFOs and sockets). The open does not block
    /// on a FIFO; reads on the returned descriptor block as usual.
    public static func openForReading(_ path: String, accept: (FileKind) -> Bool = { $0.isReadableWhole })
        throws(SystemIOError) -> (descriptor: FileDescriptor, status: stat) {
        // O_NONBLOCK so that opening a FIFO with no writer returns at once; fstat then judges it.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw SystemIOError(.open, path: path, systemError: errno) }
        let descriptor = FileDescriptor(owning: fd)
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SystemIOError(.stat, path: path, systemError: errno) }
        let kind = FileKind(mode: st.st_mode)
        guard accept(kind) else { throw SystemIOError(.notAFile, path: path, kind: kind) }
        // Back to blocking reads: the non-blocking open was only for the FIFO check.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return (descriptor, st)
    }
}
