import Glibc

/// The type of a file as `stat(2)` reports it.
public enum FileKind: Sendable, Equatable {
    case regular, directory, fifo, socket, characterDevice, blockDevice, symbolicLink, other

    /// The kind of a `st_mode`.
    public init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFLNK: self = .symbolicLink
        default: self = .other
        }
    }

    /// The kind of the file at `path` (of a symbolic link itself when `followLinks` is false);
    /// nil, with `errno` set, when it cannot be examined (ENOENT when absent).
    public init?(path: String, followLinks: Bool = true) {
        var info = stat()
        guard (followLinks ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        self.init(mode: info.st_mode)
    }

    /// Words for error messages (`a directory`, `a FIFO`).
    public var words: String {
        switch self {
        case .regular: "a regular file"
        case .directory: "a directory"
        case .fifo: "a FIFO"
        case .socket: "a socket"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .symbolicLink: "a symbolic link"
        case .other: "a special file"
        }
    }

    /// Whether a whole-file read may take it: everything but directories, FIFOs and sockets (a
    /// FIFO with no writer would block forever; devices stop at the read limit).
    public var isReadableWhole: Bool { self != .directory && self != .fifo && self != .socket }
}
