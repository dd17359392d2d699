import VigilCore

/// Parse failure with the byte offset and 1-based line where it happened.
public struct JSONParseError: VigilError {
    /// What is wrong (`unexpected end of input`).
    public var message: String
    /// 0-based byte offset of the failure.
    public var offset: Int
    /// 1-based line of the failure.
    public var line: Int
    /// Always `json.syntax`: the only way strict parsing fails.
    public var code: String { "json.syntax" }
    /// `message at line L, offset O`.
    public var description: String { "\(message) at line \(line), offset \(offset)" }
}

/// A strict RFC 8259 parser over bytes (`JSONScanner` with `JSONSyntax.strict`). Nesting is
/// limited to keep hostile input from exhausting the stack.
public struct JSONParser {
    /// Deepest nesting accepted before failing.
    public static let maxDepth = JSONSyntax.strict.maxDepth

    /// Parses exactly one JSON value (surrounding whitespace allowed).
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSON {
        try bytes.withUnsafeBufferPointer { (buf) throws(JSONParseError) -> JSON in
            var scanner = JSONScanner(buf, syntax: .strict, builder: JSONTreeBuilder())
            do throws(JSONSyntaxError) {
                let value = try scanner.readValue()
                if !scanner.atEnd() {
                    throw JSONSyntaxError(kind: .trailingData, offset: scanner.position, line: scanner.line,
                                          column: scanner.position - scanner.lineStart, atEnd: false)
                }
                return value
            } catch {
                throw JSONParseError(message: message(error), offset: error.offset, line: error.line)
            }
        }
    }

    /// Parses a UTF-8 string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSON { try parse(Array(text.utf8)) }

    static func message(_ e: JSONSyntaxError) -> String {
        switch e.kind {
        case .unexpectedEnd: return "unexpected end of input"
        case .tooDeep: return "nesting deeper than \(maxDepth)"
        case .keyNotString: return "expected object key"
        case .expectedColon: return "expected ':'"
        case .expectedSeparator: return "expected ',' or closing bracket"
        case .singleQuote, .unexpectedCharacter: return "unexpected character"
        case .invalidLiteral: return "invalid literal"
        case .invalidNumber: return "invalid number"
        case .invalidEscape: return "invalid escape"
        case .unterminatedString: return "unterminated string"
        case .controlCharacter: return "control character in string"
        case .invalidUTF8: return "invalid UTF-8 in string"
        case .trailingData: return "unexpected trailing data"
        }
    }
}

/// Builds `JSON` values: numbers keep their text, duplicate keys are kept as written.
struct JSONTreeBuilder: JSONBuilder {
    func null() -> JSON { .null }
    func bool(_ value: Bool) -> JSON { .bool(value) }
    func number(_ text: UnsafeBufferPointer<UInt8>, integer: Int64?) -> JSON { .number(String(decoding: text, as: UTF8.self)) }
    func number(_ value: Double) -> JSON { .double(value) }
    func string(_ value: String) -> JSON { .string(value) }
    func array(_ elements: UnsafeMutableBufferPointer<JSON>) -> JSON { .array(elements.moveToArray()) }
    func object(keys: [String], values: UnsafeMutableBufferPointer<JSON>, hasDuplicateKeys: Bool) -> JSON {
        let n = keys.count
        guard n > 0 else { return .object([]) }
        let base = values.baseAddress!
        return .object([(String, JSON)](unsafeUninitializedCapacity: n) { dst, c in
            for i in 0..<n { (dst.baseAddress! + i).initialize(to: (keys[i], (base + i).move())) }
            c = n
        })
    }
}
