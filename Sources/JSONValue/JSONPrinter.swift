/// Prints JSON the way Go's `encoding/json` `MarshalIndent` does, so Vigil's reports are
/// byte-compatible with Trivy's: two-space indent, `": "` separators, and `<`, `>`, `&`,
/// U+2028 and U+2029 escaped as `\u003c` etc. The text is written by `JSONEmitter`.
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
        let emitter = JSONEmitter(style: JSONStyle(indent: indent, escaping: .go(escapeHTML: escapeHTML)))
        Self.write(value, level: level, emitter, &out)
    }

    private static func write(_ value: JSON, level: Int, _ e: JSONEmitter, _ out: inout [UInt8]) {
        switch value {
        case .null: e.null(&out)
        case .bool(let b): e.bool(b, &out)
        case .number(let n): e.number(n, &out)
        case .string(let s): e.string(s, &out)
        case .array(let elements):
            if elements.isEmpty { e.emptyArray(&out); return }
            e.arrayStart(&out)
            for (i, x) in elements.enumerated() {
                e.arrayElement(i, level: level, &out)
                write(x, level: level + 1, e, &out)
            }
            e.arrayEnd(level: level, &out)
        case .object(let members):
            if members.isEmpty { e.emptyObject(&out); return }
            e.objectStart(&out)
            for (i, (k, v)) in members.enumerated() {
                e.objectKey(k, index: i, level: level, &out)
                write(v, level: level + 1, e, &out)
            }
            e.objectEnd(level: level, &out)
        }
    }
}
