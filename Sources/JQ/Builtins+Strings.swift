import VigilCore

extension Evaluator {
    func registerStrings() {
        def("ascii_downcase", 0) { _, v, _ in
            guard case .string(let s) = v else { throw JQError.msg("\(typeDump(v)) cannot be ascii_downcased") }
            return .string(String(decoding: s.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self))
        }
        def("ascii_upcase", 0) { _, v, _ in
            guard case .string(let s) = v else { throw JQError.msg("\(typeDump(v)) cannot be ascii_upcased") }
            return .string(String(decoding: s.utf8.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self))
        }
        def("startswith", 1) { _, v, a in
            guard case .string(let s) = v, case .string(let p) = a[0] else { throw JQError.msg("startswith() requires string inputs") }
            return .bool(s.utf8.starts(with: p.utf8))
        }
        def("endswith", 1) { _, v, a in
            guard case .string(let s) = v, case .string(let p) = a[0] else { throw JQError.msg("endswith() requires string inputs") }
            return .bool(s.utf8.count >= p.utf8.count && s.utf8.reversed().starts(with: p.utf8.reversed()))
        }
        def("split", 1) { _, v, a in
            guard case .string(let s) = v, case .string(let sep) = a[0] else { throw JQError.msg("split input and separator must be strings") }
            return .array(splitString(s, sep).map(Value.string))
        }
        def("join", 1) { _, v, a in
            guard case .array(let arr) = v else { throw JQError.msg("Cannot iterate over \(typeDump(v))") }
            guard case .string(let sep) = a[0] else {
                if arr.isEmpty { return .string("") }
                throw JQError.msg("\(typeDump(a[0])) and \(typeDump(.string(""))) cannot be added")
            }
            var out = ""
            for (i, x) in arr.enumerated() {
                if i > 0 { out += sep }
                switch x {
                case .null: break
                case .string(let s): out += s
                case .number, .literal, .bool: out += x.jsonText
                default: throw JQError.msg("\(typeDump(.string(out))) and \(typeDump(x)) cannot be added")
                }
            }
            return .string(out)
        }
        for (name, lead, trail) in [("trim", true, true), ("ltrim", true, false), ("rtrim", false, true)] {
            def(name, 0) { _, v, _ in
                guard case .string(let s) = v else { throw JQError.msg("trim input must be a string") }
                var sc = Substring(s).unicodeScalars[...]
                if lead { while let f = sc.first, f.properties.isWhitespace { sc = sc.dropFirst() } }
                if trail { while let l = sc.last, l.properties.isWhitespace { sc = sc.dropLast() } }
                return .string(String(String.UnicodeScalarView(sc)))
            }
        }
        def("_strindices", 1) { _, v, a in
            guard case .string(let s) = v else { throw JQError.msg("\(typeDump(v)) cannot be searched, as it is not a string") }
            guard case .string(let p) = a[0] else { throw JQError.msg("\(typeDump(a[0])) is not a string") }
            return .array(stringIndices(s, p).map { .number(Double($0)) })
        }
        def("indices", 1) { ev, v, a in try ev.indicesValue(v, a[0]) }
        def("index", 1) { ev, v, a in
            let r = try ev.indicesValue(v, a[0])
            if case .array(let x) = r { return x.first ?? .null }
            return .null
        }
        def("rindex", 1) { ev, v, a in
            let r = try ev.indicesValue(v, a[0])
            if case .array(let x) = r { return x.last ?? .null }
            return .null
        }
        def("tojson", 0) { _, v, _ in .string(v.jsonText) }
        def("format", 1) { ev, v, a in
            guard case .string(let f) = a[0] else { throw JQError.msg("\(typeDump(a[0])) is not a valid format") }
            return try ev.applyFormat(f, v)
        }
    }

    func indicesValue(_ v: Value, _ i: Value) throws -> Value {
        switch (v, i) {
        case (.null, _): return .null
        case (.string(let s), .string(let p)):
            if p.isEmpty { return .null }
            return .array(stringIndices(s, p).map { .number(Double($0)) })
        case (.array(let a), .array(let b)): return indicesOf(a, b)
        case (.array(let a), _): return indicesOf(a, [i])
        default:
            return try index(v, i)
        }
    }

