#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The constant operands of one string comparison, compiled to match a value's UTF-8 bytes:
/// `=`/`in` against a table bucketed by length, `startswith`/`endswith`/`contains` by `memcmp`,
/// and `glob` patterns reduced to those shapes when they only use `*` at their ends
/// (`/var/log/*` is a prefix test), `fnmatch` otherwise.
///
/// Our own code on a measured hot path: `Set<String>` hashing, `fnmatch` and the String
/// building for `fd.directory` were a third of rule time on Falco's stable rules
/// (`Benchmarks/rules-bench.sh`, perf). Matching is on bytes, as in Falco.
final class ByteMatcher: @unchecked Sendable {
    fileprivate enum Shape { case prefix, suffix, contains }

    /// Values of `=`/`in`, bytes back to back; `exactStart[L]..<exactStart[L+1]` index the
    /// offsets (in `exactOffsets`) of the values of length L.
    private let bytes: UnsafeMutablePointer<UInt8>
    private let exactStart: UnsafeMutablePointer<Int32>
    private let exactOffsets: UnsafeMutablePointer<Int32>
    private let maxExactLength: Int
    private let hasExact: Bool
    /// Prefix, suffix and substring needles: (shape, offset into `bytes`, length).
    private let pieces: [(shape: Shape, offset: Int, count: Int)]
    /// Globs with `*` inside or `?` (no brackets or escapes), matched on bytes by `wildcard`.
    private let wildcards: [[UInt8]]
    /// Globs with brackets or escapes, for `fnmatch`.
    private let globs: [String]
    /// A `*` glob: everything matches.
    private let matchesAll: Bool
    /// Which of the lists are non-empty (tested before touching them: iterating an array
    /// property costs a retain/release pair even when it is empty).
    private let hasPieces: Bool, hasWildcards: Bool, hasGlobs: Bool

    private init(exact: [[UInt8]], pieces: [(Shape, [UInt8])], wildcards: [[UInt8]] = [], globs: [String], matchesAll: Bool) {
        self.wildcards = wildcards
        let total = exact.reduce(0) { $0 + $1.count } + pieces.reduce(0) { $0 + $1.1.count }
        bytes = .allocate(capacity: max(total, 1))
        var at = 0
        maxExactLength = exact.map(\.count).max() ?? -1
        hasExact = !exact.isEmpty
        exactStart = .allocate(capacity: maxExactLength + 2)
        exactOffsets = .allocate(capacity: max(exact.count, 1))
        var k = 0
        for length in 0...(maxExactLength + 1) {
            exactStart[length] = Int32(k)
            guard length <= maxExactLength else { break }
            for value in exact where value.count == length {
                exactOffsets[k] = Int32(at)
                for b in value { bytes[at] = b; at += 1 }
                k += 1
            }
        }
        var placed: [(Shape, Int, Int)] = []
        for (shape, needle) in pieces {
            placed.append((shape, at, needle.count))
            for b in needle { bytes[at] = b; at += 1 }
        }
        self.pieces = placed
        self.globs = globs
        self.matchesAll = matchesAll
        hasPieces = !placed.isEmpty
        hasWildcards = !wildcards.isEmpty
        hasGlobs = !globs.isEmpty
    }

    deinit {
        bytes.deallocate()
        exactStart.deallocate()
        exactOffsets.deallocate()
    }

    /// What a matcher tests, before it is laid out: the union of several operators' operands
    /// is the union of their specs.
    struct Spec {
        fileprivate var exact: [[UInt8]] = []
        fileprivate var pieces: [(Shape, [UInt8])] = []
        fileprivate var wildcards: [[UInt8]] = []
        fileprivate var globs: [String] = []
        fileprivate var all = false

        mutating func add(_ other: Spec) {
            exact += other.exact
            pieces += other.pieces
            wildcards += other.wildcards
            globs += other.globs
            all = all || other.all
        }
    }

    convenience init(_ spec: Spec) {
        self.init(exact: spec.exact, pieces: spec.pieces, wildcards: spec.wildcards, globs: spec.globs, matchesAll: spec.all)
    }

    /// A matcher for `op` with any-of semantics over `strings` (or their decoded `needles`), or
    /// nil when the operator is not one of these byte tests.
    static func make(op: CompareOp, strings: [String], needles: [[UInt8]]) -> ByteMatcher? {
        spec(op: op, strings: strings, needles: needles).map(ByteMatcher.init)
    }

