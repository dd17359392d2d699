#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one byte-level JSON reader in Vigil: a cursor over UTF-8 bytes that hands finished values
/// to a `JSONBuilder` (`JSONParser` builds `JSON`, the jq engine builds its own values).
///
/// Reads one value or a whitespace-separated stream of values. The dialect is a `JSONSyntax`
/// (strict RFC 8259, or jq's). Tokens are scanned whole and then classified, as jq does, so error
/// positions match jq's. Strings are scanned 8 bytes at a time; keys and short values are
/// interned (see `JSONScanState`). The bytes must stay valid and unchanged while the scanner is
/// used.
public struct JSONScanner<Builder: JSONBuilder> {
    /// Receives the values.
    public var builder: Builder
    public let syntax: JSONSyntax
    @usableFromInline let base: UnsafePointer<UInt8>
    /// Number of input bytes.
    public let end: Int
    /// Cursor: offset of the next byte to read.
    public var position: Int
    /// 1-based line of the cursor.
    public var line = 1
    /// Offset where the current line starts (columns in errors are `position - lineStart`).
    public var lineStart: Int
    @usableFromInline var depth = 0
    /// For memory-mapped input: pages already parsed are returned to the kernel as reading
    /// advances, so peak memory is the tree, not tree + file.
    public var releasesConsumedInput = false
    @usableFromInline var released = 0
    @usableFromInline let state: JSONScanState<Builder.Value>

    /// A scanner at the start of `bytes`.
    public init(_ bytes: UnsafeBufferPointer<UInt8>, syntax: JSONSyntax, builder: Builder) {
        self.builder = builder
        self.syntax = syntax
        base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        end = bytes.count
        position = 0
        if syntax.skipsByteOrderMark && end >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { position = 3 }
        lineStart = position
        state = JSONScanState(inputSize: end)
    }

    /// The same scanner (position, line, interning tables) over `bytes`, which must hold the same
    /// content as before (an array that may have moved).
    public func rebased(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONScanner {
        JSONScanner(rebasing: self, bytes)
    }

    private init(rebasing r: JSONScanner, _ bytes: UnsafeBufferPointer<UInt8>) {
        builder = r.builder
        syntax = r.syntax
        base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        end = bytes.count
        position = r.position
        line = r.line
        lineStart = r.lineStart
        depth = r.depth
        releasesConsumedInput = r.releasesConsumedInput
        released = r.released
        state = r.state
    }

    /// True when only whitespace remains (skips it).
    @inlinable public mutating func atEnd() -> Bool {
        skipWhitespace()
        return position >= end
    }

    /// Reads the next value (leading whitespace skipped).
    @inlinable public mutating func readValue() throws(JSONSyntaxError) -> Builder.Value {
        let v = state.valueCount, k = state.keyCount, o = state.otherKeys.count
        do {
            return try parseValue()
        } catch {
            state.unwind(values: v, keys: k, otherKeys: o)
            depth = 0
            throw error
        }
    }

    @inlinable func error(_ kind: JSONSyntaxError.Kind) -> JSONSyntaxError {
        JSONSyntaxError(kind: kind, offset: position, line: line, column: position - lineStart, atEnd: position >= end)
    }

    @inlinable @inline(__always) func peek() -> UInt8 { position < end ? base[position] : 0 }

    @inlinable public mutating func skipWhitespace() {
        var p = position
        while p < end {
            let c = base[p]
            if c == 0x20 {
                p &+= 1
                // indentation comes in runs
                while p &+ 8 <= end && UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020 { p &+= 8 }
            } else if c == 0x0A {
                p &+= 1
                line &+= 1
                lineStart = p
            } else if c == 0x09 || c == 0x0D {
                p &+= 1
            } else {
                break
            }
        }
        position = p
    }

    @inlinable mutating func parseValue() throws(JSONSyntaxError) -> Builder.Value {
        skipWhitespace()
        guard position < end else { throw error(.unexpectedEnd) }
        switch base[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""):
            position &+= 1
            return builder.string(try readString(key: false).string)
        default:
            return try parseToken()
        }
    }

    @inlinable mutating func enter() throws(JSONSyntaxError) {
        depth &+= 1
        if depth > syntax.maxDepth { throw error(.tooDeep) }
        position &+= 1
    }

