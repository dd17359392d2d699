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
            // one case per field: Generated/EventDecoder+Keys.swift (scripts/event-fields/fields.txt)
            if key == .type { e.type = try eventType(); sawType = true } else { try readValue(of: key, into: e) }
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

    @inline(__always)
    func word(_ at: Int, _ count: Int) -> UInt64 { littleEndianWord(p, at: at, count: count) }

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

    mutating func optString() throws(EventDecodingError) -> String? { isNull() ? nil : try string() }
    mutating func optInt() throws(EventDecodingError) -> Int64? { isNull() ? nil : try int() }

    mutating func optBool() throws(EventDecodingError) -> Bool? {
        if isNull() { return nil }
        if i + 4 <= p.count, p[i] == UInt8(ascii: "t"), p[i + 1] == UInt8(ascii: "r"), p[i + 2] == UInt8(ascii: "u"), p[i + 3] == UInt8(ascii: "e") { i += 4; return true }
        if i + 5 <= p.count, p[i] == UInt8(ascii: "f"), p[i + 1] == UInt8(ascii: "a"), p[i + 2] == UInt8(ascii: "l"), p[i + 3] == UInt8(ascii: "s"), p[i + 4] == UInt8(ascii: "e") { i += 5; return false }
        throw fail("expected true, false or null")
    }

    mutating func optStringArray() throws(EventDecodingError) -> [String]? {
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

    mutating func int() throws(EventDecodingError) -> Int64 {
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
    mutating func eventType() throws(EventDecodingError) -> EventType {
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
    mutating func skipValue() throws(EventDecodingError) {
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
