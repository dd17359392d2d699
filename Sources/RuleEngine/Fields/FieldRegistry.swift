/// How a field's value is compared.
public enum FieldKind: Sendable {
    case string
    case number
    case bool
    /// Several values (`proc.args` split, `fd.types`): `in`/`intersects` compare sets.
    case list
}

/// The identity of a field Vigil can extract from its event model.
public enum FieldID: UInt8, Sendable, CaseIterable {
    // evt
    case evtType, evtNum, evtTime, evtRawtime, evtDir, evtRes, evtRawres, evtFailed, evtArg, evtArgs
    case evtIsOpenRead, evtIsOpenWrite, evtIsOpenExec, evtHostname, evtSource, evtPluginname
    // proc
    case procName, procExe, procExepath, procCmdline, procArgs, procPid, procPpid, procPname, procPcmdline
    case procPexe, procPexepath, procAname, procApid, procAexe, procAexepath, procAcmdline, procCwd, procTty
    case procSid, procSname, procVpgid, procVpgidName, procVpgidExe, procIsVpgidLeader, procIsSidLeader
    case procDuration, procPpidDuration, procIsExeUpperLayer, procIsExeFromMemfd, procLoginshellid, procEnv
    case threadTid, procVpid, threadCapEffective, threadCapPermitted, threadCapInheritable
    // fd
    case fdName, fdNameraw, fdDirectory, fdFilename, fdTypechar, fdType, fdNum, fdSip, fdCip, fdDip, fdSport
    case fdCport, fdDport, fdRport, fdLport, fdRip, fdLip, fdL4proto, fdIp, fdPort, fdNameChanged, fdConnected
    case fdNet, fdSnet, fdCnet, fdRnet, fdLnet, fdSockfamily
    // fs.path
    case fsPathName, fsPathSource, fsPathTarget
    // user / group
    case userName, userUid, userLoginuid, userLoginname, userHomedir, userShell, groupName, groupGid
    // container
    case containerID, containerName, containerImage, containerImageRepository, containerImageTag
    case containerInfo, containerPrivileged, containerType
    // k8s
    case k8sNsName, k8sPodName
    // Vigil's own
    case vigilProcEnvFunction
}

/// The fields of Falco's `syscall` source that Vigil provides, with Falco's names.
///
/// A rule that uses any other field is disabled with a warning naming the field; Falco fields
/// Vigil's sensor cannot observe yet (`proc.exe_ino.*`, `thread.cap_*`, `fd.sip.name`, …) land there.
public struct FieldRegistry: Sendable {
    public struct Entry: Sendable {
        public var id: FieldID
        public var kind: FieldKind
        /// Whether `[arg]` is accepted (`proc.aname[2]`, `evt.arg[path]`).
        public var takesArgument: Bool
    }

    public var entries: [String: Entry]
    /// Fields Falco reports as deprecated (warned about when used).
    public var deprecated: Set<String> = ["evt.dir"]

    public static let standard = FieldRegistry()

