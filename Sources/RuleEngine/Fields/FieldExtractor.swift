#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Sensor

/// Reads fields from an event and the process state; nil when the field has no value.
struct FieldExtractor {
    static func extract(_ f: FieldRef, _ e: Event, _ p: ProcessRecord, _ s: SystemState) -> FieldValue? {
        switch f.id {
        case .evtType: return .string(e.type.name)
        case .evtNum: return .number(Int64(e.num))
        case .evtTime: return .string(TimeFormat.iso8601(e.ts))
        case .evtRawtime: return .number(e.ts)
        case .evtDir: return .string("<")
        case .evtRes: return .string(e.res >= 0 ? "SUCCESS" : Errno.name(-e.res))
        case .evtRawres: return .number(e.res)
        case .evtFailed: return .bool(e.res < 0)
        case .evtArg: return eventArg(f.eventArg ?? .unknown, e)
        case .evtArgs: return .string(eventArgs(e))
        case .evtIsOpenRead, .evtIsOpenWrite: return bool(f, e, p, s).map { .bool($0) }
        case .evtIsOpenExec:
            guard let flags = e.flags, isOpen(e), ByteSearch.contains(flags, Self.creat), let mode = e.mode else { return .bool(false) }
            return .bool(mode & 0o111 != 0)
        case .evtHostname: return .string(s.hostname)
        case .evtSource: return .string("syscall")
        case .evtPluginname: return nil

        case .procName: return .string(p.comm)
        case .procExe: return .string(p.exe)
        case .procExepath: return .string(p.exepath)
        case .procCmdline: return .string(p.cmdline)
        case .procArgs: return .string(p.args.joined(separator: " "))
        case .procPid: return .number(p.pid)
        case .procPpid: return .number(p.ppid)
        case .procPname: return s.parent(of: p).map { .string($0.comm) }
        case .procPcmdline: return s.parent(of: p).map { .string($0.cmdline) }
        case .procPexe: return s.parent(of: p).map { .string($0.exe) }
        case .procPexepath: return s.parent(of: p).map { .string($0.exepath) }
        case .procAname: return f.index >= 0 ? s.ancestor(of: p, f.index).map { .string($0.comm) } : s.parent(of: p).map { .string($0.comm) }
        case .procApid: return f.index >= 0 ? s.ancestor(of: p, f.index).map { .number($0.pid) } : s.parent(of: p).map { .number($0.pid) }
        case .procAexe: return f.index >= 0 ? s.ancestor(of: p, f.index).map { .string($0.exe) } : s.parent(of: p).map { .string($0.exe) }
        case .procAexepath: return f.index >= 0 ? s.ancestor(of: p, f.index).map { .string($0.exepath) } : s.parent(of: p).map { .string($0.exepath) }
        case .procAcmdline: return f.index >= 0 ? s.ancestor(of: p, f.index).map { .string($0.cmdline) } : s.parent(of: p).map { .string($0.cmdline) }
        case .procCwd: return .string(p.cwd)
        case .procTty: return .number(p.tty)
        case .procSid: return .number(p.sid)
        case .procSname: return s.process(p.sid).map { .string($0.comm) }
        case .procVpgid: return .number(p.vpgid)
        case .procVpgidName: return s.process(p.vpgid).map { .string($0.comm) }
        case .procVpgidExe: return s.process(p.vpgid).map { .string($0.exe) }
        case .procIsVpgidLeader: return .bool(p.vpgid != 0 && p.pid == p.vpgid)
        case .procIsSidLeader: return .bool(p.sid != 0 && p.pid == p.sid)
        case .procDuration: return .number(max(0, e.ts - p.startTS))
        case .procPpidDuration: return s.parent(of: p).map { .number(max(0, e.ts - $0.startTS)) }
        case .procIsExeUpperLayer: return .bool(p.exeUpperLayer)
        case .procIsExeFromMemfd: return .bool(p.exeFromMemfd)
        case .procLoginshellid: return nil
        case .procEnv:
            guard let key = f.arg else { return .string(p.env.joined(separator: " ")) }
            for kv in p.env where kv.hasPrefix(key + "=") { return .string(String(kv.dropFirst(key.count + 1))) }
            return nil
        case .vigilProcEnvFunction: return Self.envFunctionDefinition(p.env).map { .string($0) }
        case .threadTid: return .number(e.tid ?? e.pid)
        case .procVpid: return .number(p.vpid)
        case .threadCapEffective: return .string(p.capEffective)
        case .threadCapPermitted: return .string(p.capPermitted)
        case .threadCapInheritable: return .string(p.capInheritable)
        case .fdNet, .fdSnet, .fdRnet: return e.dip.map { .string($0) }
        case .fdCnet, .fdLnet: return e.sip.map { .string($0) }
        case .fdSockfamily:
            if e.dip != nil || e.sip != nil { return .string("ip") }
            if let path = e.path, e.type.kind == .connect || e.type.kind == .accept || e.type.kind == .socket { _ = path; return .string("unix") }
            return nil

        case .fdName: return fdName(e).map { .string($0) }
        case .fdNameraw: return (e.rawPath ?? fdName(e)).map { .string($0) }
        case .fdDirectory: return fdName(e).map { .string(Paths.directory($0)) }
        case .fdFilename: return fdName(e).map { .string(Paths.basename($0)) }
        case .fdTypechar: return fdType(e).map { .string($0.char) }
        case .fdType: return fdType(e).map { .string($0.name) }
        case .fdNum: return (e.fd ?? (isOpen(e) && e.res >= 0 ? e.res : nil)).map { .number($0) }
        case .fdSip, .fdCip, .fdLip: return e.sip.map { .string($0) }
        case .fdDip, .fdRip: return e.dip.map { .string($0) }
        case .fdSport, .fdCport, .fdLport: return e.sport.map { .number($0) }
        case .fdDport, .fdRport, .fdPort: return e.dport.map { .number($0) }
        case .fdL4proto: return e.l4proto.map { .string($0) } ?? (e.dip != nil ? .string("tcp") : nil)
        case .fdIp: return e.dip.map { .string($0) }
        case .fdNameChanged: return .bool(false)
        case .fdConnected: return .bool(e.type.kind == .connect && e.res >= 0)

        case .fsPathName: return (e.path ?? e.newpath).map { .string($0) }
        case .fsPathSource: return (e.oldpath ?? e.target).map { .string($0) }
        case .fsPathTarget: return (e.newpath ?? e.linkpath).map { .string($0) }

        case .userName: return .string(p.user.isEmpty ? (p.uid == 0 ? "root" : (p.uid < 0 ? "<NA>" : String(p.uid))) : p.user)
        case .userUid: return .number(p.uid)
        case .userLoginuid: return .number(p.loginuid)
        case .userLoginname:
            if p.loginuid == 0 { return .string("root") }
            if p.loginuid < 0 || p.loginuid == 4294967295 { return nil }
            return .string(p.loginuid == p.uid && !p.user.isEmpty ? p.user : String(p.loginuid))
        case .userHomedir: return .string(p.uid == 0 ? "/root" : "")
        case .userShell: return nil
        case .groupName: return .string(p.group.isEmpty ? (p.gid == 0 ? "root" : String(p.gid)) : p.group)
        case .groupGid: return .number(p.gid)

        case .containerID: return .string(p.containerID)
        case .containerName: return .string(p.containerName)
        case .containerImage: return .string(p.containerImage)
        case .containerImageRepository: return .string(Images.split(p.containerImage).repository)
        case .containerImageTag: return .string(Images.split(p.containerImage).tag)
        case .containerInfo: return .string("container_id=\(p.containerID) container_name=\(p.containerName)")
        case .containerPrivileged: return .bool(p.containerPrivileged)
        case .containerType: return .string(p.containerID == "host" ? "host" : "docker")
        case .k8sNsName: return p.k8sNamespace.isEmpty ? nil : .string(p.k8sNamespace)
        case .k8sPodName: return p.k8sPod.isEmpty ? nil : .string(p.k8sPod)
        }
    }