    static func spec(op: CompareOp, strings: [String], needles: [[UInt8]]) -> Spec? {
        switch op {
        case .eq, .ne, .inSet, .intersects:
            return Spec(exact: strings.map { Array($0.utf8) })
        case .startswith, .bstartswith:
            return Spec(pieces: needles.map { (.prefix, $0) })
        case .endswith:
            return Spec(pieces: needles.map { (.suffix, $0) })
        case .contains, .bcontains:
            return Spec(pieces: needles.map { (.contains, $0) })
        case .glob:
            var exact: [[UInt8]] = []
            var pieces: [(Shape, [UInt8])] = []
            var globs: [String] = []
            var wildcards: [[UInt8]] = []
            var all = false
            for pattern in strings {
                let b = Array(pattern.utf8)
                if b.contains(where: { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "\\") || $0 == 0 }) {
                    globs.append(pattern)
                    continue
                }
                if b.contains(UInt8(ascii: "?")) {
                    wildcards.append(b)
                    continue
                }
                let stars = b.indices.filter { b[$0] == UInt8(ascii: "*") }
                let lead = b.first == UInt8(ascii: "*"), trail = b.last == UInt8(ascii: "*")
                let inner = Array(b.drop(while: { $0 == UInt8(ascii: "*") }).reversed().drop(while: { $0 == UInt8(ascii: "*") }).reversed())
                if stars.isEmpty {
                    exact.append(b)
                } else if inner.isEmpty {
                    all = true
                } else if inner.contains(UInt8(ascii: "*")) {
                    wildcards.append(b)
                } else if lead && trail {
                    pieces.append((.contains, inner))
                } else if trail {
                    pieces.append((.prefix, inner))
                } else if lead {
                    pieces.append((.suffix, inner))
                } else {
                    wildcards.append(b)
                }
            }
            return Spec(exact: exact, pieces: pieces, wildcards: wildcards, globs: globs, all: all)
        default:
            return nil
        }
    }

    /// Whether `s` matches any operand.
    @inline(__always)
    func matches(_ s: String) -> Bool {
        if let r = s.utf8.withContiguousStorageIfAvailable({ matches($0, string: s) }) { return r }
        var str = s
        return str.withUTF8 { matches($0, string: s) }
    }

    /// Whether the bytes match any operand; `string` is the same value as a String when the
    /// caller has it (built here only for `fnmatch` patterns).
    func matches(_ s: UnsafeBufferPointer<UInt8>, string: String?) -> Bool {
        if matchesAll { return true }
        let n = s.count
        if hasExact, n <= maxExactLength {
            let lo = Int(exactStart[n]), hi = Int(exactStart[n + 1])
            if lo < hi {
                if n == 0 { return true }
                let base = s.baseAddress!
                let first = base[0]
                for k in lo..<hi {
                    let v = bytes + Int(exactOffsets[k])
                    if v[0] == first, memcmp(v, base, n) == 0 { return true }
                }
            }
        }
        if hasPieces { for piece in pieces {
            let needle = bytes + piece.offset
            let m = piece.count
            guard m <= n else { continue }
            if m == 0 { return true }
            let base = s.baseAddress!
            switch piece.shape {
            case .prefix: if memcmp(base, needle, m) == 0 { return true }
            case .suffix: if memcmp(base + (n - m), needle, m) == 0 { return true }
            case .contains: if Bytes.contains(base, n, needle, m) { return true }
            }
        } }
        if hasWildcards {
            for w in wildcards where w.withUnsafeBufferPointer({ Self.wildcard($0, s) }) { return true }
        }
        if hasGlobs {
            let value = string ?? String(decoding: s, as: UTF8.self)
            for g in globs where fnmatch(g, value, 0) == 0 { return true }
        }
        return false
    }

    /// `fnmatch(pattern, value, 0)` for patterns of literal bytes, `*` and `?` (no brackets or
    /// escapes): `*` matches any bytes including `/`, `?` one byte, as `fnmatch` in the C locale.
    /// Backtracks to the last `*` only, so it is linear for one star and O(n·m) at worst.
    static func wildcard(_ p: UnsafeBufferPointer<UInt8>, _ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0, j = 0
        var star = -1, mark = 0
        while j < s.count {
            if i < p.count, p[i] == UInt8(ascii: "?") || (p[i] != UInt8(ascii: "*") && p[i] == s[j]) {
                i += 1
                j += 1
            } else if i < p.count, p[i] == UInt8(ascii: "*") {
                star = i
                mark = j
                i += 1
            } else if star >= 0 {
                i = star + 1
                mark += 1
                j = mark
            } else {
                return false
            }
        }
        while i < p.count, p[i] == UInt8(ascii: "*") { i += 1 }
        return i == p.count
    }
}

/// Substring search on raw bytes (glibc's `memmem` is a GNU extension Swift's Glibc module does
/// not export): `memchr` for the first byte, `memcmp` for the rest.
enum Bytes {
    @inline(__always)
    static func contains(_ hay: UnsafePointer<UInt8>, _ n: Int, _ needle: UnsafePointer<UInt8>, _ m: Int) -> Bool {
        if m == 0 { return true }
        guard n >= m else { return false }
        let first = Int32(needle[0])
        let last = n - m
        var i = 0
        while i <= last {
            guard let hit = memchr(hay + i, first, last - i + 1) else { return false }
            let at = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - hay
            if memcmp(hay + at, needle, m) == 0 { return true }
            i = at + 1
        }
        return false
    }
}
