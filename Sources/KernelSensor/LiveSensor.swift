import CVigilBPF
import Sensor
import SystemIO
import VigilCore

#if canImport(Glibc)
import Glibc
#endif

/// `vigil watch` without `--replay`: kernel records turned into Vigil events (docs/events.md),
/// with the process table seeded from /proc, container ids from cgroup paths, container names and
/// images from the runtime, and user names from the container's own /etc/passwd.
///
/// The same `SystemState` as replay is kept; `--record` writes every event plus `state` lines for
/// the processes learned from /proc, so a recording replays to the same alerts.
public final class LiveSensor: EventSource {
    public struct Options {
        public var objectPath: String
        /// Report host processes too (`--host`); by default only containers.
        public var includeHost = false
        /// Write the event stream here (`--record`).
        public var recordPath: String?
        /// Print statistics to stderr every this many seconds (0 = never).
        public var statsInterval: Double = 0
        /// Print libbpf's messages (debugging).
        public var verbose = false
        public var hostname = "localhost"
        /// Report read-only opens only of these paths (exact) and under these prefixes: the
        /// loaded rules' `RuleSet.openReadFilter()`. nil reports every open.
        public var openReadPaths: (exact: [String], prefixes: [String])?

        public init(objectPath: String) { self.objectPath = objectPath }
    }

    /// What the sensor saw, for `--stats` and the final summary.
    public struct Statistics: Sendable {
        public var records: UInt64 = 0
        public var events: UInt64 = 0
        public var kernelEmitted: UInt64 = 0
        public var kernelDropped: UInt64 = 0
        public var kernelFiltered: UInt64 = 0
        public var kernelOpensSkipped: UInt64 = 0
        public var hostDropped: UInt64 = 0
    }

    /// Most paths the kernel's open filter holds; with more, every open is reported.
    public static let openFilterCapacity = BPFSensor.OpenReadPaths.capacity

    public private(set) var state: SystemState
    public private(set) var statistics = Statistics()
    private let options: Options
    private let bpf: BPFSensor
    private var queue: [vigil_event] = []
    private var queueIndex = 0
    private var count: UInt64 = 0
    private var pendingRetire: Int64?
    private var stopping = false
    private var drained = false
    private let bootToEpoch: Int64
    private var containerByCgroup: [UInt64: String] = [:]
    private let directory = ContainerDirectory()
    private var users: [String: (loaded: Int64, names: [Int64: String])] = [:]
    private var flagNames: [Int64: String] = [:]
    private var recorder: Int32 = -1
    private var recorded: Set<Int64> = []
    private var line: [UInt8] = []
    private var lastStats: Int64 = 0
    private var lastStatsEvents: UInt64 = 0
    /// Called with a statistics line every `statsInterval` seconds.
    public var onStatistics: ((String) -> Void)?

    /// Loads and attaches the kernel program. Errors are one line: not root, no BTF, no object,
    /// the kernel refusing the program.
    public init(options: Options) throws(SensorError) {
        self.options = options
        if geteuid() != 0 {
            throw SensorError(.permission, "vigil watch needs root (CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN) to load the kernel sensor; run it as root, or evaluate a recording with --replay FILE")
        }
        if access("/sys/kernel/btf/vmlinux", R_OK) != 0 {
            throw SensorError(.unsupportedKernel, "this kernel has no BTF (/sys/kernel/btf/vmlinux is missing): the CO-RE sensor cannot be loaded; use --replay FILE")
        }
        if access(options.objectPath, R_OK) != 0 {
            throw SensorError(.object, "kernel sensor object not found at \(options.objectPath); build it with scripts/build-bpf.sh (or set VIGIL_BPF_OBJECT)")
        }
        try Self.mountTracefsIfNeeded()
        var options = options
        options.hostname = options.hostname.isEmpty ? "localhost" : options.hostname
        state = SystemState(hostname: options.hostname)
        if let paths = options.openReadPaths, paths.exact.count + paths.prefixes.count > BPFSensor.OpenReadPaths.capacity {
            options.openReadPaths = nil // more paths than the kernel map holds: report every open
        }
        bpf = try BPFSensor(BPFSensor.Options(objectPath: options.objectPath, onlyContainers: !options.includeHost,
                                              verboseLibbpf: options.verbose,
                                              openReadPaths: options.openReadPaths.map { BPFSensor.OpenReadPaths(exact: $0.exact, prefixes: $0.prefixes) }))
        var real = timespec(), boot = timespec()
        clock_gettime(CLOCK_REALTIME, &real)
        clock_gettime(CLOCK_BOOTTIME, &boot)
        bootToEpoch = (Int64(real.tv_sec) - Int64(boot.tv_sec)) * 1_000_000_000 + Int64(real.tv_nsec) - Int64(boot.tv_nsec)
        if let path = options.recordPath {
            recorder = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if recorder < 0 { throw SensorError(.io, "\(path): cannot write the recording: \(String(cString: strerror(errno)))") }
        }
        seedFromProc()
        lastStats = MonotonicClock.nanos()
    }

