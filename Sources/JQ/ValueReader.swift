#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A JSON parse failure with jq's message text.
struct JSONReadError: Error {
    var message: String
}

/// Parses JSON text (one value or a whitespace-separated stream) from bytes into `Value`s.
///
/// Strict JSON plus jq's extensions: `nan`/`NaN` literals. Nesting deeper than 10,000 levels is
/// refused (jq's limit), so hostile input cannot exhaust the stack.
struct ValueReader {
    static let maxDepth = 10_000
    let base: UnsafePointer<UInt8>
    let end: Int
    var pos = 0
    var depth = 0
    var line = 1
    var lineStart = 0
    /// For memory-mapped input: consumed pages are returned to the kernel as parsing advances.
    var releaseConsumed = false
    var released = 0
    /// Interned object keys: reports repeat the same keys millions of times.
    var keyCache: [Int: String] = [:]
    /// Scratch stacks for members being parsed (one shared buffer for all nesting levels).
    var keyStack: [String] = []
    var valueStack: [Value] = []

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        end = buffer.count
        if end >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { pos = 3; lineStart = 3 }
    }

    /// Parses a complete text holding exactly one value (fromjson, --argjson).
    static func parseOne(_ text: String) throws(JSONReadError) -> Value {
        var bytes = Array(text.utf8)
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { (buf) throws(JSONReadError) -> Value in
            var r = ValueReader(UnsafeBufferPointer(rebasing: buf[0..<(buf.count - 1)]))
            r.skipWS()
            if r.pos >= r.end { return .null }
            let v = try r.parseValue()
            r.skipWS()
            if r.pos < r.end { throw r.err("Unfinished JSON term") }
            return v
        }
    }

    @inline(__always) func peek() -> UInt8 { pos < end ? base[pos] : 0 }

    func err(_ m: String) -> JSONReadError {
        JSONReadError(message: "\(m) at line \(line), column \(pos - lineStart)")
    }

    mutating func skipWS() {
        while pos < end {
            let c = base[pos]
            if c == 0x20 || c == 0x09 || c == 0x0D { pos += 1 }
            else if c == 0x0A { pos += 1; line += 1; lineStart = pos }
            else { break }
        }
    }

    /// True when only whitespace remains.
    mutating func atEnd() -> Bool { skipWS(); return pos >= end }

    mutating func parseValue() throws(JSONReadError) -> Value {
        skipWS()
        guard pos < end else { throw err("Unfinished JSON term at EOF") }
        let c = base[pos]
        switch c {
        case UInt8(ascii: "{"):
            depth += 1
            if depth > ValueReader.maxDepth { throw err("Exceeds depth limit for parsing") }
            pos += 1
            let base = keyStack.count
            skipWS()
            if peek() == UInt8(ascii: "}") { pos += 1; depth -= 1; return .object(JQObject()) }
            while true {
                skipWS()
                guard peek() == UInt8(ascii: "\"") else {
                    if peek() == UInt8(ascii: "'") { _ = try parseToken() }
                    throw err("Object keys must be strings")
                }
                pos += 1
                let k = try parseString(intern: true)
                skipWS()
                guard peek() == UInt8(ascii: ":") else { throw err("Objects must consist of key:value pairs") }
                pos += 1
                let v = try parseValue()
                keyStack.append(k)
                valueStack.append(v)
                skipWS()
                let d = peek()
                if d == UInt8(ascii: ",") { pos += 1; continue }
                if d == UInt8(ascii: "}") { pos += 1; break }
                if pos >= end { throw err("Unfinished JSON term at EOF") }
                throw err("Expected separator between values")
            }
            depth -= 1
            // exact-size arrays: no growth slack in the tree
            let keys = Array(keyStack[base...])
            let values = Array(valueStack[valueStack.count - keys.count ..< valueStack.count])
            keyStack.removeSubrange(base...)
            valueStack.removeSubrange((valueStack.count - keys.count)...)
            return .object(makeObject(keys, values))
        case UInt8(ascii: "["):
            depth += 1
            if depth > ValueReader.maxDepth { throw err("Exceeds depth limit for parsing") }
            pos += 1
            let base = valueStack.count
            skipWS()
            if peek() == UInt8(ascii: "]") { pos += 1; depth -= 1; return .array([]) }
            while true {
                let item = try parseValue()
                valueStack.append(item)
                if releaseConsumed && pos - released > (8 << 20) { releasePages() }
                skipWS()
                let d = peek()
                if d == UInt8(ascii: ",") { pos += 1; continue }
                if d == UInt8(ascii: "]") { pos += 1; break }
                if pos >= end { throw err("Unfinished JSON term at EOF") }
                throw err("Expected separator between values")
            }
            depth -= 1
            let items = Array(valueStack[base...])
            valueStack.removeSubrange(base...)
            return .array(items)
        case UInt8(ascii: "\""):
            pos += 1
            return .string(try parseString(intern: false))
        default:
            return try parseToken()
        }
    }

    /// Literals and numbers: the whole token is scanned first, then classified (as jq does).
    private mutating func parseToken() throws(JSONReadError) -> Value {
        let start = pos
        var p = pos
        if base[p] == UInt8(ascii: "'") {
            // jq reads the bare token and reports the quote character
            p += 1
            while p < end {
                let c = base[p]
                if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: ":") || c == UInt8(ascii: ",")
                    || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { break }
                p += 1
            }
            pos = p
            if p >= end { throw err("Invalid string literal; expected \", but got ' at EOF") }
            pos = p + 1
            throw err("Invalid string literal; expected \", but got '")
        }
        while p < end, isTokenByte(base[p]) { p += 1 }
        if p == start {
            pos += 1
            throw err("Invalid literal")
        }
        let c = base[start]
        let len = p - start
        @inline(__always) func isWord(_ w: StaticString) -> Bool {
            guard w.utf8CodeUnitCount == len else { return false }
            let u = w.utf8Start
            for i in 0..<len where base[start + i] != u[i] { return false }
            return true
        }
        if c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) {
            if let v = numberToken(start, p) { pos = p; return v }
        }
        pos = p
        if isWord("true") { return .bool(true) }
        if isWord("false") { return .bool(false) }
        if isWord("null") { return .null }
        if isWord("nan") || isWord("NaN") || isWord("-nan") || isWord("-NaN") { return .number(.nan) }
        if isWord("Infinity") || isWord("infinity") { return .number(.infinity) }
        if isWord("-Infinity") || isWord("-infinity") { return .number(-.infinity) }
        let atEOF = pos >= end
        let kind = (c == UInt8(ascii: "t") || c == UInt8(ascii: "f") || c == UInt8(ascii: "n")) ? "Invalid literal" : "Invalid numeric literal"
        throw err(atEOF ? "\(kind) at EOF" : kind)
    }

    /// Validates a JSON number token; nil when it is not one.
    private func numberToken(_ start: Int, _ stop: Int) -> Value? {
        var p = start
        var simple = true
        if base[p] == UInt8(ascii: "-") { p += 1 }
        let intStart = p
        while p < stop && base[p] >= 0x30 && base[p] <= 0x39 { p += 1 }
        let intDigits = p - intStart
        if intDigits == 0 { return nil }
        if intDigits > 1 && base[intStart] == 0x30 { simple = false }
        if p < stop && base[p] == UInt8(ascii: ".") {
            simple = false
            p += 1
            let f = p
            while p < stop && base[p] >= 0x30 && base[p] <= 0x39 { p += 1 }
            if p == f { return nil }
        }
        if p < stop && (base[p] == UInt8(ascii: "e") || base[p] == UInt8(ascii: "E")) {
            simple = false
            p += 1
            if p < stop && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) { p += 1 }
            let f = p
            while p < stop && base[p] >= 0x30 && base[p] <= 0x39 { p += 1 }
            if p == f { return nil }
        }
        if p != stop { return nil }
        if simple && intDigits <= 15 {
            var v: Int64 = 0
            for i in intStart..<p { v = v &* 10 &+ Int64(base[i] &- 0x30) }
            if base[start] == UInt8(ascii: "-") {
                if v == 0 { return .literal(-0.0, "-0") }
                v = -v
            }
            return .number(Double(v))
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: p - start), as: UTF8.self)
        return .literal(Double(text) ?? (text.hasPrefix("-") ? -Double.greatestFiniteMagnitude : Double.greatestFiniteMagnitude), text)
    }

    /// Drops already-parsed pages of a mapped file from the resident set.
    mutating func releasePages() {
        let page = 1 << 16
        let upto = (pos / page) * page
        if upto > released {
            _ = madvise(UnsafeMutableRawPointer(mutating: base + released), upto - released, MADV_DONTNEED)
            released = upto
        }
    }

    private func makeObject(_ keys: [String], _ values: [Value]) -> JQObject {
        // Duplicate keys: the last one wins, as in jq.
        if keys.count > 1 && keys.count <= 32 {
            var dup = false
            outer: for i in 1..<keys.count { for j in 0..<i where keys[j] == keys[i] { dup = true; break outer } }
            if dup {
                var o = JQObject()
                for (k, v) in zip(keys, values) { o[k] = v }
                return o
            }
        } else if keys.count > 32 && Set(keys).count != keys.count {
            var o = JQObject()
            for (k, v) in zip(keys, values) { o[k] = v }
            return o
        }
        return JQObject(keys: keys, values: values)
    }

    @inline(__always) private func isTokenByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2B || c == 0x2D || c == 0x2E
    }

    /// Parses a string body; `pos` is just after the opening quote.
    private mutating func parseString(intern: Bool) throws(JSONReadError) -> String {
        let start = pos
        var p = pos
        while p < end {
            let c = base[p]
            if c == UInt8(ascii: "\"") {
                let len = p - start
                pos = p + 1
                if intern && len > 15 && len <= 64 {
                    var h = 5381
                    for i in start..<p { h = (h &* 33) ^ Int(base[i]) }
                    h = h &* 131 &+ len
                    if let s = keyCache[h], s.utf8.count == len,
                       s.utf8.elementsEqual(UnsafeBufferPointer(start: base + start, count: len)) {
                        return s
                    }
                    let s = String(decoding: UnsafeBufferPointer(start: base + start, count: len), as: UTF8.self)
                    if keyCache.count < 4096 { keyCache[h] = s }
                    return s
                }
                return String(decoding: UnsafeBufferPointer(start: base + start, count: len), as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D && c != 0x7F {
                // jq accepts raw control characters inside strings; keep them
            }
            if c == 0x0A { line += 1; lineStart = p + 1 }
            p += 1
        }
        // slow path with escapes
        var bytes = [UInt8](UnsafeBufferPointer(start: base + start, count: p - start))
        while p < end {
            let c = base[p]
            if c == UInt8(ascii: "\"") {
                pos = p + 1
                return String(decoding: bytes, as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") {
                p += 1
                guard p < end else { break }
                let e = base[p]
                p += 1
                switch e {
                case UInt8(ascii: "\""): bytes.append(0x22)
                case UInt8(ascii: "\\"): bytes.append(0x5C)
                case UInt8(ascii: "/"): bytes.append(0x2F)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    guard var u = hex4(p) else { pos = p; throw err("Invalid escape") }
                    p += 4
                    if u >= 0xD800 && u < 0xDC00 {
                        if p + 6 <= end && base[p] == UInt8(ascii: "\\") && base[p + 1] == UInt8(ascii: "u"),
                           let lo = hex4(p + 2), lo >= 0xDC00 && lo < 0xE000 {
                            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
                            p += 6
                        } else {
                            u = 0xFFFD
                        }
                    } else if u >= 0xDC00 && u < 0xE000 {
                        u = 0xFFFD
                    }
                    appendUTF8(UInt32(u), &bytes)
                default:
                    pos = p
                    throw err("Invalid escape")
                }
                continue
            }
            if c == 0x0A { line += 1; lineStart = p + 1 }
            bytes.append(c)
            p += 1
        }
        pos = end
        throw err("Unfinished string at EOF")
    }

    private func hex4(_ p: Int) -> Int? {
        guard p + 4 <= end else { return nil }
        var v = 0
        for i in 0..<4 {
            let c = base[p + i]
            let d: Int
            switch c {
            case 0x30...0x39: d = Int(c) - 0x30
            case 0x41...0x46: d = Int(c) - 0x37
            case 0x61...0x66: d = Int(c) - 0x57
            default: return nil
            }
            v = v * 16 + d
        }
        return v
    }
}

@inline(__always) func appendUTF8(_ u: UInt32, _ out: inout [UInt8]) {
    if u < 0x80 { out.append(UInt8(u)) }
    else if u < 0x800 { out.append(UInt8(0xC0 | (u >> 6))); out.append(UInt8(0x80 | (u & 0x3F))) }
    else if u < 0x10000 {
        out.append(UInt8(0xE0 | (u >> 12))); out.append(UInt8(0x80 | ((u >> 6) & 0x3F))); out.append(UInt8(0x80 | (u & 0x3F)))
    } else {
        out.append(UInt8(0xF0 | (u >> 18))); out.append(UInt8(0x80 | ((u >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((u >> 6) & 0x3F))); out.append(UInt8(0x80 | (u & 0x3F)))
    }
}
