import COniguruma

/// A compiled jq regular expression: Oniguruma (jq's own engine, Perl_NG syntax) with a bound
/// on backtracking, or a byte search for patterns without metacharacters.
final class CompiledRegex {
    /// Most backtracking retries one match attempt may take; `test("(a+)+$")` on a long run of
    /// `a`s stops with "Regex failure: retry-limit-in-match over" instead of running for ever.
    static let retryLimitInMatch: UInt = 10_000_000
    /// Most retries one search may take over all its start positions.
    static let retryLimitInSearch: UInt = 50_000_000
    private static let setup: Int32 = vigil_onig_setup(retryLimitInMatch, retryLimitInSearch)

    private let regex: OnigRegex?
    /// Set when the pattern has no metacharacters: matched with a byte search.
    let literal: [UInt8]?
    let caseInsensitive: Bool
    let global: Bool
    /// Capture group names by group number (index 0 is the whole match).
    let names: [String?]

    init(pattern: String, flags: String) throws {
        var g = false, i = false, x = false
        var options = VIGIL_ONIG_OPTION_CAPTURE_GROUP
        for f in flags {
            switch f {
            case "g": g = true
            case "i": i = true; options |= VIGIL_ONIG_OPTION_IGNORECASE
            case "x": x = true; options |= VIGIL_ONIG_OPTION_EXTEND
            case "n": options |= VIGIL_ONIG_OPTION_FIND_NOT_EMPTY
            case "s": options |= VIGIL_ONIG_OPTION_SINGLELINE
            case "p": options |= VIGIL_ONIG_OPTION_MULTILINE | VIGIL_ONIG_OPTION_SINGLELINE
            case "l": options |= VIGIL_ONIG_OPTION_FIND_LONGEST
            default: throw JQError.msg("\(flags) is not a valid modifier string")
            }
        }
        global = g
        caseInsensitive = i
        let meta = Set("\\^$.|?*+()[]{}".utf8)
        if !x && options & VIGIL_ONIG_OPTION_FIND_NOT_EMPTY == 0 && !pattern.isEmpty
            && !pattern.utf8.contains(where: { meta.contains($0) || $0 >= 0x80 }) {
            literal = i ? pattern.utf8.map(asciiLower) : Array(pattern.utf8)
            regex = nil
            names = [nil]
            return
        }
        literal = nil
        guard Self.setup == ONIG_NORMAL else { throw JQError.msg("regex library failed to initialise") }
        var reg: OnigRegex?
        var info = OnigErrorInfo()
        let bytes = Array(pattern.utf8)
        let rc = bytes.withUnsafeBufferPointer { b in
            vigil_onig_new(&reg, b.baseAddress, b.baseAddress.map { $0 + b.count }, options, &info)
        }
        guard rc == ONIG_NORMAL, let reg else {
            throw JQError.msg("\(pattern) (at offset \(0)) is not a valid regex: \(Self.errorText(rc, &info))")
        }
        regex = reg
        var ns = [String?](repeating: nil, count: Int(onig_number_of_captures(reg)) + 1)
        final class Names { var byGroup: [(Int, String)] = [] }
        let box = Names()
        _ = onig_foreach_name(reg, { name, nameEnd, count, groups, _, arg in
            let box = Unmanaged<Names>.fromOpaque(arg!).takeUnretainedValue()
            let n = String(decoding: UnsafeBufferPointer(start: name, count: nameEnd! - name!), as: UTF8.self)
            for k in 0..<Int(count) { box.byGroup.append((Int(groups![k]), n)) }
            return 0
        }, Unmanaged.passUnretained(box).toOpaque())
        for (gnum, n) in box.byGroup where gnum < ns.count { ns[gnum] = n }
        names = ns
    }

    deinit { if let regex { onig_free(regex) } }

