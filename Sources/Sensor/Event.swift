#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A kernel event type with Falco's name (`execve`, `openat`, `renameat2`, …) and a small code
/// used to index rules.
public struct EventType: Sendable, Hashable, CustomStringConvertible {
    /// Index into `EventType.known`; 0 for names Vigil does not know.
    public var code: UInt16
    /// The name when it is not one of `known` (nil for known names, which need no storage).
    private var otherName: String?

    public init(name: String) {
        if let c = EventType.codes[name] {
            code = c
            otherName = nil
        } else {
            code = 0
            otherName = name == "<unknown>" ? nil : name
        }
    }

    /// A known type by its code (`1..<known.count`).
    @inline(__always)
    public init(code: UInt16) {
        self.code = code
        otherName = nil
    }

    public static let unknown = EventType(code: 0)

    public var name: String { otherName ?? EventType.known[Int(code)] }

    /// Whether this is the replay format's `state` line (a process-table seed, not an event).
    @inline(__always)
    public var isStateSeed: Bool { code == 0 && otherName == "state" }

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

    /// Known names bucketed by length and first byte, for decoders that match raw bytes
    /// without building a String (`code(utf8:)`).
    static let buckets: [[(name: [UInt8], code: UInt16)]] = {
        var table = Array(repeating: [(name: [UInt8], code: UInt16)](), count: 32 * 128)
        for (i, n) in known.enumerated() where i > 0 {
            let b = Array(n.utf8)
            table[b.count * 128 + Int(b[0] & 0x7F)].append((b, UInt16(i)))
        }
        return table
    }()

    /// The code of a known name given as UTF-8 bytes; nil when it is not known.
    public static func code(utf8 b: UnsafeBufferPointer<UInt8>) -> UInt16? {
        guard b.count > 0, b.count < 32, b[0] < 0x80 else { return nil }
        for (name, code) in buckets[b.count * 128 + Int(b[0])] where name.withUnsafeBufferPointer({ memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 }) {
            return code
        }
        return nil
    }

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
    /// The fields, shared between copies until one is changed (copy on write): an event has
    /// ~45 mostly-optional fields, and copying them one by one cost a retain/release per field
    /// per copy — a third of replay time before this (perf, 1M-event bench).
    @usableFromInline
    final class Storage: @unchecked Sendable {
        @usableFromInline var num: UInt64 = 0
        @usableFromInline var ts: Int64 = 0
        @usableFromInline var type: EventType = .unknown
        @usableFromInline var pid: Int64 = 0
        @usableFromInline var tid: Int64? = nil
        @usableFromInline var res: Int64 = 0
        @usableFromInline var ppid: Int64? = nil
        @usableFromInline var comm: String? = nil
        @usableFromInline var exe: String? = nil
        @usableFromInline var exepath: String? = nil
        @usableFromInline var args: [String]? = nil
        @usableFromInline var cwd: String? = nil
        @usableFromInline var uid: Int64? = nil
        @usableFromInline var gid: Int64? = nil
        @usableFromInline var user: String? = nil
        @usableFromInline var group: String? = nil
        @usableFromInline var loginuid: Int64? = nil
        @usableFromInline var tty: Int64? = nil
        @usableFromInline var sid: Int64? = nil
        @usableFromInline var vpgid: Int64? = nil
        @usableFromInline var exeUpperLayer: Bool? = nil
        @usableFromInline var exeFromMemfd: Bool? = nil
        @usableFromInline var env: [String]? = nil
        @usableFromInline var vpid: Int64? = nil
        @usableFromInline var capEffective: String? = nil
        @usableFromInline var capPermitted: String? = nil
        @usableFromInline var capInheritable: String? = nil
        @usableFromInline var containerID: String? = nil
        @usableFromInline var containerName: String? = nil
        @usableFromInline var containerImage: String? = nil
        @usableFromInline var containerPrivileged: Bool? = nil
        @usableFromInline var k8sNamespace: String? = nil
        @usableFromInline var k8sPod: String? = nil
        @usableFromInline var path: String? = nil
        @usableFromInline var rawPath: String? = nil
        @usableFromInline var fd: Int64? = nil
        @usableFromInline var flags: String? = nil
        @usableFromInline var mode: Int64? = nil
        @usableFromInline var oldpath: String? = nil
        @usableFromInline var newpath: String? = nil
        @usableFromInline var target: String? = nil
        @usableFromInline var linkpath: String? = nil
        @usableFromInline var sip: String? = nil
        @usableFromInline var sport: Int64? = nil
        @usableFromInline var dip: String? = nil
        @usableFromInline var dport: Int64? = nil
        @usableFromInline var l4proto: String? = nil
        @usableFromInline var targetID: Int64? = nil
        @usableFromInline var request: String? = nil
        @usableFromInline var data: String? = nil
        /// Whether a process-snapshot field (comm, exe, uid, container…) was set.
        @usableFromInline var carriesProcess = false
        @usableFromInline init() {}
        func copy() -> Storage {
            let c = Storage()
            c.num = num
            c.ts = ts
            c.type = type
            c.pid = pid
            c.tid = tid
            c.res = res
            c.ppid = ppid
            c.comm = comm
            c.exe = exe
            c.exepath = exepath
            c.args = args
            c.cwd = cwd
            c.uid = uid
            c.gid = gid
            c.user = user
            c.group = group
            c.loginuid = loginuid
            c.tty = tty
            c.sid = sid
            c.vpgid = vpgid
            c.exeUpperLayer = exeUpperLayer
            c.exeFromMemfd = exeFromMemfd
            c.env = env
            c.vpid = vpid
            c.capEffective = capEffective
            c.capPermitted = capPermitted
            c.capInheritable = capInheritable
            c.containerID = containerID
            c.containerName = containerName
            c.containerImage = containerImage
            c.containerPrivileged = containerPrivileged
            c.k8sNamespace = k8sNamespace
            c.k8sPod = k8sPod
            c.path = path
            c.rawPath = rawPath
            c.fd = fd
            c.flags = flags
            c.mode = mode
            c.oldpath = oldpath
            c.newpath = newpath
            c.target = target
            c.linkpath = linkpath
            c.sip = sip
            c.sport = sport
            c.dip = dip
            c.dport = dport
            c.l4proto = l4proto
            c.targetID = targetID
            c.request = request
            c.data = data
            c.carriesProcess = carriesProcess
            return c
        }
    }

