/// Prints JSON the way Go's `encoding/json` `MarshalIndent` does, so Vigil's reports are
/// byte-compatible with Trivy's: two-space indent, `": "` separators, and `<`, `>`, `&`,
/// U+2028 and U+2029 escaped as `\u003c` etc.
public struct JSONPrinter: Sendable {
    /// Spaces per level; 0 prints compactly on one line.
    public var indent: Int
    /// Escape `<`, `>` and `&` as Go's HTML-safe encoder does.
    public var escapeHTML: Bool

    public init(indent: Int = 2, escapeHTML: Bool = true) {
        self.indent = indent
        self.escapeHTML = escapeHTML
    }

    /// Renders `value` followed by a newline.
    public func render(_ value: JSON) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, level: 0, into: &out)
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value` (no trailing newline) to `out`.
    public func write(_ value: JSON, level: Int, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let elements):
            if elements.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, e) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1, into: &out)
                write(e, level: level + 1, into: &out)
            }
            newline(level, into: &out)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1, into: &out)
                writeString(k, into: &out)
                out.append(UInt8(ascii: ":"))
                if indent > 0 { out.append(UInt8(ascii: " ")) }
                write(v, level: level + 1, into: &out)
            }
            newline(level, into: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private func newline(_ level: Int, into out: inout [UInt8]) {
        guard indent > 0 else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * indent))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var utf8 = s.utf8.makeIterator()
        var pending: [UInt8] = []
        while let b = utf8.next() {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                if escapeHTML { appendUnicodeEscape(UInt16(b), into: &out) } else { out.append(b) }
            case 0..<0x20:
                appendUnicodeEscape(UInt16(b), into: &out)
            case 0xE2:
                // U+2028 / U+2029 are E2 80 A8 / E2 80 A9; Go escapes them.
                pending = [b]
                if let b1 = utf8.next() { pending.append(b1) }
                if let b2 = utf8.next() { pending.append(b2) }
                if pending.count == 3, pending[1] == 0x80, pending[2] == 0xA8 || pending[2] == 0xA9 {
                    appendUnicodeEscape(pending[2] == 0xA8 ? 0x2028 : 0x2029, into: &out)
                } else {
                    out.append(contentsOf: pending)
                }
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private func appendUnicodeEscape(_ v: UInt16, into out: inout [UInt8]) {
        out.append(contentsOf: "\\u".utf8)
        out.append(Self.hex[Int(v >> 12) & 0xF])
        out.append(Self.hex[Int(v >> 8) & 0xF])
        out.append(Self.hex[Int(v >> 4) & 0xF])
        out.append(Self.hex[Int(v) & 0xF])
    }
}
