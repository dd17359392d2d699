/// Writes events in the JSON-lines format `EventDecoder` reads (docs/events.md): what
/// `vigil watch --record` stores, so a recording replays to the alerts raised live.
///
/// Hand-written on purpose: the live sensor encodes every event on its hot path, and a flat
/// object of known keys needs no general JSON model.
public enum EventEncoder {
    /// One line, without the trailing newline. `typeOverride` writes a different `type` (used for
    /// `state` lines that seed the process table).
    public static func encode(_ e: Event, typeOverride: String? = nil, into out: inout [UInt8]) {
        var w = Writer(out: out)
        out = []
        w.open()
        w.key("type"); w.string(typeOverride ?? e.type.name)
        if e.ts != 0 { w.key("ts"); w.int(e.ts) }
        w.key("pid"); w.int(e.pid)
        if let v = e.tid { w.key("tid"); w.int(v) }
        if e.res != 0 || e.type.kind == .open || e.type.kind == .clone { w.key("res"); w.int(e.res) }
        w.opt("ppid", e.ppid)
        w.opt("comm", e.comm)
        w.opt("exe", e.exe)
        w.opt("exepath", e.exepath)
        if let v = e.args { w.key("args"); w.strings(v) }
        w.opt("cwd", e.cwd)
        w.opt("uid", e.uid)
        w.opt("gid", e.gid)
        w.opt("user", e.user)
        w.opt("group", e.group)
        w.opt("loginuid", e.loginuid)
        w.opt("tty", e.tty)
        w.opt("sid", e.sid)
        w.opt("vpgid", e.vpgid)
        w.opt("vpid", e.vpid)
        if let v = e.exeUpperLayer { w.key("exe_upper_layer"); w.bool(v) }
        if let v = e.exeFromMemfd { w.key("exe_from_memfd"); w.bool(v) }
        if let v = e.env { w.key("env"); w.strings(v) }
        w.opt("container_id", e.containerID)
        w.opt("container_name", e.containerName)
        w.opt("container_image", e.containerImage)
        if let v = e.containerPrivileged { w.key("container_privileged"); w.bool(v) }
        w.opt("k8s_ns", e.k8sNamespace)
        w.opt("k8s_pod", e.k8sPod)
        w.opt("path", e.path)
        w.opt("raw_path", e.rawPath)
        w.opt("fd", e.fd)
        w.opt("flags", e.flags)
        w.opt("mode", e.mode)
        w.opt("oldpath", e.oldpath)
        w.opt("newpath", e.newpath)
        w.opt("target", e.target)
        w.opt("linkpath", e.linkpath)
        w.opt("sip", e.sip)
        w.opt("sport", e.sport)
        w.opt("dip", e.dip)
        w.opt("dport", e.dport)
        w.opt("l4proto", e.l4proto)
        w.opt("target_id", e.targetID)
        w.opt("request", e.request)
        w.opt("data", e.data)
        w.close()
        out = w.out
    }

    /// Convenience for tests and small tools.
    public static func encode(_ e: Event, typeOverride: String? = nil) -> String {
        var out: [UInt8] = []
        encode(e, typeOverride: typeOverride, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private struct Writer {
        var out: [UInt8]
        var first = true

        mutating func open() { out.append(UInt8(ascii: "{")) }
        mutating func close() { out.append(UInt8(ascii: "}")) }

        mutating func key(_ k: StaticString) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            k.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }

        mutating func opt(_ k: StaticString, _ v: String?) { if let v { key(k); string(v) } }
        mutating func opt(_ k: StaticString, _ v: Int64?) { if let v { key(k); int(v) } }

        mutating func int(_ v: Int64) { out.append(contentsOf: String(v).utf8) }
        mutating func bool(_ v: Bool) { out.append(contentsOf: (v ? "true" : "false").utf8) }

        mutating func strings(_ v: [String]) {
            out.append(UInt8(ascii: "["))
            for (i, s) in v.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                string(s)
            }
            out.append(UInt8(ascii: "]"))
        }

        mutating func string(_ s: String) {
            out.append(UInt8(ascii: "\""))
            for b in s.utf8 {
                switch b {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
                case 0..<0x20, 0x7f:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: Array("\\u00".utf8))
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 15)])
                default: out.append(b)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }
}
