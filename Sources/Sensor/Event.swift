#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A kernel event type with Falco's name (`execve`, `openat`, `renameat2`, …) and a small code
/// used to index rules.
public struct EventType: Sendable, Hashable, CustomStringConvertible {
    /// Index into `EventType.known`; 0 for names Vigil does not know.
    public private(set) var code: UInt16
    /// What the event does, for state tracking and fields (stored: read by most field extractors).
    public let kind: EventKind
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
        kind = EventType.kinds[Int(code)]
    }

    /// A known type by its code (`1..<known.count`).
    @inline(__always)
    public init(code: UInt16) {
        self.code = code
        otherName = nil
        kind = EventType.kinds[Int(code)]
    }

    public static let unknown = EventType(code: 0)

    public var name: String { otherName ?? EventType.known[Int(code)] }

    /// Whether this is the replay format's `state` line (a process-table seed, not an event).
    @inline(__always)
    public var isStateSeed: Bool { code == 0 && otherName == "state" }

    public var description: String { name }


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

    /// The code of a known name given as UTF-8 bytes; nil when it is not known. Compares 8-byte
    /// words against constants generated from `known` (EventTypeTests checks every name).
    public static func code(utf8 b: UnsafeBufferPointer<UInt8>) -> UInt16? {
        let n = b.count
        guard n > 0, n <= 24 else { return nil }
        func word(_ at: Int) -> UInt64 { littleEndianWord(b, at: at, count: min(8, n - at)) }
        let w0 = word(0)
        switch n {
        case 3:
            switch w0 {
            case 0x667062: return 74 // bpf
            case 0x707564: return 82 // dup
            case 0x6b7262: return 121 // brk
            default: return nil
            }
        case 4:
            switch w0 {
            case 0x6b726f66: return 5 // fork
            case 0x74697865: return 8 // exit
            case 0x6e65706f: return 10 // open
            case 0x64616572: return 16 // read
            case 0x6b6e696c: return 30 // link
            case 0x646e6962: return 51 // bind
            case 0x6c6c696b: return 69 // kill
            case 0x70616d6d: return 79 // mmap
            case 0x32707564: return 83 // dup2
            case 0x33707564: return 84 // dup3
            case 0x65706970: return 89 // pipe
            case 0x6c6c6f70: return 117 // poll
            case 0x74617473: return 125 // stat
            default: return nil
            }
        case 5:
            switch w0 {
            case 0x656e6f6c63: return 3 // clone
            case 0x6b726f6676: return 6 // vfork
            case 0x7461657263: return 14 // creat
            case 0x65736f6c63: return 15 // close
            case 0x6574697277: return 17 // write
            case 0x6461657270: return 18 // pread
            case 0x7664616572: return 20 // readv
            case 0x7269646b6d: return 27 // mkdir
            case 0x7269646d72: return 29 // rmdir
            case 0x646f6d6863: return 34 // chmod
            case 0x6e776f6863: return 37 // chown
            case 0x746e756f6d: return 43 // mount
            case 0x736e746573: return 66 // setns
            case 0x6c6c696b74: return 70 // tkill
            case 0x6c74637270: return 72 // prctl
            case 0x7269646863: return 85 // chdir
            case 0x3265706970: return 90 // pipe2
            case 0x6c74636f69: return 92 // ioctl
            case 0x6c746e6366: return 93 // fcntl
            case 0x646f6e6b6d: return 105 // mknod
            case 0x7865747566: return 120 // futex
            case 0x746174736c: return 126 // lstat
            case 0x7461747366: return 127 // fstat
            default: return nil
            }
        case 6:
            switch w0 {
            case 0x657663657865: return 1 // execve
            case 0x33656e6f6c63: return 4 // clone3
            case 0x74616e65706f: return 11 // openat
            case 0x657469727770: return 19 // pwrite
            case 0x766574697277: return 21 // writev
            case 0x656d616e6572: return 22 // rename
            case 0x6b6e696c6e75: return 25 // unlink
            case 0x74616b6e696c: return 31 // linkat
            case 0x646f6d686366: return 35 // fchmod
            case 0x6e776f686366: return 38 // fchown
            case 0x6e776f68636c: return 40 // lchown
            case 0x746e756f6d75: return 44 // umount
            case 0x746f6f726863: return 47 // chroot
            case 0x747065636361: return 49 // accept
            case 0x6e657473696c: return 52 // listen
            case 0x74656b636f73: return 53 // socket
            case 0x6f74646e6573: return 54 // sendto
            case 0x646975746573: return 58 // setuid
            case 0x646967746573: return 59 // setgid
            case 0x656361727470: return 68 // ptrace
            case 0x6c6c696b6774: return 71 // tgkill
            case 0x746573706163: return 73 // capset
            case 0x726964686366: return 86 // fchdir
            case 0x646973746573: return 87 // setsid
            case 0x6563696c7073: return 111 // splice
            case 0x7463656c6573: return 118 // select
            case 0x70616d6e756d: return 122 // munmap
            case 0x737365636361: return 123 // access
            default: return nil
            }
        case 7:
            switch w0 {
            case 0x3274616e65706f: return 12 // openat2
            case 0x74617269646b6d: return 28 // mkdirat
            case 0x6b6e696c6d7973: return 32 // symlink
            case 0x32746e756f6d75: return 45 // umount2
            case 0x7463656e6e6f63: return 48 // connect
            case 0x34747065636361: return 50 // accept4
            case 0x67736d646e6573: return 56 // sendmsg
            case 0x67736d76636572: return 57 // recvmsg
            case 0x65726168736e75: return 67 // unshare
            case 0x64696770746573: return 88 // setpgid
            case 0x6466746e657665: return 97 // eventfd
            case 0x7461646f6e6b6d: return 106 // mknodat
            case 0x706d6f63636573: return 108 // seccomp
            default: return nil
            }
        case 8:
            switch w0 {
            case 0x7461657663657865: return 2 // execveat
            case 0x74697865636f7270: return 7 // procexit
            case 0x7461656d616e6572: return 23 // renameat
            case 0x74616b6e696c6e75: return 26 // unlinkat
            case 0x7461646f6d686366: return 36 // fchmodat
            case 0x74616e776f686366: return 39 // fchownat
            case 0x657461636e757274: return 41 // truncate
            case 0x6d6f726676636572: return 55 // recvfrom
            case 0x6469756572746573: return 62 // setreuid
            case 0x6469676572746573: return 63 // setregid
            case 0x6469757366746573: return 64 // setfsuid
            case 0x6469677366746573: return 65 // setfsgid
            case 0x746365746f72706d: return 80 // mprotect
            case 0x64666c616e676973: return 96 // signalfd
            case 0x6c746361746f7571: return 107 // quotactl
            case 0x656c6966646e6573: return 113 // sendfile
            case 0x6e776f6474756873: return 116 // shutdown
            case 0x73746e6564746567: return 128 // getdents
            default: return nil
            }
        case 9:
            let w1 = word(8)
            switch w0 {
            case 0x7461656d616e6572:
                if w1 == 0x32 { return 24 } // renameat2
                return nil
            case 0x616b6e696c6d7973:
                if w1 == 0x74 { return 33 } // symlinkat
                return nil
            case 0x7461636e75727466:
                if w1 == 0x65 { return 42 } // ftruncate
                return nil
            case 0x6975736572746573:
                if w1 == 0x64 { return 60 } // setresuid
                return nil
            case 0x6967736572746573:
                if w1 == 0x64 { return 61 } // setresgid
                return nil
            case 0x656e6961746e6f63:
                if w1 == 0x72 { return 104 } // container
                return nil
            case 0x65656c736f6e616e:
                if w1 == 0x70 { return 119 } // nanosleep
                return nil
            case 0x6173736563636166:
                if w1 == 0x74 { return 124 } // faccessat
                return nil
            case 0x61736e656d697475:
                if w1 == 0x74 { return 130 } // utimensat
                return nil
            default: return nil
            }
        case 10:
            let w1 = word(8)
            switch w0 {
            case 0x6f72675f74697865:
                if w1 == 0x7075 { return 9 } // exit_group
                return nil
            case 0x6f725f746f766970:
                if w1 == 0x746f { return 46 } // pivot_root
                return nil
            case 0x617074656b636f73:
                if w1 == 0x7269 { return 91 } // socketpair
                return nil
            case 0x6f6b636f73746567:
                if w1 == 0x7470 { return 114 } // getsockopt
                return nil
            case 0x6f6b636f73746573:
                if w1 == 0x7470 { return 115 } // setsockopt
                return nil
            case 0x73746e6564746567:
                if w1 == 0x3436 { return 129 } // getdents64
                return nil
            default: return nil
            }
        case 11:
            let w1 = word(8)
            switch w0 {
            case 0x646f6d5f74696e69:
                if w1 == 0x656c75 { return 75 } // init_module
                return nil
            case 0x6c75616672657375:
                if w1 == 0x646674 { return 81 } // userfaultfd
                return nil
            default: return nil
            }
        case 12:
            let w1 = word(8)
            switch w0 {
            case 0x6f6d5f74696e6966:
                if w1 == 0x656c7564 { return 76 } // finit_module
                return nil
            case 0x72635f64666d656d:
                if w1 == 0x65746165 { return 78 } // memfd_create
                return nil
            case 0x5f796669746f6e69:
                if w1 == 0x74696e69 { return 94 } // inotify_init
                return nil
            case 0x72635f6c6c6f7065:
                if w1 == 0x65746165 { return 99 } // epoll_create
                return nil
            default: return nil
            }
        case 13:
            let w1 = word(8)
            switch w0 {
            case 0x6d5f6574656c6564:
                if w1 == 0x656c75646f { return 77 } // delete_module
                return nil
            case 0x5f796669746f6e69:
                if w1 == 0x3174696e69 { return 95 } // inotify_init1
                return nil
            case 0x72635f6c6c6f7065:
                if w1 == 0x3165746165 { return 100 } // epoll_create1
                return nil
            default: return nil
            }
        case 14:
            let w1 = word(8)
            switch w0 {
            case 0x5f646672656d6974:
                if w1 == 0x657461657263 { return 98 } // timerfd_create
                return nil
            case 0x676e6972755f6f69:
                if w1 == 0x70757465735f { return 101 } // io_uring_setup
                if w1 == 0x7265746e655f { return 102 } // io_uring_enter
                return nil
            default: return nil
            }
        case 15:
            let w1 = word(8)
            switch w0 {
            case 0x6c69665f79706f63:
                if w1 == 0x65676e61725f65 { return 112 } // copy_file_range
                return nil
            default: return nil
            }
        case 16:
            let w1 = word(8)
            switch w0 {
            case 0x5f737365636f7270:
                if w1 == 0x76646165725f6d76 { return 109 } // process_vm_readv
                return nil
            default: return nil
            }
        case 17:
            let w1 = word(8)
            let w2 = word(16)
            switch w0 {
            case 0x5f79625f6e65706f:
                if w1 == 0x615f656c646e6168 && w2 == 0x74 { return 13 } // open_by_handle_at
                return nil
            case 0x676e6972755f6f69:
                if w1 == 0x657473696765725f && w2 == 0x72 { return 103 } // io_uring_register
                return nil
            case 0x5f737365636f7270:
                if w1 == 0x65746972775f6d76 && w2 == 0x76 { return 110 } // process_vm_writev
                return nil
            default: return nil
            }
        default: return nil
        }
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
        @usableFromInline var args: [String]? = nil
        @usableFromInline var uid: Int64? = nil
        @usableFromInline var gid: Int64? = nil
        @usableFromInline var loginuid: Int64? = nil
        @usableFromInline var tty: Int64? = nil
        @usableFromInline var sid: Int64? = nil
        @usableFromInline var vpgid: Int64? = nil
        @usableFromInline var exeUpperLayer: Bool? = nil
        @usableFromInline var exeFromMemfd: Bool? = nil
        @usableFromInline var vpid: Int64? = nil
        @usableFromInline var containerID: String? = nil
        @usableFromInline var containerName: String? = nil
        @usableFromInline var containerImage: String? = nil
        @usableFromInline var containerPrivileged: Bool? = nil
        @usableFromInline var path: String? = nil
        @usableFromInline var fd: Int64? = nil
        @usableFromInline var flags: String? = nil
        @usableFromInline var mode: Int64? = nil
        @usableFromInline var sip: String? = nil
        @usableFromInline var sport: Int64? = nil
        @usableFromInline var dip: String? = nil
        @usableFromInline var dport: Int64? = nil
        @usableFromInline var l4proto: String? = nil
        @usableFromInline var targetID: Int64? = nil
        /// Fields most events leave unset, kept apart so creating and destroying an event
        /// touches a dozen references instead of thirty (`Extra` exists once one is set).
        @usableFromInline var extra: Extra?
        @usableFromInline var exepath: String? {
            @inline(__always) get { extra?.exepath }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.exepath = newValue
            }
        }
        @usableFromInline var cwd: String? {
            @inline(__always) get { extra?.cwd }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.cwd = newValue
            }
        }
        @usableFromInline var user: String? {
            @inline(__always) get { extra?.user }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.user = newValue
            }
        }
        @usableFromInline var group: String? {
            @inline(__always) get { extra?.group }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.group = newValue
            }
        }
        @usableFromInline var env: [String]? {
            @inline(__always) get { extra?.env }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.env = newValue
            }
        }
        @usableFromInline var capEffective: String? {
            @inline(__always) get { extra?.capEffective }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.capEffective = newValue
            }
        }
        @usableFromInline var capPermitted: String? {
            @inline(__always) get { extra?.capPermitted }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.capPermitted = newValue
            }
        }
        @usableFromInline var capInheritable: String? {
            @inline(__always) get { extra?.capInheritable }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.capInheritable = newValue
            }
        }
        @usableFromInline var k8sNamespace: String? {
            @inline(__always) get { extra?.k8sNamespace }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.k8sNamespace = newValue
            }
        }
        @usableFromInline var k8sPod: String? {
            @inline(__always) get { extra?.k8sPod }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.k8sPod = newValue
            }
        }
        @usableFromInline var rawPath: String? {
            @inline(__always) get { extra?.rawPath }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.rawPath = newValue
            }
        }
        @usableFromInline var oldpath: String? {
            @inline(__always) get { extra?.oldpath }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.oldpath = newValue
            }
        }
        @usableFromInline var newpath: String? {
            @inline(__always) get { extra?.newpath }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.newpath = newValue
            }
        }
        @usableFromInline var target: String? {
            @inline(__always) get { extra?.target }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.target = newValue
            }
        }
        @usableFromInline var linkpath: String? {
            @inline(__always) get { extra?.linkpath }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.linkpath = newValue
            }
        }
        @usableFromInline var request: String? {
            @inline(__always) get { extra?.request }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.request = newValue
            }
        }
        @usableFromInline var data: String? {
            @inline(__always) get { extra?.data }
            set {
                if extra == nil { if newValue == nil { return }; extra = Extra() }
                extra.unsafelyUnwrapped.data = newValue
            }
        }
        /// Whether a process-snapshot field (comm, exe, uid, container…) was set.
        @usableFromInline var carriesProcess = false
        @usableFromInline init() {}

        /// Back to a new storage's state (every field `copy()` copies), for reuse.
        func reset() {
            num = 0
            ts = 0
            type = .unknown
            pid = 0
            if tid != nil { tid = nil }
            res = 0
            if ppid != nil { ppid = nil }
            if comm != nil { comm = nil }
            if exe != nil { exe = nil }
            if args != nil { args = nil }
            if uid != nil { uid = nil }
            if gid != nil { gid = nil }
            if loginuid != nil { loginuid = nil }
            if tty != nil { tty = nil }
            if sid != nil { sid = nil }
            if vpgid != nil { vpgid = nil }
            if exeUpperLayer != nil { exeUpperLayer = nil }
            if exeFromMemfd != nil { exeFromMemfd = nil }
            if vpid != nil { vpid = nil }
            if containerID != nil { containerID = nil }
            if containerName != nil { containerName = nil }
            if containerImage != nil { containerImage = nil }
            if containerPrivileged != nil { containerPrivileged = nil }
            if path != nil { path = nil }
            if fd != nil { fd = nil }
            if flags != nil { flags = nil }
            if mode != nil { mode = nil }
            if sip != nil { sip = nil }
            if sport != nil { sport = nil }
            if dip != nil { dip = nil }
            if dport != nil { dport = nil }
            if l4proto != nil { l4proto = nil }
            if targetID != nil { targetID = nil }
            carriesProcess = false
            if extra != nil { extra = nil }
        }

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
            c.args = args
            c.uid = uid
            c.gid = gid
            c.loginuid = loginuid
            c.tty = tty
            c.sid = sid
            c.vpgid = vpgid
            c.exeUpperLayer = exeUpperLayer
            c.exeFromMemfd = exeFromMemfd
            c.vpid = vpid
            c.containerID = containerID
            c.containerName = containerName
            c.containerImage = containerImage
            c.containerPrivileged = containerPrivileged
            c.path = path
            c.fd = fd
            c.flags = flags
            c.mode = mode
            c.sip = sip
            c.sport = sport
            c.dip = dip
            c.dport = dport
            c.l4proto = l4proto
            c.targetID = targetID
            c.carriesProcess = carriesProcess
            c.extra = extra?.copy()
            return c
        }
    }

    @usableFromInline
    final class Extra: @unchecked Sendable {
        @usableFromInline var exepath: String? = nil
        @usableFromInline var cwd: String? = nil
        @usableFromInline var user: String? = nil
        @usableFromInline var group: String? = nil
        @usableFromInline var env: [String]? = nil
        @usableFromInline var capEffective: String? = nil
        @usableFromInline var capPermitted: String? = nil
        @usableFromInline var capInheritable: String? = nil
        @usableFromInline var k8sNamespace: String? = nil
        @usableFromInline var k8sPod: String? = nil
        @usableFromInline var rawPath: String? = nil
        @usableFromInline var oldpath: String? = nil
        @usableFromInline var newpath: String? = nil
        @usableFromInline var target: String? = nil
        @usableFromInline var linkpath: String? = nil
        @usableFromInline var request: String? = nil
        @usableFromInline var data: String? = nil
        @usableFromInline init() {}
        func copy() -> Extra {
            let c = Extra()
            c.exepath = exepath
            c.cwd = cwd
            c.user = user
            c.group = group
            c.env = env
            c.capEffective = capEffective
            c.capPermitted = capPermitted
            c.capInheritable = capInheritable
            c.k8sNamespace = k8sNamespace
            c.k8sPod = k8sPod
            c.rawPath = rawPath
            c.oldpath = oldpath
            c.newpath = newpath
            c.target = target
            c.linkpath = linkpath
            c.request = request
            c.data = data
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

    /// An event over storage a decoder filled (and no one else holds).
    @usableFromInline
    init(storage: Storage) { self.storage = storage }

    public init(type: String, pid: Int64) {
        storage = Storage()
        self.type = EventType(name: type)
        self.pid = pid
    }
}

/// Up to 8 bytes of `b` from `at` as a little-endian word (missing bytes zero): the unit the
/// generated key and event-type matchers compare (`EventDecoder.keyAt`, `EventType.code`).
@inline(__always)
func littleEndianWord(_ b: UnsafeBufferPointer<UInt8>, at: Int, count: Int) -> UInt64 {
    if at + 8 <= b.count {
        let w = UInt64(littleEndian: UnsafeRawPointer(b.baseAddress! + at).loadUnaligned(as: UInt64.self))
        return count >= 8 ? w : w & ((1 << (8 * UInt64(count))) &- 1)
    }
    var w: UInt64 = 0
    for k in 0..<count { w |= UInt64(b[at + k]) << (8 * UInt64(k)) }
    return w
}

/// Whether `s` is exactly the bytes `b` (the check behind a `StringCache` or `PathTable` hit).
@inline(__always)
func sameBytes(_ s: String, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard s.utf8.count == b.count else { return false }
    guard b.count > 0 else { return true }
    return s.utf8.withContiguousStorageIfAvailable { memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 }
        ?? s.utf8.elementsEqual(b)
}

/// A 64-bit hash of `b`, eight bytes at a time with multiply-xorshift mixing (the last word
/// overlaps the one before when the length is not a multiple of eight): the `StringCache` slot
/// and the `PathTable` index.
@inline(__always)
func wordHash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let n = b.count
    var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(n)
    var k = 0
    while k + 8 <= n {
        h = (h ^ littleEndianWord(b, at: k, count: 8)) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        k += 8
    }
    if k < n {
        let tail = n >= 8 ? littleEndianWord(b, at: n - 8, count: 8) : littleEndianWord(b, at: 0, count: n)
        h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
    }
    return h ^ (h >> 29)
}
