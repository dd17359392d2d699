/// The event arguments `evt.arg.*` names, resolved when a rule is compiled.
enum EventArg: UInt8 {
    case flags, path, fd, res, mode, oldpath, newpath, target, linkpath, id, request, pid, data, exe, args, cwd, tuple, unknown

    init(name: String) {
        switch name {
        case "flags": self = .flags
        case "name", "path", "pathname", "filename", "dirfd": self = .path
        case "fd": self = .fd
        case "res": self = .res
        case "mode": self = .mode
        case "oldpath", "source": self = .oldpath
        case "newpath": self = .newpath
        case "target": self = .target
        case "linkpath": self = .linkpath
        case "uid", "gid", "ruid", "euid", "rgid", "egid", "suid": self = .id
        case "request": self = .request
        case "pid": self = .pid
        case "data": self = .data
        case "exe": self = .exe
        case "args": self = .args
        case "cwd": self = .cwd
        case "tuple": self = .tuple
        default: self = .unknown
        }
    }

    /// Arguments whose value is a string (or absent).
    var isString: Bool {
        switch self {
        case .fd, .res, .id, .pid, .mode, .unknown: false
        default: true
        }
    }
}