    func applyFormat(_ name: String, _ v: Value) throws -> Value {
        switch name {
        case "text": return .string(toStringValue(v))
        case "json": return .string(v.jsonText)
        case "html":
            return .string(HTMLText.escape(toStringValue(v), apostrophe: "&apos;"))
        case "uri":
            var out: [UInt8] = []
            let hex = Array("0123456789ABCDEF".utf8)
            for b in toStringValue(v).utf8 {
                if (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 45 || b == 95 || b == 46 || b == 126 {
                    out.append(b)
                } else {
                    out.append(37); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)])
                }
            }
            return .string(String(decoding: out, as: UTF8.self))
        case "urid":
            let u = Array(toStringValue(v).utf8)
            var out: [UInt8] = []
            var i = 0
            func hv(_ c: UInt8) -> UInt8? {
                switch c {
                case 48...57: return c - 48
                case 65...70: return c - 55
                case 97...102: return c - 87
                default: return nil
                }
            }
            while i < u.count {
                if u[i] == 37 {
                    guard i + 2 < u.count, let h = hv(u[i + 1]), let l = hv(u[i + 2]) else {
                        throw JQError.msg("\(typeDump(v)) is not a valid uri encoding")
                    }
                    out.append(h << 4 | l)
                    i += 3
                } else {
                    out.append(u[i]); i += 1
                }
            }
            guard let s = String(validating: out, as: UTF8.self) else { throw JQError.msg("\(typeDump(v)) is not a valid uri encoding") }
            return .string(s)
        case "csv", "tsv":
            guard case .array(let a) = v else { throw JQError.msg("\(typeDump(v)) cannot be \(name)-formatted, only an array can be") }
            var parts: [String] = []
            for x in a {
                switch x {
                case .null: parts.append("")
                case .bool(let b): parts.append(b ? "true" : "false")
                case .number, .literal: parts.append(x.jsonText)
                case .string(let s):
                    if name == "csv" {
                        parts.append("\"" + s.replacingOccurrences("\"", "\"\"") + "\"")
                    } else {
                        parts.append(s.replacingOccurrences("\\", "\\\\").replacingOccurrences("\t", "\\t")
                            .replacingOccurrences("\n", "\\n").replacingOccurrences("\r", "\\r"))
                    }
                default:
                    throw JQError.msg("\(typeDump(x)) is not valid in a csv row")
                }
            }
            return .string(parts.joined(separator: name == "csv" ? "," : "\t"))
        case "sh":
            func q(_ x: Value) throws -> String {
                switch x {
                case .string(let s): return "'" + s.replacingOccurrences("'", "'\\''") + "'"
                case .array, .object: throw JQError.msg("\(typeDump(x)) can not be escaped for shell")
                default: return x.jsonText
                }
            }
            if case .array(let a) = v { return .string(try a.map(q).joined(separator: " ")) }
            return .string(try q(v))
        case "base64":
            return .string(Base64.encode(Array(toStringValue(v).utf8)))
        case "base64d":
            let s = toStringValue(v)
            guard let d = Base64.decode(s.utf8, padding: .endsData, rejectsLoneCharacter: true) else {
                var n = 0
                for c in s.utf8 where c != 61 { n += 1 }
                if n % 4 == 1 { throw JQError.msg("\(typeDump(v)) trailing base64 byte found") }
                throw JQError.msg("\(typeDump(v)) is not valid base64 data")
            }
            return .string(String(decoding: d, as: UTF8.self))
        case "base32":
            return .string(base32Encode(Array(toStringValue(v).utf8)))
        case "base32d":
            let s = toStringValue(v)
            guard let d = base32Decode(s) else { throw JQError.msg("\(typeDump(v)) is not valid base32 data") }
            return .string(String(decoding: d, as: UTF8.self))
        default:
            throw JQError.msg("\(name) is not a valid format")
        }
    }
}

func stringIndices(_ s: String, _ p: String) -> [Int] {
    let su = Array(s.utf8), pu = Array(p.utf8)
    guard !pu.isEmpty, su.count >= pu.count else { return [] }
    var res: [Int] = []
    var cp = 0
    var i = 0
    while i <= su.count - pu.count {
        if su[i] == pu[0] {
            var ok = true
            for j in 1..<pu.count where su[i + j] != pu[j] { ok = false; break }
            if ok { res.append(cp) }
        }
        if (su[i] & 0xC0) != 0x80 { cp += 1 }
        i += 1
        // cp counts scalars started before i
    }
    // recompute codepoint offsets precisely: cp above counts lead bytes up to and including i-1
    var out: [Int] = []
    if !res.isEmpty {
        var byteToCp = [Int](repeating: 0, count: su.count + 1)
        var c = 0
        for k in 0..<su.count {
            byteToCp[k] = c
            if (su[k] & 0xC0) != 0x80 { c += 1 }
            byteToCp[k] = (su[k] & 0xC0) != 0x80 ? c - 1 : c - 1
        }
        var k = 0
        while k <= su.count - pu.count {
            if Array(su[k..<(k + pu.count)]) == pu { out.append(byteToCp[k]) }
            k += 1
        }
    }
    return out
}

private let b32chars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

func base32Encode(_ d: [UInt8]) -> String {
    var out: [UInt8] = []
    var acc = 0, bits = 0
    for b in d {
        acc = (acc << 8) | Int(b)
        bits += 8
        while bits >= 5 {
            bits -= 5
            out.append(b32chars[(acc >> bits) & 31])
        }
    }
    if bits > 0 { out.append(b32chars[(acc << (5 - bits)) & 31]) }
    while out.count % 8 != 0 { out.append(61) }
    return String(decoding: out, as: UTF8.self)
}

func base32Decode(_ s: String) -> [UInt8]? {
    var table = [Int](repeating: -1, count: 256)
    for (i, c) in b32chars.enumerated() { table[Int(c)] = i }
    var out: [UInt8] = []
    var acc = 0, bits = 0
    for c in s.utf8 {
        if c == 61 { break }
        let v = table[Int(c)]
        if v < 0 { return nil }
        acc = (acc << 5) | v
        bits += 5
        if bits >= 8 {
            bits -= 8
            out.append(UInt8((acc >> bits) & 0xFF))
        }
    }
    return out
}
