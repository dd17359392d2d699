import JSONValue

/// A JSON parse failure with jq's message text.
public struct JSONReadError: Error {
    public var message: String
    /// The text ended inside a value (more input could complete it).
    public var atEnd = false
}

/// Builds jq values: short integers as doubles, other numbers as literals that keep their text,
/// duplicate keys resolved last-wins in first-occurrence order (as jq does).
struct ValueBuilder: JSONBuilder {
    @inline(__always) func null() -> Value { .null }
    @inline(__always) func bool(_ value: Bool) -> Value { .bool(value) }
    @inline(__always) func number(_ text: UnsafeBufferPointer<UInt8>, integer: Int64?) -> Value {
        if let v = integer {
            if v == 0 && text[0] == UInt8(ascii: "-") { return .literal(-0.0, "-0") }
            return .number(Double(v))
        }
        let s = String(decoding: text, as: UTF8.self)
        return .literal(Double(s) ?? (text[0] == UInt8(ascii: "-") ? -Double.greatestFiniteMagnitude : Double.greatestFiniteMagnitude), s)
    }
    @inline(__always) func number(_ value: Double) -> Value { .number(value) }
    @inline(__always) func string(_ value: String) -> Value { .string(value) }
    @inline(__always) func array(_ elements: UnsafeMutableBufferPointer<Value>) -> Value { .array(elements.moveToArray()) }
    @inline(__always) func object(keys: [String], values: UnsafeMutableBufferPointer<Value>, hasDuplicateKeys: Bool) -> Value {
        if keys.isEmpty { return .object(JQObject()) }
        if hasDuplicateKeys {
            var o = JQObject()
            for i in 0..<keys.count { o[keys[i]] = values.baseAddress!.advanced(by: i).move() }
            return .object(o)
        }
        return .object(JQObject(keys: keys, values: values.moveToArray()))
    }
}

/// Reads jq input: `JSONScanner` in jq's dialect (`nan`, leading zeros, raw control characters,
/// invalid UTF-8 replaced by U+FFFD, 10,000 levels) with jq's error texts.
public struct ValueReader {
    var scanner: JSONScanner<ValueBuilder>

    public init(_ buffer: UnsafeBufferPointer<UInt8>) {
        scanner = JSONScanner(buffer, syntax: .jq, builder: ValueBuilder())
    }

    public var line: Int { scanner.line }
    public var pos: Int { scanner.position }
    var end: Int { scanner.end }
    /// For memory-mapped input: consumed pages are returned to the kernel as parsing advances.
    public var releaseConsumed: Bool {
        get { scanner.releasesConsumedInput }
        set { scanner.releasesConsumedInput = newValue }
    }

    /// Parses a complete text holding exactly one value (fromjson, --argjson).
    public static func parseOne(_ text: String) throws(JSONReadError) -> Value {
        var bytes = Array(text.utf8)
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { (buf) throws(JSONReadError) -> Value in
            var r = ValueReader(UnsafeBufferPointer(rebasing: buf[0..<(buf.count - 1)]))
            if r.atEnd() { return .null }
            let v = try r.parseValue()
            if !r.atEnd() {
                throw JSONReadError(message: "Unfinished JSON term at line \(r.line), column \(r.pos - r.scanner.lineStart)")
            }
            return v
        }
    }

    /// True when only whitespace remains.
    public mutating func atEnd() -> Bool { scanner.atEnd() }

    public mutating func parseValue() throws(JSONReadError) -> Value {
        do {
            return try scanner.readValue()
        } catch {
            throw JSONReadError(message: "\(Self.message(error)) at line \(error.line), column \(error.column)",
                                atEnd: error.kind == .unexpectedEnd || error.kind == .unterminatedString || error.atEnd)
        }
    }

    /// jq 1.8's texts.
    static func message(_ e: JSONSyntaxError) -> String {
        let eof = e.atEnd ? " at EOF" : ""
        switch e.kind {
        case .unexpectedEnd: return "Unfinished JSON term at EOF"
        case .tooDeep: return "Exceeds depth limit for parsing"
        case .keyNotString: return "Object keys must be strings"
        case .expectedColon: return "Objects must consist of key:value pairs"
        case .expectedSeparator: return "Expected separator between values"
        case .singleQuote: return "Invalid string literal; expected \", but got '" + eof
        case .unexpectedCharacter: return "Invalid literal"
        case .invalidLiteral: return "Invalid literal" + eof
        case .invalidNumber: return "Invalid numeric literal" + eof
        case .invalidEscape: return "Invalid escape"
        case .unterminatedString: return "Unfinished string at EOF"
        case .controlCharacter, .invalidUTF8, .trailingData: return "Invalid JSON text"
        }
    }

    /// Points the reader at the same bytes again (the array may have moved between calls).
    public mutating func rebase(_ buf: UnsafeBufferPointer<UInt8>) {
        scanner = scanner.rebased(buf)
    }
}
