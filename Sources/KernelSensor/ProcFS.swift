import Sensor

#if canImport(Glibc)
import Glibc
#endif

/// Reads what `/proc/PID` says about a process: the table's starting point for processes that
/// existed before the sensor attached (and parents the kernel filter never showed us).
enum ProcFS {
    /// A small file's content (`/proc` files report size 0, so read until EOF), nil if unreadable.
    static func read(_ path: String, limit: Int = 1 << 16) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { _ = close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while out.count < limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    static func readlink(_ path: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4097)
        let n = Glibc.readlink(path, &buf, 4096)
        guard n > 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The cgroup v2 path (`0::` line), or the pids controller's on hybrid hosts without one.
    static func cgroupPath(pid: Int64) -> String? {
        guard let bytes = read("/proc/\(pid)/cgroup") else { return nil }
        var pids: String?
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("0::") { return String(line.dropFirst(3)) }
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count == 3, parts[1].split(separator: ",").contains("pids") { pids = String(parts[2]) }
        }
        return pids
    }

    /// A `state` event describing the process, or nil if it is gone.
    static func snapshot(pid: Int64) -> Event? {
        guard let statBytes = read("/proc/\(pid)/stat") else { return nil }
        var e = Event(type: "state", pid: pid)
        // pid (comm) state ppid pgrp session tty_nr …: comm may contain spaces and parentheses
        let stat = String(decoding: statBytes, as: UTF8.self)
        guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
        e.comm = String(stat[stat.index(after: open)..<close])
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        if fields.count > 5 {
            e.ppid = Int64(fields[1])
            e.vpgid = Int64(fields[2])
            e.sid = Int64(fields[3])
            if let raw = Int64(fields[4]) {
                // tty_nr packs major in bits 8-15 and minor in 0-7 and 20-31; Falco uses major << 20 | minor
                let major = (raw >> 8) & 0xfff
                let minor = (raw & 0xff) | ((raw >> 12) & 0xfff00)
                e.tty = raw == 0 ? 0 : (major << 20) | minor
            }
        }
        if let cmd = read("/proc/\(pid)/cmdline"), !cmd.isEmpty {
            var argv = cmd.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            if argv.last == "" { argv.removeLast() }
            if let first = argv.first { e.exe = first; e.args = Array(argv.dropFirst()) }
        }
        if let exe = readlink("/proc/\(pid)/exe") { e.exepath = exe.hasSuffix(" (deleted)") ? String(exe.dropLast(10)) : exe }
        e.cwd = readlink("/proc/\(pid)/cwd")
        if let status = read("/proc/\(pid)/status") {
            for line in String(decoding: status, as: UTF8.self).split(separator: "\n") {
                if line.hasPrefix("Uid:") { e.uid = line.split(separator: "\t").dropFirst(2).first.flatMap { Int64($0) } }
                else if line.hasPrefix("Gid:") { e.gid = line.split(separator: "\t").dropFirst(2).first.flatMap { Int64($0) } }
                else if line.hasPrefix("NSpid:") { e.vpid = line.split(separator: "\t").last.flatMap { Int64($0) } }
            }
        }
        if let l = read("/proc/\(pid)/loginuid"), let v = Int64(String(decoding: l, as: UTF8.self)) { e.loginuid = v == 4294967295 ? -1 : v }
        return e
    }

    /// Every numeric entry of /proc.
    static func allPIDs() -> [Int64] {
        guard let dir = opendir("/proc") else { return [] }
        defer { closedir(dir) }
        var out: [Int64] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if let pid = Int64(name) { out.append(pid) }
        }
        return out
    }
}