    deinit { close() }

    /// Number of kernel programs attached.
    public var programCount: Int { bpf.programCount }

    /// Flushes and closes the recording and detaches the programs.
    public func close() {
        if recorder >= 0 { _ = Glibc.close(recorder); recorder = -1 }
        bpf.close()
    }

    /// Kernel counters as of now (emitted, dropped, filtered).
    public func refreshCounters() {
        let c = bpf.counters()
        statistics.kernelEmitted = c.emitted
        statistics.kernelDropped = c.dropped
        statistics.kernelFiltered = c.filtered
        statistics.kernelOpensSkipped = c.openSkipped
    }

    // MARK: EventSource

    public func next() throws(EventSourceError) -> Event? {
        if let pid = pendingRetire {
            state.retire(pid: pid)
            pendingRetire = nil
        }
        while true {
            if stopping {
                // drain what the kernel already wrote, so --record and the counters reconcile, then stop
                if queueIndex >= queue.count {
                    if drained { return nil }
                    queue = bpf.drain()
                    queueIndex = 0
                    drained = true
                    continue
                }
            } else if vigil_stop_requested() != 0 {
                stopping = true
                continue
            }
            if queueIndex < queue.count {
                let raw = queue[queueIndex]
                let environment = raw.kind == VK_EXEC.rawValue ? bpf.environment(at: queueIndex) : nil
                queueIndex += 1
                statistics.records += 1
                guard var e = translate(raw, environment: environment) else { continue }
                count += 1
                e.num = count
                state.apply(&e)
                record(e, as: nil)
                if e.type.kind == .exit { pendingRetire = e.pid }
                statistics.events += 1
                return e
            }
            if stopping { continue }
            tickStatistics()
            queue = bpf.poll(timeoutMillis: 100)
            queueIndex = 0
        }
    }

    // MARK: translation

    /// NUL-separated `KEY=value` entries (the kernel's env block), at most VIGIL_ENV_MAX_VARS; a
    /// last entry cut by the 4 KiB bound is kept as cut.
    static func environmentVariables(_ bytes: [UInt8]) -> [String] {
        var out: [String] = []
        for part in bytes.split(separator: 0, omittingEmptySubsequences: true) {
            if out.count >= Int(VIGIL_ENV_MAX_VARS) { break }
            out.append(String(decoding: part, as: UTF8.self))
        }
        return out
    }

