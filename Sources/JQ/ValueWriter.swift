import JSONValue

/// Serialises `Value`s the way jq prints them (compact or indented, optional colour, -a, -S).
public struct ValueWriter {
    public var indent = 2
    public var useTab = false
    public var sortKeys = false
    public var asciiOutput = false
    public var color = false
    var colors = ValueWriter.defaultColors
    /// Called with the buffer when it grows past 64 KiB mid-value (streams huge outputs).
    public var flush: ((inout [UInt8]) -> Void)?

    /// jq's defaults: two-space indentation, no colour, keys in input order.
    public init() {}

    init(indent: Int) { self.indent = indent }

    static let defaultColors = ["0;90", "0;39", "0;39", "0;39", "0;32", "1;39", "1;39", "34;1"]

    /// jq's number text for a computed double.
    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "null" }
        if d.isInfinite { return d > 0 ? "1.7976931348623157e+308" : "-1.7976931348623157e+308" }
        if d == d.rounded(.towardZero) && abs(d) < 1e17 {
            if d == 0 { return d.sign == .minus ? "-0" : "0" }
            return String(Int64(d))
        }
        var s = String(d)
        if s.hasSuffix(".0") { s.removeLast(2) }
        // Swift prints 1e-05 / 1e+20 like C's %g; jq 1.7 prints the same shapes.
        return s
    }

    static func numberText(_ v: Value) -> String {
        switch v {
        case .number(let d): return formatDouble(d)
        case .literal(let d, let s):
            if d.isNaN { return "null" }
            if s.utf8.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) { return DecimalText.canonical(s) }
            return s
        default: return ""
        }
    }

    func render(_ v: Value) -> String {
        var out: [UInt8] = []
        write(v, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The shared text writer configured as jq prints.
    var emitter: JSONEmitter {
        JSONEmitter(style: JSONStyle(indent: useTab ? 1 : indent, useTab: useTab, escaping: .jq, asciiOnly: asciiOutput,
                                     colors: color ? colors : nil))
    }

    public func write(_ v: Value, into out: inout [UInt8]) {
        write(v, level: 0, emitter, into: &out)
    }

    func write(_ v: Value, level: Int, into out: inout [UInt8]) {
        write(v, level: level, emitter, into: &out)
    }

    private func write(_ v: Value, level: Int, _ e: JSONEmitter, into out: inout [UInt8]) {
        if level > 10_000 {
            out.append(contentsOf: "<skipped: too deep>".utf8)
            return
        }
        switch v {
        case .null: e.null(&out)
        case .bool(let b): e.bool(b, &out)
        case .number, .literal: e.number(ValueWriter.numberText(v), &out)
        case .string(let s): e.string(s, &out)
        case .array(let a):
            if a.isEmpty { e.emptyArray(&out); return }
            e.arrayStart(&out)
            for i in a.indices {
                if let flush, out.count >= (1 << 16) { flush(&out) }
                e.arrayElement(i, level: level, &out)
                write(a[i], level: level + 1, e, into: &out)
            }
            e.arrayEnd(level: level, &out)
        case .object(let o):
            if o.count == 0 { e.emptyObject(&out); return }
            e.objectStart(&out)
            if sortKeys {
                for (i, k) in o.sortedKeys.enumerated() {
                    if let flush, out.count >= (1 << 16) { flush(&out) }
                    e.objectKey(k, index: i, level: level, &out)
                    write(o[k]!, level: level + 1, e, into: &out)
                }
            } else {
                let keys = o.keys, values = o.values
                for i in keys.indices {
                    if let flush, out.count >= (1 << 16) { flush(&out) }
                    e.objectKey(keys[i], index: i, level: level, &out)
                    write(values[i], level: level + 1, e, into: &out)
                }
            }
            e.objectEnd(level: level, &out)
        }
    }

}

extension Value {
    /// Compact JSON text (tojson, error messages).
    public var jsonText: String { ValueWriter(indent: 0).render(self) }
}
