/// A compiled jq regular expression (Swift Regex in unicode-scalar mode, or a literal fast path).
final class CompiledRegex {
    let regex: Regex<AnyRegexOutput>?
    /// Set when the pattern has no metacharacters: matched with a byte search.
    let literal: [UInt8]?
    let caseInsensitive: Bool
    let global: Bool
    let skipEmpty: Bool
    let names: [String?]

    init(pattern: String, flags: String) throws {
        var g = false, i = false, x = false, n = false, s = false
        for f in flags {
            switch f {
            case "g": g = true
            case "i": i = true
            case "x": x = true
            case "n": n = true
            case "s": s = true
            case "l": break
            case "p": s = true; n = true
            default: throw JQError.msg("\(flags) is not a valid modifier string")
            }
        }
        global = g
        caseInsensitive = i
        skipEmpty = n
        let meta = Set("\\^$.|?*+()[]{}".utf8)
        if !x && !pattern.isEmpty && !pattern.utf8.contains(where: { meta.contains($0) || $0 >= 0x80 }) {
            literal = i ? pattern.utf8.map(asciiLower) : Array(pattern.utf8)
            regex = nil
            names = [nil]
            return
        }
        literal = nil
        var pat = pattern
        if x { pat = "(?x)" + pat }
        do {
            var r = try Regex(pat).matchingSemantics(.unicodeScalar)
            if i { r = r.ignoresCase() }
            if s { r = r.dotMatchesNewlines() }
            regex = r
        } catch {
            throw JQError.msg("\(pattern) (at offset 0) is not a valid regex: \(error)")
        }
        // capture names in order of opening parentheses
        var ns: [String?] = [nil]
        let u = Array(pattern.utf8)
        var k = 0
        var inClass = false
        while k < u.count {
            let c = u[k]
            if c == UInt8(ascii: "\\") { k += 2; continue }
            if inClass { if c == UInt8(ascii: "]") { inClass = false }; k += 1; continue }
            if c == UInt8(ascii: "[") { inClass = true; k += 1; continue }
            if c == UInt8(ascii: "(") {
                if k + 1 < u.count && u[k + 1] == UInt8(ascii: "?") {
                    if k + 2 < u.count && (u[k + 2] == UInt8(ascii: "<") || u[k + 2] == UInt8(ascii: "P") || u[k + 2] == UInt8(ascii: "'")),
                       k + 3 < u.count, u[k + 3] != UInt8(ascii: "="), u[k + 3] != UInt8(ascii: "!") {
                        var j = k + 3
                        if u[k + 2] == UInt8(ascii: "P") { j += 1 }
                        let st = j
                        while j < u.count && u[j] != UInt8(ascii: ">") && u[j] != UInt8(ascii: "'") { j += 1 }
                        ns.append(String(decoding: u[st..<j], as: UTF8.self))
                    }
                } else {
                    ns.append(nil)
                }
            }
            k += 1
        }
        names = ns
    }

    struct Match {
        var offset: Int   // codepoints
        var length: Int
        var string: String
        var captures: [(offset: Int, length: Int, string: String?, name: String?)]
    }

