import Yams

/// Yams' node (the JQ module has its own `Node`).
private typealias YNode = Yams.Node

/// `--yaml-input` / `--yaml-output`: YAML streams to jq values and back, as gojq does.
///
/// Input follows YAML 1.2's core schema (as gojq's go-yaml v3 does): only `true`/`false` are
/// booleans (`yes`/`no`/`on`/`off` stay strings); `~`, `null` and empty scalars are null; decimal,
/// `0x` and `0o` integers and decimal floats (with `.inf`/`.nan`) are numbers (number texts kept
/// as written, like jq's literals); unquoted timestamps become RFC 3339 strings as in gojq 0.12;
/// non-string keys become their text (`1: a` is `{"1":"a"}`, a null key is `"null"`); merge keys (`<<: *base`) are applied; anchors and aliases
/// are resolved, with the values one document may expand to bounded (an alias bomb is an error).
public enum YAMLCodec {
    /// Values one document may expand to through aliases: a few KB of nested aliases can name
    /// billions of nodes.
    static func expansionLimit(forBytes n: Int) -> Int { 200_000 + 4 * n }

    public struct Failure: Error { public var message: String }

    /// Every document of a YAML stream.
    public static func documents(_ bytes: [UInt8]) throws(Failure) -> [Value] {
        let text = String(decoding: bytes, as: UTF8.self)
        let parser: Yams.Parser
        do {
            parser = try Yams.Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8)
        } catch {
            throw Failure(message: describe(error))
        }
        var out: [Value] = []
        var budget = expansionLimit(forBytes: bytes.count)
        while true {
            let node: YNode?
            do {
                node = try parser.nextRoot()
            } catch {
                throw Failure(message: describe(error))
            }
            guard let node else { break }
            out.append(try convert(node, &budget))
        }
        return out
    }

    /// One line: "line L, column C: problem".
    static func describe(_ error: any Error) -> String {
        guard let e = error as? YamlError else { return "invalid YAML: \(error)" }
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return "invalid YAML at line \(mark.line), column \(mark.column): \(problem)"
        case .reader(let problem, let offset, _, _):
            return "invalid YAML at byte \(offset ?? 0): \(problem)"
        default:
            return "invalid YAML: \(e)"
        }
    }

    private static func convert(_ node: YNode, _ budget: inout Int) throws(Failure) -> Value {
        budget -= 1
        if budget < 0 {
            throw Failure(message: "YAML document expands to too many values through aliases (alias bomb?)")
        }
        switch node {
        case .scalar(let s):
            return scalar(s)
        case .sequence(let seq):
            var a: [Value] = []
            a.reserveCapacity(seq.count)
            for n in seq { a.append(try convert(n, &budget)) }
            return .array(a)
        case .mapping(let m):
            var o = JQObject()
            var explicit = Set<String>()
            for (k, v) in m {
                if case .scalar(let ks) = k, ks.string == "<<", ks.style == .plain || ks.style == .any {
                    // merge key: keys not set explicitly come from the merged mapping(s)
                    var sources: [YNode] = []
                    switch v {
                    case .mapping: sources = [v]
                    case .sequence(let seq): sources = Array(seq)
                    default: throw Failure(message: "YAML merge key '<<' needs a mapping or a list of mappings")
                    }
                    for src in sources {
                        guard case .object(let mo) = try convert(src, &budget) else {
                            throw Failure(message: "YAML merge key '<<' needs a mapping or a list of mappings")
                        }
                        for (mk, mv) in mo.pairs where !explicit.contains(mk) && o[mk] == nil { o[mk] = mv }
                    }
                    continue
                }
                let key = try keyText(k, &budget)
                explicit.insert(key)
                o[key] = try convert(v, &budget)
            }
            return .object(o)
        case .alias:
            throw Failure(message: "YAML alias left unresolved")
        }
    }

    /// A mapping key as a string: scalars by their value's text (as gojq does), collections refused.
    private static func keyText(_ k: YNode, _ budget: inout Int) throws(Failure) -> String {
        guard case .scalar(let s) = k else {
            throw Failure(message: "YAML mapping key at line \(k.mark?.line ?? 0) is not a scalar")
        }
        switch scalar(s) {
        case .string(let t): return t
        case .null: return "null"
        case let v: return v.jsonText
        }
    }

    private static func scalar(_ s: YNode.Scalar) -> Value {
        let tag = s.tag.rawValue
        let text = s.string
        let plain = s.style == .plain || s.style == .any
        switch tag {
        case Tag.Name.str.rawValue, "", "!":
            // Resolver.basic tags every untagged scalar str: plain ones are resolved here
            guard plain else { return .string(text) }
            let v = resolvePlain(text)
            if case .string = v, let ts = rfc3339(text) { return .string(ts) }
            return v
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.bool.rawValue: return resolvePlain(text.lowercased())
        case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
            let v = resolvePlain(text)
            if case .string = v { return .string(text) }
            return v
        case Tag.Name.timestamp.rawValue: return .string(rfc3339(text) ?? text)
        default: return .string(text)
        }
    }

    /// YAML 1.2 core schema for an untagged plain scalar.
    static func resolvePlain(_ t: String) -> Value {
        switch t {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .number(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .number(-.infinity)
        case ".nan", ".NaN", ".NAN": return .number(.nan)
        default: break
        }
        let u = Array(t.utf8)
        guard let first = u.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= 48 && first <= 57) else { return .string(t) }
        var body = u[...]
        var negative = false
        if let c = body.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
            negative = c == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        if body.count > 2, body.first == UInt8(ascii: "0"), let radixChar = body.dropFirst().first,
           radixChar == UInt8(ascii: "x") || radixChar == UInt8(ascii: "o") {
            let digits = String(decoding: body.dropFirst(2), as: UTF8.self)
            guard let n = UInt64(digits, radix: radixChar == UInt8(ascii: "x") ? 16 : 8) else { return .string(t) }
            return .number(negative ? -Double(n) : Double(n))
        }
        // decimal: digits, optional fraction, optional exponent (what JSON's grammar accepts,
        // plus a leading '+', a leading '.', a trailing '.' and leading zeros)
        var i = body.startIndex
        var digits = 0
        while i < body.endIndex, body[i] >= 48, body[i] <= 57 { i += 1; digits += 1 }
        if i < body.endIndex, body[i] == UInt8(ascii: ".") {
            i += 1
            while i < body.endIndex, body[i] >= 48, body[i] <= 57 { i += 1; digits += 1 }
        }
        guard digits > 0 else { return .string(t) }
        if i < body.endIndex, body[i] == UInt8(ascii: "e") || body[i] == UInt8(ascii: "E") {
            i += 1
            if i < body.endIndex, body[i] == UInt8(ascii: "-") || body[i] == UInt8(ascii: "+") { i += 1 }
            var exp = 0
            while i < body.endIndex, body[i] >= 48, body[i] <= 57 { i += 1; exp += 1 }
            guard exp > 0 else { return .string(t) }
        }
        guard i == body.endIndex else { return .string(t) }
        // normalise to JSON's number grammar and let the JSON reader keep big literals exact
        var json = String(decoding: body, as: UTF8.self)
        if json.hasPrefix(".") { json = "0" + json }
        json = json.replacingOccurrences(".e", ".0e").replacingOccurrences(".E", ".0E")
        if json.hasSuffix(".") { json += "0" }
        while json.count > 1, json.hasPrefix("0"), let second = json.dropFirst().first, second.isNumber { json.removeFirst() }
        if negative { json = "-" + json }
        if let v = try? ValueReader.parseOne(json) { return v }
        return .string(t)
    }

    /// A timestamp in one of the forms go-yaml v3 accepts (`2001-12-14`,
    /// `2001-12-14t21:59:43.10-05:00`, `2001-12-14 21:59:43.10`) as Go's RFC 3339 text, which is
    /// what gojq outputs: fraction dropped, zone kept, `Z` for UTC and for no zone.
    static func rfc3339(_ t: String) -> String? {
        let u = Array(t.utf8)
        var i = 0
        func field(_ maxDigits: Int) -> Int? {
            var n = 0, d = 0
            while i < u.count, u[i] >= 48, u[i] <= 57, d < maxDigits { n = n * 10 + Int(u[i] - 48); i += 1; d += 1 }
            return d > 0 ? n : nil
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < u.count, u[i] == c else { return false }
            i += 1
            return true
        }
        func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        guard let y = field(4), i == 4, expect(45), let mo = field(2), expect(45), let d = field(2) else { return nil }
        let date = "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))"
        if i == u.count { return date + "T00:00:00Z" }
        let spaced = u[i] == 32
        guard spaced || u[i] == UInt8(ascii: "T") || u[i] == UInt8(ascii: "t") else { return nil }
        i += 1
        guard let h = field(2), expect(58), let mi = field(2), expect(58), let se = field(2) else { return nil }
        if expect(46) {
            guard field(9) != nil else { return nil }
        }
        var zone = "Z"
        if !spaced {
            if expect(UInt8(ascii: "Z")) {
            } else if i < u.count, u[i] == 43 || u[i] == 45 {
                let sign = u[i] == 43 ? "+" : "-"
                i += 1
                guard let zh = field(2), expect(58), let zm = field(2) else { return nil }
                if zh != 0 || zm != 0 { zone = "\(sign)\(pad(zh, 2)):\(pad(zm, 2))" }
            } else {
                return nil
            }
        }
        guard i == u.count, mo >= 1, mo <= 12, d >= 1, d <= 31, h < 24, mi < 60, se < 60 else { return nil }
        return "\(date)T\(pad(h, 2)):\(pad(mi, 2)):\(pad(se, 2))\(zone)"
    }

    // MARK: output

    /// One value as a YAML document (block style, keys in order or sorted).
    public static func document(_ v: Value, sortKeys: Bool) throws(Failure) -> String {
        do {
            return try serialize(node: node(v, sortKeys: sortKeys), indent: 2, width: -1, allowUnicode: true)
        } catch {
            throw Failure(message: describe(error))
        }
    }

    private static func node(_ v: Value, sortKeys: Bool) -> YNode {
        switch v {
        case .null: return .scalar(.init("null", Tag(.null), .plain))
        case .bool(let b): return .scalar(.init(b ? "true" : "false", Tag(.bool), .plain))
        case .number, .literal:
            let t = v.jsonText
            return .scalar(.init(t, Tag(t.contains(".") || t.contains("e") ? .float : .int), .plain))
        case .string(let s):
            // strings a YAML reader would take for another type are quoted (1.1 words too)
            let style: YNode.Scalar.Style
            if case .string = resolvePlain(s), !yaml11Words.contains(s.lowercased()), s != "<<", rfc3339(s) == nil {
                style = s.contains("\n") ? .literal : .any
            } else {
                style = .doubleQuoted
            }
            return .scalar(.init(s, Tag(.str), style))
        case .array(let a):
            return .sequence(.init(a.map { node($0, sortKeys: sortKeys) }, Tag(.seq), .block))
        case .object(let o):
            let keys = sortKeys ? o.sortedKeys : o.keys
            return .mapping(.init(keys.map { k in (node(.string(k), sortKeys: sortKeys), node(o[k]!, sortKeys: sortKeys)) }, Tag(.map), .block))
        }
    }

    private static let yaml11Words: Set<String> = ["y", "n", "yes", "no", "on", "off"]
}