    private func translate(_ r: vigil_event, environment: [UInt8]? = nil) -> Event? {
        let pid = Int64(r.pid)
        var e = Event()
        e.ts = Int64(bitPattern: r.ts) + bootToEpoch
        e.pid = pid
        e.tid = Int64(r.tid)
        e.res = r.res
        e.ppid = Int64(r.ppid)
        e.comm = Self.string(r.comm)
        e.uid = Int64(r.uid)
        e.gid = Int64(r.gid)

        // container: from the cgroup path the kernel sent (exec/fork) or /proc, cached by cgroup id
        var container: String?
        if let cached = containerByCgroup[r.cgroup_id] {
            container = cached
        } else {
            var path: String?
            if r.kind == VK_EXEC.rawValue || r.kind == VK_FORK.rawValue { path = Self.cgroupPath(r) }
            if path == nil || path == "/" { path = ProcFS.cgroupPath(pid: pid) ?? path }
            if let path {
                let id = CgroupContainerID.containerID(cgroupPath: path) ?? ""
                containerByCgroup[r.cgroup_id] = id
                container = id
            }
        }
        let containerID = container ?? ""
        if containerID.isEmpty && !options.includeHost {
            statistics.hostDropped += 1
            return nil
        }
        e.containerID = containerID.isEmpty ? "host" : containerID
        if !containerID.isEmpty, let info = directory.info(for: containerID, now: e.ts) {
            e.containerName = info.name
            e.containerImage = info.image
        }
        ensureKnown(pid: pid, ppid: Int64(r.ppid), parentComm: Self.string(r.pcomm))
        e.user = userName(uid: Int64(r.uid), pid: pid, containerID: containerID)

        switch r.kind {
        case VK_EXEC.rawValue:
            e.type = Self.execType
            e.res = 0
            let argv = Self.argv(r)
            let path = Self.string(r.path1)
            e.exe = argv.first ?? path
            e.args = Array(argv.dropFirst())
            e.env = environment.map(Self.environmentVariables) ?? []
            e.cwd = ProcFS.readlink("/proc/\(pid)/cwd") ?? state.process(pid)?.cwd
            e.exepath = path.hasPrefix("/") ? path : resolve(path, dirfd: -100, pid: pid, cwd: e.cwd)
            e.loginuid = r.loginuid == UInt32.max ? -1 : Int64(r.loginuid)
            e.tty = Int64(r.tty)
            e.sid = Int64(r.sid)
            e.vpid = Int64(r.vpid)
        case VK_FORK.rawValue:
            e.type = Self.cloneType
            e.res = r.arg0
        case VK_EXIT.rawValue:
            e.type = Self.exitType
            e.res = r.arg0
        case VK_OPEN.rawValue:
            e.type = Self.syscallTypes[Int(r.syscall)]
            let raw = Self.string(r.path1)
            e.path = resolve(raw, dirfd: r.arg0, pid: pid, cwd: nil)
            if e.path != raw { e.rawPath = raw } // fd.nameraw: Falco's traversal rules look for "../"
            e.flags = flagsString(r.arg1)
            e.mode = r.arg2 & 0o7777
            if r.res >= 0 { e.fd = r.res }
        case VK_RENAME.rawValue:
            e.type = Self.syscallTypes[Int(r.syscall)]
            e.oldpath = resolve(Self.string(r.path1), dirfd: r.arg0, pid: pid, cwd: nil)
            e.newpath = resolve(Self.string(r.path2), dirfd: r.arg1, pid: pid, cwd: nil)
        case VK_UNLINK.rawValue, VK_MKDIR.rawValue, VK_CHMOD.rawValue:
            e.type = Self.syscallTypes[Int(r.syscall)]
            e.path = resolve(Self.string(r.path1), dirfd: r.arg0, pid: pid, cwd: nil)
            if r.kind != VK_UNLINK.rawValue { e.mode = r.arg2 & 0o7777 }
        case VK_CONNECT.rawValue, VK_ACCEPT.rawValue:
            e.type = Self.syscallTypes[Int(r.syscall)]
            let isConnect = r.kind == VK_CONNECT.rawValue
            e.fd = isConnect ? r.arg0 : (r.res >= 0 ? r.res : nil)
            let family = r.addr.family
            if family == 1 {
                e.path = Self.string(r.path1)
                e.l4proto = "unix"
            } else if family == 2 || family == 10 {
                let ip = Self.address(r.addr)
                if isConnect { e.dip = ip; e.dport = Int64(r.addr.port) } else { e.sip = ip; e.sport = Int64(r.addr.port) }
            }
        case VK_SETID.rawValue:
            e.type = Self.syscallTypes[Int(r.syscall)]
            // set*id(-1) leaves an id unchanged: report the first id the call actually sets
            e.targetID = r.arg0 != -1 ? r.arg0 : (r.arg1 != -1 ? r.arg1 : r.arg2)
        case VK_CHDIR.rawValue:
            e.type = Self.syscallTypes[Int(r.syscall)]
            if r.syscall == VS_CHDIR.rawValue {
                e.path = resolve(Self.string(r.path1), dirfd: -100, pid: pid, cwd: nil)
                if r.res == 0 { e.cwd = e.path }
            } else {
                e.fd = r.arg0
                if r.res == 0, let dir = state.process(pid).flatMap { state.descriptorName(of: $0, r.arg0) } ?? ProcFS.readlink("/proc/\(pid)/fd/\(r.arg0)") { e.cwd = dir }
            }
        case VK_PTRACE.rawValue:
            e.type = Self.ptraceType
            e.request = Self.ptraceRequests[r.arg0] ?? "PTRACE_\(r.arg0)"
            e.targetID = r.arg1
        default:
            return nil
        }
        return e
    }