    static let creat = Array("O_CREAT".utf8)

    @inline(__always)
    /// The ancestor-field value read from one ancestor (for `proc.aname` without an index).
    static func ancestorValue(_ id: FieldID, _ a: ProcessRecord) -> FieldValue? {
        switch id {
        case .procAname: return .string(a.comm)
        case .procApid: return .number(a.pid)
        case .procAexe: return .string(a.exe)
        case .procAexepath: return .string(a.exepath)
        case .procAcmdline: return .string(a.cmdline)
        default: return nil
        }
    }

    static func isOpen(_ e: Event) -> Bool { e.type.kind == .open }

    static func fdName(_ e: Event) -> String? {
        switch e.type.kind {
        case .rename: return nil
        case .connect, .accept:
            if let p = e.path { return p }
            guard let dip = e.dip else { return nil }
            return SystemState.tuple(sip: e.sip, sport: e.sport, dip: dip, dport: e.dport)
        default: return e.path
        }
    }

    static func fdType(_ e: Event) -> (char: String, name: String)? {
        if let dip = e.dip ?? e.sip { return dip.utf8.contains(UInt8(ascii: ":")) ? ("6", "ipv6") : ("4", "ipv4") }
        guard let path = fdName(e) else { return nil }
        if e.type.kind == .mkdir { return ("d", "directory") }
        if !path.isEmpty { return ("f", "file") }
        return nil
    }