    func matches(in s: String) -> [Match] {
        if let literal { return literalMatches(s, literal) }
        guard let regex else { return [] }
        var out: [Match] = []
        let scalars = s.unicodeScalars
        var cpCache: (String.Index, Int) = (s.startIndex, 0)
        func cp(_ idx: String.Index) -> Int {
            if idx >= cpCache.0 {
                let d = scalars.distance(from: cpCache.0, to: idx) + cpCache.1
                cpCache = (idx, d)
                return d
            }
            return scalars.distance(from: s.startIndex, to: idx)
        }
        func convert(_ m: Regex<AnyRegexOutput>.Match) -> Match {
            let off = cp(m.range.lowerBound)
            let len = scalars.distance(from: m.range.lowerBound, to: m.range.upperBound)
            var caps: [(offset: Int, length: Int, string: String?, name: String?)] = []
            let o = m.output
            if o.count > 1 {
                for gi in 1..<o.count {
                    let name = gi < names.count ? names[gi] : o[gi].name
                    if let r = o[gi].range {
                        let co = scalars.distance(from: s.startIndex, to: r.lowerBound)
                        caps.append((co, scalars.distance(from: r.lowerBound, to: r.upperBound), String(s[r]), name))
                    } else {
                        caps.append((-1, 0, nil, name))
                    }
                }
            }
            return Match(offset: off, length: len, string: String(s[m.range]), captures: caps)
        }
        if global {
            for m in s.matches(of: regex) {
                if skipEmpty && m.range.isEmpty { continue }
                out.append(convert(m))
            }
        } else if let m = try? regex.firstMatch(in: s) {
            if !(skipEmpty && m.range.isEmpty) { out.append(convert(m)) }
        }
        return out
    }

    private func literalMatches(_ s: String, _ needle: [UInt8]) -> [Match] {
        var out: [Match] = []
        var str = s
        str.withUTF8 { u in
            let n = needle.count
            guard u.count >= n else { return }
            var i = 0
            var cp = 0
            var cpAt = 0  // byte position for which cp is valid
            let first = needle[0]
            while i <= u.count - n {
                let c = caseInsensitive ? asciiLower(u[i]) : u[i]
                if c == first {
                    var ok = true
                    var j = 1
                    while j < n {
                        let d = caseInsensitive ? asciiLower(u[i + j]) : u[i + j]
                        if d != needle[j] { ok = false; break }
                        j += 1
                    }
                    if ok {
                        while cpAt < i { if (u[cpAt] & 0xC0) != 0x80 { cp += 1 }; cpAt += 1 }
                        var len = 0
                        for k in i..<(i + n) where (u[k] & 0xC0) != 0x80 { len += 1 }
                        out.append(Match(offset: cp, length: len, string: String(decoding: UnsafeBufferPointer(rebasing: u[i..<(i + n)]), as: UTF8.self), captures: []))
                        if !global { return }
                        i += n
                        continue
                    }
                }
                i += 1
            }
        }
        return out
    }

    /// Fast `test`: true when any match exists.
    func test(_ s: String) -> Bool {
        if let literal {
            var str = s
            return str.withUTF8 { u -> Bool in
                let n = literal.count
                guard u.count >= n else { return false }
                let first = literal[0]
                if !caseInsensitive {
                    var i = 0
                    while i <= u.count - n {
                        if u[i] == first {
                            var j = 1
                            while j < n && u[i + j] == literal[j] { j += 1 }
                            if j == n { return true }
                        }
                        i += 1
                    }
                    return false
                }
                let firstUpper = first >= 97 && first <= 122 ? first - 32 : first
                var i = 0
                while i <= u.count - n {
                    let c = u[i]
                    if c == first || c == firstUpper {
                        var j = 1
                        while j < n && asciiLower(u[i + j]) == literal[j] { j += 1 }
                        if j == n { return true }
                    }
                    i += 1
                }
                return false
            }
        }
        guard let regex else { return false }
        if skipEmpty { return !matches(in: s).isEmpty }
        return (try? regex.firstMatch(in: s)) != nil
    }
}

@inline(__always) func asciiLower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }

extension Evaluator {
    func compileRegex(_ re: Value, _ flags: Value) throws -> CompiledRegex {
        guard case .string(let p) = re else { throw JQError.msg("\(typeDump(re)) cannot be matched, as it is not a string") }
        var f = ""
        switch flags {
        case .null: break
        case .string(let s): f = s
        default: throw JQError.msg("\(typeDump(flags)) is not a string")
        }
        let key = p + "\u{0}" + f
        if let c = regexCache[key] { return c }
        let c = try CompiledRegex(pattern: p, flags: f)
        if regexCache.count > 256 { regexCache.removeAll() }
        regexCache[key] = c
        return c
    }

