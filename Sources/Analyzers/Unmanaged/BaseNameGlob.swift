/// A shell-style pattern over a file's base name (`php[0-9]*`, `libphp*.so`): `*` any run,
/// `?` one byte, `[0-9]`/`[abc]` one byte of a set. Matching works on UTF-8 bytes without
/// allocating, since it runs for every file of every layer.
struct BaseNameGlob: Sendable, Hashable, CustomStringConvertible {
    let pattern: [UInt8]
    /// The literal bytes before the first wildcard: a cheap first test.
    let literalPrefix: [UInt8]

    init(_ text: String) {
        pattern = Array(text.utf8)
        literalPrefix = Array(pattern.prefix { $0 != UInt8(ascii: "*") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "[") })
    }

    var description: String { String(decoding: pattern, as: UTF8.self) }

    func matches(_ name: Substring.UTF8View) -> Bool {
        guard name.starts(with: literalPrefix) else { return false }
        return Self.match(pattern[...], Array(name)[...])
    }

    private static func match(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
        var p = p, s = s
        // Backtracking point for the last `*`.
        var star: (p: ArraySlice<UInt8>, s: ArraySlice<UInt8>)?
        while true {
            if let c = p.first {
                if c == UInt8(ascii: "*") {
                    p = p.dropFirst()
                    star = (p, s)
                    continue
                }
                if let b = s.first {
                    if c == UInt8(ascii: "?") {
                        p = p.dropFirst(); s = s.dropFirst(); continue
                    }
                    if c == UInt8(ascii: "["), let close = p.firstIndex(of: UInt8(ascii: "]")) {
                        if classContains(p[(p.startIndex + 1)..<close], b) {
                            p = p[(close + 1)...]; s = s.dropFirst(); continue
                        }
                    } else if c == b {
                        p = p.dropFirst(); s = s.dropFirst(); continue
                    }
                }
            } else if s.isEmpty {
                return true
            }
            guard let resume = star, !resume.s.isEmpty else { return false }
            star = (resume.p, resume.s.dropFirst())
            p = resume.p
            s = resume.s.dropFirst()
        }
    }

    private static func classContains(_ set: ArraySlice<UInt8>, _ b: UInt8) -> Bool {
        var i = set.startIndex
        while i < set.endIndex {
            if i + 2 < set.endIndex, set[i + 1] == UInt8(ascii: "-") {
                if set[i] <= b && b <= set[i + 2] { return true }
                i += 3
            } else {
                if set[i] == b { return true }
                i += 1
            }
        }
        return false
    }
}
