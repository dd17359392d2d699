/// What Vigil knows about one process, rebuilt from the event stream.
public final class ProcessRecord: @unchecked Sendable {
    public var pid: Int64
    public var ppid: Int64 = 0
    public var comm = ""
    public var exe = ""
    public var exepath = ""
    public var args: [String] = []
    public var cwd = ""
    public var uid: Int64 = -1
    public var gid: Int64 = -1
    public var user = ""
    public var group = ""
    public var loginuid: Int64 = -1
    public var tty: Int64 = 0
    public var sid: Int64 = 0
    public var vpgid: Int64 = 0
    public var exeUpperLayer = false
    public var exeFromMemfd = false
    public var env: [String] = []
    public var vpid: Int64 = 0
    public var capEffective = ""
    public var capPermitted = ""
    public var capInheritable = ""
    public var containerID = "host"
    public var containerName = "host"
    public var containerImage = ""
    public var containerPrivileged = false
    public var k8sNamespace = ""
    public var k8sPod = ""
    /// Start time (ns), from the exec or clone event that created it.
    public var startTS: Int64 = 0
    /// Open file descriptors, naming ids in the owning state's `PathTable`
    /// (`SystemState.descriptorName(of:_:)` gives the name).
    var fds = DescriptorTable()
    private var cachedCmdline: String?

    public init(pid: Int64) { self.pid = pid }

    /// Copy for a child created by clone/fork.
    func child(pid: Int64, ts: Int64) -> ProcessRecord {
        let c = ProcessRecord(pid: pid)
        c.ppid = self.pid
        copyInherited(to: c) // Generated/ProcessRecord+Snapshot.swift
        c.startTS = ts
        c.fds = fds
        return c
    }

    /// `comm` followed by the arguments, as Falco's `proc.cmdline`.
    public var cmdline: String {
        if let c = cachedCmdline { return c }
        let c = args.isEmpty ? comm : comm + " " + args.joined(separator: " ")
        cachedCmdline = c
        return c
    }

    func invalidateCmdline() { cachedCmdline = nil }
}

/// The process tree and descriptor tables, updated event by event.
///
/// `apply(_:)` runs before rules see an event (so an exec's new image is visible to the rules
/// that match it); `retire(_:)` runs after (so an exit still sees the process).
public struct SystemState: Sendable {
    public private(set) var processes = IntTable<ProcessRecord>()
    /// The names descriptor tables point to.
    private(set) var paths = PathTable()
    /// The host name alerts report (`hostname` in outputs).
    public var hostname: String
    /// Most processes the table holds, libsinsp's default `max_thread_table_size`: a recording
    /// (or a fork storm) of processes that never exit cannot grow the table without bound. Past
    /// it, a new process still gets a record for its own events but is not kept, as Falco drops
    /// new threads when its table is full; the replay stays deterministic.
    public static let maximumProcesses = 262_144
    /// New processes not kept because the table was full.
    public private(set) var droppedProcesses = 0

    public init(hostname: String = "localhost") {
        self.hostname = hostname
    }

    public func process(_ pid: Int64) -> ProcessRecord? { processes[pid] }

    /// What descriptor `fd` of `p` names (a path or a connection tuple), if known.
    public func descriptorName(of p: ProcessRecord, _ fd: Int64) -> String? {
        p.fds.id(fd).map { paths.name($0) }
    }

    /// The parent of `p`, if known.
    public func parent(of p: ProcessRecord) -> ProcessRecord? {
        p.ppid == p.pid ? nil : processes[p.ppid]
    }

    /// The n-th ancestor (1 = parent).
    public func ancestor(of p: ProcessRecord, _ n: Int) -> ProcessRecord? {
        var cur: ProcessRecord? = p
        var i = 0
        while i < n, let c = cur {
            cur = parent(of: c)
            i += 1
        }
        return i == n ? cur : nil
    }