    @usableFromInline var storage: Storage

    @inline(__always) @usableFromInline
    mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// Sequence number in the stream, from 1.
    public var num: UInt64 {
        @inlinable get { storage.num }
        @inline(__always) set { unique().num = newValue }
    }
    /// Nanoseconds since the Unix epoch.
    public var ts: Int64 {
        @inlinable get { storage.ts }
        @inline(__always) set { unique().ts = newValue }
    }
    public var type: EventType {
        @inlinable get { storage.type }
        @inline(__always) set { unique().type = newValue }
    }
    public var pid: Int64 {
        @inlinable get { storage.pid }
        @inline(__always) set { unique().pid = newValue }
    }
    public var tid: Int64? {
        @inlinable get { storage.tid }
        @inline(__always) set { unique().tid = newValue }
    }
    /// Return value (negative errno on failure; the new fd for opens; the child pid for clone).
    public var res: Int64 {
        @inlinable get { storage.res }
        @inline(__always) set { unique().res = newValue }
    }
    // process snapshot
    public var ppid: Int64? {
        @inlinable get { storage.ppid }
        @inline(__always) set { let s = unique(); s.ppid = newValue; s.carriesProcess = true }
    }
    public var comm: String? {
        @inlinable get { storage.comm }
        @inline(__always) set { let s = unique(); s.comm = newValue; s.carriesProcess = true }
    }
    public var exe: String? {
        @inlinable get { storage.exe }
        @inline(__always) set { let s = unique(); s.exe = newValue; s.carriesProcess = true }
    }
    public var exepath: String? {
        @inlinable get { storage.exepath }
        @inline(__always) set { let s = unique(); s.exepath = newValue; s.carriesProcess = true }
    }
    public var args: [String]? {
        @inlinable get { storage.args }
        @inline(__always) set { let s = unique(); s.args = newValue; s.carriesProcess = true }
    }
    public var cwd: String? {
        @inlinable get { storage.cwd }
        @inline(__always) set { let s = unique(); s.cwd = newValue; s.carriesProcess = true }
    }
    public var uid: Int64? {
        @inlinable get { storage.uid }
        @inline(__always) set { let s = unique(); s.uid = newValue; s.carriesProcess = true }
    }
    public var gid: Int64? {
        @inlinable get { storage.gid }
        @inline(__always) set { let s = unique(); s.gid = newValue; s.carriesProcess = true }
    }
    public var user: String? {
        @inlinable get { storage.user }
        @inline(__always) set { let s = unique(); s.user = newValue; s.carriesProcess = true }
    }
    public var group: String? {
        @inlinable get { storage.group }
        @inline(__always) set { let s = unique(); s.group = newValue; s.carriesProcess = true }
    }
    public var loginuid: Int64? {
        @inlinable get { storage.loginuid }
        @inline(__always) set { let s = unique(); s.loginuid = newValue; s.carriesProcess = true }
    }
    public var tty: Int64? {
        @inlinable get { storage.tty }
        @inline(__always) set { let s = unique(); s.tty = newValue; s.carriesProcess = true }
    }
    public var sid: Int64? {
        @inlinable get { storage.sid }
        @inline(__always) set { let s = unique(); s.sid = newValue; s.carriesProcess = true }
    }
    public var vpgid: Int64? {
        @inlinable get { storage.vpgid }
        @inline(__always) set { let s = unique(); s.vpgid = newValue; s.carriesProcess = true }
    }
    public var exeUpperLayer: Bool? {
        @inlinable get { storage.exeUpperLayer }
        @inline(__always) set { let s = unique(); s.exeUpperLayer = newValue; s.carriesProcess = true }
    }
    public var exeFromMemfd: Bool? {
        @inlinable get { storage.exeFromMemfd }
        @inline(__always) set { let s = unique(); s.exeFromMemfd = newValue; s.carriesProcess = true }
    }
    public var env: [String]? {
        @inlinable get { storage.env }
        @inline(__always) set { let s = unique(); s.env = newValue; s.carriesProcess = true }
    }
    /// Pid inside the container's pid namespace.
    public var vpid: Int64? {
        @inlinable get { storage.vpid }
        @inline(__always) set { let s = unique(); s.vpid = newValue; s.carriesProcess = true }
    }
    /// Capability sets as Falco prints them (`CAP_CHOWN CAP_SYS_ADMIN …`).
    public var capEffective: String? {
        @inlinable get { storage.capEffective }
        @inline(__always) set { let s = unique(); s.capEffective = newValue; s.carriesProcess = true }
    }
    public var capPermitted: String? {
        @inlinable get { storage.capPermitted }
        @inline(__always) set { let s = unique(); s.capPermitted = newValue; s.carriesProcess = true }
    }
    public var capInheritable: String? {
        @inlinable get { storage.capInheritable }
        @inline(__always) set { let s = unique(); s.capInheritable = newValue; s.carriesProcess = true }
    }
    // container
    public var containerID: String? {
        @inlinable get { storage.containerID }
        @inline(__always) set { let s = unique(); s.containerID = newValue; s.carriesProcess = true }
    }
    public var containerName: String? {
        @inlinable get { storage.containerName }
        @inline(__always) set { let s = unique(); s.containerName = newValue; s.carriesProcess = true }
    }
    public var containerImage: String? {
        @inlinable get { storage.containerImage }
        @inline(__always) set { let s = unique(); s.containerImage = newValue; s.carriesProcess = true }
    }
    public var containerPrivileged: Bool? {
        @inlinable get { storage.containerPrivileged }
        @inline(__always) set { let s = unique(); s.containerPrivileged = newValue; s.carriesProcess = true }
    }
    public var k8sNamespace: String? {
        @inlinable get { storage.k8sNamespace }
        @inline(__always) set { let s = unique(); s.k8sNamespace = newValue; s.carriesProcess = true }
    }
    public var k8sPod: String? {
        @inlinable get { storage.k8sPod }
        @inline(__always) set { let s = unique(); s.k8sPod = newValue; s.carriesProcess = true }
    }
    // arguments
    /// File path (opens, creat, unlink, mkdir, chmod, …) or the socket's name.
    public var path: String? {
        @inlinable get { storage.path }
        @inline(__always) set { unique().path = newValue }
    }
    /// The path as the process passed it, when it differs from `path` (relative, or with `//`,
    /// `.` or `..`): `fd.nameraw`.
    public var rawPath: String? {
        @inlinable get { storage.rawPath }
        @inline(__always) set { unique().rawPath = newValue }
    }
    public var fd: Int64? {
        @inlinable get { storage.fd }
        @inline(__always) set { unique().fd = newValue }
    }
    /// Open flags as Falco prints them (`O_WRONLY|O_CREAT|O_TRUNC`).
    public var flags: String? {
        @inlinable get { storage.flags }
        @inline(__always) set { unique().flags = newValue }
    }
    public var mode: Int64? {
        @inlinable get { storage.mode }
        @inline(__always) set { unique().mode = newValue }
    }
    public var oldpath: String? {
        @inlinable get { storage.oldpath }
        @inline(__always) set { unique().oldpath = newValue }
    }
    public var newpath: String? {
        @inlinable get { storage.newpath }
        @inline(__always) set { unique().newpath = newValue }
    }
    public var target: String? {
        @inlinable get { storage.target }
        @inline(__always) set { unique().target = newValue }
    }
    public var linkpath: String? {
        @inlinable get { storage.linkpath }
        @inline(__always) set { unique().linkpath = newValue }
    }
    public var sip: String? {
        @inlinable get { storage.sip }
        @inline(__always) set { unique().sip = newValue }
    }
    public var sport: Int64? {
        @inlinable get { storage.sport }
        @inline(__always) set { unique().sport = newValue }
    }
    public var dip: String? {
        @inlinable get { storage.dip }
        @inline(__always) set { unique().dip = newValue }
    }
    public var dport: Int64? {
        @inlinable get { storage.dport }
        @inline(__always) set { unique().dport = newValue }
    }
    public var l4proto: String? {
        @inlinable get { storage.l4proto }
        @inline(__always) set { unique().l4proto = newValue }
    }
    /// `setuid`/`setgid` target id.
    public var targetID: Int64? {
        @inlinable get { storage.targetID }
        @inline(__always) set { unique().targetID = newValue }
    }
    /// `ptrace` request name.
    public var request: String? {
        @inlinable get { storage.request }
        @inline(__always) set { unique().request = newValue }
    }
    public var data: String? {
        @inlinable get { storage.data }
        @inline(__always) set { unique().data = newValue }
    }

    /// Whether the event sets any process field (so the process table has something to merge).
    public var carriesProcess: Bool { storage.carriesProcess }

    public init() { storage = Storage() }

    public init(type: String, pid: Int64) {
        storage = Storage()
        self.type = EventType(name: type)
        self.pid = pid
    }
}
