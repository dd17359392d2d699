/// Writes events in the JSON-lines format `EventDecoder` reads (docs/events.md): what
/// `vigil watch --record` stores, so a recording replays to the alerts raised live.
///
/// Hand-written on purpose: the live sensor encodes every event on its hot path, and a flat
/// object of known keys needs no general JSON model.
public enum EventEncoder {
    /// One line, without the trailing newline. `typeOverride` writes a different `type` (used for
    /// `state` lines that seed the process table).
    public static func encode(_ e: Event, typeOverride: String? = nil, into out: inout [UInt8]) {
        var w = Writer(out: out)
        out = []
        w.open()
        w.key("type"); w.string(typeOverride ?? e.type.name)
        if e.ts != 0 { w.key("ts"); w.int(e.ts) }
        w.key("pid"); w.int(e.pid)
        if let v = e.tid { w.key("tid"); w.int(v) }
        if e.res != 0 || e.type.kind == .open || e.type.kind == .clone { w.key("res"); w.int(e.res) }
        // the other fields, in the order of scripts/event-fields/fields.txt: Generated/EventEncoder+Fields.swift
        writeFields(e, into: &w)
        w.close()
        out = w.out
    }

    /// Convenience for tests and small tools.
    public static func encode(_ e: Event, typeOverride: String? = nil) -> String {
        var out: [UInt8] = []
        encode(e, typeOverride: typeOverride, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    struct Writer {
        var out: [UInt8]
        var first = true

        mutating func open() { out.append(UInt8(ascii: "{")) }
        mutating func close() { out.append(UInt8(ascii: "}")) }

        mutating func key(_ k: StaticString) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            k.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }

        mutating func opt(_ k: StaticString, _ v: String?) { if let v { key(k); string(v) } }
        mutating func opt(_ k: StaticString, _ v: Int64?) { if let v { key(k); int(v) } }

        mutating func int(_ v: Int64) { out.append(contentsOf: String(v).utf8) }
        mutating func bool(_ v: Bool) { out.append(contentsOf: (v ? "true" : "false").utf8) }

        mutating func strings(_ v: [String]) {
            out.append(UInt8(ascii: "["))
            for (i, s) in v.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                string(s)
            }
            out.append(UInt8(ascii: "]"))
        }

        mutating func string(_ s: String) {
            out.append(UInt8(ascii: "\""))
            for b in s.utf8 {
                switch b {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
                case 0..<0x20, 0x7f:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: Array("\\u00".utf8))
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 15)])
                default: out.append(b)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }
}