    /// Merges the event's snapshot into the table and follows forks, execs and descriptors.
    @discardableResult
    public mutating func apply(_ e: inout Event) -> ProcessRecord {
        let p: ProcessRecord
        if let existing = processes[e.pid] {
            p = existing
        } else if let ppid = e.ppid, let parent = processes[ppid], !e.type.isStateSeed {
            // a process first seen through an event inherits from its parent; a `state` line
            // describes the process itself and inherits nothing
            p = parent.child(pid: e.pid, ts: e.ts)
            keep(p)
        } else {
            p = ProcessRecord(pid: e.pid)
            p.startTS = e.ts
            keep(p)
        }
        let kind = e.type.kind
        if kind == .exec {
            // a new image: forget what the old one said about itself
            p.exeUpperLayer = false
            p.exeFromMemfd = false
            p.startTS = e.ts
        }
        merge(e, into: p)
        switch kind {
        case .clone:
            if e.res > 0, processes[e.res] == nil {
                keep(p.child(pid: e.res, ts: e.ts))
            }
        case .open:
            if e.res >= 0, let path = e.path { remember(path, fd: e.res, in: p) }
        case .connect, .accept, .socket:
            if let fd = e.fd ?? (kind == .accept && e.res >= 0 ? e.res : nil) {
                remember(e.path ?? socketName(e), fd: fd, in: p)
            }
        case .close:
            if let fd = e.fd { p.fds[fd] = nil }
        default:
            // reads, writes and others name their file through the descriptor table
            if e.path == nil, let fd = e.fd, let id = p.fds.id(fd) { e.path = paths.name(id) }
        }
        return p
    }

    /// Adds a new process unless the table is full (see ``maximumProcesses``).
    private mutating func keep(_ p: ProcessRecord) {
        guard processes.count < Self.maximumProcesses else {
            droppedProcesses += 1
            return
        }
        processes[p.pid] = p
    }

    private mutating func remember(_ name: String, fd: Int64, in p: ProcessRecord) {
        if !isKnownUniquelyReferenced(&paths) { paths = paths.copy() }
        if paths.needsCollection {
            let processes = self.processes
            paths.collect { use in processes.forEachValue { $0.fds.forEachID(use) } }
        }
        p.fds[fd] = paths.intern(name)
    }

    /// Removes a process after its exit event has been evaluated.
    public mutating func retire(_ e: Event) {
        if e.type.kind == .exit { processes[e.pid] = nil }
    }

    /// Removes an exited process.
    public mutating func retire(pid: Int64) {
        processes[pid] = nil
    }

    private func socketName(_ e: Event) -> String {
        guard let dip = e.dip else { return "" }
        return Self.tuple(sip: e.sip, sport: e.sport, dip: dip, dport: e.dport)
    }

    /// `sip:sport->dip:dport`, Falco's connection tuple, built without string interpolation
    /// (one per connect/accept on the replay path).
    public static func tuple(sip: String?, sport: Int64?, dip: String, dport: Int64?) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(48)
        out.append(contentsOf: (sip ?? "").utf8)
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: String(sport ?? 0).utf8)
        out.append(contentsOf: "->".utf8)
        out.append(contentsOf: dip.utf8)
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: String(dport ?? 0).utf8)
        return String(decoding: out, as: UTF8.self)
    }

    private func merge(_ e: Event, into p: ProcessRecord) {
        // most events (opens, reads, connects) carry no process snapshot
        guard e.carriesProcess else { return }
        // the fields with side effects (marked own-merge in scripts/event-fields/fields.txt) ...
        if let v = e.comm { p.comm = v; p.invalidateCmdline() }
        if let v = e.exepath { p.exepath = v } else if let v = e.exe, v.hasPrefix("/") { p.exepath = v }
        if let v = e.args { p.args = v; p.invalidateCmdline() }
        if let v = e.containerID {
            let id = v.isEmpty ? "host" : v
            if id != p.containerID {
                // a different container: its name and image come with it (or stay unknown)
                p.containerName = id == "host" ? "host" : ""
                p.containerImage = ""
            }
            p.containerID = id
        }
        // ... then every other one (after containerID, so a new container's name and image win)
        p.mergeSnapshot(e)
        if p.comm.isEmpty, !p.exe.isEmpty { p.comm = String(p.exe.split(separator: "/").last ?? "") }
    }
}