    @inlinable mutating func parseObject() throws(JSONSyntaxError) -> Builder.Value {
        try enter()
        let state = self.state
        let keyBase = state.keyCount, valueBase = state.valueCount, otherBase = state.otherKeys.count
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position &+= 1
            depth &-= 1
            return builder.object(keys: [], values: UnsafeMutableBufferPointer(start: state.values + valueBase, count: 0), hasDuplicateKeys: false)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                if peek() == UInt8(ascii: "'") { _ = try parseToken() }
                throw error(.keyNotString)
            }
            position &+= 1
            let key = try readString(key: true)
            if let id = key.id {
                state.pushKey(id)
            } else {
                state.otherKeys.append(key.string)
                state.pushKey(Int32(-state.otherKeys.count))
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error(.expectedColon) }
            position &+= 1
            state.pushValue(try parseValue())
            skipWhitespace()
            let d = peek()
            if d == UInt8(ascii: ",") { position &+= 1; continue }
            if d == UInt8(ascii: "}") { position &+= 1; break }
            throw error(position >= end ? .unexpectedEnd : .expectedSeparator)
        }
        depth &-= 1
        let n = state.keyCount &- keyBase
        let ids = state.keyIDs + keyBase
        // Exact duplicate detection: interned keys by stamp, the rest by comparison.
        state.objectSerial &+= 1
        let serial = state.objectSerial
        var duplicates = false
        var allInterned = true
        for i in 0..<n {
            let id = ids[i]
            if id >= 0 {
                if state.keyStamps[Int(id)] == serial { duplicates = true }
                state.keyStamps[Int(id)] = serial
            } else {
                allInterned = false
            }
        }
        let keys: [String]
        if allInterned {
            keys = state.sharedKeys(ids, n)
        } else {
            keys = (0..<n).map { state.key(ids[$0]) }
            if !duplicates {
                outer: for i in 0..<n where ids[i] < 0 {
                    for j in 0..<n where j != i && keys[j] == keys[i] { duplicates = true; break outer }
                }
            }
            state.otherKeys.removeSubrange(otherBase...)
        }
        state.keyCount = keyBase
        state.valueCount = valueBase
        return builder.object(keys: keys, values: UnsafeMutableBufferPointer(start: state.values + valueBase, count: n),
                              hasDuplicateKeys: duplicates)
    }

    @inlinable mutating func parseArray() throws(JSONSyntaxError) -> Builder.Value {
        try enter()
        let state = self.state
        let valueBase = state.valueCount
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position &+= 1
            depth &-= 1
            return builder.array(UnsafeMutableBufferPointer(start: state.values + valueBase, count: 0))
        }
        while true {
            state.pushValue(try parseValue())
            if releasesConsumedInput && position &- released > (8 << 20) { releasePages() }
            skipWhitespace()
            let d = peek()
            if d == UInt8(ascii: ",") { position &+= 1; continue }
            if d == UInt8(ascii: "]") { position &+= 1; break }
            throw error(position >= end ? .unexpectedEnd : .expectedSeparator)
        }
        depth &-= 1
        let n = state.valueCount &- valueBase
        state.valueCount = valueBase
        return builder.array(UnsafeMutableBufferPointer(start: state.values + valueBase, count: n))
    }

    /// Drops already-parsed pages of a mapped input from the resident set.
    @usableFromInline mutating func releasePages() {
        let page = 1 << 16
        let upto = (position / page) * page
        if upto > released {
            _ = madvise(UnsafeMutableRawPointer(mutating: base + released), upto - released, MADV_DONTNEED)
            released = upto
        }
    }

    @inlinable @inline(__always) static func isTokenByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2B || c == 0x2D || c == 0x2E
    }

    /// Literals and numbers: the whole token is scanned first, then classified (as jq does).
    @inlinable mutating func parseToken() throws(JSONSyntaxError) -> Builder.Value {
        let start = position
        var p = position
        if base[p] == UInt8(ascii: "'") {
            // jq reads the bare token and reports the quote character
            p &+= 1
            while p < end {
                let c = base[p]
                if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: ":") || c == UInt8(ascii: ",")
                    || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { break }
                p &+= 1
            }
            position = p < end ? p &+ 1 : p
            var e = error(.singleQuote)
            e.atEnd = p >= end
            throw e
        }
        while p < end, Self.isTokenByte(base[p]) { p &+= 1 }
        if p == start {
            position &+= 1
            throw error(.unexpectedCharacter)
        }
        let c = base[start]
        let len = p &- start
        if c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) {
            if let v = numberToken(start, p) { position = p; return v }
        }
        position = p
        let base = self.base
        @inline(__always) func isWord(_ w: StaticString) -> Bool {
            guard w.utf8CodeUnitCount == len else { return false }
            let u = w.utf8Start
            for i in 0..<len where base[start &+ i] != u[i] { return false }
            return true
        }
        if isWord("true") { return builder.bool(true) }
        if isWord("false") { return builder.bool(false) }
        if isWord("null") { return builder.null() }
        if syntax.allowsNonFiniteLiterals {
            if isWord("nan") || isWord("NaN") || isWord("-nan") || isWord("-NaN") { return builder.number(.nan) }
            if isWord("Infinity") || isWord("infinity") { return builder.number(.infinity) }
            if isWord("-Infinity") || isWord("-infinity") { return builder.number(-.infinity) }
        }
        let word = c == UInt8(ascii: "t") || c == UInt8(ascii: "f") || c == UInt8(ascii: "n")
        throw error(word ? .invalidLiteral : .invalidNumber)
    }

    /// Checks a number token; nil when it is not one.
    @inlinable mutating func numberToken(_ start: Int, _ stop: Int) -> Builder.Value? {
        var p = start
        var simple = true
        if base[p] == UInt8(ascii: "-") { p &+= 1 }
        let intStart = p
        while p < stop && base[p] >= 0x30 && base[p] <= 0x39 { p &+= 1 }
        let intDigits = p &- intStart
        if intDigits == 0 { return nil }
        if intDigits > 1 && base[intStart] == 0x30 {
            if !syntax.allowsLeadingZeros { return nil }
            simple = false
        }
        if p < stop && base[p] == UInt8(ascii: ".") {
            simple = false
            p &+= 1
            let f = p
            while p < stop && base[p] >= 0x30 && base[p] <= 0x39 { p &+= 1 }
            if p == f { return nil }
        }
        if p < stop && (base[p] == UInt8(ascii: "e") || base[p] == UInt8(ascii: "E")) {
            simple = false
            p &+= 1
            if p < stop && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) { p &+= 1 }
            let f = p
            while p < stop && base[p] >= 0x30 && base[p] <= 0x39 { p &+= 1 }
            if p == f { return nil }
        }
        if p != stop { return nil }
        let text = UnsafeBufferPointer(start: base + start, count: stop &- start)
        if simple && intDigits <= 15 {
            var v: Int64 = 0
            for i in intStart..<p { v = v &* 10 &+ Int64(base[i] &- 0x30) }
            if base[start] == UInt8(ascii: "-") { v = -v }
            return builder.number(text, integer: v)
        }
        return builder.number(text, integer: nil)
    }

    @inlinable @inline(__always) static func hasZeroByte(_ v: UInt64) -> Bool {
        ((v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080) != 0
    }

    /// A string of raw bytes as written (no escapes) as a `String`, per the syntax's UTF-8 rule.
    @inlinable func makeString(_ p: UnsafePointer<UInt8>, _ n: Int) throws(JSONSyntaxError) -> String {
        guard let s = JSONScanState<Builder.Value>.makeString(p, n, repairs: syntax.repairsInvalidUTF8) else { throw error(.invalidUTF8) }
        return s
    }

    /// Reads a string body; `position` is just after the opening quote. Keys come back with their
    /// intern id when they have one.
    @inlinable mutating func readString(key: Bool) throws(JSONSyntaxError) -> (string: String, id: Int32?) {
        let start = position
        var p = position
        let end = self.end, base = self.base
        scan: while true {
            // 8 bytes at a time until a quote, a backslash or a control byte
            while p &+ 8 <= end {
                let w = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
                if Self.hasZeroByte(w ^ 0x2222_2222_2222_2222) || Self.hasZeroByte(w ^ 0x5C5C_5C5C_5C5C_5C5C)
                    || ((w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080) != 0 { break }
                p &+= 8
            }
            while p < end {
                let c = base[p]
                if c == UInt8(ascii: "\"") {
                    let len = p &- start
                    position = p &+ 1
                    let s = base + start
                    let repairs = syntax.repairsInvalidUTF8
                    if key {
                        if let id = state.keyID(s, len, repairs: repairs) { return (state.keyStrings[Int(id)], id) }
                    } else if len <= JSONScanState<Builder.Value>.maxValueLength, let v = state.cachedValue(s, len, repairs: repairs) {
                        return (v, nil)
                    }
                    guard let v = JSONScanState<Builder.Value>.makeString(s, len, repairs: repairs) else {
                        position = p
                        throw error(.invalidUTF8)
                    }
                    return (v, nil)
                }
                if c == UInt8(ascii: "\\") { break scan }
                if c < 0x20 {
                    if !syntax.allowsControlCharacters { position = p; throw error(.controlCharacter) }
                    if c == 0x0A { line &+= 1; lineStart = p &+ 1 }
                    p &+= 1
                    continue scan
                }
                p &+= 1
            }
            position = end
            throw error(.unterminatedString)
        }
        return (try readEscapedString(start, p), nil)
    }

    /// The rest of a string that has escapes: `p` is at the first backslash.
    @inlinable mutating func readEscapedString(_ start: Int, _ from: Int) throws(JSONSyntaxError) -> String {
        var p = from
        var bytes = [UInt8](UnsafeBufferPointer(start: base + start, count: p - start))
        bytes.reserveCapacity(bytes.count + 64)
        while p < end {
            let c = base[p]
            if c == UInt8(ascii: "\"") {
                position = p + 1
                return try bytes.withUnsafeBufferPointer { (b) throws(JSONSyntaxError) -> String in
                    try makeString(b.baseAddress ?? UnsafePointer(bitPattern: 1)!, b.count)
                }
            }
            if c == UInt8(ascii: "\\") {
                p += 1
                guard p < end else { break }
                switch JSONEscape.decode(UnsafeBufferPointer(start: base, count: end), at: p, into: &bytes) {
                case .next(let next): p = next
                case .invalidUnicode, .unknown:
                    position = p + 1
                    throw error(.invalidEscape)
                }
                continue
            }
            if c < 0x20 {
                if !syntax.allowsControlCharacters { position = p; throw error(.controlCharacter) }
                if c == 0x0A { line += 1; lineStart = p + 1 }
            }
            bytes.append(c)
            p += 1
        }
        position = end
        throw error(.unterminatedString)
    }
}