    static func errorText(_ code: Int32, _ info: UnsafeMutablePointer<OnigErrorInfo>?) -> String {
        var buf = [OnigUChar](repeating: 0, count: Int(ONIG_MAX_ERROR_MESSAGE_LEN) + 1)
        let n = vigil_onig_error_text(&buf, code, info)
        return String(decoding: buf[..<max(0, Int(n))], as: UTF8.self)
    }

    struct Match {
        var offset: Int   // codepoints
        var length: Int
        var string: String
        var captures: [(offset: Int, length: Int, string: String?, name: String?)]
    }

    /// Every match (the first only without the `g` flag), as jq 1.8 reports them: after an empty
    /// match the search resumes one character further, and a match may start at the very end.
    func matches(in s: String) throws -> [Match] {
        if let literal { return literalMatches(s, literal) }
        guard let regex else { return [] }
        var str = s
        return try str.withUTF8 { u -> [Match] in
            var out: [Match] = []
            guard let region = onig_region_new() else { throw JQError.msg("Regex failure: out of memory") }
            defer { onig_region_free(region, 1) }
            // UTF-8 offsets to codepoint counts, advancing a cursor (matches come in order)
            var cpAt = 0, cp = 0
            func codepoints(upTo byte: Int) -> Int {
                if byte < cpAt { cpAt = 0; cp = 0 }
                while cpAt < byte { if (u[cpAt] & 0xC0) != 0x80 { cp += 1 }; cpAt += 1 }
                return cp
            }
            func count(_ from: Int, _ to: Int) -> Int {
                var n = 0
                for k in from..<to where (u[k] & 0xC0) != 0x80 { n += 1 }
                return n
            }
            func text(_ from: Int, _ to: Int) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: u[from..<to]), as: UTF8.self)
            }
            let base = u.baseAddress ?? UnsafePointer(bitPattern: 1)!
            let end = base + u.count
            var start = 0
            repeat {
                let rc = onig_search(regex, base, end, base + start, end, region, VIGIL_ONIG_OPTION_NONE)
                if rc == ONIG_MISMATCH { break }
                if rc < 0 { throw JQError.msg("Regex failure: \(Self.errorText(rc, nil))") }
                let beg = Int(region.pointee.beg[0]), fin = Int(region.pointee.end[0])
                var caps: [(offset: Int, length: Int, string: String?, name: String?)] = []
                let groups = Int(region.pointee.num_regs)
                if groups > 1 {
                    for gi in 1..<groups {
                        let name = gi < names.count ? names[gi] : nil
                        let cb = Int(region.pointee.beg[gi]), ce = Int(region.pointee.end[gi])
                        if cb < 0 {
                            caps.append((-1, 0, nil, name))
                        } else {
                            caps.append((codepoints(upTo: cb), count(cb, ce), text(cb, ce), name))
                        }
                    }
                }
                let off = codepoints(upTo: beg)
                out.append(Match(offset: off, length: count(beg, fin), string: text(beg, fin), captures: caps))
                if fin == beg {
                    // step over one whole character after an empty match
                    var next = fin + 1
                    while next < u.count && (u[next] & 0xC0) == 0x80 { next += 1 }
                    start = next
                } else {
                    start = fin
                }
            } while global && start <= u.count
            return out
        }
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
    func test(_ s: String) throws -> Bool {
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
        var str = s
        return try str.withUTF8 { u -> Bool in
            let base = u.baseAddress ?? UnsafePointer(bitPattern: 1)!
            let rc = onig_search(regex, base, base + u.count, base, base + u.count, nil, VIGIL_ONIG_OPTION_NONE)
            if rc == ONIG_MISMATCH { return false }
            if rc < 0 { throw JQError.msg("Regex failure: \(Self.errorText(rc, nil))") }
            return true
        }
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
            if a[2].isTruthy { return .bool(try re.test(s)) }
            return .array(try re.matches(in: s).map(ev.matchObject))
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
                let ms = try re.matches(in: s)
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
