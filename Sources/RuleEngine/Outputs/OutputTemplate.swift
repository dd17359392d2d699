/// A rule's `output` string split into literal text and `%field` references.
public struct OutputTemplate: Sendable {
    public enum Segment: Sendable {
        case text(String)
        /// `%proc.name`, `%proc.aname[2]`, `%evt.arg.flags`.
        case field(name: String, arg: String?)
    }

    public var segments: [Segment]

    public init(_ format: String) {
        segments = []
        let bytes = Array(format.utf8)
        var literal: [UInt8] = []
        var i = 0
        func isFieldByte(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2E
        }
        while i < bytes.count {
            let c = bytes[i]
            guard c == UInt8(ascii: "%"), i + 1 < bytes.count, isFieldByte(bytes[i + 1]) || bytes[i + 1] == UInt8(ascii: "(") else {
                literal.append(c)
                i += 1
                continue
            }
            var j = i + 1
            let parenthesised = bytes[j] == UInt8(ascii: "(")
            if parenthesised { j += 1 }
            let start = j
            while j < bytes.count, isFieldByte(bytes[j]) { j += 1 }
            // a trailing dot ends the sentence, not the field name
            var end = j
            while end > start, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            guard end > start, bytes[start..<end].contains(UInt8(ascii: ".")) else {
                literal.append(c)
                i += 1
                continue
            }
            j = end
            var arg: String?
            if j < bytes.count, bytes[j] == UInt8(ascii: "["), let close = bytes[j...].firstIndex(of: UInt8(ascii: "]")) {
                arg = String(decoding: bytes[(j + 1)..<close], as: UTF8.self)
                j = close + 1
            }
            if parenthesised {
                guard j < bytes.count, bytes[j] == UInt8(ascii: ")") else {
                    literal.append(c)
                    i += 1
                    continue
                }
                j += 1
            }
            if !literal.isEmpty {
                segments.append(.text(String(decoding: literal, as: UTF8.self)))
                literal.removeAll()
            }
            segments.append(.field(name: String(decoding: bytes[start..<end], as: UTF8.self), arg: arg))
            i = j
        }
        if !literal.isEmpty { segments.append(.text(String(decoding: literal, as: UTF8.self))) }
    }

    /// Field names referenced by `format`, with `[arg]` when present, in order, without duplicates.
    public static func fieldNames(in format: String) -> [String] {
        var seen: [String] = []
        for case .field(let name, let arg) in OutputTemplate(format).segments {
            let full = arg.map { "\(name)[\($0)]" } ?? name
            if !seen.contains(full) { seen.append(full) }
        }
        return seen
    }
}