    public init() {
        var e: [String: Entry] = [:]
        func add(_ name: String, _ id: FieldID, _ kind: FieldKind = .string, arg: Bool = false) {
            e[name] = Entry(id: id, kind: kind, takesArgument: arg)
        }
        add("evt.type", .evtType)
        add("evt.num", .evtNum, .number)
        add("evt.time", .evtTime)
        add("evt.time.iso8601", .evtTime)
        add("evt.rawtime", .evtRawtime, .number)
        add("evt.dir", .evtDir)
        add("evt.res", .evtRes)
        add("evt.rawres", .evtRawres, .number)
        add("evt.failed", .evtFailed, .bool)
        add("evt.arg", .evtArg, arg: true)
        add("evt.rawarg", .evtArg, arg: true)
        add("evt.args", .evtArgs)
        add("evt.is_open_read", .evtIsOpenRead, .bool)
        add("evt.is_open_write", .evtIsOpenWrite, .bool)
        add("evt.is_open_exec", .evtIsOpenExec, .bool)
        add("evt.hostname", .evtHostname)
        add("evt.source", .evtSource)
        add("evt.pluginname", .evtPluginname)
        add("proc.name", .procName)
        add("proc.exe", .procExe)
        add("proc.exepath", .procExepath)
        add("proc.cmdline", .procCmdline)
        add("proc.args", .procArgs)
        add("proc.pid", .procPid, .number)
        add("proc.ppid", .procPpid, .number)
        add("proc.pname", .procPname)
        add("proc.pcmdline", .procPcmdline)
        add("proc.pexe", .procPexe)
        add("proc.pexepath", .procPexepath)
        add("proc.aname", .procAname, arg: true)
        add("proc.apid", .procApid, .number, arg: true)
        add("proc.aexe", .procAexe, arg: true)
        add("proc.aexepath", .procAexepath, arg: true)
        add("proc.acmdline", .procAcmdline, arg: true)
        add("proc.cwd", .procCwd)
        add("proc.tty", .procTty, .number)
        add("proc.sid", .procSid, .number)
        add("proc.sname", .procSname)
        add("proc.vpgid", .procVpgid, .number)
        add("proc.vpgid.name", .procVpgidName)
        add("proc.vpgid.exe", .procVpgidExe)
        add("proc.is_vpgid_leader", .procIsVpgidLeader, .bool)
        add("proc.is_sid_leader", .procIsSidLeader, .bool)
        add("proc.duration", .procDuration, .number)
        add("proc.ppid.duration", .procPpidDuration, .number)
        add("proc.is_exe_upper_layer", .procIsExeUpperLayer, .bool)
        add("proc.is_exe_from_memfd", .procIsExeFromMemfd, .bool)
        add("proc.loginshellid", .procLoginshellid, .number)
        add("proc.env", .procEnv, arg: true)
        add("proc.tid", .threadTid, .number)
        add("thread.tid", .threadTid, .number)
        add("proc.vpid", .procVpid, .number)
        add("thread.cap_effective", .threadCapEffective)
        add("thread.cap_permitted", .threadCapPermitted)
        add("thread.cap_inheritable", .threadCapInheritable)
        add("fd.net", .fdNet)
        add("fd.snet", .fdSnet)
        add("fd.cnet", .fdCnet)
        add("fd.rnet", .fdRnet)
        add("fd.lnet", .fdLnet)
        add("fd.sockfamily", .fdSockfamily)
        add("fd.name", .fdName)
        add("fd.nameraw", .fdNameraw)
        add("fd.directory", .fdDirectory)
        add("fd.filename", .fdFilename)
        add("fd.typechar", .fdTypechar)
        add("fd.type", .fdType)
        add("fd.num", .fdNum, .number)
        add("fd.sip", .fdSip)
        add("fd.cip", .fdCip)
        add("fd.dip", .fdDip)
        add("fd.sport", .fdSport, .number)
        add("fd.cport", .fdCport, .number)
        add("fd.dport", .fdDport, .number)
        add("fd.rport", .fdRport, .number)
        add("fd.lport", .fdLport, .number)
        add("fd.rip", .fdRip)
        add("fd.lip", .fdLip)
        add("fd.l4proto", .fdL4proto)
        add("fd.ip", .fdIp)
        add("fd.port", .fdPort, .number)
        add("fd.name_changed", .fdNameChanged, .bool)
        add("fd.connected", .fdConnected, .bool)
        add("fs.path.name", .fsPathName)
        add("fs.path.source", .fsPathSource)
        add("fs.path.target", .fsPathTarget)
        add("user.name", .userName)
        add("user.uid", .userUid, .number)
        add("user.loginuid", .userLoginuid, .number)
        add("user.loginname", .userLoginname)
        add("user.homedir", .userHomedir)
        add("user.shell", .userShell)
        add("group.name", .groupName)
        add("group.gid", .groupGid, .number)
        add("container.id", .containerID)
        add("container.name", .containerName)
        add("container.image", .containerImage)
        add("container.image.repository", .containerImageRepository)
        add("container.image.tag", .containerImageTag)
        add("container.info", .containerInfo)
        add("container.privileged", .containerPrivileged, .bool)
        add("container.type", .containerType)
        add("k8s.ns.name", .k8sNsName)
        add("k8s.pod.name", .k8sPodName)
        add("vigil.proc.env_function", .vigilProcEnvFunction)
        entries = e
    }

    public func lookup(_ name: String) -> Entry? { entries[name] }

    /// `evt.arg.flags` is `evt.arg[flags]` in Falco.
    public func resolve(_ name: String, arg: String?) -> (Entry, String?)? {
        if let e = entries[name] { return (e, arg) }
        if name.hasPrefix("evt.arg."), let e = entries["evt.arg"] { return (e, String(name.dropFirst(8))) }
        if name.hasPrefix("evt.rawarg."), let e = entries["evt.arg"] { return (e, String(name.dropFirst(11))) }
        return nil
    }
}