    /// Makes sure the process and its ancestors are in the table (read from /proc), writing
    /// `state` lines to the recording so replay has them too.
    private func ensureKnown(pid: Int64, ppid: Int64, parentComm: String) {
        var chain: [Event] = []
        var next: Int64? = state.process(pid) == nil ? pid : (state.process(ppid) == nil && ppid > 0 ? ppid : nil)
        var guardCount = 0
        while let p = next, guardCount < 16, state.process(p) == nil {
            guardCount += 1
            guard let snap = snapshot(pid: p) else { break }
            chain.append(snap)
            next = snap.ppid.flatMap { $0 > 0 && state.process($0) == nil ? $0 : nil }
        }
        // a parent that exited before we looked (runc after `podman exec`): what the kernel said of it
        if ppid > 0, state.process(ppid) == nil, !parentComm.isEmpty, !chain.contains(where: { $0.pid == ppid }) {
            var stub = Event(type: "state", pid: ppid)
            stub.comm = parentComm
            chain.append(stub)
        }
        // parents first, so children inherit
        for var snap in chain.reversed() {
            let p = state.apply(&snap)
            if recorder >= 0 { recordState(p) }
        }
        // seeded at start but never written: write the chain the recording needs
        if recorder >= 0 {
            var missing: [ProcessRecord] = []
            var cur = state.process(pid)
            while let c = cur, !recorded.contains(c.pid), missing.count < 16 {
                missing.append(c)
                cur = state.parent(of: c)
            }
            for p in missing.reversed() { recordState(p) }
        }
    }

    /// Seeds the table with every process alive now (not written to the recording until used).
    private func seedFromProc() {
        for pid in ProcFS.allPIDs().sorted() {
            guard var snap = snapshot(pid: pid) else { continue }
            state.apply(&snap)
        }
    }

    /// A process as /proc describes it, with its container and user name resolved.
    private func snapshot(pid: Int64) -> Event? {
        guard var snap = ProcFS.snapshot(pid: pid) else { return nil }
        let cid = ProcFS.cgroupPath(pid: pid).flatMap(CgroupContainerID.containerID(cgroupPath:)) ?? ""
        snap.containerID = cid.isEmpty ? "host" : cid
        if !cid.isEmpty, let info = directory.info(for: cid, now: 0) {
            snap.containerName = info.name
            snap.containerImage = info.image
        }
        snap.user = userName(uid: snap.uid ?? 0, pid: pid, containerID: cid)
        return snap
    }

    // MARK: recording

    private func record(_ e: Event, as type: String?) {
        guard recorder >= 0 else { return }
        line.removeAll(keepingCapacity: true)
        EventEncoder.encode(e, typeOverride: type, into: &line)
        line.append(10)
        writeRecording()
        recorded.insert(e.pid)
    }

    private func recordState(_ p: ProcessRecord) {
        var e = Event(type: "state", pid: p.pid)
        p.writeState(to: &e)
        record(e, as: "state")
    }

    private func writeRecording() {
        _ = DescriptorIO.writeAll(recorder, line)
    }

    // MARK: statistics

