/// A kernel event type with Falco's name (`execve`, `openat`, `renameat2`, …) and a small code
/// used to index rules.
public struct EventType: Sendable, Hashable, CustomStringConvertible {
    /// Index into `EventType.known`; 0 for names Vigil does not know.
    public var code: UInt16
    public var name: String

    public init(name: String) {
        self.name = name
        code = EventType.codes[name] ?? 0
    }

    public var description: String { name }

    /// What the event does, for state tracking and fields, without comparing names.
    public var kind: EventKind { EventType.kinds[Int(code)] }

    static let kinds: [EventKind] = known.map { name in
        switch name {
        case "execve", "execveat": return .exec
        case "clone", "clone3", "fork", "vfork": return .clone
        case "procexit", "exit", "exit_group": return .exit
        case "open", "openat", "openat2", "open_by_handle_at", "creat": return .open
        case "close": return .close
        case "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat": return .rename
        case "connect": return .connect
        case "accept", "accept4": return .accept
        case "socket": return .socket
        case "mkdir", "mkdirat": return .mkdir
        default: return .other
        }
    }

    /// Event names the sensor and the replay format know; rules are indexed by these.
    public static let known: [String] = [
        "<unknown>",
        "execve", "execveat", "clone", "clone3", "fork", "vfork", "procexit", "exit", "exit_group",
        "open", "openat", "openat2", "open_by_handle_at", "creat", "close", "read", "write", "pread", "pwrite",
        "readv", "writev", "rename", "renameat", "renameat2", "unlink", "unlinkat", "mkdir", "mkdirat",
        "rmdir", "link", "linkat", "symlink", "symlinkat", "chmod", "fchmod", "fchmodat", "chown", "fchown",
        "fchownat", "lchown", "truncate", "ftruncate", "mount", "umount", "umount2", "pivot_root", "chroot",
        "connect", "accept", "accept4", "bind", "listen", "socket", "sendto", "recvfrom", "sendmsg", "recvmsg",
        "setuid", "setgid", "setresuid", "setresgid", "setreuid", "setregid", "setfsuid", "setfsgid",
        "setns", "unshare", "ptrace", "kill", "tkill", "tgkill", "prctl", "capset", "bpf", "init_module",
        "finit_module", "delete_module", "memfd_create", "mmap", "mprotect", "userfaultfd", "dup", "dup2",
        "dup3", "chdir", "fchdir", "setsid", "setpgid", "pipe", "pipe2", "socketpair", "ioctl", "fcntl",
        "inotify_init", "inotify_init1", "signalfd", "eventfd", "timerfd_create", "epoll_create",
        "epoll_create1", "io_uring_setup", "io_uring_enter", "io_uring_register", "container", "mknod",
        "mknodat", "quotactl", "seccomp", "process_vm_readv", "process_vm_writev", "splice", "copy_file_range",
        "sendfile", "getsockopt", "setsockopt", "shutdown", "poll", "select", "nanosleep", "futex", "brk",
        "munmap", "access", "faccessat", "stat", "lstat", "fstat", "getdents", "getdents64", "utimensat",
    ]

    static let codes: [String: UInt16] = {
        var d: [String: UInt16] = [:]
        for (i, n) in known.enumerated() where i > 0 { d[n] = UInt16(i) }
        return d
    }()
}

/// Event categories the state tracker and field extractors care about.
public enum EventKind: UInt8, Sendable {
    case other, exec, clone, exit, open, close, rename, connect, accept, socket, mkdir
}

/// One event of Vigil's event stream: what the sensor writes and replay reads (docs/events.md).
///
/// Process fields are a snapshot the source may or may not fill; replay merges them into the
/// process table, and rules read process information from the table.
public struct Event: Sendable {
    /// Sequence number in the stream, from 1.
    public var num: UInt64 = 0
    /// Nanoseconds since the Unix epoch.
    public var ts: Int64 = 0
    public var type: EventType = EventType(name: "<unknown>")
    public var pid: Int64 = 0
    public var tid: Int64?
    /// Return value (negative errno on failure; the new fd for opens; the child pid for clone).
    public var res: Int64 = 0

    // process snapshot
    public var ppid: Int64?
    public var comm: String?
    public var exe: String?
    public var exepath: String?
    public var args: [String]?
    public var cwd: String?
    public var uid: Int64?
    public var gid: Int64?
    public var user: String?
    public var group: String?
    public var loginuid: Int64?
    public var tty: Int64?
    public var sid: Int64?
    public var vpgid: Int64?
    public var exeUpperLayer: Bool?
    public var exeFromMemfd: Bool?
    public var env: [String]?
    /// Pid inside the container's pid namespace.
    public var vpid: Int64?
    /// Capability sets as Falco prints them (`CAP_CHOWN CAP_SYS_ADMIN …`).
    public var capEffective: String?
    public var capPermitted: String?
    public var capInheritable: String?

    // container
    public var containerID: String?
    public var containerName: String?
    public var containerImage: String?
    public var containerPrivileged: Bool?
    public var k8sNamespace: String?
    public var k8sPod: String?

    // arguments
    /// File path (opens, creat, unlink, mkdir, chmod, …) or the socket's name.
    public var path: String?
    /// The path as the process passed it, when it differs from `path` (relative, or with `//`,
    /// `.` or `..`): `fd.nameraw`.
    public var rawPath: String?
    public var fd: Int64?
    /// Open flags as Falco prints them (`O_WRONLY|O_CREAT|O_TRUNC`).
    public var flags: String?
    public var mode: Int64?
    public var oldpath: String?
    public var newpath: String?
    public var target: String?
    public var linkpath: String?
    public var sip: String?
    public var sport: Int64?
    public var dip: String?
    public var dport: Int64?
    public var l4proto: String?
    /// `setuid`/`setgid` target id.
    public var targetID: Int64?
    /// `ptrace` request name.
    public var request: String?
    public var data: String?

    public init() {}

    public init(type: String, pid: Int64) {
        self.type = EventType(name: type)
        self.pid = pid
    }
}
