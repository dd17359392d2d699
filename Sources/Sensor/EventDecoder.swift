import JSONValue
import VigilCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an event line could not be decoded.
public struct EventDecodingError: VigilError {
    /// What is wrong with the line.
    public var message: String
    /// 0-based byte offset in the line.
    public var offset: Int
    /// Always `events.invalid-event`.
    public var code: String { "events.invalid-event" }
    public var description: String { "\(message) at byte \(offset + 1)" }
}

/// Decodes one JSON-lines event (docs/events.md) straight into an `Event`, without building a
/// JSON tree: events are flat objects whose values are strings, numbers, booleans, null or
/// arrays of strings. Unknown keys are skipped, so newer sensors stay readable.
public struct EventDecoder {
    private var p: UnsafeBufferPointer<UInt8>
    private var i = 0
    private var scratch: [UInt8] = []
    private let cache: StringCache?
    /// Storage to decode into instead of allocating one.
    private var reuse: Event.Storage?

    public init(_ bytes: UnsafeBufferPointer<UInt8>, cache: StringCache? = nil) {
        p = bytes
        self.cache = cache
    }

    /// Decodes a line; nil for blank lines and `#` comments. With a `cache`, long strings seen
    /// recently (paths, images) are shared instead of built again.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, cache: StringCache? = nil) throws(EventDecodingError) -> Event? {
        var d = EventDecoder(bytes, cache: cache)
        return try d.decode()
    }

    /// `decode(_:cache:)` into `storage` (emptied first) instead of a new one: the replay hands
    /// back the storage of the event it returned last when nothing holds it any more.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, cache: StringCache?, reusing storage: Event.Storage?) throws(EventDecodingError) -> Event? {
        var d = EventDecoder(bytes, cache: cache)
        d.reuse = storage
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
        // fields are written straight into the event's storage (no copy-on-write checks)
        let e: Event.Storage
        if let r = reuse.take() {
            r.reset()
            e = r
        } else {
            e = Event.Storage()
        }
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
            case .ppid: e.ppid = try optInt(); e.carriesProcess = true
            case .comm: e.comm = try optString(); e.carriesProcess = true
            case .exe: e.exe = try optString(); e.carriesProcess = true
            case .exepath: e.exepath = try optString(); e.carriesProcess = true
            case .args: e.args = try optStringArray(); e.carriesProcess = true
            case .cwd: e.cwd = try optString(); e.carriesProcess = true
            case .uid: e.uid = try optInt(); e.carriesProcess = true
            case .gid: e.gid = try optInt(); e.carriesProcess = true
            case .user: e.user = try optString(); e.carriesProcess = true
            case .group: e.group = try optString(); e.carriesProcess = true
            case .loginuid: e.loginuid = try optInt(); e.carriesProcess = true
            case .tty: e.tty = try optInt(); e.carriesProcess = true
            case .sid: e.sid = try optInt(); e.carriesProcess = true
            case .vpgid: e.vpgid = try optInt(); e.carriesProcess = true
            case .exeUpperLayer: e.exeUpperLayer = try optBool(); e.carriesProcess = true
            case .exeFromMemfd: e.exeFromMemfd = try optBool(); e.carriesProcess = true
            case .env: e.env = try optStringArray(); e.carriesProcess = true
            case .containerID: e.containerID = try optString(); e.carriesProcess = true
            case .containerName: e.containerName = try optString(); e.carriesProcess = true
            case .containerImage: e.containerImage = try optString(); e.carriesProcess = true
            case .containerPrivileged: e.containerPrivileged = try optBool(); e.carriesProcess = true
            case .k8sNs: e.k8sNamespace = try optString(); e.carriesProcess = true
            case .k8sPod: e.k8sPod = try optString(); e.carriesProcess = true
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
            case .vpid: e.vpid = try optInt(); e.carriesProcess = true
            case .capEffective: e.capEffective = try optString(); e.carriesProcess = true
            case .capPermitted: e.capPermitted = try optString(); e.carriesProcess = true
            case .capInheritable: e.capInheritable = try optString(); e.carriesProcess = true
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
        return Event(storage: e)
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

    /// The key at `start..<start+length`, compared as little-endian 8-byte words (generated from
    /// `keyNames`; `keyNamesMatchWords` in EventDecoderTests keeps the two in step).
    @inline(__always)
    private func keyAt(_ start: Int, _ length: Int) -> Key {
        let w0 = word(start, min(length, 8))
        switch length {
        case 2:
            if w0 == 0x7374 { return .ts } // ts
            if w0 == 0x6466 { return .fd } // fd
            return .unknown
        case 3:
            if w0 == 0x646970 { return .pid } // pid
            if w0 == 0x646974 { return .tid } // tid
            if w0 == 0x736572 { return .res } // res
            if w0 == 0x657865 { return .exe } // exe
            if w0 == 0x647763 { return .cwd } // cwd
            if w0 == 0x646975 { return .uid } // uid
            if w0 == 0x646967 { return .gid } // gid
            if w0 == 0x797474 { return .tty } // tty
            if w0 == 0x646973 { return .sid } // sid
            if w0 == 0x766e65 { return .env } // env
            if w0 == 0x706973 { return .sip } // sip
            if w0 == 0x706964 { return .dip } // dip
            return .unknown
        case 4:
            if w0 == 0x65707974 { return .type } // type
            if w0 == 0x64697070 { return .ppid } // ppid
            if w0 == 0x6d6d6f63 { return .comm } // comm
            if w0 == 0x73677261 { return .args } // args
            if w0 == 0x72657375 { return .user } // user
            if w0 == 0x68746170 { return .path } // path
            if w0 == 0x656d616e { return .path } // name
            if w0 == 0x65646f6d { return .mode } // mode
            if w0 == 0x61746164 { return .data } // data
            if w0 == 0x64697076 { return .vpid } // vpid
            return .unknown
        case 5:
            if w0 == 0x70756f7267 { return .group } // group
            if w0 == 0x6469677076 { return .vpgid } // vpgid
            if w0 == 0x7367616c66 { return .flags } // flags
            if w0 == 0x74726f7073 { return .sport } // sport
            if w0 == 0x74726f7064 { return .dport } // dport
            return .unknown
        case 6:
            if w0 == 0x736e5f73386b { return .k8sNs } // k8s_ns
            if w0 == 0x746567726174 { return .target } // target
            return .unknown
        case 7:
            if w0 == 0x68746170657865 { return .exepath } // exepath
            if w0 == 0x646f705f73386b { return .k8sPod } // k8s_pod
            if w0 == 0x68746170646c6f { return .oldpath } // oldpath
            if w0 == 0x6874617077656e { return .newpath } // newpath
            if w0 == 0x6f746f7270346c { return .l4proto } // l4proto
            if w0 == 0x74736575716572 { return .request } // request
            return .unknown
        case 8:
            if w0 == 0x6469756e69676f6c { return .loginuid } // loginuid
            if w0 == 0x687461705f776172 { return .rawPath } // raw_path
            if w0 == 0x687461706b6e696c { return .linkpath } // linkpath
            return .unknown
        case 9:
            let w1 = word(start + 8, min(9 - 8, 8))
            if w0 == 0x695f746567726174 && w1 == 0x64 { return .targetID } // target_id
            return .unknown
        case 10:
            let w1 = word(start + 8, min(10 - 8, 8))
            if w0 == 0x755f746567726174 && w1 == 0x6469 { return .targetID } // target_uid
            if w0 == 0x675f746567726174 && w1 == 0x6469 { return .targetID } // target_gid
            return .unknown
        case 12:
            let w1 = word(start + 8, min(12 - 8, 8))
            if w0 == 0x656e6961746e6f63 && w1 == 0x64695f72 { return .containerID } // container_id
            return .unknown
        case 13:
            let w1 = word(start + 8, min(13 - 8, 8))
            if w0 == 0x656666655f706163 && w1 == 0x6576697463 { return .capEffective } // cap_effective
            if w0 == 0x6d7265705f706163 && w1 == 0x6465747469 { return .capPermitted } // cap_permitted
            return .unknown
        case 14:
            let w1 = word(start + 8, min(14 - 8, 8))
            if w0 == 0x6d6f72665f657865 && w1 == 0x64666d656d5f { return .exeFromMemfd } // exe_from_memfd
            if w0 == 0x656e6961746e6f63 && w1 == 0x656d616e5f72 { return .containerName } // container_name
            return .unknown
        case 15:
            let w1 = word(start + 8, min(15 - 8, 8))
            if w0 == 0x657070755f657865 && w1 == 0x726579616c5f72 { return .exeUpperLayer } // exe_upper_layer
            if w0 == 0x656e6961746e6f63 && w1 == 0x6567616d695f72 { return .containerImage } // container_image
            if w0 == 0x65686e695f706163 && w1 == 0x656c6261746972 { return .capInheritable } // cap_inheritable
            return .unknown
        case 20:
            let w1 = word(start + 8, min(20 - 8, 8))
            let w2 = word(start + 16, 20 - 16)
            if w0 == 0x656e6961746e6f63 && w1 == 0x6c69766972705f72 && w2 == 0x64656765 { return .containerPrivileged } // container_privileged
            return .unknown
        default: return .unknown
        }
    }

    @inline(__always)
    private func word(_ at: Int, _ count: Int) -> UInt64 { littleEndianWord(p, at: at, count: count) }

    private mutating func readKey() throws(EventDecodingError) -> Key {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a key") }
        let start = i + 1
        if let n = shortString(at: start) {
            i = start + n + 1
            return keyAt(start, n)
        }
        var j = start
        while j < p.count, p[j] != UInt8(ascii: "\""), p[j] != UInt8(ascii: "\\") { j += 1 }
        guard j < p.count, p[j] == UInt8(ascii: "\"") else {
            // escaped key: decode it fully, then match
            let name = try string()
            return Self.keyNames.first { $0.0 == name }?.1 ?? .unknown
        }
        i = j + 1
        return keyAt(start, j - start)
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
        // 18 digits cannot overflow; check only beyond
        var digits = 0
        while digits < 18, i < p.count, p[i] &- 0x30 < 10 {
            v = v &* 10 &+ Int64(p[i] &- 0x30)
            i += 1
            digits += 1
        }
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
        // fast path: no escapes; eight bytes at a time while none is a quote, a backslash or a
        // control character (SWAR: a byte b is flagged when b ^ '"', b ^ '\\' or b - 0x20
        // borrows)
        let base = p.baseAddress!
        while i + 8 <= p.count {
            let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            let quote = w ^ (ones &* 0x22), slash = w ^ (ones &* 0x5C)
            let special = ((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | ((w &- ones &* 0x20) & ~w)
            if special & highs != 0 { break }
            i += 8
        }
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                let bytes = UnsafeBufferPointer(rebasing: p[start..<i])
                let s = cache.map { $0.string(bytes) } ?? String(decoding: bytes, as: UTF8.self)
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
            guard i < p.count else { break }
            // the one JSON escape decoder (JSONValue), as the JSON scanner and jq's lexer use
            switch JSONEscape.decode(p, at: i, into: &scratch) {
            case .next(let after): i = after
            case .invalidUnicode: throw fail("bad \\u escape")
            case .unknown: throw fail("invalid escape")
            }
        }
        throw fail("unterminated string")
    }

    /// The length of the string starting at `start` (after its opening quote) when its closing
    /// quote is among the next eight bytes with no backslash before it: keys and event types
    /// are short, and one 8-byte word (SWAR: the lowest flagged byte is exact) replaces a byte
    /// loop. nil otherwise (longer, escaped, or too near the end of the line).
    @inline(__always)
    private func shortString(at start: Int) -> Int? {
        guard start + 8 <= p.count else { return nil }
        let w = UInt64(littleEndian: UnsafeRawPointer(p.baseAddress! + start).loadUnaligned(as: UInt64.self))
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22), slash = w ^ (ones &* 0x5C)
        let quotes = (quote &- ones) & ~quote & highs
        let slashes = (slash &- ones) & ~slash & highs
        guard quotes != 0, slashes == 0 || slashes.trailingZeroBitCount > quotes.trailingZeroBitCount else { return nil }
        return quotes.trailingZeroBitCount >> 3
    }

    /// The event type, matched on its bytes when it is a known name (no String built).
    private mutating func eventType() throws(EventDecodingError) -> EventType {
        if peek() == UInt8(ascii: "\""), let n = shortString(at: i + 1),
           let code = EventType.code(utf8: UnsafeBufferPointer(rebasing: p[(i + 1)..<(i + 1 + n)])) {
            i += n + 2
            return EventType(code: code)
        }
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

/// Recently decoded long strings, so the paths, images and command names that recur in an event
/// stream are shared rather than allocated, copied and freed once per event: a direct-mapped
/// table keyed by an FNV-1a hash of the bytes, a bounded size (4096 strings), a miss replaces
/// the slot. Strings of 15 bytes or fewer are stored inline by Swift and bypass it.
///
/// Our own code on a measured hot path (replay, `Benchmarks/rules-bench.sh`).
public final class StringCache {
    private let slots: UnsafeMutablePointer<String?>
    private let mask: Int

    public init(slots count: Int = 4096) {
        var n = 1
        while n < count { n <<= 1 }
        slots = .allocate(capacity: n)
        slots.initialize(repeating: nil, count: n)
        mask = n - 1
    }

    deinit {
        slots.deinitialize(count: mask + 1)
        slots.deallocate()
    }

    public func string(_ b: UnsafeBufferPointer<UInt8>) -> String {
        guard b.count > 15 else { return String(decoding: b, as: UTF8.self) }
        let h = wordHash(b)
        let slot = slots + Int(truncatingIfNeeded: h) & mask
        if let s = slot.pointee, sameBytes(s, b) { return s }
        let s = String(decoding: b, as: UTF8.self)
        slot.pointee = s
        return s
    }
}