    private func tickStatistics() {
        guard options.statsInterval > 0, let onStatistics else { return }
        let now = MonotonicClock.nanos()
        let elapsed = Double(now - lastStats) / 1e9
        guard elapsed >= options.statsInterval else { return }
        refreshCounters()
        let rate = Double(statistics.events - lastStatsEvents) / elapsed
        onStatistics(statisticsLine(rate: rate))
        lastStats = now
        lastStatsEvents = statistics.events
    }

    /// `events/s`, totals and kernel drop counters, one line.
    public func statisticsLine(rate: Double? = nil) -> String {
        var s = "vigil: stats:"
        if let rate { s += " \(Int(rate)) events/s," }
        s += " \(statistics.events) events, \(statistics.kernelEmitted) kernel records, \(statistics.kernelDropped) dropped (ring buffer full), \(statistics.kernelFiltered) host records filtered in kernel, \(statistics.kernelOpensSkipped) read-only opens no rule matches skipped in kernel, \(statistics.hostDropped) host records dropped"
        return s
    }

    // MARK: helpers

    /// Resolves a relative path against the directory descriptor or the process's cwd; absolute
    /// paths are normalised too (`/etc//shadow`, `/etc/../etc/shadow` are `/etc/shadow`, as in Falco).
    private func resolve(_ path: String, dirfd: Int64, pid: Int64, cwd: String?) -> String {
        if path.isEmpty { return path }
        if path.hasPrefix("/") { return PathSyntax.isCanonical(path) ? path : PathSyntax.normalize(path) }
        var base: String?
        if dirfd == -100 {
            base = cwd ?? state.process(pid).flatMap { $0.cwd.isEmpty ? nil : $0.cwd } ?? ProcFS.readlink("/proc/\(pid)/cwd")
        } else {
            base = state.process(pid).flatMap { state.descriptorName(of: $0, dirfd) } ?? ProcFS.readlink("/proc/\(pid)/fd/\(dirfd)")
        }
        guard let base, base.hasPrefix("/") else { return path }
        return PathSyntax.normalize(base + "/" + path)
    }

