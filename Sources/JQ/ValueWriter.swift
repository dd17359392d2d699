/// Serialises `Value`s the way jq prints them (compact or indented, optional colour, -a, -S).
struct ValueWriter {
    var indent = 2
    var useTab = false
    var sortKeys = false
    var asciiOutput = false
    var color = false
    var colors = ValueWriter.defaultColors
    /// Called with the buffer when it grows past 64 KiB mid-value (streams huge outputs).
    var flush: ((inout [UInt8]) -> Void)?

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

    func write(_ v: Value, into out: inout [UInt8]) {
        write(v, level: 0, into: &out)
    }

    @inline(__always) private func startColor(_ i: Int, _ out: inout [UInt8]) {
        out.append(0x1B); out.append(UInt8(ascii: "[")); out.append(contentsOf: colors[i].utf8); out.append(UInt8(ascii: "m"))
    }
    @inline(__always) private func endColor(_ out: inout [UInt8]) {
        out.append(contentsOf: [0x1B, UInt8(ascii: "["), UInt8(ascii: "0"), UInt8(ascii: "m")])
    }

    private func newline(_ level: Int, _ out: inout [UInt8]) {
        out.append(0x0A)
        if useTab { out.append(contentsOf: repeatElement(0x09, count: level)) }
        else { out.append(contentsOf: repeatElement(0x20, count: level * indent)) }
    }

    private var pretty: Bool { useTab || indent > 0 }

    func write(_ v: Value, level: Int, into out: inout [UInt8]) {
        if level > 10_000 {
            out.append(contentsOf: "<skipped: too deep>".utf8)
            return
        }
        switch v {
        case .null:
            if color { startColor(0, &out) }
            out.append(contentsOf: "null".utf8)
            if color { endColor(&out) }
        case .bool(let b):
            if color { startColor(b ? 2 : 1, &out) }
            out.append(contentsOf: (b ? "true" : "false").utf8)
            if color { endColor(&out) }
        case .number, .literal:
            if color { startColor(3, &out) }
            out.append(contentsOf: ValueWriter.numberText(v).utf8)
            if color { endColor(&out) }
        case .string(let s):
            if color { startColor(4, &out) }
            writeString(s, &out)
            if color { endColor(&out) }
        case .array(let a):
            if color { startColor(5, &out) }
            out.append(UInt8(ascii: "["))
            if a.isEmpty { out.append(UInt8(ascii: "]")); if color { endColor(&out) }; return }
            for (i, x) in a.enumerated() {
                if let flush, out.count >= (1 << 16) { flush(&out) }
                if i > 0 {
                    if color { startColor(5, &out) }
                    out.append(UInt8(ascii: ","))
                }
                if pretty { newline(level + 1, &out) }
                if color { endColor(&out) }
                write(x, level: level + 1, into: &out)
            }
            if color { startColor(5, &out) }
            if pretty { newline(level, &out) }
            if color { startColor(5, &out) }
            out.append(UInt8(ascii: "]"))
            if color { endColor(&out) }
        case .object(let o):
            if color { startColor(6, &out) }
            out.append(UInt8(ascii: "{"))
            if o.count == 0 { out.append(UInt8(ascii: "}")); if color { endColor(&out) }; return }
            var first = true
            func member(_ k: String, _ x: Value) {
                if let flush, out.count >= (1 << 16) { flush(&out) }
                if !first {
                    if color { startColor(6, &out) }
                    out.append(UInt8(ascii: ","))
                    if color { endColor(&out) }
                }
                if pretty { newline(level + 1, &out) }
                if color && first { endColor(&out) }
                first = false
                if color {
                    startColor(7, &out)
                    writeString(k, &out)
                    endColor(&out)
                    startColor(6, &out)
                    out.append(UInt8(ascii: ":"))
                    endColor(&out)
                } else {
                    writeString(k, &out)
                    out.append(UInt8(ascii: ":"))
                }
                if pretty { out.append(0x20) }
                write(x, level: level + 1, into: &out)
            }
            if sortKeys {
                for k in o.sortedKeys { member(k, o[k]!) }
            } else {
                for (k, x) in o.pairs { member(k, x) }
            }
            if color { startColor(6, &out) }
            if pretty { newline(level, &out) }
            if color { startColor(6, &out) }
            out.append(UInt8(ascii: "}"))
            if color { endColor(&out) }
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    func writeString(_ s: String, _ out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { buf in
            var runStart = 0
            var i = 0
            let n = buf.count
            while i < n {
                let c = buf[i]
                if c >= 0x20 && c != 0x22 && c != 0x5C && c != 0x7F && (c < 0x80 || !asciiOutput) { i += 1; continue }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<i])) }
                if c >= 0x80 {
                    // -a: decode the scalar and write \uXXXX (surrogate pairs above the BMP)
                    var u: UInt32 = 0
                    var len = 1
                    if c >= 0xF0 { u = UInt32(c & 0x07); len = 4 } else if c >= 0xE0 { u = UInt32(c & 0x0F); len = 3 } else { u = UInt32(c & 0x1F); len = 2 }
                    for j in 1..<len where i + j < n { u = (u << 6) | UInt32(buf[i + j] & 0x3F) }
                    if u >= 0x10000 {
                        let v = u - 0x10000
                        esc16(UInt16(0xD800 + (v >> 10)), &out)
                        esc16(UInt16(0xDC00 + (v & 0x3FF)), &out)
                    } else {
                        esc16(UInt16(u), &out)
                    }
                    i += len
                    runStart = i
                    continue
                }
                switch c {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x08: out.append(0x5C); out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(0x5C); out.append(UInt8(ascii: "f"))
                default: esc16(UInt16(c), &out)
                }
                i += 1
                runStart = i
            }
            if runStart < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<n])) }
        }
        out.append(0x22)
    }

    private func esc16(_ v: UInt16, _ out: inout [UInt8]) {
        out.append(0x5C); out.append(UInt8(ascii: "u"))
        out.append(ValueWriter.hex[Int(v >> 12)]); out.append(ValueWriter.hex[Int((v >> 8) & 0xF)])
        out.append(ValueWriter.hex[Int((v >> 4) & 0xF)]); out.append(ValueWriter.hex[Int(v & 0xF)])
    }
}

extension Value {
    /// Compact JSON text (tojson, error messages).
    var jsonText: String { ValueWriter(indent: 0).render(self) }
}