    func matchObject(_ m: CompiledRegex.Match) -> Value {
        var o = JQObject()
        o["offset"] = .number(Double(m.offset))
        o["length"] = .number(Double(m.length))
        o["string"] = .string(m.string)
        o["captures"] = .array(m.captures.map { c in
            var co = JQObject()
            co["offset"] = .number(Double(c.offset))
            co["length"] = .number(Double(c.length))
            co["string"] = c.string.map(Value.string) ?? .null
            co["name"] = c.name.map(Value.string) ?? .null
            return .object(co)
        })
        return .object(o)
    }

    func registerRegex() {
        def("_match_impl", 3) { ev, v, a in
            guard case .string(let s) = v else { throw JQError.msg("\(typeDump(v)) cannot be matched, as it is not a string") }
            let re = try ev.compileRegex(a[0], a[1])
            if a[2].isTruthy { return .bool(re.test(s)) }
            return .array(re.matches(in: s).map(ev.matchObject))
        }
        native("sub", 3) { ev, args, env, input, path, out in
            try ev.substitute(args[0], args[1], args[2], env, input, path, out)
        }
        native("sub", 2) { ev, args, env, input, path, out in
            try ev.substitute(args[0], args[1], nil, env, input, path, out)
        }
        native("gsub", 3) { ev, args, env, input, path, out in
            try ev.substitute(args[0], args[1], args[2], env, input, path, out, global: true)
        }
        native("gsub", 2) { ev, args, env, input, path, out in
            try ev.substitute(args[0], args[1], nil, env, input, path, out, global: true)
        }
    }

    func substitute(_ reN: Node, _ strN: Node, _ flagsN: Node?, _ env: Env?, _ input: Value, _ path: Path?, _ out: Emit, global: Bool = false) throws {
        guard case .string(let s) = input else { throw JQError.msg("\(typeDump(input)) cannot be matched, as it is not a string") }
        let flagVals = try flagsN.map { try collect($0, env, input) } ?? [.null]
        for fv in flagVals {
            try eval(reN, env, input, nil) { rv, _ in
                var flags = ""
                if case .string(let f) = fv { flags = f } else if case .null = fv {} else { throw JQError.msg("\(typeDump(fv)) is not a string") }
                if global && !flags.contains("g") { flags += "g" }
                let re = try self.compileRegex(rv, .string(flags))
                let ms = re.matches(in: s)
                let scalars = Array(s.unicodeScalars)
                func piece(_ from: Int, _ to: Int) -> String {
                    var v = String.UnicodeScalarView()
                    v.append(contentsOf: scalars[from..<to])
                    return String(v)
                }
                if ms.isEmpty {
                    try out(input, path == nil ? nil : invalidPathMarker)
                    return
                }
                // jq 1.8 pairs the k-th output of the replacement for every match
                var reps: [[String]] = []
                var count = Int.max
                var pos = 0
                for m in ms {
                    var capObj = JQObject()
                    for c in m.captures { if let n = c.name { capObj[n] = c.string.map(Value.string) ?? .null } }
                    var rs: [String] = []
                    let pre = piece(pos, m.offset)
                    try self.eval(strN, env, .object(capObj), nil) { rep, _ in
                        guard case .string(let r) = rep else {
                            throw JQError.msg("\(typeDump(.string(pre))) and \(typeDump(rep)) cannot be added")
                        }
                        rs.append(r)
                    }
                    count = min(count, rs.count)
                    reps.append(rs)
                    pos = m.offset + m.length
                }
                for k in 0..<count {
                    var acc = ""
                    var p = 0
                    for (i, m) in ms.enumerated() {
                        acc += piece(p, m.offset)
                        acc += reps[i][k]
                        p = m.offset + m.length
                    }
                    acc += piece(p, scalars.count)
                    try out(.string(acc), path == nil ? nil : invalidPathMarker)
                }
            }
        }
    }
}