    static func eventArg(_ arg: EventArg, _ e: Event) -> FieldValue? {
        switch arg {
        case .fd: return e.fd.map { .number($0) }
        case .res: return .number(e.res)
        case .mode: return e.mode.map { .string("0" + String($0, radix: 8)) }
        case .id, .pid: return e.targetID.map { .number($0) }
        case .unknown: return nil
        default: return eventArgString(arg, e).map { .string($0) }
        }
    }

    /// String-valued `evt.arg.*` (`EventArg.isString`).
    static func eventArgString(_ arg: EventArg, _ e: Event) -> String? {
        switch arg {
        case .flags: return e.flags
        case .path: return e.path
        case .oldpath: return e.oldpath
        case .newpath: return e.newpath
        case .target: return e.target ?? e.newpath
        case .linkpath: return e.linkpath
        case .request: return e.request
        case .data: return e.data
        case .exe: return e.exe
        case .args: return e.args.map { $0.joined(separator: " ") }
        case .cwd: return e.cwd
        case .tuple:
            guard let dip = e.dip else { return nil }
            return SystemState.tuple(sip: e.sip, sport: e.sport, dip: dip, dport: e.dport)
        case .mode: return e.mode.map { "0" + String($0, radix: 8) }
        case .fd, .res, .id, .pid, .unknown: return nil
        }
    }

    /// Fields `string(_:_:_:_:)` reads without going through `FieldValue`: each is a string or
    /// absent, never a number or a bool.
    static func isPlainString(_ f: FieldRef) -> Bool {
        switch f.id {
        case .fdName, .fdNameraw, .fdTypechar, .fdType, .procName, .procExe, .procExepath, .procCwd, .procCmdline,
             .procPname, .procPexe, .procPexepath, .procPcmdline, .containerID, .containerName, .containerImage,
             .containerImageRepository, .containerImageTag, .userName, .groupName, .fsPathName, .fsPathSource,
             .fsPathTarget, .fdSip, .fdCip, .fdLip, .fdDip, .fdRip, .fdIp, .threadCapEffective, .threadCapPermitted,
             .threadCapInheritable, .evtHostname:
            return true
        case .evtArg:
            return f.eventArg?.isString ?? false
        default:
            return false
        }
    }

    /// Numeric fields `number(_:_:_:_:)` reads without going through `FieldValue`.
    static func isPlainNumber(_ f: FieldRef) -> Bool {
        switch f.id {
        case .evtRawres, .evtNum, .fdNum, .procPid, .procPpid, .userUid: return true
        default: return false
        }
    }

    /// The value of an `isPlainNumber` field, as `extract` gives it.
    @inline(__always)
    static func number(_ f: FieldRef, _ e: Event, _ p: ProcessRecord, _ s: SystemState) -> Int64? {
        switch f.id {
        case .evtRawres: return e.res
        case .evtNum: return Int64(e.num)
        case .fdNum: return e.fd ?? (isOpen(e) && e.res >= 0 ? e.res : nil)
        case .procPid: return p.pid
        case .procPpid: return p.ppid
        case .userUid: return p.uid
        default:
            if case .number(let n)? = extract(f, e, p, s) { return n }
            return nil
        }
    }

