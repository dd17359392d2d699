/// Why an event line could not be decoded.
public struct EventDecodingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public var description: String { "\(message) at byte \(offset + 1)" }
}

/// Decodes one JSON-lines event (docs/events.md) straight into an `Event`, without building a
/// JSON tree: events are flat objects whose values are strings, numbers, booleans, null or
/// arrays of strings. Unknown keys are skipped, so newer sensors stay readable.
public struct EventDecoder {
    private var p: UnsafeBufferPointer<UInt8>
    private var i = 0
    private var scratch: [UInt8] = []

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        p = bytes
    }

    /// Decodes a line; nil for blank lines and `#` comments.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(EventDecodingError) -> Event? {
        var d = EventDecoder(bytes)
        return try d.decode()
    }

    public static func decode(_ line: String) throws(EventDecodingError) -> Event? {
        var copy = Array(line.utf8)
        return try copy.withUnsafeMutableBufferPointer { (b: inout UnsafeMutableBufferPointer<UInt8>) throws(EventDecodingError) -> Event? in
            try decode(UnsafeBufferPointer(b))
        }
    }

    mutating func decode() throws(EventDecodingError) -> Event? {
        skipWS()
        if i >= p.count || p[i] == UInt8(ascii: "#") { return nil }
        guard p[i] == UInt8(ascii: "{") else { throw fail("expected '{'") }
        i += 1
        var e = Event()
        var sawType = false
        skipWS()
        if peek() == UInt8(ascii: "}") { throw fail("event has no \"type\"") }
        while true {
            skipWS()
            let key = try readKey()
            skipWS()
            guard peek() == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipWS()
            switch key {
            case .type: e.type = try eventType(); sawType = true
            case .ts: e.ts = try int()
            case .pid: e.pid = try int()
            case .tid: e.tid = try optInt()
            case .res: e.res = try int()
            case .ppid: e.ppid = try optInt()
            case .comm: e.comm = try optString()
            case .exe: e.exe = try optString()
            case .exepath: e.exepath = try optString()
            case .args: e.args = try optStringArray()
            case .cwd: e.cwd = try optString()
            case .uid: e.uid = try optInt()
            case .gid: e.gid = try optInt()
            case .user: e.user = try optString()
            case .group: e.group = try optString()
            case .loginuid: e.loginuid = try optInt()
            case .tty: e.tty = try optInt()
            case .sid: e.sid = try optInt()
            case .vpgid: e.vpgid = try optInt()
            case .exeUpperLayer: e.exeUpperLayer = try optBool()
            case .exeFromMemfd: e.exeFromMemfd = try optBool()
            case .env: e.env = try optStringArray()
            case .containerID: e.containerID = try optString()
            case .containerName: e.containerName = try optString()
            case .containerImage: e.containerImage = try optString()
            case .containerPrivileged: e.containerPrivileged = try optBool()
            case .k8sNs: e.k8sNamespace = try optString()
            case .k8sPod: e.k8sPod = try optString()
            case .path: e.path = try optString()
            case .rawPath: e.rawPath = try optString()
            case .fd: e.fd = try optInt()
            case .flags: e.flags = try optString()
            case .mode: e.mode = try optInt()
            case .oldpath: e.oldpath = try optString()
            case .newpath: e.newpath = try optString()
            case .target: e.target = try optString()
            case .linkpath: e.linkpath = try optString()
            case .sip: e.sip = try optString()
            case .sport: e.sport = try optInt()
            case .dip: e.dip = try optString()
            case .dport: e.dport = try optInt()
            case .l4proto: e.l4proto = try optString()
            case .targetID: e.targetID = try optInt()
            case .request: e.request = try optString()
            case .data: e.data = try optString()
            case .vpid: e.vpid = try optInt()
            case .capEffective: e.capEffective = try optString()
            case .capPermitted: e.capPermitted = try optString()
            case .capInheritable: e.capInheritable = try optString()
            case .unknown: try skipValue()
            }
            skipWS()
            guard let c = peek() else { throw fail("unterminated object") }
            i += 1
            if c == UInt8(ascii: "}") { break }
            guard c == UInt8(ascii: ",") else { throw fail("expected ',' or '}'") }
        }
        skipWS()
        guard i == p.count else { throw fail("unexpected data after the event object") }
        guard sawType else { throw fail("event has no \"type\"") }
        return e
    }

    // MARK: scanning

    private func fail(_ m: String) -> EventDecodingError { EventDecodingError(message: m, offset: i) }

    private func peek() -> UInt8? { i < p.count ? p[i] : nil }

    private mutating func skipWS() {
        while i < p.count, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0D || p[i] == 0x0A { i += 1 }
    }

    /// Keys of the format; matched by length and bytes, no String is built per key.
    enum Key: CaseIterable {
        case type, ts, pid, tid, res, ppid, comm, exe, exepath, args, cwd, uid, gid, user, group, loginuid
        case tty, sid, vpgid, exeUpperLayer, exeFromMemfd, env, containerID, containerName, containerImage
        case containerPrivileged, k8sNs, k8sPod, path, rawPath, fd, flags, mode, oldpath, newpath, target, linkpath
        case sip, sport, dip, dport, l4proto, targetID, request, data, vpid, capEffective, capPermitted
        case capInheritable, unknown
    }

    static let keyNames: [(String, Key)] = [
        ("type", .type), ("ts", .ts), ("pid", .pid), ("tid", .tid), ("res", .res), ("ppid", .ppid),
        ("comm", .comm), ("exe", .exe), ("exepath", .exepath), ("args", .args), ("cwd", .cwd),
        ("uid", .uid), ("gid", .gid), ("user", .user), ("group", .group), ("loginuid", .loginuid),
        ("tty", .tty), ("sid", .sid), ("vpgid", .vpgid), ("exe_upper_layer", .exeUpperLayer),
        ("exe_from_memfd", .exeFromMemfd), ("env", .env), ("container_id", .containerID),
        ("container_name", .containerName), ("container_image", .containerImage),
        ("container_privileged", .containerPrivileged), ("k8s_ns", .k8sNs), ("k8s_pod", .k8sPod),
        ("path", .path), ("name", .path), ("raw_path", .rawPath), ("fd", .fd), ("flags", .flags), ("mode", .mode),
        ("oldpath", .oldpath), ("newpath", .newpath), ("target", .target), ("linkpath", .linkpath),
        ("sip", .sip), ("sport", .sport), ("dip", .dip), ("dport", .dport), ("l4proto", .l4proto),
        ("target_id", .targetID), ("target_uid", .targetID), ("target_gid", .targetID),
        ("request", .request), ("data", .data), ("vpid", .vpid), ("cap_effective", .capEffective),
        ("cap_permitted", .capPermitted), ("cap_inheritable", .capInheritable),
    ]

    /// Keys bucketed by length, then compared byte by byte.
    static let keysByLength: [[([UInt8], Key)]] = {
        var table = Array(repeating: [([UInt8], Key)](), count: 32)
        for (name, key) in keyNames { table[name.utf8.count].append((Array(name.utf8), key)) }
        return table
    }()

    private mutating func readKey() throws(EventDecodingError) -> Key {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a key") }
        let start = i + 1
        var j = start
        while j < p.count, p[j] != UInt8(ascii: "\""), p[j] != UInt8(ascii: "\\") { j += 1 }
        guard j < p.count, p[j] == UInt8(ascii: "\"") else {
            // escaped key: decode it fully, then match
            let name = try string()
            return Self.keyNames.first { $0.0 == name }?.1 ?? .unknown
        }
        i = j + 1
        let length = j - start
        guard length < 32 else { return .unknown }
        for (bytes, key) in Self.keysByLength[length] {
            var same = true
            for k in 0..<length where bytes[k] != p[start + k] { same = false; break }
            if same { return key }
        }
        return .unknown
    }

    private mutating func isNull() -> Bool {
        if i + 4 <= p.count, p[i] == UInt8(ascii: "n"), p[i + 1] == UInt8(ascii: "u"), p[i + 2] == UInt8(ascii: "l"), p[i + 3] == UInt8(ascii: "l") {
            i += 4
            return true
        }
        return false
    }

    private mutating func optString() throws(EventDecodingError) -> String? { isNull() ? nil : try string() }
    private mutating func optInt() throws(EventDecodingError) -> Int64? { isNull() ? nil : try int() }

    private mutating func optBool() throws(EventDecodingError) -> Bool? {
        if isNull() { return nil }
        if i + 4 <= p.count, p[i] == UInt8(ascii: "t"), p[i + 1] == UInt8(ascii: "r"), p[i + 2] == UInt8(ascii: "u"), p[i + 3] == UInt8(ascii: "e") { i += 4; return true }
        if i + 5 <= p.count, p[i] == UInt8(ascii: "f"), p[i + 1] == UInt8(ascii: "a"), p[i + 2] == UInt8(ascii: "l"), p[i + 3] == UInt8(ascii: "s"), p[i + 4] == UInt8(ascii: "e") { i += 5; return false }
        throw fail("expected true, false or null")
    }

    private mutating func optStringArray() throws(EventDecodingError) -> [String]? {
        if isNull() { return nil }
        guard peek() == UInt8(ascii: "[") else { throw fail("expected an array of strings") }
        i += 1
        var out: [String] = []
        skipWS()
        if peek() == UInt8(ascii: "]") { i += 1; return out }
        while true {
            skipWS()
            out.append(try string())
            skipWS()
            guard let c = peek() else { throw fail("unterminated array") }
            i += 1
            if c == UInt8(ascii: "]") { return out }
            guard c == UInt8(ascii: ",") else { throw fail("expected ',' or ']'") }
        }
    }

    private mutating func int() throws(EventDecodingError) -> Int64 {
        var neg = false
        if peek() == UInt8(ascii: "-") { neg = true; i += 1 }
        guard let f = peek(), f >= 0x30, f <= 0x39 else {
            // numbers written as strings are accepted too ("ts": "1700000000000000000")
            if peek() == UInt8(ascii: "\""), let v = Int64(try string()) { return neg ? -v : v }
            throw fail("expected an integer")
        }
        var v: Int64 = 0
        while let c = peek(), c >= 0x30, c <= 0x39 {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(c - 0x30))
            if o1 || o2 { throw fail("integer out of range") }
            v = a
            i += 1
        }
        if let c = peek(), c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            throw fail("expected an integer")
        }
        return neg ? -v : v
    }

    private mutating func string() throws(EventDecodingError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        i += 1
        let start = i
        // fast path: no escapes
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw fail("control character in string") }
            i += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i]))
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if c < 0x20 { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") { scratch.append(c); i += 1; continue }
            i += 1
            guard let esc = peek() else { break }
            i += 1
            switch esc {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if code >= 0xD800 && code < 0xDC00, i + 1 < p.count, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4()
                    code = 0x10000 + ((code - 0xD800) << 10) + (low &- 0xDC00)
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                scratch.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw fail("invalid escape")
            }
        }
        throw fail("unterminated string")
    }

    /// The event type, matched on its bytes when it is a known name (no String built).
    private mutating func eventType() throws(EventDecodingError) -> EventType {
        if peek() == UInt8(ascii: "\"") {
            var j = i + 1
            while j < p.count, p[j] != UInt8(ascii: "\""), p[j] != UInt8(ascii: "\\") { j += 1 }
            if j < p.count, p[j] == UInt8(ascii: "\""), let code = EventType.code(utf8: UnsafeBufferPointer(rebasing: p[(i + 1)..<j])) {
                i = j + 1
                return EventType(code: code)
            }
        }
        return EventType(name: try string())
    }

    private mutating func hex4() throws(EventDecodingError) -> UInt32 {
        guard i + 4 <= p.count else { throw fail("bad \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("bad \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    /// Skips any JSON value (for keys this version does not use).
    private mutating func skipValue() throws(EventDecodingError) {
        guard let c = peek() else { throw fail("expected a value") }
        switch c {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while i < p.count {
                let x = p[i]
                if x == UInt8(ascii: "\"") { _ = try string(); continue }
                if x == UInt8(ascii: "{") || x == UInt8(ascii: "[") { depth += 1 }
                if x == UInt8(ascii: "}") || x == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { i += 1; return }
                }
                i += 1
            }
            throw fail("unterminated value")
        default:
            while i < p.count, p[i] != UInt8(ascii: ","), p[i] != UInt8(ascii: "}") { i += 1 }
        }
    }
}