    /// User name for a uid from the container's own /etc/passwd (or the host's), cached per
    /// container and re-read at most once a second when a uid is unknown (useradd just ran).
    private func userName(uid: Int64, pid: Int64, containerID: String) -> String? {
        let key = containerID.isEmpty ? "host" : containerID
        if let entry = users[key], let name = entry.names[uid] { return name }
        let now = MonotonicClock.nanos()
        if let entry = users[key], now - entry.loaded < 1_000_000_000 { return uid == 0 ? "root" : nil }
        let file = containerID.isEmpty ? "/etc/passwd" : "/proc/\(pid)/root/etc/passwd"
        var names: [Int64: String] = [:]
        if let bytes = ProcFS.read(file, limit: 8 << 20) {
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                let f = line.split(separator: ":", omittingEmptySubsequences: false)
                if f.count >= 3, let id = Int64(f[2]) { names[id] = String(f[0]) }
            }
        }
        users[key] = (now, names)
        return names[uid] ?? (uid == 0 ? "root" : nil)
    }

    static func string<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    /// The cgroup path from the kernel's leaf-first names.
    static func cgroupPath(_ r: vigil_event) -> String? {
        // the root cgroup's kernfs name is empty; names after it are empty too
        let size = Int(VIGIL_CGROUP_NAME_LEN)
        var names: [String] = []
        withUnsafeBytes(of: r.cgroup) { raw in
            for level in 0..<Int(VIGIL_CGROUP_LEVELS) {
                let slice = raw[(level * size)..<((level + 1) * size)]
                let name = String(decoding: slice.prefix(while: { $0 != 0 }), as: UTF8.self)
                if name.isEmpty || name == "/" { break }
                names.append(name)
            }
        }
        // deeper than the kernel walks: let /proc give the whole path
        if names.count == Int(VIGIL_CGROUP_LEVELS) { return nil }
        return "/" + names.reversed().joined(separator: "/")
    }

    static func argv(_ r: vigil_event) -> [String] {
        let n = Int(min(r.path2_len, UInt32(VIGIL_PATH_LEN)))
        guard n > 0 else { return [] }
        return withUnsafeBytes(of: r.path2) { raw in
            var parts = raw.prefix(n).split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            if parts.last == "" { parts.removeLast() }
            return parts
        }
    }

    static func address(_ a: vigil_sockaddr) -> String {
        withUnsafeBytes(of: a.addr) { raw in
            if a.family == 2 { return "\(raw[0]).\(raw[1]).\(raw[2]).\(raw[3])" }
            var groups: [String] = []
            for i in stride(from: 0, to: 16, by: 2) { groups.append(String(UInt16(raw[i]) << 8 | UInt16(raw[i + 1]), radix: 16)) }
            return groups.joined(separator: ":")
        }
    }

    static let syscallNames: [String] = {
        var names = [String](repeating: "<unknown>", count: Int(VS_COUNT.rawValue))
        let pairs: [(vigil_syscall, String)] = [
            (VS_OPEN, "open"), (VS_OPENAT, "openat"), (VS_OPENAT2, "openat2"), (VS_CREAT, "creat"),
            (VS_RENAME, "rename"), (VS_RENAMEAT, "renameat"), (VS_RENAMEAT2, "renameat2"),
            (VS_UNLINK, "unlink"), (VS_UNLINKAT, "unlinkat"), (VS_MKDIR, "mkdir"), (VS_MKDIRAT, "mkdirat"),
            (VS_CHMOD, "chmod"), (VS_FCHMODAT, "fchmodat"), (VS_CONNECT, "connect"), (VS_ACCEPT, "accept"),
            (VS_ACCEPT4, "accept4"), (VS_SETUID, "setuid"), (VS_SETGID, "setgid"), (VS_SETREUID, "setreuid"),
            (VS_SETREGID, "setregid"), (VS_SETRESUID, "setresuid"), (VS_SETRESGID, "setresgid"), (VS_PTRACE, "ptrace"),
            (VS_CHDIR, "chdir"), (VS_FCHDIR, "fchdir"),
        ]
        for (k, v) in pairs { names[Int(k.rawValue)] = v }
        return names
    }()

    static let execType = EventType(name: "execve")
    static let cloneType = EventType(name: "clone")
    static let exitType = EventType(name: "procexit")
    static let ptraceType = EventType(name: "ptrace")
    static let syscallTypes: [EventType] = syscallNames.map { EventType(name: $0) }

    /// Open flags as Falco prints them, memoised (a workload repeats a handful of flag sets).
    private func flagsString(_ raw: Int64) -> String {
        if let s = flagNames[raw] { return s }
        let s = OpenFlags.falcoString(raw)
        if flagNames.count < 4096 { flagNames[raw] = s }
        return s
    }

    static let ptraceRequests: [Int64: String] = [
        0: "PTRACE_TRACEME", 1: "PTRACE_PEEKTEXT", 2: "PTRACE_PEEKDATA", 3: "PTRACE_PEEKUSR", 4: "PTRACE_POKETEXT",
        5: "PTRACE_POKEDATA", 6: "PTRACE_POKEUSR", 7: "PTRACE_CONT", 8: "PTRACE_KILL", 9: "PTRACE_SINGLESTEP",
        12: "PTRACE_GETREGS", 13: "PTRACE_SETREGS", 16: "PTRACE_ATTACH", 17: "PTRACE_DETACH", 24: "PTRACE_SYSCALL",
        0x4200: "PTRACE_SETOPTIONS", 0x4206: "PTRACE_SEIZE", 0x4207: "PTRACE_INTERRUPT",
    ]

    /// tracefs must be mounted for libbpf to attach tracepoints.
    static func mountTracefsIfNeeded() throws(SensorError) {
        if access("/sys/kernel/tracing/events", F_OK) == 0 || access("/sys/kernel/debug/tracing/events", F_OK) == 0 { return }
        if mount("nodev", "/sys/kernel/tracing", "tracefs", 0, nil) != 0 {
            throw SensorError(.io, "tracefs is not mounted and mounting it at /sys/kernel/tracing failed: \(String(cString: strerror(errno)))")
        }
    }
}