    /// The value of a boolean field (`FieldKind.bool`).
    static func bool(_ f: FieldRef, _ e: Event, _ p: ProcessRecord, _ s: SystemState) -> Bool? {
        switch f.id {
        case .evtIsOpenRead, .evtIsOpenWrite:
            guard isOpen(e), let flags = e.flags else { return f.id == .evtIsOpenWrite && e.type.name == "creat" }
            return ByteSearch.contains(flags, f.id == .evtIsOpenWrite ? "O_WRONLY" : "O_RDONLY") || ByteSearch.contains(flags, "O_RDWR")
        case .evtFailed: return e.res < 0
        case .procIsExeUpperLayer: return p.exeUpperLayer
        case .procIsExeFromMemfd: return p.exeFromMemfd
        case .containerPrivileged: return p.containerPrivileged
        default:
            if case .bool(let b)? = extract(f, e, p, s) { return b }
            return nil
        }
    }

    /// The value of an `isPlainString` field.
    static func string(_ f: FieldRef, _ e: Event, _ p: ProcessRecord, _ s: SystemState) -> String? {
        switch f.id {
        case .fdName: return fdName(e)
        case .procName: return p.comm
        case .procExe: return p.exe
        case .procExepath: return p.exepath
        case .procCwd: return p.cwd
        case .containerID: return p.containerID
        case .containerName: return p.containerName
        case .containerImage: return p.containerImage
        case .evtArg: return eventArgString(f.eventArg ?? .unknown, e)
        case .fdTypechar: return fdType(e)?.char
        case .fsPathName: return e.path ?? e.newpath
        case .fsPathSource: return e.oldpath ?? e.target
        case .fsPathTarget: return e.newpath ?? e.linkpath
        default:
            if case .string(let v)? = extract(f, e, p, s) { return v }
            return nil
        }
    }

    static func eventArgs(_ e: Event) -> String {
        var parts: [String] = []
        if e.res != 0 || isOpen(e) { parts.append("res=\(e.res)") }
        if let fd = e.fd { parts.append("fd=\(fd)") }
        if let p = e.path { parts.append("name=\(p)") }
        if let f = e.flags { parts.append("flags=\(f)") }
        if let m = e.mode { parts.append("mode=0" + String(m, radix: 8)) }
        if let o = e.oldpath { parts.append("oldpath=\(o)") }
        if let n = e.newpath { parts.append("newpath=\(n)") }
        if let t = e.target { parts.append("target=\(t)") }
        if let l = e.linkpath { parts.append("linkpath=\(l)") }
        if let r = e.request { parts.append("request=\(r)") }
        if let t = e.targetID { parts.append("id=\(t)") }
        return parts.joined(separator: " ")
    }
}

extension FieldExtractor {
    /// `vigil.proc.env_function`: the first environment entry `NAME=() {…` under a plain shell
    /// name — the form bash before the Shellshock fixes (CVE-2014-6271, -7169) imported as a
    /// function and whose trailing commands it ran. Patched bash exports functions only as
    /// `BASH_FUNC_name%%=() {…`, whose name is not a plain identifier, so those are not reported.
    /// Cut to 256 bytes for outputs.
    static func envFunctionDefinition(_ env: [String]) -> String? {
        for kv in env {
            let bytes = kv.utf8
            guard let eq = bytes.firstIndex(of: UInt8(ascii: "=")), eq != bytes.startIndex else { continue }
            var plain = true
            for (i, b) in bytes[..<eq].enumerated() {
                let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
                if !(letter || (i > 0 && b >= 0x30 && b <= 0x39)) { plain = false; break }
            }
            guard plain, bytes[bytes.index(after: eq)...].starts(with: "() {".utf8) else { continue }
            return kv.utf8.count <= 256 ? kv : String(decoding: bytes.prefix(256), as: UTF8.self)
        }
        return nil
    }
}
